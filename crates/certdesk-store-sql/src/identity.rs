//! Real-name identities (A2, A4): one `identities` row per person, one `account_identities`
//! row per account. The accounts-per-identity limit is checked inside the write transaction,
//! with the rows it decides on locked (`locked!`: on PostgreSQL the person's `identities` row
//! serialises concurrent submissions for one person; on SQLite the single writer does), so the
//! count and the insert are one atomic step. Lock order, everywhere: the account row, then its
//! submission, then the identity row.

use async_trait::async_trait;
use certdesk_domain::{AccountId, IdentityId, IdentityStatus};
use certdesk_store::{
    Conflict, IdentityDecision, IdentityRecord, IdentitySecret, IdentityStore, IdentitySubmission,
    Page, PageRequest, StoreError, StoreResult,
};

use crate::SqlStore;
use crate::convert::{after, corrupt, fetch_limit, from_ts, from_ts_opt, into_page, parse, ts};
use crate::db::{Exec, Row, Tx, query};

const RECORD_SELECT: &str = "
SELECT ai.account_id, ai.identity_id, ai.real_name, i.id_number_masked, ai.status, ai.reason,
       ai.submitted_at, ai.decided_at, ai.decided_by
FROM account_identities ai JOIN identities i ON i.id = ai.identity_id";

pub(crate) fn record_from_row(row: &Row) -> StoreResult<IdentityRecord> {
    Ok(IdentityRecord {
        account_id: AccountId(row.get("account_id")?),
        identity_id: IdentityId(row.get("identity_id")?),
        real_name: row.get("real_name")?,
        id_number_masked: row.get("id_number_masked")?,
        status: parse(&row.get::<String>("status")?, "identity status")?,
        reason: row.get("reason")?,
        submitted_at: from_ts(row.get("submitted_at")?)?,
        decided_at: from_ts_opt(row.get("decided_at")?)?,
        decided_by: row.get::<Option<i64>>("decided_by")?.map(AccountId),
    })
}

async fn fetch_record<'c>(
    executor: impl Exec<'c>,
    account: AccountId,
) -> StoreResult<Option<IdentityRecord>> {
    let sql = format!("{RECORD_SELECT} WHERE ai.account_id = $1");
    let row = query(&sql)
        .bind(account.get())
        .fetch_optional(executor)
        .await?;
    row.as_ref().map(record_from_row).transpose()
}

/// Accounts other than `account` that hold `identity` in `pending` or `verified` state. An
/// institution candidate's contact (kind `contact`, I1) is no account of theirs and does not
/// count against A2's limit.
async fn other_holders(tx: &mut Tx, identity: i64, account: AccountId) -> StoreResult<i64> {
    query(
        "SELECT COUNT(*) AS holders FROM account_identities
         WHERE identity_id = $1 AND status IN ('pending', 'verified') AND account_id <> $2
           AND account_id IN (SELECT id FROM accounts WHERE kind = 'site')",
    )
    .bind(identity)
    .bind(account.get())
    .fetch_one(tx)
    .await?
    .int("holders")
}

/// The person's `identities` row, created on first sight, locked: the row lock serialises
/// every A2 limit check for one person (on SQLite the single writer does).
pub(crate) async fn person(
    tx: &mut Tx,
    blind_index: &[u8],
    ciphertext: &[u8],
    masked: &str,
    at: jiff::Timestamp,
) -> StoreResult<i64> {
    query(
        "INSERT INTO identities (blind_index, id_number_ciphertext, id_number_masked, created_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (blind_index) DO NOTHING",
    )
    .bind(blind_index)
    .bind(ciphertext)
    .bind(masked)
    .bind(ts(at))
    .execute(&mut *tx)
    .await?;
    query(locked!("SELECT id FROM identities WHERE blind_index = $1"))
        .bind(blind_index)
        .fetch_one(&mut *tx)
        .await?
        .int("id")
}

/// Locks an account row for this transaction (`NotFound` if there is none).
async fn lock_account(tx: &mut Tx, account: AccountId) -> StoreResult<()> {
    let found = query(locked!("SELECT id FROM accounts WHERE id = $1"))
        .bind(account.get())
        .fetch_optional(tx)
        .await?;
    found.map(|_| ()).ok_or(StoreError::NotFound)
}

fn within_limit(others: i64, max: u32) -> StoreResult<()> {
    if others + 1 > i64::from(max) {
        Err(StoreError::Conflict(Conflict::IdentityInUse))
    } else {
        Ok(())
    }
}

#[async_trait]
impl IdentityStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %sub.account_id))]
    async fn commit_identity_submission(
        &self,
        sub: IdentitySubmission,
    ) -> StoreResult<IdentityRecord> {
        let mut tx = self.begin().await?;
        lock_account(&mut tx, sub.account_id).await?;
        let current = query("SELECT status FROM account_identities WHERE account_id = $1")
            .bind(sub.account_id.get())
            .fetch_optional(&mut tx)
            .await?
            .map(|row| row.text("status"))
            .transpose()?;
        if current.as_deref() == Some(IdentityStatus::Verified.as_str()) {
            return Err(StoreError::Conflict(Conflict::AlreadyVerified));
        }
        let identity = person(
            &mut tx,
            &sub.blind_index,
            &sub.id_number_ciphertext,
            &sub.id_number_masked,
            sub.submitted_at,
        )
        .await?;
        if sub.status != IdentityStatus::Rejected {
            // A2: at most `max` accounts per person, counting this one.
            within_limit(
                other_holders(&mut tx, identity, sub.account_id).await?,
                sub.max_accounts_per_identity,
            )?;
        }
        // A verdict given at submission (the automatic verifier) is decided then, by nobody.
        let decided_at = (sub.status != IdentityStatus::Pending).then_some(ts(sub.submitted_at));
        query(
            "INSERT INTO account_identities
                 (account_id, identity_id, status, real_name, reason, submitted_at, decided_at, decided_by)
             VALUES ($1, $2, $3, $4, NULL, $5, $6, NULL)
             ON CONFLICT (account_id) DO UPDATE SET
                 identity_id = excluded.identity_id, status = excluded.status, real_name = excluded.real_name,
                 reason = NULL, submitted_at = excluded.submitted_at, decided_at = excluded.decided_at,
                 decided_by = NULL",
        )
        .bind(sub.account_id.get())
        .bind(identity)
        .bind(sub.status.as_str())
        .bind(&sub.real_name)
        .bind(ts(sub.submitted_at))
        .bind(decided_at)
        .execute(&mut tx)
        .await?;
        crate::jobs::enqueue(&mut tx, &sub.jobs, Some(sub.submitted_at)).await?;
        let record = fetch_record(&mut tx, sub.account_id)
            .await?
            .ok_or_else(|| corrupt("lost submission".into()))?;
        tx.commit().await?;
        tracing::debug!(
            identity_id = identity,
            status = sub.status.as_str(),
            "identity submitted"
        );
        Ok(record)
    }

    async fn find_identity(&self, account: AccountId) -> StoreResult<Option<IdentityRecord>> {
        fetch_record(self.read(), account).await
    }

    async fn find_identity_secret(
        &self,
        account: AccountId,
    ) -> StoreResult<Option<IdentitySecret>> {
        let row = query(
            "SELECT i.id, i.id_number_ciphertext FROM account_identities ai JOIN identities i ON i.id = ai.identity_id
             WHERE ai.account_id = $1",
        )
        .bind(account.get())
        .fetch_optional(self.read())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(IdentitySecret {
            identity_id: IdentityId(row.get("id")?),
            id_number_ciphertext: row.get("id_number_ciphertext")?,
        }))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %decision.account_id))]
    async fn commit_identity_decision(
        &self,
        decision: IdentityDecision,
    ) -> StoreResult<IdentityRecord> {
        if decision.status == IdentityStatus::Pending {
            return Err(StoreError::Other(anyhow::anyhow!(
                "a decision is verified or rejected, not pending"
            )));
        }
        let mut tx = self.begin().await?;
        lock_account(&mut tx, decision.account_id).await?;
        let row = query(locked!(
            "SELECT status, identity_id FROM account_identities WHERE account_id = $1"
        ))
        .bind(decision.account_id.get())
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if row.get::<String>("status")? != IdentityStatus::Pending.as_str() {
            return Err(StoreError::Conflict(Conflict::NotPending));
        }
        if decision.status == IdentityStatus::Verified {
            let identity: i64 = row.get("identity_id")?;
            query(locked!("SELECT id FROM identities WHERE id = $1"))
                .bind(identity)
                .execute(&mut tx)
                .await?;
            let others = other_holders(&mut tx, identity, decision.account_id).await?;
            within_limit(others, decision.max_accounts_per_identity)?;
        }
        let updated = query(
            "UPDATE account_identities SET status = $2, reason = $3, decided_at = $4, decided_by = $5
             WHERE account_id = $1 AND status = 'pending'",
        )
        .bind(decision.account_id.get())
        .bind(decision.status.as_str())
        .bind(&decision.reason)
        .bind(ts(decision.decided_at))
        .bind(decision.decided_by.get())
        .execute(&mut tx)
        .await?;
        if updated == 0 {
            return Err(StoreError::Conflict(Conflict::NotPending));
        }
        crate::audit::insert(&mut tx, &decision.audit).await?;
        crate::jobs::enqueue(&mut tx, &decision.jobs, Some(decision.decided_at)).await?;
        let record = fetch_record(&mut tx, decision.account_id)
            .await?
            .ok_or_else(|| corrupt("lost decision".into()))?;
        tx.commit().await?;
        Ok(record)
    }

    async fn list_identities(
        &self,
        status: Option<IdentityStatus>,
        page: PageRequest,
    ) -> StoreResult<Page<IdentityRecord>> {
        let sql = format!(
            "{RECORD_SELECT} WHERE ($1 IS NULL OR ai.status = $1) AND ai.account_id > $2 ORDER BY ai.account_id LIMIT $3"
        );
        let rows = query(&sql)
            .bind(status.map(IdentityStatus::as_str))
            .bind(after(page))
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(record_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |r| r.account_id.get()))
    }
}
