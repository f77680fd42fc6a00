//! Real-name identities (A2, A4): one `identities` row per person, one `account_identities`
//! row per account. The accounts-per-identity limit is checked inside the transaction while it
//! holds the identity's row lock, so concurrent submissions for one person count one at a time.
//! Lock order, everywhere: the account row, then its submission, then the identity row.

use async_trait::async_trait;
use certdesk_domain::{AccountId, IdentityId, IdentityStatus};
use certdesk_store::{
    Conflict, IdentityDecision, IdentityRecord, IdentitySecret, IdentityStore, IdentitySubmission,
    Page, PageRequest, StoreError, StoreResult,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Postgres, Row as _};

use crate::PostgresStore;
use crate::convert::{after, corrupt, fetch_limit, from_ts, from_ts_opt, into_page, parse, ts};
use crate::error::DbResultExt as _;

const RECORD_SELECT: &str = "
SELECT ai.account_id, ai.identity_id, ai.real_name, i.id_number_masked, ai.status, ai.reason,
       ai.submitted_at, ai.decided_at, ai.decided_by
FROM account_identities ai JOIN identities i ON i.id = ai.identity_id";

pub(crate) fn record_from_row(row: &PgRow) -> StoreResult<IdentityRecord> {
    Ok(IdentityRecord {
        account_id: AccountId(row.try_get("account_id").db()?),
        identity_id: IdentityId(row.try_get("identity_id").db()?),
        real_name: row.try_get("real_name").db()?,
        id_number_masked: row.try_get("id_number_masked").db()?,
        status: parse(&row.try_get::<String, _>("status").db()?, "identity status")?,
        reason: row.try_get("reason").db()?,
        submitted_at: from_ts(row.try_get("submitted_at").db()?)?,
        decided_at: from_ts_opt(row.try_get("decided_at").db()?)?,
        decided_by: row
            .try_get::<Option<i64>, _>("decided_by")
            .db()?
            .map(AccountId),
    })
}

async fn fetch_record<'e, E>(executor: E, account: AccountId) -> StoreResult<Option<IdentityRecord>>
where
    E: sqlx::Executor<'e, Database = Postgres>,
{
    let sql = format!("{RECORD_SELECT} WHERE ai.account_id = $1");
    let row = sqlx::query(&sql)
        .bind(account.get())
        .fetch_optional(executor)
        .await
        .db()?;
    row.as_ref().map(record_from_row).transpose()
}

/// Accounts other than `account` that hold `identity` in `pending` or `verified` state.
async fn other_holders(
    conn: &mut PgConnection,
    identity: i64,
    account: AccountId,
) -> StoreResult<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM account_identities
         WHERE identity_id = $1 AND status IN ('pending', 'verified') AND account_id <> $2",
    )
    .bind(identity)
    .bind(account.get())
    .fetch_one(conn)
    .await
    .db()
}

/// Locks an account row for this transaction (`NotFound` if there is none). `NO KEY UPDATE`
/// serialises our writers without blocking foreign-key checks that reference the account.
async fn lock_account(conn: &mut PgConnection, account: AccountId) -> StoreResult<()> {
    let found = sqlx::query("SELECT id FROM accounts WHERE id = $1 FOR NO KEY UPDATE")
        .bind(account.get())
        .fetch_optional(conn)
        .await
        .db()?;
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
impl IdentityStore for PostgresStore {
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %sub.account_id))]
    async fn commit_identity_submission(
        &self,
        sub: IdentitySubmission,
    ) -> StoreResult<IdentityRecord> {
        let mut tx = self.begin().await?;
        lock_account(&mut tx, sub.account_id).await?;
        let current: Option<String> =
            sqlx::query_scalar("SELECT status FROM account_identities WHERE account_id = $1")
                .bind(sub.account_id.get())
                .fetch_optional(&mut *tx)
                .await
                .db()?;
        if current.as_deref() == Some(IdentityStatus::Verified.as_str()) {
            return Err(StoreError::Conflict(Conflict::AlreadyVerified));
        }
        sqlx::query(
            "INSERT INTO identities (blind_index, id_number_ciphertext, id_number_masked, created_at)
             VALUES ($1, $2, $3, $4) ON CONFLICT (blind_index) DO NOTHING",
        )
        .bind(&sub.blind_index)
        .bind(&sub.id_number_ciphertext)
        .bind(&sub.id_number_masked)
        .bind(ts(sub.submitted_at))
        .execute(&mut *tx)
        .await
        .db()?;
        // The person's row lock serialises every limit check for them.
        let identity: i64 = sqlx::query_scalar(
            "SELECT id FROM identities WHERE blind_index = $1 FOR NO KEY UPDATE",
        )
        .bind(&sub.blind_index)
        .fetch_one(&mut *tx)
        .await
        .db()?;
        if sub.status != IdentityStatus::Rejected {
            // A2: at most `max` accounts per person, counting this one.
            within_limit(
                other_holders(&mut tx, identity, sub.account_id).await?,
                sub.max_accounts_per_identity,
            )?;
        }
        // A verdict given at submission (the automatic verifier) is decided then, by nobody.
        let decided_at = (sub.status != IdentityStatus::Pending).then_some(ts(sub.submitted_at));
        sqlx::query(
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
        .execute(&mut *tx)
        .await
        .db()?;
        crate::jobs::enqueue(&mut tx, &sub.jobs, Some(sub.submitted_at)).await?;
        let record = fetch_record(&mut *tx, sub.account_id)
            .await?
            .ok_or_else(|| corrupt("lost submission".into()))?;
        tx.commit().await.db()?;
        tracing::debug!(
            identity_id = identity,
            status = sub.status.as_str(),
            "identity submitted"
        );
        Ok(record)
    }

    async fn find_identity(&self, account: AccountId) -> StoreResult<Option<IdentityRecord>> {
        fetch_record(&self.pool, account).await
    }

    async fn find_identity_secret(
        &self,
        account: AccountId,
    ) -> StoreResult<Option<IdentitySecret>> {
        let row = sqlx::query(
            "SELECT i.id, i.id_number_ciphertext FROM account_identities ai JOIN identities i ON i.id = ai.identity_id
             WHERE ai.account_id = $1",
        )
        .bind(account.get())
        .fetch_optional(&self.pool)
        .await
        .db()?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(IdentitySecret {
            identity_id: IdentityId(row.try_get("id").db()?),
            id_number_ciphertext: row.try_get("id_number_ciphertext").db()?,
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
        let row = sqlx::query("SELECT status, identity_id FROM account_identities WHERE account_id = $1 FOR NO KEY UPDATE")
            .bind(decision.account_id.get())
            .fetch_optional(&mut *tx)
            .await
            .db()?
            .ok_or(StoreError::NotFound)?;
        if row.try_get::<String, _>("status").db()? != IdentityStatus::Pending.as_str() {
            return Err(StoreError::Conflict(Conflict::NotPending));
        }
        if decision.status == IdentityStatus::Verified {
            let identity: i64 = row.try_get("identity_id").db()?;
            sqlx::query("SELECT id FROM identities WHERE id = $1 FOR NO KEY UPDATE")
                .bind(identity)
                .execute(&mut *tx)
                .await
                .db()?;
            let others = other_holders(&mut tx, identity, decision.account_id).await?;
            within_limit(others, decision.max_accounts_per_identity)?;
        }
        let updated = sqlx::query(
            "UPDATE account_identities SET status = $2, reason = $3, decided_at = $4, decided_by = $5
             WHERE account_id = $1 AND status = 'pending'",
        )
        .bind(decision.account_id.get())
        .bind(decision.status.as_str())
        .bind(&decision.reason)
        .bind(ts(decision.decided_at))
        .bind(decision.decided_by.get())
        .execute(&mut *tx)
        .await
        .db()?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::Conflict(Conflict::NotPending));
        }
        crate::audit::insert(&mut tx, &decision.audit).await?;
        crate::jobs::enqueue(&mut tx, &decision.jobs, Some(decision.decided_at)).await?;
        let record = fetch_record(&mut *tx, decision.account_id)
            .await?
            .ok_or_else(|| corrupt("lost decision".into()))?;
        tx.commit().await.db()?;
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
        let rows = sqlx::query(&sql)
            .bind(status.map(IdentityStatus::as_str))
            .bind(after(page))
            .bind(fetch_limit(page))
            .fetch_all(&self.pool)
            .await
            .db()?;
        let items = rows
            .iter()
            .map(record_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |r| r.account_id.get()))
    }
}
