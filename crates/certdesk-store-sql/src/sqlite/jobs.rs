//! Job claims on SQLite: the single writer makes a claim atomic by construction, so the
//! sweep and the two kinds of candidates are plain statements of one `BEGIN IMMEDIATE`
//! transaction, committed once for the batch.

use certdesk_store::{Job, StoreResult};

use crate::SqlStore;
use crate::db::query;
use crate::jobs::{COLUMNS, Claim, WORKER_LOST, job_from_row};

pub(crate) async fn claim_jobs(store: &SqlStore, claim: &Claim<'_>) -> StoreResult<Vec<Job>> {
    let mut tx = store.begin().await?;
    // P2: a job whose worker vanished during its last attempt is dead, not run again.
    query(
        "UPDATE jobs SET status = 'dead', last_error = $2, locked_by = NULL, locked_until = NULL, updated_at = $1
         WHERE status = 'running' AND locked_until <= $1 AND attempts >= max_attempts",
    )
    .bind(claim.now)
    .bind(WORKER_LOST)
    .execute(&mut tx)
    .await?;
    // Expired leases are recovered first; then due pending jobs by run_at, id. One
    // statement per group keeps each on its own index; the commit is what costs.
    let candidates = [
        "SELECT id FROM jobs WHERE status = 'running' AND locked_until <= $1 AND attempts < max_attempts
         ORDER BY run_at, id LIMIT $4",
        "SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $1 ORDER BY run_at, id LIMIT $4",
    ];
    let mut claimed = Vec::new();
    for candidate in candidates {
        let left = claim.limit - claimed.len();
        if left == 0 {
            break;
        }
        let sql = format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3,
                 updated_at = $1
             WHERE id IN ({candidate}) RETURNING {COLUMNS}"
        );
        let rows = query(&sql)
            .bind(claim.now)
            .bind(claim.worker)
            .bind(claim.until)
            .bind(i64::try_from(left).unwrap_or(i64::MAX))
            .fetch_all(&mut tx)
            .await?;
        // RETURNING order is unspecified: put the group in claim order.
        let mut group = rows
            .iter()
            .map(job_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        group.sort_by_key(|j| (j.run_at, j.id));
        claimed.extend(group);
    }
    tx.commit().await?;
    Ok(claimed)
}
