//! P1: promises recorded with their due time when they arise (register-and-pay), kept when
//! the job that keeps them completes (`jobs.rs`), voided when their registration is cancelled
//! (O10: a cancelled registration is owed no ticket and no score), and summarised per kind
//! for operators (`rows.rs`: `SUMMARY_SQL`, `OVERDUE_SQL`).

use certdesk_store::{NewPromise, StoreResult};
use jiff::Timestamp;

use crate::convert::ts;
use crate::db::{Tx, query};

/// O10: a cancelled registration's open promises are owed no more.
pub(crate) async fn void_open(tx: &mut Tx, registration: i64, now: Timestamp) -> StoreResult<()> {
    query(
        "UPDATE promises SET voided_at = $2
         WHERE registration_id = $1 AND kept_at IS NULL AND voided_at IS NULL",
    )
    .bind(registration)
    .bind(ts(now))
    .execute(tx)
    .await?;
    Ok(())
}

/// P1: a registration's promises, recorded by the commit that makes them (O8's retake).
pub(crate) async fn record(
    tx: &mut Tx,
    registration: i64,
    promises: &[NewPromise],
    now: Timestamp,
) -> StoreResult<()> {
    for p in promises {
        query(
            "INSERT INTO promises (kind, registration_id, due_at, kept_at, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(p.kind.as_str())
        .bind(registration)
        .bind(ts(p.due_at))
        .bind(p.kept_at.map(ts))
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
