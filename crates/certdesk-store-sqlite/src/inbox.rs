//! Inbox messages (站内信): delivery is idempotent per source job.

use async_trait::async_trait;
use certdesk_domain::{AccountId, JobId, MessageId};
use certdesk_store::{
    InboxMessage, InboxStore, NewInboxMessage, Page, PageRequest, StoreError, StoreResult,
};
use jiff::Timestamp;
use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;

use crate::SqliteStore;
use crate::convert::{before, fetch_limit, from_ts, from_ts_opt, into_page, ts};
use crate::error::{DbResultExt as _, db_error, is_foreign_key_violation};

const COLUMNS: &str =
    "id, account_id, kind, title_zh, body_zh, title_en, body_en, created_at, read_at";

fn message_from_row(row: &SqliteRow) -> StoreResult<InboxMessage> {
    Ok(InboxMessage {
        id: MessageId(row.try_get("id").db()?),
        account_id: AccountId(row.try_get("account_id").db()?),
        kind: row.try_get("kind").db()?,
        title_zh: row.try_get("title_zh").db()?,
        body_zh: row.try_get("body_zh").db()?,
        title_en: row.try_get("title_en").db()?,
        body_en: row.try_get("body_en").db()?,
        created_at: from_ts(row.try_get("created_at").db()?)?,
        read_at: from_ts_opt(row.try_get("read_at").db()?)?,
    })
}

#[async_trait]
impl InboxStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %message.account_id))]
    async fn commit_inbox_message(&self, message: NewInboxMessage) -> StoreResult<InboxMessage> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "INSERT INTO inbox_messages (account_id, kind, title_zh, body_zh, title_en, body_en, source_job, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (source_job) DO NOTHING RETURNING {COLUMNS}"
        );
        let inserted = sqlx::query(&sql)
            .bind(message.account_id.get())
            .bind(&message.kind)
            .bind(&message.title_zh)
            .bind(&message.body_zh)
            .bind(&message.title_en)
            .bind(&message.body_en)
            .bind(message.source_job.map(JobId::get))
            .bind(ts(message.created_at))
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    StoreError::NotFound
                } else {
                    db_error(e)
                }
            })?;
        let row = match inserted {
            Some(row) => row,
            // Already delivered by this job: answer with the stored message.
            None => {
                let sql = format!("SELECT {COLUMNS} FROM inbox_messages WHERE source_job = $1");
                sqlx::query(&sql)
                    .bind(message.source_job.map(JobId::get))
                    .fetch_one(&mut *tx)
                    .await
                    .db()?
            }
        };
        let stored = message_from_row(&row)?;
        tx.commit().await.db()?;
        Ok(stored)
    }

    async fn list_inbox_messages(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<InboxMessage>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM inbox_messages WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(account.get())
            .bind(before(page))
            .bind(fetch_limit(page))
            .fetch_all(&self.readers)
            .await
            .db()?;
        let items = rows
            .iter()
            .map(message_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |m| m.id.get()))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %account, message_id = %id))]
    async fn mark_message_read(
        &self,
        account: AccountId,
        id: MessageId,
        now: Timestamp,
    ) -> StoreResult<()> {
        let updated = sqlx::query(
            "UPDATE inbox_messages SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND account_id = $2",
        )
        .bind(id.get())
        .bind(account.get())
        .bind(ts(now))
        .execute(&self.writer)
        .await
        .db()?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn count_unread_messages(&self, account: AccountId) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM inbox_messages WHERE account_id = $1 AND read_at IS NULL",
        )
        .bind(account.get())
        .fetch_one(&self.readers)
        .await
        .db()?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
