//! The jobs table (P2): enqueue with dedup, claim with a lease, record outcomes. Claims are
//! each database's own (`sqlite/jobs.rs`: the single writer; `postgres/jobs.rs`: `SKIP
//! LOCKED`); everything else is here, once.

use std::collections::HashSet;

use async_trait::async_trait;
use certdesk_domain::JobId;
use certdesk_store::{
    Conflict, Job, JobStatus, JobStore, NewAuditEntry, NewJob, Page, PageRequest, StoreError,
    StoreResult,
};
use jiff::{SignedDuration, Timestamp};

use crate::SqlStore;
use crate::convert::{
    before, fetch_limit, from_json, from_ts, from_ts_opt, into_page, parse, to_json, to_u32, ts,
};
use crate::db::{Backend, Row, Tx, query};

pub(crate) const COLUMNS: &str =
    "id, kind, payload, channel, dedup_key, status, attempts, max_attempts, run_at, locked_by,
                       locked_until, last_error, created_at, updated_at";

/// Written as `last_error` when a worker vanished during a job's last attempt.
pub(crate) const WORKER_LOST: &str = "lease expired during the last attempt (worker lost)";

pub(crate) fn job_from_row(row: &Row) -> StoreResult<Job> {
    Ok(Job {
        id: JobId(row.get("id")?),
        kind: row.get("kind")?,
        payload: from_json(&row.get::<String>("payload")?, "job payload")?,
        channel: row.get("channel")?,
        dedup_key: row.get("dedup_key")?,
        status: parse(&row.get::<String>("status")?, "job status")?,
        attempts: to_u32(row.get("attempts")?, "attempts")?,
        max_attempts: to_u32(row.get("max_attempts")?, "max attempts")?,
        run_at: from_ts(row.get("run_at")?)?,
        locked_by: row.get("locked_by")?,
        locked_until: from_ts_opt(row.get("locked_until")?)?,
        last_error: row.get("last_error")?,
        created_at: from_ts(row.get("created_at")?)?,
        updated_at: from_ts(row.get("updated_at")?)?,
    })
}

/// Jobs per INSERT statement (7 parameters each, far below either database's limit).
const ROWS_PER_INSERT: usize = 100;
/// Ids per `IN (…)` list (one parameter each, far below either database's limit).
const IDS_PER_STATEMENT: usize = 500;

/// Enqueues inside the caller's transaction; a `dedup_key` already present keeps the first
/// job. `now` is the commit's clock reading (`None`: each job's `run_at`). Jobs that keep a
/// promise (P1) are written with it by register-and-pay (`sqlite/paid.rs`, `postgres/paid.rs`).
pub(crate) async fn enqueue(
    tx: &mut Tx,
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
        let mut insert = query(&sql);
        for job in chunk {
            insert = insert
                .bind(&job.kind)
                .bind(to_json(&job.payload)?)
                .bind(&job.channel)
                .bind(&job.dedup_key)
                .bind(i64::from(job.max_attempts))
                .bind(ts(job.run_at))
                .bind(ts(now.unwrap_or(job.run_at)));
        }
        insert.execute(&mut *tx).await?;
    }
    Ok(())
}

/// The job kind of every notification (`certdesk_notify::NOTIFY_KIND`).
const NOTIFY_KIND: &str = "notify";

/// P1: the promises of jobs that just ended are kept, in the transaction that ends them, once
/// no other job of the same promise is still to run (a notification has one job per
/// channel). A promise already kept or voided stays as it is.
async fn keep_promises(tx: &mut Tx, promises: &[i64], now: Timestamp) -> StoreResult<()> {
    for chunk in promises.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE promises SET kept_at = $1
             WHERE id IN ({}) AND kept_at IS NULL AND voided_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.promise_id = promises.id
                               AND j.status IN ('pending', 'running'))",
            placeholders(2, chunk.len())
        );
        let mut keep = query(&sql).bind(ts(now));
        for promise in chunk {
            keep = keep.bind(*promise);
        }
        keep.execute(&mut *tx).await?;
    }
    Ok(())
}

/// What a worker asks for when it claims jobs (`JobStore::claim_jobs`): up to `limit` due
/// jobs at `now`, leased to `worker` until `until` (UTC microseconds).
pub(crate) struct Claim<'a> {
    pub worker: &'a str,
    pub now: i64,
    pub until: i64,
    pub limit: usize,
}

/// `$first, $first+1, …`: `n` placeholders for an `IN (…)` list.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqlStore {
    /// After an outcome update matched nothing: unknown job, or not ours / not in that state.
    async fn missing_or(&self, id: JobId, conflict: Conflict) -> StoreError {
        match query("SELECT 1 FROM jobs WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.read())
            .await
        {
            Ok(Some(_)) => StoreError::Conflict(conflict),
            Ok(None) => StoreError::NotFound,
            Err(e) => StoreError::from(e),
        }
    }
}

#[async_trait]
impl JobStore for SqlStore {
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
        let claim = Claim {
            worker,
            now: ts(now),
            until: ts(now.saturating_add(lease).unwrap_or(now)),
            limit,
        };
        let claimed = match self.backend() {
            Backend::Sqlite => crate::sqlite::claim_jobs(self, &claim).await?,
            Backend::Postgres => crate::postgres::claim_jobs(self, &claim).await?,
        };
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
        let mut tx = self.begin().await?;
        let mut done = HashSet::new();
        let mut kept = Vec::new();
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let sql = format!(
                "UPDATE jobs SET status = 'done', locked_by = NULL, locked_until = NULL, updated_at = $2
                 WHERE id IN ({}) AND status = 'running' AND locked_by = $1 RETURNING id, promise_id",
                placeholders(3, chunk.len())
            );
            let mut update = query(&sql).bind(worker).bind(ts(now));
            for id in chunk {
                update = update.bind(id.get());
            }
            for row in update.fetch_all(&mut tx).await? {
                done.insert(row.int("id")?);
                kept.extend(row.int_opt("promise_id")?);
            }
        }
        keep_promises(&mut tx, &kept, now).await?;
        tx.commit().await?;
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
        let mut tx = self.begin().await?;
        let failed = query(
            "UPDATE jobs SET status = $4, run_at = COALESCE($5, run_at), last_error = $6, locked_by = NULL,
                 locked_until = NULL, updated_at = $3
             WHERE id = $1 AND status = 'running' AND locked_by = $2 RETURNING kind, promise_id",
        )
        .bind(id.get())
        .bind(worker)
        .bind(ts(now))
        .bind(status.as_str())
        .bind(retry_at.map(ts))
        .bind(error)
        .fetch_optional(&mut tx)
        .await?;
        let Some(failed) = failed else {
            drop(tx);
            return Err(self.missing_or(id, Conflict::JobNotHeld).await);
        };
        // P1: a notification's promise is kept once every channel has delivered or finally
        // failed; a dead job of any other kind (a ticket, a certificate) keeps nothing.
        if status == JobStatus::Dead && failed.text("kind")? == NOTIFY_KIND {
            let promise: Vec<i64> = failed.int_opt("promise_id")?.into_iter().collect();
            keep_promises(&mut tx, &promise, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn get_job(&self, id: JobId) -> StoreResult<Job> {
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
        let row = query(&sql)
            .bind(id.get())
            .fetch_optional(self.read())
            .await?;
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
        let rows = query(&sql)
            .bind(status.map(JobStatus::as_str))
            .bind(before(page))
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(job_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |j| j.id.get()))
    }

    async fn next_job_due(&self) -> StoreResult<Option<Timestamp>> {
        let due = query("SELECT MIN(run_at) AS due FROM jobs WHERE status = 'pending'")
            .fetch_one(self.read())
            .await?
            .int_opt("due")?;
        from_ts_opt(due)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(job_id = %id))]
    async fn commit_job_retry(
        &self,
        id: JobId,
        now: Timestamp,
        audit: NewAuditEntry,
    ) -> StoreResult<Job> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE jobs SET status = 'pending', attempts = 0, run_at = $2, locked_by = NULL, locked_until = NULL,
                 updated_at = $2
             WHERE id = $1 AND status = 'dead' RETURNING {COLUMNS}"
        );
        let row = query(&sql)
            .bind(id.get())
            .bind(ts(now))
            .fetch_optional(&mut tx)
            .await?;
        let Some(row) = row else {
            drop(tx);
            return Err(self.missing_or(id, Conflict::JobNotDead).await);
        };
        crate::audit::insert(&mut tx, &audit).await?;
        let job = job_from_row(&row)?;
        tx.commit().await?;
        Ok(job)
    }

    async fn enqueue_jobs(&self, jobs: Vec<NewJob>) -> StoreResult<()> {
        if jobs.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        enqueue(&mut tx, &jobs, None).await?;
        Ok(tx.commit().await?)
    }
}

/// Enqueues inside the caller's transaction like [`enqueue`], except that a job keeping a
/// promise (P1) is linked to the promise of that kind recorded for `registration` earlier in
/// the same transaction (I4's confirmation email keeps the promise recorded at payment).
pub(crate) async fn enqueue_for_registration(
    tx: &mut Tx,
    registration: i64,
    jobs: &[NewJob],
    now: Timestamp,
) -> StoreResult<()> {
    let (keeping, plain): (Vec<NewJob>, Vec<NewJob>) = jobs
        .iter()
        .cloned()
        .partition(|j| j.keeps_promise.is_some());
    enqueue(tx, &plain, Some(now)).await?;
    for job in &keeping {
        let kind = job.keeps_promise.map(|k| k.as_str()).unwrap_or_default();
        let promise = query(
            "SELECT id FROM promises WHERE registration_id = $1 AND kind = $2
               AND kept_at IS NULL AND voided_at IS NULL ORDER BY id DESC LIMIT 1",
        )
        .bind(registration)
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| {
            StoreError::Other(anyhow::anyhow!(
                "job {:?} keeps a {kind} promise the commit did not record",
                job.kind
            ))
        })?
        .int("id")?;
        query(
            "INSERT INTO jobs (kind, payload, channel, dedup_key, status, attempts, max_attempts,
                               run_at, created_at, updated_at, promise_id)
             VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, $7, $7, $8)
             ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(&job.kind)
        .bind(to_json(&job.payload)?)
        .bind(&job.channel)
        .bind(&job.dedup_key)
        .bind(i64::from(job.max_attempts))
        .bind(ts(job.run_at))
        .bind(ts(now))
        .bind(promise)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
