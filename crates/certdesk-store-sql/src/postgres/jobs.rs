//! Job claims on PostgreSQL: one statement claims a batch, locking its candidate rows with
//! `FOR UPDATE SKIP LOCKED`, so workers in any number of processes each take different jobs
//! and never wait on one another.

use certdesk_store::{Job, StoreResult};

use crate::SqlStore;
use crate::db::query;
use crate::jobs::{COLUMNS, Claim, WORKER_LOST, job_from_row};

pub(crate) async fn claim_jobs(store: &SqlStore, claim: &Claim<'_>) -> StoreResult<Vec<Job>> {
    // One statement, so one commit for the whole batch. Its parts:
    // - swept (P2): a job whose worker vanished during its last attempt is dead, not run
    //   again;
    // - recovered: expired leases first, by run_at, id;
    // - fresh: due pending jobs by run_at, id, only as many as the recovered leave room
    //   for, so no row is locked that this claim will not take.
    // Rows another worker is busy with are skipped, never waited for. The parts see one
    // snapshot; their conditions are disjoint, so no row is touched twice.
    let sql = format!(
        "WITH swept AS (
             UPDATE jobs SET status = 'dead', last_error = $4, locked_by = NULL, locked_until = NULL,
                 updated_at = $1
             WHERE id IN (SELECT id FROM jobs
                          WHERE status = 'running' AND locked_until <= $1 AND attempts >= max_attempts
                          FOR UPDATE SKIP LOCKED)
         ), recovered AS (
             SELECT id FROM jobs
             WHERE status = 'running' AND locked_until <= $1 AND attempts < max_attempts
             ORDER BY run_at, id LIMIT $5 FOR UPDATE SKIP LOCKED
         ), fresh AS (
             SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $1
             ORDER BY run_at, id LIMIT $5 - (SELECT COUNT(*) FROM recovered) FOR UPDATE SKIP LOCKED
         ), picked AS (
             SELECT id AS claim_id, TRUE AS recovery FROM recovered
             UNION ALL SELECT id, FALSE FROM fresh
         )
         UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3,
             updated_at = $1
         FROM picked WHERE jobs.id = picked.claim_id
         RETURNING {COLUMNS}, picked.recovery"
    );
    let rows = query(&sql)
        .bind(claim.now)
        .bind(claim.worker)
        .bind(claim.until)
        .bind(WORKER_LOST)
        .bind(i64::try_from(claim.limit).unwrap_or(i64::MAX))
        .fetch_all(store.write())
        .await?;
    let mut claimed = rows
        .iter()
        .map(|row| Ok((!row.flag("recovery")?, job_from_row(row)?)))
        .collect::<StoreResult<Vec<_>>>()?;
    // RETURNING order is unspecified: recovered first, then by run_at, id.
    claimed.sort_by_key(|(fresh, j)| (*fresh, j.run_at, j.id));
    Ok(claimed.into_iter().map(|(_, job)| job).collect())
}
