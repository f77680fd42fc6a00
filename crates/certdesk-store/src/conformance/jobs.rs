//! The jobs table (P2): enqueueing with dedup, claiming in order, leases.

use std::sync::Arc;

use certdesk_domain::JobId;
use jiff::SignedDuration;

use super::fixtures::{all_jobs, assert_conflict, assert_not_found, at, job, t0};
use crate::{Conflict, JobStatus, Store};

const LEASE: SignedDuration = SignedDuration::from_secs(30);

pub async fn jobs_enqueue_dedup(store: Arc<dyn Store>) {
    let mut first = job("notify", t0());
    first.dedup_key = Some("confirm:1:email".to_owned());
    first.channel = Some("email".to_owned());
    first.payload = serde_json::json!({ "registration_id": 1, "nested": [true, null] });
    let mut duplicate = first.clone();
    duplicate.payload = serde_json::json!({ "registration_id": 2 });
    let mut other_channel = first.clone();
    other_channel.dedup_key = Some("confirm:1:sms".to_owned());
    other_channel.channel = Some("sms".to_owned());
    store
        .enqueue_jobs(vec![first.clone(), duplicate.clone(), other_channel])
        .await
        .expect("enqueue");
    store
        .enqueue_jobs(vec![duplicate, job("plain", t0()), job("plain", t0())])
        .await
        .expect("enqueue");

    let jobs = all_jobs(&*store, None).await;
    assert_eq!(
        jobs.len(),
        4,
        "one per dedup key, every job without a key: {jobs:?}"
    );
    let kept = jobs
        .iter()
        .find(|j| j.dedup_key.as_deref() == Some("confirm:1:email"))
        .expect("kept");
    assert_eq!(kept.payload, first.payload, "the first job is kept");
    assert_eq!(
        (kept.kind.as_str(), kept.channel.as_deref(), kept.status),
        ("notify", Some("email"), JobStatus::Pending)
    );
    assert_eq!(
        (
            kept.attempts,
            kept.max_attempts,
            kept.run_at,
            kept.locked_by.clone()
        ),
        (0, 5, t0(), None)
    );
    assert_eq!((kept.locked_until, kept.last_error.clone()), (None, None));
    assert_eq!(store.get_job(kept.id).await.expect("get"), kept.clone());
    assert_not_found(store.get_job(JobId(kept.id.get() + 1000)).await);
    store
        .enqueue_jobs(vec![])
        .await
        .expect("nothing to enqueue");
}

pub async fn jobs_claim_in_run_at_order(store: Arc<dyn Store>) {
    store
        .enqueue_jobs(vec![
            job("late", at(2)),
            job("early", at(1)),
            job("early-2", at(1)),
        ])
        .await
        .expect("enqueue");
    let mut kinds = Vec::new();
    while let Some(j) = store.claim_job("w1", at(5), LEASE).await.expect("claim") {
        assert_eq!(
            (j.status, j.attempts, j.locked_by.as_deref(), j.locked_until),
            (JobStatus::Running, 1, Some("w1"), Some(at(5) + LEASE))
        );
        assert_eq!(store.get_job(j.id).await.expect("get"), j);
        kinds.push(j.kind);
    }
    assert_eq!(kinds, ["early", "early-2", "late"], "by run_at, then id");
}

pub async fn jobs_not_claimed_before_run_at(store: Arc<dyn Store>) {
    store
        .enqueue_jobs(vec![job("later", at(60))])
        .await
        .expect("enqueue");
    assert!(
        store
            .claim_job("w1", t0(), LEASE)
            .await
            .expect("claim")
            .is_none()
    );
    assert!(
        store
            .claim_job("w1", at(59), LEASE)
            .await
            .expect("claim")
            .is_none()
    );
    let claimed = store
        .claim_job("w1", at(60), LEASE)
        .await
        .expect("claim")
        .expect("due at run_at");
    assert_eq!(claimed.kind, "later");
    assert!(
        store
            .claim_job("w2", at(61), LEASE)
            .await
            .expect("claim")
            .is_none(),
        "held by w1"
    );
}

pub async fn jobs_lease_expiry_reclaim(store: Arc<dyn Store>) {
    store
        .enqueue_jobs(vec![job("slow", t0())])
        .await
        .expect("enqueue");
    let first = store
        .claim_job("w1", t0(), LEASE)
        .await
        .expect("claim")
        .expect("due");
    assert!(
        store
            .claim_job("w2", at(29), LEASE)
            .await
            .expect("claim")
            .is_none(),
        "lease still running"
    );
    let second = store
        .claim_job("w2", at(30), LEASE)
        .await
        .expect("claim")
        .expect("lease expired");
    assert_eq!(
        (second.id, second.attempts, second.locked_by.as_deref()),
        (first.id, 2, Some("w2"))
    );
    assert_eq!(second.locked_until, Some(at(30) + LEASE));
    // The first worker wakes up: its outcome no longer counts.
    assert_conflict(
        store.complete_job(first.id, "w1", at(31)).await,
        Conflict::JobNotHeld,
    );
    assert_conflict(
        store.fail_job(first.id, "w1", "late", at(31), None).await,
        Conflict::JobNotHeld,
    );
    store
        .complete_job(second.id, "w2", at(32))
        .await
        .expect("complete");
    let done = store.get_job(first.id).await.expect("get");
    assert_eq!(
        (
            done.status,
            done.attempts,
            done.locked_by,
            done.locked_until
        ),
        (JobStatus::Done, 2, None, None)
    );
    assert_eq!(done.updated_at, at(32));
}

/// Kinds of a claimed batch, in the order it was answered.
fn kinds(jobs: &[crate::Job]) -> Vec<&str> {
    jobs.iter().map(|j| j.kind.as_str()).collect()
}

pub async fn jobs_claim_batch_limit_and_order(store: Arc<dyn Store>) {
    let mut lost = job("lost", t0());
    lost.max_attempts = 1;
    store
        .enqueue_jobs(vec![job("stuck", t0()), lost])
        .await
        .expect("enqueue");
    let held = store.claim_jobs("w0", t0(), LEASE, 2).await.expect("claim");
    assert_eq!(kinds(&held), ["stuck", "lost"], "by run_at, then id");
    store
        .enqueue_jobs(vec![
            job("c", at(20)),
            job("a", at(10)),
            job("b", at(10)),
            job("future", at(100)),
        ])
        .await
        .expect("enqueue");

    // Both leases expired at at(30); a limit of 0 still claims and sweeps nothing.
    assert!(
        store
            .claim_jobs("w1", at(40), LEASE, 0)
            .await
            .expect("claim")
            .is_empty()
    );
    for j in &held {
        assert_eq!(store.get_job(j.id).await.expect("get"), *j, "no writes");
    }

    let batch = store
        .claim_jobs("w1", at(40), LEASE, 3)
        .await
        .expect("claim");
    assert_eq!(
        kinds(&batch),
        ["stuck", "a", "b"],
        "the expired lease first, then by run_at, id; never the lost job"
    );
    for j in &batch {
        assert_eq!(
            (j.status, j.locked_by.as_deref(), j.locked_until),
            (JobStatus::Running, Some("w1"), Some(at(40) + LEASE))
        );
        assert_eq!(store.get_job(j.id).await.expect("get"), *j);
    }
    assert_eq!(
        batch.iter().map(|j| j.attempts).collect::<Vec<_>>(),
        [2, 1, 1]
    );
    let swept = store.get_job(held[1].id).await.expect("get");
    assert_eq!(
        (swept.status, swept.attempts, swept.locked_by),
        (JobStatus::Dead, 1, None),
        "a lease expired during the last attempt: dead (P2)"
    );

    let rest = store
        .claim_jobs("w1", at(40), LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(kinds(&rest), ["c"], "not the future job");
    assert!(
        store
            .claim_jobs("w2", at(69), LEASE, 10)
            .await
            .expect("claim")
            .is_empty(),
        "everything due is held"
    );

    // w1's leases expired at at(70): recovered before any pending job, even an earlier one.
    store
        .enqueue_jobs(vec![job("early", at(5))])
        .await
        .expect("enqueue");
    let later = store
        .claim_jobs("w2", at(100), LEASE, 5)
        .await
        .expect("claim");
    assert_eq!(kinds(&later), ["stuck", "a", "b", "c", "early"]);
    assert_eq!(later[0].attempts, 3);
    let last = store
        .claim_jobs("w2", at(100), LEASE, 5)
        .await
        .expect("claim");
    assert_eq!(kinds(&last), ["future"]);
}

pub async fn jobs_claim_batches_never_overlap(store: Arc<dyn Store>) {
    const JOBS: usize = 120;
    store
        .enqueue_jobs((0..JOBS).map(|_| job("k", t0())).collect())
        .await
        .expect("enqueue");
    let tasks: Vec<_> = (0..4)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                let worker = format!("w{w}");
                let mut mine = Vec::new();
                loop {
                    let batch = store
                        .claim_jobs(&worker, t0(), LEASE, 7)
                        .await
                        .expect("claim");
                    if batch.is_empty() {
                        return (worker, mine);
                    }
                    assert!(batch.len() <= 7);
                    mine.extend(batch);
                }
            })
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    for task in tasks {
        let (worker, mine) = task.await.expect("task");
        for j in mine {
            assert!(seen.insert(j.id), "{:?} claimed twice", j.id);
            let stored = store.get_job(j.id).await.expect("get");
            assert_eq!(
                (stored.locked_by.as_deref(), stored.attempts),
                (Some(worker.as_str()), 1)
            );
        }
    }
    assert_eq!(seen.len(), JOBS, "every job claimed once");
}
