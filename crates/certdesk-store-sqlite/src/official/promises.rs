//! P1: promises recorded with their due time when they arise (`paid.rs`), kept when the job that keeps
//! them completes, voided when their registration is cancelled (O10: a cancelled registration
//! is owed no ticket and no score), and summarised per kind for operators.

use certdesk_domain::PromiseKind;
use certdesk_store::{PromiseSummary, StoreResult};
use jiff::Timestamp;
use sqlx::{Row as _, SqliteConnection};

use crate::convert::{parse, ts};
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

/// The summary query: per kind, kept on time (T4: `kept_at < due_at`), kept late, overdue
/// (open and `due_at <= now`) and pending (open, `due_at > now`); voided promises excluded.
pub(crate) const SUMMARY_SQL: &str = "
SELECT kind,
       SUM(CASE WHEN kept_at IS NOT NULL AND kept_at < due_at THEN 1 ELSE 0 END) AS kept_on_time,
       SUM(CASE WHEN kept_at IS NOT NULL AND kept_at >= due_at THEN 1 ELSE 0 END) AS kept_late,
       SUM(CASE WHEN kept_at IS NULL AND due_at <= $1 THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN kept_at IS NULL AND due_at > $1 THEN 1 ELSE 0 END) AS pending
FROM promises WHERE voided_at IS NULL GROUP BY kind";

/// Every kind in `PromiseKind::ALL` order, zeros where the query found none.
pub(crate) fn summaries(rows: &[sqlx::sqlite::SqliteRow]) -> StoreResult<Vec<PromiseSummary>> {
    let mut out: Vec<PromiseSummary> = PromiseKind::ALL
        .iter()
        .map(|&kind| PromiseSummary {
            kind,
            kept_on_time: 0,
            kept_late: 0,
            overdue: 0,
            pending: 0,
        })
        .collect();
    for row in rows {
        let kind: PromiseKind = parse(&row.try_get::<String, _>("kind").db()?, "promise kind")?;
        let count = |column: &str| -> StoreResult<u64> {
            let n: i64 = row.try_get(column).db()?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        if let Some(summary) = out.iter_mut().find(|s| s.kind == kind) {
            summary.kept_on_time = count("kept_on_time")?;
            summary.kept_late = count("kept_late")?;
            summary.overdue = count("overdue")?;
            summary.pending = count("pending")?;
        }
    }
    Ok(out)
}

/// P1's overdue list: the summary's `overdue` (unkept, not voided, `due_at <= $1`), of kind
/// `$2` or all, after the cursor promise `$3`'s (`due_at`, id) position, most overdue first,
/// with the registration each is owed to. A cursor naming no promise matches nothing.
pub(crate) const OVERDUE_SQL: &str = "
SELECT p.id, p.kind, p.due_at, p.created_at, p.registration_id, r.account_id,
       c.code AS certification_code, r.city, r.exam_starts_at, r.status
FROM promises p
LEFT JOIN registrations r ON r.id = p.registration_id
LEFT JOIN certifications c ON c.id = r.certification_id
WHERE p.kept_at IS NULL AND p.voided_at IS NULL AND p.due_at <= $1
  AND ($2 IS NULL OR p.kind = $2)
  AND ($3 IS NULL OR (p.due_at, p.id) > (SELECT q.due_at, q.id FROM promises q WHERE q.id = $3))
ORDER BY p.due_at, p.id
LIMIT $4";
