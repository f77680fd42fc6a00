//! The jobs table (P2): enqueue with dedup, claim with a lease, record outcomes.
//! Every write runs on the single writer connection, so a claim is atomic by construction.

use std::collections::HashSet;

use async_trait::async_trait;
use certdesk_domain::JobId;
use certdesk_store::{
    Conflict, Job, JobStatus, JobStore, NewAuditEntry, NewJob, Page, PageRequest, StoreError,
    StoreResult,
};
use jiff::{SignedDuration, Timestamp};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, SqliteConnection};

use crate::SqliteStore;
use crate::convert::{
    before, fetch_limit, from_json, from_ts, from_ts_opt, into_page, parse, to_json, to_u32, ts,
};
use crate::error::DbResultExt as _;

const COLUMNS: &str =
    "id, kind, payload, channel, dedup_key, status, attempts, max_attempts, run_at, locked_by,
                       locked_until, last_error, created_at, updated_at";

/// Written as `last_error` when a worker vanished during a job's last attempt.
const WORKER_LOST: &str = "lease expired during the last attempt (worker lost)";

fn job_from_row(row: &SqliteRow) -> StoreResult<Job> {
    Ok(Job {
        id: JobId(row.try_get("id").db()?),
        kind: row.try_get("kind").db()?,
        payload: from_json(&row.try_get::<String, _>("payload").db()?, "job payload")?,
        channel: row.try_get("channel").db()?,
        dedup_key: row.try_get("dedup_key").db()?,
        status: parse(&row.try_get::<String, _>("status").db()?, "job status")?,
        attempts: to_u32(row.try_get("attempts").db()?, "attempts")?,
        max_attempts: to_u32(row.try_get("max_attempts").db()?, "max attempts")?,
        run_at: from_ts(row.try_get("run_at").db()?)?,
        locked_by: row.try_get("locked_by").db()?,
        locked_until: from_ts_opt(row.try_get("locked_until").db()?)?,
        last_error: row.try_get("last_error").db()?,
        created_at: from_ts(row.try_get("created_at").db()?)?,
        updated_at: from_ts(row.try_get("updated_at").db()?)?,
    })
}

/// Jobs per INSERT statement (7 parameters each, far below SQLite's limit).
const ROWS_PER_INSERT: usize = 100;
/// Job ids per completing UPDATE (one parameter each, far below SQLite's limit).
const IDS_PER_STATEMENT: usize = 500;

/// Enqueues inside the caller's transaction; a `dedup_key` already present keeps the first
/// job. `now` is the commit's clock reading (`None`: each job's `run_at`). Jobs that keep a
/// promise (P1) are written with it by register-and-pay (`official/paid.rs`).
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    jobs: &[NewJob],
    now: Option<Timestamp>,
) -> StoreResult<()> {
    if let Some(job) = jobs.iter().find(|j| j.keeps_promise.is_some()) {
        return Err(StoreError::Other(anyhow::anyhow!(
            "job {:?} keeps a promise, but this commit records none",
            job.kind
        )));
    }
    for chunk in jobs.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p: Vec<String> = (1..=7).map(|k| format!("${}", 7 * i + k)).collect();
                format!(
                    "({}, {}, {}, {}, 'pending', 0, {}, {}, {}, {})",
                    p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[6]
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO jobs (kind, payload, channel, dedup_key, status, attempts, max_attempts, run_at,
                               created_at, updated_at)
             VALUES {} ON CONFLICT (dedup_key) DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for job in chunk {
            query = query
                .bind(&job.kind)
                .bind(to_json(&job.payload)?)
                .bind(&job.channel)
                .bind(&job.dedup_key)
                .bind(i64::from(job.max_attempts))
                .bind(ts(job.run_at))
                .bind(ts(now.unwrap_or(job.run_at)));
        }
        query.execute(&mut *conn).await.db()?;
    }
    Ok(())
}

impl SqliteStore {
    /// After an outcome update matched nothing: unknown job, or not ours / not in that state.
    async fn missing_or(&self, id: JobId, conflict: Conflict) -> StoreError {
        match sqlx::query("SELECT 1 FROM jobs WHERE id = $1")
            .bind(id.get())
            .fetch_optional(&self.readers)
            .await
        {
            Ok(Some(_)) => StoreError::Conflict(conflict),
            Ok(None) => StoreError::NotFound,
            Err(e) => crate::error::db_error(e),
        }
    }
}

#[async_trait]
impl JobStore for SqliteStore {
    #[tracing::instrument(level = "debug", skip_all, fields(worker = %worker, limit))]
    async fn claim_jobs(
        &self,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
        limit: usize,
    ) -> StoreResult<Vec<Job>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let now_us = ts(now);
        let until = ts(now.saturating_add(lease).unwrap_or(now));
        let mut tx = self.begin_write().await?;
        // P2: a job whose worker vanished during its last attempt is dead, not run again.
        sqlx::query(
            "UPDATE jobs SET status = 'dead', last_error = $2, locked_by = NULL, locked_until = NULL, updated_at = $1
             WHERE status = 'running' AND locked_until <= $1 AND attempts >= max_attempts",
        )
        .bind(now_us)
        .bind(WORKER_LOST)
        .execute(&mut *tx)
        .await
        .db()?;
        // Expired leases are recovered first; then due pending jobs by run_at, id. One
        // statement per group keeps each on its own index; the commit is what costs.
        let candidates = [
            "SELECT id FROM jobs WHERE status = 'running' AND locked_until <= $1 AND attempts < max_attempts
             ORDER BY run_at, id LIMIT $4",
            "SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $1 ORDER BY run_at, id LIMIT $4",
        ];
        let mut claimed = Vec::new();
        for candidate in candidates {
            let left = limit - claimed.len();
            if left == 0 {
                break;
            }
            let sql = format!(
                "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3,
                     updated_at = $1
                 WHERE id IN ({candidate}) RETURNING {COLUMNS}"
            );
            let rows = sqlx::query(&sql)
                .bind(now_us)
                .bind(worker)
                .bind(until)
                .bind(i64::try_from(left).unwrap_or(i64::MAX))
                .fetch_all(&mut *tx)
                .await
                .db()?;
            // RETURNING order is unspecified: put the group in claim order.
            let mut group = rows
                .iter()
                .map(job_from_row)
                .collect::<StoreResult<Vec<_>>>()?;
            group.sort_by_key(|j| (j.run_at, j.id));
            claimed.extend(group);
        }
        tx.commit().await.db()?;
        for job in &claimed {
            tracing::debug!(job_id = %job.id, attempt = job.attempts, "job claimed");
        }
        Ok(claimed)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(job_id = %id, worker = %worker))]
    async fn complete_job(&self, id: JobId, worker: &str, now: Timestamp) -> StoreResult<()> {
        if self.complete_jobs(&[id], worker, now).await?.is_empty() {
            Ok(())
        } else {
            Err(self.missing_or(id, Conflict::JobNotHeld).await)
        }
    }

    #[tracing::instrument(level = "debug", skip_all, fields(jobs = ids.len(), worker = %worker))]
    async fn complete_jobs(
        &self,
        ids: &[JobId],
        worker: &str,
        now: Timestamp,
    ) -> StoreResult<Vec<JobId>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin_write().await?;
        let mut done = HashSet::new();
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let placeholders: Vec<String> =
                (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
            let sql = format!(
                "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, updated_at = $2
                 WHERE id IN ({}) AND status = 'running' AND locked_by = $1 RETURNING id, promise_id",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64, Option<i64>)>(&sql)
                .bind(worker)
                .bind(ts(now));
            for id in chunk {
                query = query.bind(id.get());
            }
            for (id, promise) in query.fetch_all(&mut *tx).await.db()? {
                // P1: the job kept its promise, in the same transaction that marks it done.
                if let Some(promise) = promise {
                    crate::official::promises::keep(&mut tx, promise, now).await?;
                }
                done.insert(id);
            }
        }
        tx.commit().await.db()?;
        Ok(ids
            .iter()
            .copied()
            .filter(|id| !done.contains(&id.get()))
            .collect())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(job_id = %id, worker = %worker))]
    async fn fail_job(
        &self,
        id: JobId,
        worker: &str,
        error: &str,
        now: Timestamp,
        retry_at: Option<Timestamp>,
    ) -> StoreResult<()> {
        let status = if retry_at.is_some() {
            JobStatus::Pending
        } else {
            JobStatus::Dead
        };
        let failed = sqlx::query(
            "UPDATE jobs SET status = $4, run_at = COALESCE($5, run_at), last_error = $6, locked_by = NULL,
                 locked_until = NULL, updated_at = $3
             WHERE id = $1 AND status = 'running' AND locked_by = $2",
        )
        .bind(id.get())
        .bind(worker)
        .bind(ts(now))
        .bind(status.as_str())
        .bind(retry_at.map(ts))
        .bind(error)
        .execute(&self.writer)
        .await
        .db()?;
        if failed.rows_affected() == 0 {
            return Err(self.missing_or(id, Conflict::JobNotHeld).await);
        }
        Ok(())
    }

    async fn get_job(&self, id: JobId) -> StoreResult<Job> {
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.get())
            .fetch_optional(&self.readers)
            .await
            .db()?;
        job_from_row(&row.ok_or(StoreError::NotFound)?)
    }

    async fn list_jobs(
        &self,
        status: Option<JobStatus>,
        page: PageRequest,
    ) -> StoreResult<Page<Job>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM jobs WHERE ($1 IS NULL OR status = $1) AND id < $2 ORDER BY id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(status.map(JobStatus::as_str))
            .bind(before(page))
            .bind(fetch_limit(page))
            .fetch_all(&self.readers)
            .await
            .db()?;
        let items = rows
            .iter()
            .map(job_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |j| j.id.get()))
    }

    async fn next_job_due(&self) -> StoreResult<Option<Timestamp>> {
        let due: Option<i64> =
            sqlx::query_scalar("SELECT MIN(run_at) FROM jobs WHERE status = 'pending'")
                .fetch_one(&self.readers)
                .await
                .db()?;
        from_ts_opt(due)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(job_id = %id))]
    async fn commit_job_retry(
        &self,
        id: JobId,
        now: Timestamp,
        audit: NewAuditEntry,
    ) -> StoreResult<Job> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "UPDATE jobs SET status = 'pending', attempts = 0, run_at = $2, locked_by = NULL, locked_until = NULL,
                 updated_at = $2
             WHERE id = $1 AND status = 'dead' RETURNING {COLUMNS}"
        );
        let row = sqlx::query(&sql)
            .bind(id.get())
            .bind(ts(now))
            .fetch_optional(&mut *tx)
            .await
            .db()?;
        let Some(row) = row else {
            drop(tx);
            return Err(self.missing_or(id, Conflict::JobNotDead).await);
        };
        crate::audit::insert(&mut tx, &audit).await?;
        let job = job_from_row(&row)?;
        tx.commit().await.db()?;
        Ok(job)
    }

    async fn enqueue_jobs(&self, jobs: Vec<NewJob>) -> StoreResult<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        enqueue(&mut tx, &jobs, None).await?;
        tx.commit().await.db()
    }
}
