//! Inbox messages (站内信): delivery is idempotent per source job.

use async_trait::async_trait;
use certdesk_domain::{AccountId, JobId, MessageId};
use certdesk_store::{
    InboxMessage, InboxStore, NewInboxMessage, Page, PageRequest, StoreError, StoreResult,
};
use jiff::Timestamp;

use crate::SqlStore;
use crate::convert::{before, fetch_limit, from_ts, from_ts_opt, into_page, ts};
use crate::db::{Row, Tx, query};

const COLUMNS: &str =
    "id, account_id, kind, title_zh, body_zh, title_en, body_en, created_at, read_at";

fn message_from_row(row: &Row) -> StoreResult<InboxMessage> {
    Ok(InboxMessage {
        id: MessageId(row.get("id")?),
        account_id: AccountId(row.get("account_id")?),
        kind: row.get("kind")?,
        title_zh: row.get("title_zh")?,
        body_zh: row.get("body_zh")?,
        title_en: row.get("title_en")?,
        body_en: row.get("body_en")?,
        created_at: from_ts(row.get("created_at")?)?,
        read_at: from_ts_opt(row.get("read_at")?)?,
    })
}

/// Messages per INSERT, 5 parameters each (kind, source job and time are bound once for a run
/// of messages that share them). Not more: binding one SQLite statement costs the square of
/// its parameters (see `shared_value_groups`).
const MESSAGES_PER_INSERT: usize = 100;

/// Writes messages inside the caller's transaction, as part of the commit that gives rise to
/// them (a ticket, a result): the candidate is told in the same instant. Their `source_job`
/// is None (no job delivers them), so the per-job idempotency key does not apply. `NotFound`
/// for an unknown account.
pub(crate) async fn insert_messages(tx: &mut Tx, messages: &[&NewInboxMessage]) -> StoreResult<()> {
    enqueue_deliveries(tx, messages).await?;
    let mut rest = messages;
    while let Some(first) = rest.first() {
        let shared = |m: &&NewInboxMessage| {
            m.kind == first.kind
                && m.source_job == first.source_job
                && m.created_at == first.created_at
        };
        let n = rest
            .iter()
            .take(MESSAGES_PER_INSERT)
            .take_while(|m| shared(m))
            .count();
        let (chunk, after) = rest.split_at(n);
        rest = after;
        let sql = format!(
            "INSERT INTO inbox_messages (kind, source_job, created_at, account_id, title_zh,
                 body_zh, title_en, body_en) VALUES {}",
            crate::convert::shared_value_groups(4, chunk.len(), 5, "$1, $2, $3, ", "")
        );
        let mut insert = query(&sql)
            .bind(&first.kind)
            .bind(first.source_job.map(JobId::get))
            .bind(ts(first.created_at));
        for m in chunk {
            insert = insert
                .bind(m.account_id.get())
                .bind(&m.title_zh)
                .bind(&m.body_zh)
                .bind(&m.title_en)
                .bind(&m.body_en);
        }
        insert
            .execute(&mut *tx)
            .await
            .map_err(crate::db::missing_reference)?;
    }
    Ok(())
}

/// P2: the other channels' jobs of these messages, in the transaction that writes them.
pub(crate) async fn enqueue_deliveries(
    tx: &mut Tx,
    messages: &[&NewInboxMessage],
) -> StoreResult<()> {
    let jobs: Vec<_> = messages
        .iter()
        .flat_map(|m| m.deliveries.iter().cloned())
        .collect();
    crate::jobs::enqueue(tx, &jobs, None).await
}

/// Writes one message inside a use case's own transaction (a reschedule's confirmation, O7);
/// `NotFound` for an unknown account. Delivery by a job goes through `commit_inbox_message`,
/// which is idempotent per job.
pub(crate) async fn insert(tx: &mut Tx, message: &NewInboxMessage) -> StoreResult<()> {
    insert_messages(tx, &[message]).await
}

#[async_trait]
impl InboxStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %message.account_id))]
    async fn commit_inbox_message(&self, message: NewInboxMessage) -> StoreResult<InboxMessage> {
        let mut tx = self.begin().await?;
        enqueue_deliveries(&mut tx, &[&message]).await?;
        let sql = format!(
            "INSERT INTO inbox_messages (account_id, kind, title_zh, body_zh, title_en, body_en, source_job, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (source_job) DO NOTHING RETURNING {COLUMNS}"
        );
        let inserted = query(&sql)
            .bind(message.account_id.get())
            .bind(&message.kind)
            .bind(&message.title_zh)
            .bind(&message.body_zh)
            .bind(&message.title_en)
            .bind(&message.body_en)
            .bind(message.source_job.map(JobId::get))
            .bind(ts(message.created_at))
            .fetch_optional(&mut tx)
            .await
            .map_err(|e| {
                if e.is_foreign_key_violation() {
                    StoreError::NotFound
                } else {
                    StoreError::from(e)
                }
            })?;
        let row = match inserted {
            Some(row) => row,
            // Already delivered by this job: answer with the stored message.
            None => {
                let sql = format!("SELECT {COLUMNS} FROM inbox_messages WHERE source_job = $1");
                query(&sql)
                    .bind(message.source_job.map(JobId::get))
                    .fetch_one(&mut tx)
                    .await?
            }
        };
        let stored = message_from_row(&row)?;
        tx.commit().await?;
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
        let rows = query(&sql)
            .bind(account.get())
            .bind(before(page))
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
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
        let updated = query(
            "UPDATE inbox_messages SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND account_id = $2",
        )
        .bind(id.get())
        .bind(account.get())
        .bind(ts(now))
        .execute(self.write())
        .await?;
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn count_unread_messages(&self, account: AccountId) -> StoreResult<u64> {
        let n = query(
            "SELECT COUNT(*) AS unread FROM inbox_messages WHERE account_id = $1 AND read_at IS NULL",
        )
        .bind(account.get())
        .fetch_one(self.read())
        .await?
        .int("unread")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
