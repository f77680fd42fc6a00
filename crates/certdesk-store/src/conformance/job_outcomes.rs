//! Job outcomes (P2): only the holder records one; dead jobs stay visible and can be retried.

use std::sync::Arc;

use certdesk_domain::JobId;
use jiff::SignedDuration;

use super::fixtures::{all_jobs, assert_conflict, assert_not_found, at, audit, job, t0};
use crate::{Conflict, JobStatus, PageRequest, Store};

const LEASE: SignedDuration = SignedDuration::from_secs(30);

pub async fn jobs_only_holder_records_outcome(store: Arc<dyn Store>) {
    store
        .enqueue_jobs(vec![job("a", t0()), job("b", at(100))])
        .await
        .expect("enqueue");
    let a = store
        .claim_job("w1", t0(), LEASE)
        .await
        .expect("claim")
        .expect("due");
    let b = all_jobs(&*store, Some(JobStatus::Pending))
        .await
        .pop()
        .expect("b pending");
    assert_conflict(
        store.complete_job(a.id, "w2", at(1)).await,
        Conflict::JobNotHeld,
    );
    assert_conflict(
        store.fail_job(a.id, "w2", "x", at(1), Some(at(9))).await,
        Conflict::JobNotHeld,
    );
    assert_conflict(
        store.complete_job(b.id, "w1", at(1)).await,
        Conflict::JobNotHeld,
    );
    assert_not_found(
        store
            .complete_job(JobId(b.id.get() + 1000), "w1", at(1))
            .await,
    );
    assert_not_found(
        store
            .fail_job(JobId(b.id.get() + 1000), "w1", "x", at(1), None)
            .await,
    );

    // A lease that expired but was not taken over still belongs to its worker.
    store
        .fail_job(a.id, "w1", "smtp timeout", at(40), Some(at(70)))
        .await
        .expect("fail");
    let failed = store.get_job(a.id).await.expect("get");
    assert_eq!(
        (failed.status, failed.run_at, failed.last_error.as_deref()),
        (JobStatus::Pending, at(70), Some("smtp timeout"))
    );
    assert_eq!(
        (failed.locked_by, failed.locked_until, failed.attempts),
        (None, None, 1)
    );
    assert_conflict(
        store.complete_job(a.id, "w1", at(41)).await,
        Conflict::JobNotHeld,
    );
    let again = store
        .claim_job("w2", at(70), LEASE)
        .await
        .expect("claim")
        .expect("due again");
    assert_eq!((again.id, again.attempts), (a.id, 2));
    store
        .complete_job(a.id, "w2", at(71))
        .await
        .expect("complete");
    let done = store.get_job(a.id).await.expect("get");
    assert_eq!(
        (done.status, done.last_error.as_deref()),
        (JobStatus::Done, Some("smtp timeout"))
    );
    assert_conflict(
        store.complete_job(a.id, "w2", at(72)).await,
        Conflict::JobNotHeld,
    );
}

pub async fn jobs_dead_after_last_attempt(store: Arc<dyn Store>) {
    let mut once = job("once", t0());
    once.max_attempts = 1;
    let mut lost = job("lost", t0());
    lost.max_attempts = 1;
    store.enqueue_jobs(vec![once]).await.expect("enqueue");
    let j = store
        .claim_job("w1", t0(), LEASE)
        .await
        .expect("claim")
        .expect("due");
    store
        .fail_job(j.id, "w1", "provider refused", at(1), None)
        .await
        .expect("fail");
    let dead = store.get_job(j.id).await.expect("get");
    assert_eq!(
        (dead.status, dead.attempts, dead.last_error.as_deref()),
        (JobStatus::Dead, 1, Some("provider refused"))
    );
    assert_eq!((dead.locked_by, dead.locked_until), (None, None));
    assert!(
        store
            .claim_job("w1", at(10_000), LEASE)
            .await
            .expect("claim")
            .is_none(),
        "dead jobs are never claimed"
    );

    // A worker lost during the last attempt: the job turns dead instead of running again.
    store.enqueue_jobs(vec![lost]).await.expect("enqueue");
    let l = store
        .claim_job("w1", at(2), LEASE)
        .await
        .expect("claim")
        .expect("due");
    assert!(
        store
            .claim_job("w2", at(2) + LEASE, LEASE)
            .await
            .expect("claim")
            .is_none()
    );
    let reaped = store.get_job(l.id).await.expect("get");
    assert_eq!(
        (reaped.status, reaped.attempts, reaped.locked_by),
        (JobStatus::Dead, 1, None)
    );
    assert!(reaped.last_error.is_some());
    assert_eq!(
        all_jobs(&*store, Some(JobStatus::Dead)).await.len(),
        2,
        "dead jobs stay visible (P2)"
    );
}

pub async fn jobs_retry_dead_job_audited(store: Arc<dyn Store>) {
    let mut j = job("flaky", t0());
    j.max_attempts = 2;
    store
        .enqueue_jobs(vec![j, job("fine", at(1000))])
        .await
        .expect("enqueue");
    for n in 0..2 {
        let c = store
            .claim_job("w1", at(n * 100), LEASE)
            .await
            .expect("claim")
            .expect("due");
        let retry = (n == 0).then(|| at(100));
        store
            .fail_job(c.id, "w1", &format!("failure {n}"), at(n * 100 + 1), retry)
            .await
            .expect("fail");
    }
    let dead = all_jobs(&*store, Some(JobStatus::Dead))
        .await
        .pop()
        .expect("dead");
    let pending = all_jobs(&*store, Some(JobStatus::Pending))
        .await
        .pop()
        .expect("pending");
    assert_eq!(dead.attempts, 2);

    assert_conflict(
        store
            .commit_job_retry(pending.id, at(500), audit("job.retry", at(500)))
            .await,
        Conflict::JobNotDead,
    );
    assert_not_found(
        store
            .commit_job_retry(
                JobId(pending.id.get() + 1000),
                at(500),
                audit("job.retry", at(500)),
            )
            .await,
    );
    let retried = store
        .commit_job_retry(dead.id, at(500), audit("job.retry", at(500)))
        .await
        .expect("retry");
    assert_eq!(
        (retried.status, retried.attempts, retried.run_at),
        (JobStatus::Pending, 0, at(500))
    );
    assert_eq!(
        (retried.last_error.as_deref(), retried.updated_at),
        (Some("failure 1"), at(500))
    );
    assert_eq!(store.get_job(dead.id).await.expect("get"), retried);
    let audited = store
        .list_audit(PageRequest::default())
        .await
        .expect("audit")
        .items;
    assert_eq!(
        audited
            .iter()
            .map(|e| e.action.as_str())
            .collect::<Vec<_>>(),
        ["job.retry"],
        "only the real retry"
    );
    assert_conflict(
        store
            .commit_job_retry(dead.id, at(501), audit("job.retry", at(501)))
            .await,
        Conflict::JobNotDead,
    );
    let again = store
        .claim_job("w2", at(500), LEASE)
        .await
        .expect("claim")
        .expect("due now");
    assert_eq!((again.id, again.attempts), (dead.id, 1));
}

pub async fn jobs_list_by_status_and_next_due(store: Arc<dyn Store>) {
    assert_eq!(store.next_job_due().await.expect("next"), None);
    store
        .enqueue_jobs((0..5).map(|i| job("k", at(10 * (5 - i)))).collect())
        .await
        .expect("enqueue");
    assert_eq!(store.next_job_due().await.expect("next"), Some(at(10)));
    let claimed = store
        .claim_job("w1", at(10), LEASE)
        .await
        .expect("claim")
        .expect("due");
    assert_eq!(claimed.run_at, at(10));
    assert_eq!(
        store.next_job_due().await.expect("next"),
        Some(at(20)),
        "only pending jobs count"
    );
    let done = store
        .claim_job("w1", at(20), LEASE)
        .await
        .expect("claim")
        .expect("due");
    store
        .complete_job(done.id, "w1", at(21))
        .await
        .expect("complete");

    let count = |s| {
        let store = store.clone();
        async move { all_jobs(&*store, Some(s)).await.len() }
    };
    assert_eq!(
        (
            count(JobStatus::Pending).await,
            count(JobStatus::Running).await
        ),
        (3, 1)
    );
    assert_eq!(
        (count(JobStatus::Done).await, count(JobStatus::Dead).await),
        (1, 0)
    );

    let all = all_jobs(&*store, None).await;
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let page = store
        .list_jobs(Some(JobStatus::Pending), PageRequest::first(2))
        .await
        .expect("list");
    assert_eq!(page.items.len(), 2);
    let next = PageRequest {
        limit: 2,
        cursor: page.next_cursor,
    };
    let rest = store
        .list_jobs(Some(JobStatus::Pending), next)
        .await
        .expect("list");
    assert_eq!((rest.items.len(), rest.next_cursor), (1, None));
    assert!(
        page.items
            .iter()
            .chain(&rest.items)
            .all(|j| j.status == JobStatus::Pending)
    );
}

pub async fn jobs_complete_batch_only_held(store: Arc<dyn Store>) {
    store
        .enqueue_jobs((0..4).map(|i| job("k", at(i))).collect())
        .await
        .expect("enqueue");
    let mine = store
        .claim_jobs("w1", at(10), LEASE, 3)
        .await
        .expect("claim");
    let theirs = store
        .claim_jobs("w2", at(10), LEASE, 3)
        .await
        .expect("claim");
    assert_eq!((mine.len(), theirs.len()), (3, 1));
    let (a, b, c, d) = (mine[0].id, mine[1].id, mine[2].id, theirs[0].id);
    let unknown = JobId(d.get() + 1000);

    let not_done = store
        .complete_jobs(&[a, d, unknown, b], "w1", at(20))
        .await
        .expect("complete");
    assert_eq!(not_done, [d, unknown], "not held and unknown, in order");
    for id in [a, b] {
        let j = store.get_job(id).await.expect("get");
        assert_eq!(
            (j.status, j.locked_by, j.locked_until, j.updated_at),
            (JobStatus::Done, None, None, at(20))
        );
    }
    let held = store.get_job(c).await.expect("get");
    assert_eq!(
        (held.status, held.locked_by.as_deref()),
        (JobStatus::Running, Some("w1")),
        "not listed, untouched"
    );
    assert_eq!(
        store.get_job(d).await.expect("get"),
        theirs[0],
        "another worker's job is untouched"
    );
    assert_eq!(
        store
            .complete_jobs(&[a, c], "w1", at(21))
            .await
            .expect("complete"),
        [a],
        "done already"
    );
    assert_eq!(
        store.get_job(a).await.expect("get").updated_at,
        at(20),
        "completed once"
    );
    assert!(
        store
            .complete_jobs(&[], "w1", at(22))
            .await
            .expect("nothing to complete")
            .is_empty()
    );
    assert_eq!(
        all_jobs(&*store, Some(JobStatus::Done)).await.len(),
        3,
        "a, b, c"
    );
}
