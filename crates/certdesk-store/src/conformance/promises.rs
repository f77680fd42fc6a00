//! P1: promises are kept by the job that keeps them, in the transaction that completes it,
//! and summarised per kind: kept on time (T4: `kept_at < due_at`), kept late, overdue
//! (unkept, `due_at <= now`) and pending; every kind is listed, zeros included.

use std::sync::Arc;

use certdesk_domain::PromiseKind;
use jiff::SignedDuration;

use super::fixtures::{at, job};
use super::shop::{buyer, paid, shop};
use crate::{NewJob, NewPromise, PromiseSummary, Store};

const WORKER: &str = "promise-keeper";

/// Claims the next due job at `now` and completes it at `now`.
async fn run_next(s: &dyn Store, now: jiff::Timestamp) {
    let claimed = s
        .claim_job(WORKER, now, SignedDuration::from_mins(5))
        .await
        .expect("claim")
        .expect("a job is due");
    s.complete_job(claimed.id, WORKER, now)
        .await
        .expect("complete");
}

pub async fn promise_summary_on_time_late_overdue_pending(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-P", &[("上海", 10)]).await;
    // Five registrations whose confirmations fall due at at(100) (the last at at(200)).
    let mut registrations = Vec::new();
    for (i, due) in [100, 100, 100, 200, 100].into_iter().enumerate() {
        let b = buyer(s, &format!("p{i}"), 1_000, 0).await;
        let mut p = paid(b, &exam, "上海", 0, 100);
        p.promises = vec![NewPromise {
            kind: PromiseKind::Confirmation,
            due_at: at(due),
            kept_at: None,
        }];
        // Only the first two get a job that keeps the promise, due in that order.
        p.jobs = if i < 2 {
            vec![NewJob {
                keeps_promise: Some(PromiseKind::Confirmation),
                ..job("notify", at(i64::try_from(i).expect("small") + 1))
            }]
        } else {
            vec![]
        };
        registrations.push(s.commit_paid_registration(p).await.expect("paid"));
    }
    run_next(s, at(50)).await; // kept before it was due: on time
    run_next(s, at(100)).await; // kept at the due instant: late (T4)
    // The fifth is refunded: its promise is voided and leaves the summary.
    let (order, _) = &registrations[4];
    s.commit_refund(crate::RefundCommit {
        order_id: order.id,
        requested_at: at(60),
        completed_at: at(60),
        cash: super::shop::fen(100),
        gift: super::shop::fen(0),
        voucher_forfeited: super::shop::fen(0),
        jobs: vec![],
    })
    .await
    .expect("refunded");

    let kept = s
        .list_promises(registrations[0].1.id)
        .await
        .expect("promises");
    assert_eq!(kept[0].kept_at, Some(at(50)));
    let summary = s.summarize_promises(at(100)).await.expect("summary");
    assert_eq!(
        summary.iter().map(|k| k.kind).collect::<Vec<_>>(),
        PromiseKind::ALL,
        "every kind, in order"
    );
    let zero = |kind| PromiseSummary {
        kind,
        kept_on_time: 0,
        kept_late: 0,
        overdue: 0,
        pending: 0,
    };
    for k in &summary {
        let expected = if k.kind == PromiseKind::Confirmation {
            PromiseSummary {
                kept_on_time: 1,
                kept_late: 1,
                overdue: 1,
                pending: 1,
                ..zero(k.kind)
            }
        } else {
            zero(k.kind)
        };
        assert_eq!(*k, expected);
    }
    // Just before the due instant the open one is still pending (T4).
    let earlier = s.summarize_promises(at(99)).await.expect("summary");
    let confirmation = earlier
        .iter()
        .find(|k| k.kind == PromiseKind::Confirmation)
        .expect("confirmation");
    assert_eq!((confirmation.overdue, confirmation.pending), (0, 2));
}

pub async fn promise_job_must_name_a_recorded_promise(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-Q", &[("上海", 10)]).await;
    let b = buyer(s, "orphan", 1_000, 0).await;
    let mut p = paid(b, &exam, "上海", 0, 100);
    p.promises.clear();
    assert!(
        s.commit_paid_registration(p).await.is_err(),
        "a job keeping a promise nobody recorded is refused"
    );
    let again = paid(b, &exam, "上海", 0, 100);
    s.commit_paid_registration(again)
        .await
        .expect("nothing was left behind");
}

pub async fn promise_kept_by_batch_completion(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-B", &[("上海", 10)]).await;
    let mut registrations = Vec::new();
    for i in 0..3 {
        let b = buyer(s, &format!("batch{i}"), 1_000, 0).await;
        let (_, registration) = s
            .commit_paid_registration(paid(b, &exam, "上海", 0, 100))
            .await
            .expect("paid");
        registrations.push(registration.id);
    }
    let lease = SignedDuration::from_mins(5);
    let mine = s.claim_jobs(WORKER, at(20), lease, 2).await.expect("claim");
    let theirs = s
        .claim_jobs("other", at(20), lease, 2)
        .await
        .expect("claim");
    assert_eq!((mine.len(), theirs.len()), (2, 1));
    let ids: Vec<_> = mine.iter().chain(&theirs).map(|j| j.id).collect();

    let not_done = s
        .complete_jobs(&ids, WORKER, at(30))
        .await
        .expect("complete");
    assert_eq!(not_done, [theirs[0].id]);
    let kept_at = |registration| async move {
        let promises = s.list_promises(registration).await.expect("promises");
        assert_eq!(promises.len(), 1);
        promises[0].kept_at
    };
    // Jobs are claimed in registration order (same run_at, by id).
    assert_eq!(kept_at(registrations[0]).await, Some(at(30)));
    assert_eq!(kept_at(registrations[1]).await, Some(at(30)));
    assert_eq!(
        kept_at(registrations[2]).await,
        None,
        "a job not completed keeps no promise"
    );
    assert!(
        s.complete_jobs(&[theirs[0].id], "other", at(40))
            .await
            .expect("complete")
            .is_empty()
    );
    assert_eq!(kept_at(registrations[2]).await, Some(at(40)));
}
