//! Builders and assertions shared by the conformance behaviours.

use std::fmt::Debug;

use certdesk_domain::{
    AccountId, CertCode, Email, Family, Fen, IdentityStatus, Level, Role, Track,
};
use jiff::{SignedDuration, Timestamp};

use crate::{
    Account, CertificationData, Conflict, IdentitySubmission, Job, JobStatus, NewAccount,
    NewAuditEntry, NewJob, PageRequest, Store, StoreError, StoreResult,
};

/// The suite's "now": a Monday morning in Beijing, whole seconds (stores keep microseconds).
pub fn t0() -> Timestamp {
    "2027-01-04T01:00:00Z".parse().expect("valid timestamp")
}

/// `t0() + secs`.
pub fn at(secs: i64) -> Timestamp {
    t0() + SignedDuration::from_secs(secs)
}

pub fn email(s: &str) -> Email {
    Email::parse(s).expect("valid email")
}

pub fn new_account(address: &str) -> NewAccount {
    NewAccount {
        email: email(address),
        phone: None,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_owned(),
        roles: vec![Role::Candidate],
        institution_id: None,
        created_at: t0(),
    }
}

pub async fn account(store: &dyn Store, address: &str) -> Account {
    store
        .commit_account(new_account(address), vec![])
        .await
        .expect("account created")
}

pub fn audit(action: &str, at: Timestamp) -> NewAuditEntry {
    NewAuditEntry {
        actor: None,
        action: action.to_owned(),
        target_kind: "test".to_owned(),
        target_id: "1".to_owned(),
        before: None,
        after: Some(serde_json::json!({ "action": action })),
        at,
    }
}

pub fn job(kind: &str, run_at: Timestamp) -> NewJob {
    NewJob {
        kind: kind.to_owned(),
        payload: serde_json::json!({ "id": 1 }),
        channel: None,
        dedup_key: None,
        run_at,
        max_attempts: 5,
        keeps_promise: None,
    }
}

pub fn cert_data(code: &str) -> CertificationData {
    CertificationData {
        code: CertCode::parse(code).expect("valid code"),
        name_zh: "云架构高级工程师".to_owned(),
        name_en: "Cloud Architecture Professional".to_owned(),
        family: Family::Cloud,
        track: Some(Track::Architecture),
        level: Some(Level::Professional),
        fee: Fen::new(120_000).expect("valid fee"),
        duration_minutes: 120,
        pass_mark: 70,
        validity_months: 24,
        retired: false,
    }
}

/// A submission for `account` of the person whose blind index is `blind`.
pub fn submission(
    account: AccountId,
    blind: &[u8],
    status: IdentityStatus,
    max: u32,
) -> IdentitySubmission {
    IdentitySubmission {
        account_id: account,
        real_name: "张三".to_owned(),
        blind_index: blind.to_vec(),
        id_number_ciphertext: [&[0xAB_u8, 0xCD][..], blind].concat(),
        id_number_masked: "110105********1234".to_owned(),
        status,
        max_accounts_per_identity: max,
        submitted_at: at(10),
        jobs: vec![],
    }
}

/// Asserts `result` is exactly this conflict.
#[track_caller]
pub fn assert_conflict<T: Debug>(result: StoreResult<T>, expected: Conflict) {
    match result {
        Err(StoreError::Conflict(c)) if c == expected => {}
        other => panic!("expected Conflict::{expected:?}, got {other:?}"),
    }
}

#[track_caller]
pub fn assert_not_found<T: Debug>(result: StoreResult<T>) {
    match result {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Every job with this status (or all), walking every page.
pub async fn all_jobs(store: &dyn Store, status: Option<JobStatus>) -> Vec<Job> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
    loop {
        let p = store.list_jobs(status, page).await.expect("list jobs");
        out.extend(p.items);
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => return out,
        }
    }
}
