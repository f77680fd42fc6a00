//! Housekeeping: the hourly job deletes expired sessions and `Idempotency-Key` records past
//! their 24 hours, leaves the live ones, and keeps one chain of runs however many processes
//! schedule it.

use certdesk_app::{IdempotencyScope, Idempotent};
use certdesk_domain::{Clock, IdempotencyKey};
use certdesk_store::{JobStatus, NewSession, PageRequest, SessionKind};
use jiff::SignedDuration;

use crate::TestApp;

const KIND: &str = certdesk_app::housekeeping::HOUSEKEEPING_KIND;

async fn housekeeping_jobs(t: &TestApp) -> Vec<certdesk_store::Job> {
    let page = PageRequest {
        limit: 200,
        cursor: None,
    };
    let mut jobs: Vec<_> = t
        .store()
        .list_jobs(None, page)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|j| j.kind == KIND)
        .collect();
    jobs.sort_by_key(|j| j.run_at);
    jobs
}

async fn begin(t: &TestApp, key: &str) -> certdesk_app::AppResult<Idempotent> {
    t.app
        .begin_idempotent(
            &IdempotencyScope::Anonymous,
            &IdempotencyKey::parse(key).unwrap(),
            [7; 32],
        )
        .await
}

async fn reserve(t: &TestApp, key: &str) -> Idempotent {
    begin(t, key).await.unwrap()
}

#[tokio::test]
async fn housekeeping_deletes_what_expired_and_runs_every_hour() {
    let t = TestApp::new().await;
    let me = t.candidate("tang@example.com").await;
    let now = t.clock.now();
    for (hash, expires_in) in [(1u8, 10), (2, 3 * 3600)] {
        t.store()
            .create_session(NewSession {
                token_hash: vec![hash; 32],
                account_id: me.id,
                kind: SessionKind::Api,
                created_at: now,
                expires_at: now + SignedDuration::from_secs(expires_in),
            })
            .await
            .unwrap();
    }
    assert!(matches!(reserve(&t, "old-key").await, Idempotent::Run(_)));
    let wrong = t
        .app
        .log_in(
            "nobody@example.com",
            "not the password",
            SessionKind::Api,
            None,
        )
        .await;
    assert!(wrong.is_err());

    // Two starts in one hour: one run.
    t.app.schedule_housekeeping().await.unwrap();
    t.app.schedule_housekeeping().await.unwrap();
    assert_eq!(housekeeping_jobs(&t).await.len(), 1);

    // 23 hours on: both sessions have expired and are deleted; the key lives on.
    t.clock.advance(SignedDuration::from_hours(23));
    assert!(matches!(reserve(&t, "young-key").await, Idempotent::Run(_)));
    let cleaned = t.app.clean_up().await.unwrap();
    assert_eq!((cleaned.sessions, cleaned.idempotency_records), (2, 0));
    assert_eq!(cleaned.login_throttles, 1, "the failed log-in of the start");
    assert!(
        t.store()
            .find_session(&[2; 32], t.clock.now())
            .await
            .unwrap()
            .is_none(),
        "expired three hours in, deleted at 23"
    );

    // At 24 hours the first key's record is deleted, the younger kept (it is still held).
    t.clock.advance(SignedDuration::from_hours(1));
    let cleaned = t.app.clean_up().await.unwrap();
    assert_eq!((cleaned.sessions, cleaned.idempotency_records), (0, 1));
    assert!(matches!(reserve(&t, "old-key").await, Idempotent::Run(_)));
    assert!(
        begin(&t, "young-key").await.is_err(),
        "a record younger than 24 h stays"
    );

    // The job runs, as the worker would, and queues the next run an hour on.
    t.run_jobs().await;
    let jobs = housekeeping_jobs(&t).await;
    assert_eq!(jobs.len(), 2, "{jobs:?}");
    assert_eq!(jobs[0].status, JobStatus::Done);
    assert_eq!(jobs[1].status, JobStatus::Pending);
    assert_eq!(
        jobs[1].run_at,
        t.clock.now() + SignedDuration::from_hours(1)
    );
    // Restarts add at most one run per clock hour, however many processes start.
    for _ in 0..3 {
        t.app.schedule_housekeeping().await.unwrap();
        t.clock.advance(SignedDuration::from_mins(20));
    }
    let hours: Vec<i64> = housekeeping_jobs(&t)
        .await
        .iter()
        .map(|j| j.run_at.as_second().div_euclid(3600))
        .collect();
    let mut distinct = hours.clone();
    distinct.dedup();
    assert_eq!(hours, distinct, "one run per clock hour at most");
    assert!(hours.len() <= 4, "{hours:?}");
}
