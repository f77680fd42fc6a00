//! API.md's `Idempotency-Key` on every unsafe route but register-and-pay (whose key is its
//! order's): one row per scope and key in `idempotency_records`. Reserving is one upsert that
//! inserts the key or takes over a record past its lifetime, and answers nothing when the key
//! is held — then the holder's row is read in the same transaction (PostgreSQL: the upsert has
//! locked it, so it cannot vanish in between; SQLite: the single writer).

use async_trait::async_trait;
use certdesk_store::{
    IdempotencyClaim, IdempotencyStore, RecordedAnswer, Reservation, StoreError, StoreResult,
};
use jiff::{SignedDuration, Timestamp};

use crate::SqlStore;
use crate::convert::{corrupt, from_ts, ts};
use crate::db::{Row, query};

fn reservation_from_row(row: &Row) -> StoreResult<Reservation> {
    let fingerprint: Vec<u8> = row.get("fingerprint")?;
    let created_at = from_ts(row.int("created_at")?)?;
    match row.text("state")?.as_str() {
        "pending" => Ok(Reservation::Pending {
            fingerprint,
            created_at,
        }),
        "done" => {
            let status = row
                .int_opt("status")?
                .and_then(|s| u16::try_from(s).ok())
                .ok_or_else(|| corrupt("idempotency record without a status".to_owned()))?;
            let body: Option<Vec<u8>> = row.get("body")?;
            Ok(Reservation::Done {
                fingerprint,
                created_at,
                answer: RecordedAnswer {
                    status,
                    content_type: row.text_opt("content_type")?,
                    body: body
                        .ok_or_else(|| corrupt("idempotency record without a body".to_owned()))?,
                },
            })
        }
        _ => Err(corrupt("unreadable idempotency record state".to_owned())),
    }
}

#[async_trait]
impl IdempotencyStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn reserve_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        lifetime: SignedDuration,
    ) -> StoreResult<Reservation> {
        // T4: a record lives while `at < created_at + lifetime`, so one created at or before
        // `at - lifetime` is gone.
        let lifetime = i64::try_from(lifetime.as_micros()).unwrap_or(i64::MAX);
        let stale_from = ts(claim.at).saturating_sub(lifetime);
        let mut tx = self.begin().await?;
        let taken = query(
            "INSERT INTO idempotency_records (scope, idempotency_key, fingerprint, state, created_at)
             VALUES ($1, $2, $3, 'pending', $4)
             ON CONFLICT (scope, idempotency_key) DO UPDATE
                SET fingerprint = excluded.fingerprint, state = 'pending', status = NULL,
                    content_type = NULL, body = NULL, created_at = excluded.created_at
                WHERE idempotency_records.created_at <= $5
             RETURNING created_at",
        )
        .bind(claim.scope.as_str())
        .bind(claim.key.as_str())
        .bind(claim.fingerprint.as_slice())
        .bind(ts(claim.at))
        .bind(stale_from)
        .fetch_optional(&mut tx)
        .await?;
        if taken.is_some() {
            tx.commit().await?;
            return Ok(Reservation::Reserved);
        }
        let held = query(
            "SELECT fingerprint, state, status, content_type, body, created_at
             FROM idempotency_records WHERE scope = $1 AND idempotency_key = $2",
        )
        .bind(claim.scope.as_str())
        .bind(claim.key.as_str())
        .fetch_optional(&mut tx)
        .await?;
        tx.commit().await?;
        // The upsert found the row and locked it: it is there.
        held.as_ref()
            .map(reservation_from_row)
            .unwrap_or(Err(StoreError::Busy))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(status = answer.status))]
    async fn complete_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        answer: &RecordedAnswer,
    ) -> StoreResult<()> {
        let done = query(
            "UPDATE idempotency_records
             SET state = 'done', status = $4, content_type = $5, body = $6
             WHERE scope = $1 AND idempotency_key = $2 AND created_at = $3 AND state = 'pending'",
        )
        .bind(claim.scope.as_str())
        .bind(claim.key.as_str())
        .bind(ts(claim.at))
        .bind(i64::from(answer.status))
        .bind(answer.content_type.as_deref())
        .bind(answer.body.as_slice())
        .execute(self.write())
        .await?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn release_idempotency_key(&self, claim: &IdempotencyClaim) -> StoreResult<()> {
        query(
            "DELETE FROM idempotency_records
             WHERE scope = $1 AND idempotency_key = $2 AND created_at = $3 AND state = 'pending'",
        )
        .bind(claim.scope.as_str())
        .bind(claim.key.as_str())
        .bind(ts(claim.at))
        .execute(self.write())
        .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn delete_expired_idempotency_records(
        &self,
        created_until: Timestamp,
    ) -> StoreResult<u64> {
        Ok(
            query("DELETE FROM idempotency_records WHERE created_at <= $1")
                .bind(ts(created_until))
                .execute(self.write())
                .await?,
        )
    }
}
