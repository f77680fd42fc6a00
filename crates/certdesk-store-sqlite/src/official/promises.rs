//! P1: promises recorded with their due time when they arise (`paid.rs`), kept when the job that keeps
//! them completes, voided when their registration is cancelled (O10: a cancelled registration
//! is owed no ticket and no score), and summarised per kind for operators.

use certdesk_store::StoreResult;
use jiff::Timestamp;
use sqlx::SqliteConnection;

use crate::convert::ts;
use crate::error::DbResultExt as _;

/// Marks a promise kept at `now` (the completion of the job that keeps it); a promise already
/// kept or voided stays as it is.
pub(crate) async fn keep(
    conn: &mut SqliteConnection,
    promise: i64,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE promises SET kept_at = $2 WHERE id = $1 AND kept_at IS NULL AND voided_at IS NULL",
    )
    .bind(promise)
    .bind(ts(now))
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// O10: a cancelled registration's open promises are owed no more.
pub(crate) async fn void_open(
    conn: &mut SqliteConnection,
    registration: i64,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE promises SET voided_at = $2
         WHERE registration_id = $1 AND kept_at IS NULL AND voided_at IS NULL",
    )
    .bind(registration)
    .bind(ts(now))
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub(crate) use certdesk_store::sql::official_rows::{OVERDUE_SQL, SUMMARY_SQL, summaries};
