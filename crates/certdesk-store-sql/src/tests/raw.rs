//! Checks that need raw SQL or the file itself: the audit log refuses edits on both
//! databases; SQLite's data and pragmas survive a reopen, its URL forms work, its readers
//! cannot write; migrating twice is harmless.

use certdesk_domain::AccountId;
use certdesk_store::conformance::fixtures::{account, at, audit};
use certdesk_store::{AccountStore, AuditStore, PageRequest, SettingsStore};
use jiff::SignedDuration;

use super::{postgres_pool, postgres_store, sqlite_pools, sqlite_store};
use crate::SqlStore;

/// UPDATE and DELETE on the audit log fail, and appending still works.
async fn audit_log_is_append_only(store: &SqlStore, forgeries: &[&str]) {
    store
        .commit_setting("k", "v", audit("setting.set", at(1)))
        .await
        .expect("set");
    for sql in forgeries {
        let result = match store.backend_name() {
            "sqlite" => sqlx::query(sql)
                .execute(&sqlite_pools(store).writer)
                .await
                .map(|_| ()),
            _ => sqlx::query(sql)
                .execute(postgres_pool(store))
                .await
                .map(|_| ()),
        };
        assert!(result.is_err(), "{sql} must fail");
    }
    let entries = store
        .list_audit(PageRequest::default())
        .await
        .expect("list")
        .items;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "setting.set");
    store
        .commit_setting("k", "w", audit("setting.set", at(2)))
        .await
        .expect("appending still works");
    let entries = store
        .list_audit(PageRequest::default())
        .await
        .expect("list");
    assert_eq!(entries.items.len(), 2);
}

const FORGERIES: &[&str] = &[
    "UPDATE audit_log SET action = 'forged'",
    "UPDATE audit_log SET at = 0 WHERE id = 1",
    "DELETE FROM audit_log",
    "DELETE FROM audit_log WHERE id = 1",
];

#[tokio::test]
async fn sqlite_audit_log_refuses_update_and_delete() {
    audit_log_is_append_only(&sqlite_store().await, FORGERIES).await;
}

#[tokio::test]
async fn postgres_audit_log_refuses_update_delete_and_truncate() {
    let Some(store) = postgres_store("postgres_audit_log_refuses_update_delete_and_truncate").await
    else {
        return;
    };
    let mut forgeries = FORGERIES.to_vec();
    forgeries.push("TRUNCATE audit_log");
    audit_log_is_append_only(&store, &forgeries).await;
}

#[tokio::test]
async fn postgres_migrating_twice_is_harmless() {
    let Some(store) = postgres_store("postgres_migrating_twice_is_harmless").await else {
        return;
    };
    store.migrate().await.expect("second migration run");
}

#[tokio::test]
async fn sqlite_readers_cannot_write() {
    let store = sqlite_store().await;
    let result = sqlx::query("INSERT INTO settings (name, value, updated_at) VALUES ('x', 'y', 0)")
        .execute(&sqlite_pools(&store).readers)
        .await;
    assert!(result.is_err(), "the read pool is query-only");
}

#[tokio::test]
async fn sqlite_data_survives_reopening_and_both_url_forms_work() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("nested.db");
    let store = SqlStore::open(&format!("sqlite://{}", path.display()))
        .await
        .expect("open");
    let a = account(&store, "keep@example.com").await;
    let throttle = store.record_login_failure(
        "keep@example.com",
        at(0),
        SignedDuration::from_mins(15),
        5,
        SignedDuration::from_mins(15),
    );
    throttle.await.expect("record");
    store.close().await;

    let reopened = SqlStore::open(&format!("sqlite:{}", path.display()))
        .await
        .expect("reopen");
    reopened
        .migrate()
        .await
        .expect("migrating again is harmless");
    assert_eq!(reopened.get_account(a.id).await.expect("get"), a);
    let kept = reopened
        .find_login_throttle("keep@example.com")
        .await
        .expect("find")
        .expect("persisted");
    assert_eq!(kept.failures, 1);
    let pools = sqlite_pools(&reopened);
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pools.writer)
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pools.readers)
        .await
        .expect("pragma");
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&pools.writer)
        .await
        .expect("pragma");
    assert_eq!(sync, 2, "synchronous=FULL");
    let temp_store: i64 = sqlx::query_scalar("PRAGMA temp_store")
        .fetch_one(&pools.writer)
        .await
        .expect("pragma");
    assert_eq!(temp_store, 2, "temp_store=MEMORY");
    assert!(
        reopened
            .get_account(AccountId(a.id.get() + 1))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn sqlite_memory_databases_are_refused() {
    let err = SqlStore::open("sqlite::memory:")
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("file"), "{err}");
}

#[tokio::test]
async fn unknown_url_schemes_are_refused() {
    let err = SqlStore::open("mysql://localhost/certdesk")
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("sqlite:PATH"), "{err}");
}
