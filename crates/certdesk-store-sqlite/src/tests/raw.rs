//! Checks that need raw SQL or the file itself: the audit log refuses edits, data survives a
//! reopen, the URL forms are accepted.

use certdesk_domain::AccountId;
use certdesk_store::conformance::fixtures::{account, at, audit};
use certdesk_store::{AccountStore, AuditStore, PageRequest, SettingsStore};
use jiff::SignedDuration;

use super::fresh_store;
use crate::SqliteStore;

#[tokio::test]
async fn audit_log_refuses_update_and_delete() {
    let store = fresh_store().await;
    store
        .commit_setting("k", "v", audit("setting.set", at(1)))
        .await
        .expect("set");
    for sql in [
        "UPDATE audit_log SET action = 'forged'",
        "UPDATE audit_log SET at = 0 WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ] {
        let result = sqlx::query(sql).execute(&store.writer).await;
        assert!(result.is_err(), "{sql} must fail");
    }
    let entries = store
        .list_audit(PageRequest::default())
        .await
        .expect("list")
        .items;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, "setting.set");
    // Appending still works.
    store
        .commit_setting("k", "w", audit("setting.set", at(2)))
        .await
        .expect("set");
    assert_eq!(
        store
            .list_audit(PageRequest::default())
            .await
            .expect("list")
            .items
            .len(),
        2
    );
}

#[tokio::test]
async fn readers_cannot_write() {
    let store = fresh_store().await;
    let result = sqlx::query("INSERT INTO settings (name, value, updated_at) VALUES ('x', 'y', 0)")
        .execute(&store.readers)
        .await;
    assert!(result.is_err(), "the read pool is query-only");
}

#[tokio::test]
async fn data_survives_reopening_and_both_url_forms_work() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("nested.db");
    let store = SqliteStore::open(&format!("sqlite://{}", path.display()))
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

    let reopened = SqliteStore::open(&format!("sqlite:{}", path.display()))
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
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&reopened.writer)
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&reopened.readers)
        .await
        .expect("pragma");
    assert_eq!(fk, 1);
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&reopened.writer)
        .await
        .expect("pragma");
    assert_eq!(sync, 2, "synchronous=FULL");
    assert!(
        reopened
            .get_account(AccountId(a.id.get() + 1))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn memory_databases_are_refused() {
    let err = SqliteStore::open("sqlite::memory:")
        .await
        .expect_err("refused");
    assert!(err.to_string().contains("file"), "{err}");
}
