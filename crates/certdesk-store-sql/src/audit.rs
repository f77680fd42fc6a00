//! The append-only audit log (a trigger refuses UPDATE and DELETE) and settings.

use async_trait::async_trait;
use certdesk_domain::{AccountId, AuditId};
use certdesk_store::{
    AuditEntry, AuditStore, NewAuditEntry, Page, PageRequest, SettingsStore, StoreResult,
};

use crate::SqlStore;
use crate::convert::{before, fetch_limit, from_json, from_ts, into_page, to_json, ts};
use crate::db::{Row, Tx, query};

/// Appends an entry inside the caller's transaction: the change and its audit commit together.
pub(crate) async fn insert(tx: &mut Tx, entry: &NewAuditEntry) -> StoreResult<()> {
    query(
        "INSERT INTO audit_log (actor_id, action, target_kind, target_id, before_json, after_json, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.actor.map(AccountId::get))
    .bind(&entry.action)
    .bind(&entry.target_kind)
    .bind(&entry.target_id)
    .bind(entry.before.as_ref().map(to_json).transpose()?)
    .bind(entry.after.as_ref().map(to_json).transpose()?)
    .bind(ts(entry.at))
    .execute(tx)
    .await?;
    Ok(())
}

fn entry_from_row(row: &Row) -> StoreResult<AuditEntry> {
    let json = |column: &str| -> StoreResult<Option<serde_json::Value>> {
        let text: Option<String> = row.get(column)?;
        text.map(|t| from_json(&t, "audit state")).transpose()
    };
    Ok(AuditEntry {
        id: AuditId(row.get("id")?),
        actor: row.get::<Option<i64>>("actor_id")?.map(AccountId),
        action: row.get("action")?,
        target_kind: row.get("target_kind")?,
        target_id: row.get("target_id")?,
        before: json("before_json")?,
        after: json("after_json")?,
        at: from_ts(row.get("at")?)?,
    })
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn list_audit(&self, page: PageRequest) -> StoreResult<Page<AuditEntry>> {
        let rows = query(
            "SELECT id, actor_id, action, target_kind, target_id, before_json, after_json, at
             FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before(page))
        .bind(fetch_limit(page))
        .fetch_all(self.read())
        .await?;
        let items = rows
            .iter()
            .map(entry_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |e| e.id.get()))
    }
}

#[async_trait]
impl SettingsStore for SqlStore {
    async fn find_setting(&self, key: &str) -> StoreResult<Option<String>> {
        let row = query("SELECT value FROM settings WHERE name = $1")
            .bind(key)
            .fetch_optional(self.read())
            .await?;
        row.map(|row| row.text("value")).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(setting = %key))]
    async fn commit_setting(
        &self,
        key: &str,
        value: &str,
        audit: NewAuditEntry,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        query(
            "INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(key)
        .bind(value)
        .bind(ts(audit.at))
        .execute(&mut tx)
        .await?;
        insert(&mut tx, &audit).await?;
        Ok(tx.commit().await?)
    }
}
