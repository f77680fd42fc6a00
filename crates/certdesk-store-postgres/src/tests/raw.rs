//! Checks that need raw SQL: the audit log refuses edits; migrating twice is harmless.

use certdesk_store::conformance::fixtures::{at, audit};
use certdesk_store::{AuditStore, PageRequest, SettingsStore};

use super::fresh_store;

#[tokio::test]
async fn audit_log_refuses_update_delete_and_truncate() {
    let Some(store) = fresh_store("audit_log_refuses_update_delete_and_truncate").await else {
        return;
    };
    store
        .commit_setting("k", "v", audit("setting.set", at(1)))
        .await
        .expect("set");
    for sql in [
        "UPDATE audit_log SET action = 'forged'",
        "UPDATE audit_log SET at = 0 WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
        "TRUNCATE audit_log",
    ] {
        let result = sqlx::query(sql).execute(&store.pool).await;
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
async fn migrating_twice_is_harmless() {
    let Some(store) = fresh_store("migrating_twice_is_harmless").await else {
        return;
    };
    store.migrate().await.expect("second migration run");
}
