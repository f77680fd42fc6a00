//! P1: promises recorded with their due time when they arise (`paid.rs`), kept when the job
//! that keeps them completes (`jobs.rs`), voided when their registration is cancelled (O10: a
//! cancelled registration is owed no ticket and no score), and summarised per kind.

use certdesk_store::StoreResult;
use jiff::Timestamp;
use sqlx::PgConnection;

use crate::convert::ts;
use crate::error::DbResultExt as _;

/// O10: a cancelled registration's open promises are owed no more.
pub(crate) async fn void_open(
    conn: &mut PgConnection,
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
