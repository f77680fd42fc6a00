//! Accounts (A1–A4): creation, lookup by email (case-insensitive), listing, contacts.

use std::sync::Arc;

use certdesk_domain::{AccountId, InstitutionId, Phone, Role};

use super::fixtures::{
    account, all_jobs, assert_conflict, assert_not_found, email, job, new_account, t0,
};
use crate::{Conflict, ContactUpdate, PageRequest, Store};

pub async fn account_create_and_find(store: Arc<dyn Store>) {
    store.ping().await.expect("ping");
    assert!(
        store.is_empty().await.expect("is_empty"),
        "a fresh store is empty"
    );

    let mut new = new_account("Li.Lei@Example.COM");
    new.phone = Some(Phone::parse("13800000000").expect("phone"));
    new.roles = vec![Role::Candidate, Role::InstitutionStaff];
    new.institution_id = Some(InstitutionId(7));
    let created = store
        .commit_account(new.clone(), vec![])
        .await
        .expect("create");
    assert_eq!(
        created.email.as_str(),
        "Li.Lei@example.com",
        "email kept as typed"
    );
    assert_eq!(created.phone, new.phone);
    assert_eq!(created.roles, vec![Role::Candidate, Role::InstitutionStaff]);
    assert_eq!(created.institution_id, Some(InstitutionId(7)));
    assert_eq!(created.password_hash, new.password_hash);
    assert_eq!(created.wechat_openid, None);
    assert!(created.opted_out.is_empty());
    assert_eq!(created.created_at, t0());
    assert!(!store.is_empty().await.expect("is_empty"));

    assert_eq!(store.get_account(created.id).await.expect("get"), created);
    let found = store
        .find_account_by_email(&email("LI.LEI@example.com"))
        .await
        .expect("find");
    assert_eq!(found, Some(created.clone()), "email lookup ignores case");
    assert_eq!(
        store
            .find_account_by_email(&email("han.meimei@example.com"))
            .await
            .expect("find"),
        None
    );
    assert_not_found(store.get_account(AccountId(created.id.get() + 1000)).await);
}

pub async fn account_email_taken_case_insensitive(store: Arc<dyn Store>) {
    let mut welcome = job("welcome", t0());
    welcome.dedup_key = Some("welcome:zhang".to_owned());
    let first = store
        .commit_account(new_account("Zhang@qq.com"), vec![welcome.clone()])
        .await
        .expect("create");

    let mut second_job = job("welcome", t0());
    second_job.dedup_key = Some("welcome:other".to_owned());
    for taken in ["zhang@QQ.com", "ZHANG@qq.com", "Zhang@qq.com"] {
        let result = store
            .commit_account(new_account(taken), vec![second_job.clone()])
            .await;
        assert_conflict(result, Conflict::EmailTaken);
    }
    // The refused commits enqueued nothing: a commit is all or nothing.
    let jobs = all_jobs(&*store, None).await;
    assert_eq!(jobs.len(), 1, "only the first account's job: {jobs:?}");
    assert_eq!(jobs[0].dedup_key.as_deref(), Some("welcome:zhang"));
    assert_eq!(jobs[0].created_at, t0());

    // A different address is fine, and its jobs are enqueued in the same commit.
    let other = store
        .commit_account(new_account("li@qq.com"), vec![second_job])
        .await
        .expect("create");
    assert_ne!(other.id, first.id);
    assert_eq!(all_jobs(&*store, None).await.len(), 2);
    let page = store
        .list_accounts(PageRequest::default())
        .await
        .expect("list");
    assert_eq!(page.items.len(), 2);
}

pub async fn account_list_pages_and_contacts(store: Arc<dyn Store>) {
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(account(&*store, &format!("user{i}@example.com")).await.id);
    }
    let mut seen = Vec::new();
    let mut page = PageRequest::first(2);
    loop {
        let p = store.list_accounts(page).await.expect("list");
        assert!(p.items.len() <= 2);
        seen.extend(p.items.iter().map(|a| a.id));
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, ids, "oldest first, each once");

    let update = ContactUpdate {
        phone: Some(Phone::parse("+86 139 0000 1111").expect("phone")),
        wechat_openid: Some("oWx_openid-1".to_owned()),
        opted_out: vec!["sms".to_owned(), "wechat".to_owned()],
    };
    let updated = store
        .update_contacts(ids[1], update.clone())
        .await
        .expect("update");
    assert_eq!(updated.phone, update.phone);
    assert_eq!(updated.wechat_openid, update.wechat_openid);
    assert_eq!(updated.opted_out, update.opted_out);
    assert_eq!(store.get_account(ids[1]).await.expect("get"), updated);

    let cleared = store
        .update_contacts(ids[1], ContactUpdate::default())
        .await
        .expect("clear");
    assert_eq!(
        (
            cleared.phone,
            cleared.wechat_openid,
            cleared.opted_out.len()
        ),
        (None, None, 0)
    );
    assert_not_found(
        store
            .update_contacts(AccountId(ids[4].get() + 1000), ContactUpdate::default())
            .await,
    );
    // The catalogue is untouched by accounts.
    assert!(
        store
            .list_certifications(true)
            .await
            .expect("list")
            .is_empty()
    );
}

/// The operators to tell of a new ticket: accounts holding a role, oldest first, capped; a
/// role's name inside another's (none today) or in an email never matches.
pub async fn accounts_listed_by_role(store: Arc<dyn Store>) {
    let s = &*store;
    let with = |address: &str, roles: Vec<Role>| {
        let mut new = new_account(address);
        new.roles = roles;
        new
    };
    let candidate = account(s, "admin@example.com").await;
    let first = s
        .commit_account(
            with("ops1@example.com", vec![Role::Candidate, Role::Admin]),
            vec![],
        )
        .await
        .expect("operator");
    let staff = s
        .commit_account(
            with("staff@example.com", vec![Role::InstitutionStaff]),
            vec![],
        )
        .await
        .expect("staff");
    let second = s
        .commit_account(with("ops2@example.com", vec![Role::Admin]), vec![])
        .await
        .expect("operator");
    assert_eq!(
        s.accounts_with_role(Role::Admin, 10).await.expect("admins"),
        vec![first.id, second.id]
    );
    assert_eq!(
        s.accounts_with_role(Role::Admin, 1).await.expect("admins"),
        vec![first.id],
        "at most the limit, oldest first"
    );
    assert_eq!(
        s.accounts_with_role(Role::InstitutionStaff, 10)
            .await
            .expect("staff"),
        vec![staff.id]
    );
    assert_eq!(
        s.accounts_with_role(Role::Candidate, 10)
            .await
            .expect("candidates"),
        vec![candidate.id, first.id]
    );
}
