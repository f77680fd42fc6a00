//! Real-name identities (A2, A4): submissions, the accounts-per-identity limit, decisions.

use std::sync::Arc;

use certdesk_domain::{AccountId, IdentityStatus};

use super::fixtures::{
    account, all_jobs, assert_conflict, assert_not_found, at, audit, job, submission,
};
use crate::{Conflict, IdentityDecision, IdentityRecord, PageRequest, Store, StoreError};

fn decision(
    account: AccountId,
    by: AccountId,
    status: IdentityStatus,
    reason: Option<&str>,
) -> IdentityDecision {
    IdentityDecision {
        account_id: account,
        status,
        reason: reason.map(str::to_owned),
        decided_by: by,
        decided_at: at(100),
        max_accounts_per_identity: 3,
        audit: audit("identity.decide", at(100)),
        jobs: vec![],
    }
}

async fn listed(store: &dyn Store, status: Option<IdentityStatus>) -> Vec<IdentityRecord> {
    store
        .list_identities(status, PageRequest::first(100))
        .await
        .expect("list")
        .items
}

pub async fn identity_submission_verified_and_pending(store: Arc<dyn Store>) {
    let a1 = account(&*store, "a1@example.com").await;
    let a2 = account(&*store, "a2@example.com").await;
    let mut sub = submission(a1.id, b"person-1", IdentityStatus::Verified, 3);
    sub.jobs = vec![job("notify", at(10))];
    let verified = store
        .commit_identity_submission(sub.clone())
        .await
        .expect("submit");
    assert_eq!(verified.account_id, a1.id);
    assert_eq!(verified.status, IdentityStatus::Verified);
    assert_eq!(
        (
            verified.real_name.as_str(),
            verified.id_number_masked.as_str()
        ),
        ("张三", "110105********1234")
    );
    assert_eq!(verified.submitted_at, at(10));
    assert_eq!(
        (
            verified.decided_at,
            verified.decided_by,
            verified.reason.clone()
        ),
        (Some(at(10)), None, None)
    );
    assert_eq!(
        store.find_identity(a1.id).await.expect("find"),
        Some(verified.clone())
    );
    let secret = store
        .find_identity_secret(a1.id)
        .await
        .expect("secret")
        .expect("stored");
    assert_eq!(
        (secret.identity_id, secret.id_number_ciphertext),
        (verified.identity_id, sub.id_number_ciphertext)
    );
    assert_eq!(
        all_jobs(&*store, None).await.len(),
        1,
        "the submission's jobs are enqueued with it"
    );

    let pending = store
        .commit_identity_submission(submission(a2.id, b"person-2", IdentityStatus::Pending, 3))
        .await;
    let pending = pending.expect("submit");
    assert_eq!(
        (pending.status, pending.decided_at),
        (IdentityStatus::Pending, None)
    );
    assert_ne!(pending.identity_id, verified.identity_id, "another person");
    // A pending submission is replaced by a new one.
    let mut again = submission(a2.id, b"person-2", IdentityStatus::Pending, 3);
    again.real_name = "李四".to_owned();
    again.submitted_at = at(20);
    let replaced = store
        .commit_identity_submission(again)
        .await
        .expect("resubmit");
    assert_eq!(
        (replaced.real_name.as_str(), replaced.submitted_at),
        ("李四", at(20))
    );
    assert_eq!(
        replaced.identity_id, pending.identity_id,
        "same person, same identity"
    );

    assert_eq!(
        listed(&*store, Some(IdentityStatus::Pending)).await,
        vec![replaced.clone()]
    );
    assert_eq!(
        listed(&*store, Some(IdentityStatus::Verified)).await,
        vec![verified.clone()]
    );
    assert_eq!(listed(&*store, None).await, vec![verified, replaced]);
    let first = store
        .list_identities(None, PageRequest::first(1))
        .await
        .expect("page");
    let cursor = first.next_cursor.expect("a second page");
    let rest = store
        .list_identities(
            None,
            PageRequest {
                limit: 1,
                cursor: Some(cursor),
            },
        )
        .await
        .expect("page");
    assert_eq!(
        (
            first.items[0].account_id,
            rest.items[0].account_id,
            rest.next_cursor
        ),
        (a1.id, a2.id, None)
    );

    let stranger = AccountId(a2.id.get() + 1000);
    assert_eq!(store.find_identity(stranger).await.expect("find"), None);
    assert_eq!(
        store.find_identity_secret(stranger).await.expect("find"),
        None
    );
    assert_not_found(
        store
            .commit_identity_submission(submission(stranger, b"p", IdentityStatus::Pending, 3))
            .await,
    );
}

pub async fn identity_limit_three_accounts_per_identity(store: Arc<dyn Store>) {
    let admin = account(&*store, "admin@example.com").await;
    let mut accounts = Vec::new();
    for i in 0..4 {
        accounts.push(account(&*store, &format!("p{i}@example.com")).await.id);
    }
    let statuses = [
        IdentityStatus::Verified,
        IdentityStatus::Pending,
        IdentityStatus::Verified,
    ];
    let mut identity = None;
    for (acct, status) in accounts.iter().zip(statuses) {
        let rec = store
            .commit_identity_submission(submission(*acct, b"same", status, 3))
            .await
            .expect("submit");
        assert_eq!(
            *identity.get_or_insert(rec.identity_id),
            rec.identity_id,
            "one identity per person"
        );
    }
    for status in [IdentityStatus::Verified, IdentityStatus::Pending] {
        let result = store
            .commit_identity_submission(submission(accounts[3], b"same", status, 3))
            .await;
        assert_conflict(result, Conflict::IdentityInUse);
    }
    assert_eq!(
        store.find_identity(accounts[3]).await.expect("find"),
        None,
        "nothing stored"
    );
    // Resubmitting an account that already counts does not count it twice.
    let resubmitted = store.commit_identity_submission(submission(
        accounts[1],
        b"same",
        IdentityStatus::Pending,
        3,
    ));
    resubmitted.await.expect("pending account may resubmit");

    // Rejecting the pending one frees a place.
    let rejected = decision(
        accounts[1],
        admin.id,
        IdentityStatus::Rejected,
        Some("blurred photo"),
    );
    store
        .commit_identity_decision(rejected)
        .await
        .expect("reject");
    let fourth = store.commit_identity_submission(submission(
        accounts[3],
        b"same",
        IdentityStatus::Verified,
        3,
    ));
    assert_eq!(
        fourth.await.expect("a place is free").identity_id,
        identity.expect("set")
    );
    // A lower limit (policy changed) applies to new submissions.
    let result = store
        .commit_identity_submission(submission(accounts[1], b"same", IdentityStatus::Pending, 2))
        .await;
    assert_conflict(result, Conflict::IdentityInUse);
}

pub async fn identity_limit_holds_under_concurrency(store: Arc<dyn Store>) {
    let mut accounts = Vec::new();
    for i in 0..10 {
        accounts.push(account(&*store, &format!("c{i}@example.com")).await.id);
    }
    let tasks: Vec<_> = accounts
        .iter()
        .map(|acct| {
            let store = store.clone();
            let sub = submission(*acct, b"contested", IdentityStatus::Verified, 3);
            tokio::spawn(async move { store.commit_identity_submission(sub).await })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict(Conflict::IdentityInUse)) => {}
            Err(e) => panic!("unexpected error: {e:?}"),
        }
    }
    assert_eq!(ok, 3, "exactly the limit succeeds");
    assert_eq!(
        listed(&*store, Some(IdentityStatus::Verified)).await.len(),
        3
    );
    assert_eq!(listed(&*store, None).await.len(), 3);
}

pub async fn identity_already_verified(store: Arc<dyn Store>) {
    let a = account(&*store, "v@example.com").await;
    let rec = store
        .commit_identity_submission(submission(a.id, b"x", IdentityStatus::Verified, 3))
        .await;
    let rec = rec.expect("submit");
    for (blind, status) in [
        (b"x", IdentityStatus::Verified),
        (b"y", IdentityStatus::Pending),
    ] {
        let result = store
            .commit_identity_submission(submission(a.id, blind, status, 3))
            .await;
        assert_conflict(result, Conflict::AlreadyVerified);
    }
    assert_eq!(store.find_identity(a.id).await.expect("find"), Some(rec));
}

pub async fn identity_decision_approve_reject_audited(store: Arc<dyn Store>) {
    let admin = account(&*store, "admin@example.com").await;
    let a1 = account(&*store, "d1@example.com").await;
    let a2 = account(&*store, "d2@example.com").await;
    for (acct, blind) in [(a1.id, b"one"), (a2.id, b"two")] {
        store
            .commit_identity_submission(submission(acct, blind, IdentityStatus::Pending, 3))
            .await
            .expect("submit");
    }

    let mut approve = decision(a1.id, admin.id, IdentityStatus::Verified, None);
    approve.audit.actor = Some(admin.id);
    approve.audit.action = "identity.approve".to_owned();
    approve.jobs = vec![job("notify", at(100))];
    let approved = store
        .commit_identity_decision(approve)
        .await
        .expect("approve");
    assert_eq!(approved.status, IdentityStatus::Verified);
    assert_eq!(
        (approved.decided_at, approved.decided_by, approved.reason),
        (Some(at(100)), Some(admin.id), None)
    );
    assert_eq!(
        all_jobs(&*store, None).await.len(),
        1,
        "decision jobs enqueued"
    );

    let mut reject = decision(
        a2.id,
        admin.id,
        IdentityStatus::Rejected,
        Some("name does not match"),
    );
    reject.audit.action = "identity.reject".to_owned();
    let rejected = store
        .commit_identity_decision(reject)
        .await
        .expect("reject");
    assert_eq!(
        (rejected.status, rejected.reason.as_deref()),
        (IdentityStatus::Rejected, Some("name does not match"))
    );
    assert_eq!(
        store.find_identity(a2.id).await.expect("find"),
        Some(rejected)
    );

    let entries = store
        .list_audit(PageRequest::default())
        .await
        .expect("audit")
        .items;
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["identity.reject", "identity.approve"]);
    assert_eq!(entries[1].actor, Some(admin.id));

    for acct in [a1.id, a2.id] {
        for status in [IdentityStatus::Verified, IdentityStatus::Rejected] {
            assert_conflict(
                store
                    .commit_identity_decision(decision(acct, admin.id, status, None))
                    .await,
                Conflict::NotPending,
            );
        }
    }
    assert_eq!(
        store
            .list_audit(PageRequest::default())
            .await
            .expect("audit")
            .items
            .len(),
        2,
        "refusals not audited"
    );
    assert_not_found(
        store
            .commit_identity_decision(decision(admin.id, admin.id, IdentityStatus::Verified, None))
            .await,
    );

    // After a rejection the account may submit again, as a fresh pending submission.
    let again = store
        .commit_identity_submission(submission(a2.id, b"two", IdentityStatus::Pending, 3))
        .await;
    let again = again.expect("resubmit");
    assert_eq!(
        (
            again.status,
            again.reason,
            again.decided_at,
            again.decided_by
        ),
        (IdentityStatus::Pending, None, None, None)
    );
}

pub async fn identity_decision_rechecks_limit(store: Arc<dyn Store>) {
    let admin = account(&*store, "admin@example.com").await;
    let a1 = account(&*store, "r1@example.com").await;
    let a2 = account(&*store, "r2@example.com").await;
    store
        .commit_identity_submission(submission(a1.id, b"p", IdentityStatus::Pending, 3))
        .await
        .expect("submit");
    store
        .commit_identity_submission(submission(a2.id, b"p", IdentityStatus::Verified, 3))
        .await
        .expect("submit");
    let mut approve = decision(a1.id, admin.id, IdentityStatus::Verified, None);
    approve.max_accounts_per_identity = 1;
    assert_conflict(
        store.commit_identity_decision(approve).await,
        Conflict::IdentityInUse,
    );
    let still = store
        .find_identity(a1.id)
        .await
        .expect("find")
        .expect("stored");
    assert_eq!(still.status, IdentityStatus::Pending);
    assert!(
        store
            .list_audit(PageRequest::default())
            .await
            .expect("audit")
            .items
            .is_empty()
    );
}
