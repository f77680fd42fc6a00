//! The job runner (P2): claims due jobs with a lease, runs them outside any transaction and
//! records the outcome — done, retry with exponential backoff, or dead after the last attempt.
//! Jobs go in batches: one commit claims a batch and one records all its successes, so under a
//! registration rush the worker's bookkeeping does not compete with register-and-pay commit
//! for commit.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use certdesk_domain::{Clock, JobId};
use futures::StreamExt as _;
use jiff::{SignedDuration, Timestamp};
use tracing::Instrument;

use crate::{Conflict, Job, Store, StoreError, StoreResult};

/// Runs one kind of job. Handlers must be idempotent: a job may run again after a crash or an
/// expired lease.
#[async_trait]
pub trait JobHandler: Send + Sync {
    async fn run(&self, job: &Job) -> Result<(), JobFailure>;

    /// Whether `job`'s effect must follow claim order, as an inbox message does (the inbox
    /// lists by arrival). With `with_concurrency` above 1 such jobs still run one at a time,
    /// in claim order, beside the others of their batch. By default a job carries no order.
    fn ordered(&self, _job: &Job) -> bool {
        false
    }
}

/// Why a job failed. `permanent` failures go straight to `dead`; others are retried with
/// backoff until `max_attempts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFailure {
    /// Stored as the job's `last_error` for operators; never logged (it may name a recipient).
    pub message: String,
    pub permanent: bool,
}

impl JobFailure {
    /// A failure worth retrying (network trouble, provider down).
    pub fn retry(message: impl Into<String>) -> JobFailure {
        JobFailure {
            message: message.into(),
            permanent: false,
        }
    }

    /// A failure no retry can fix (the data the job needs is gone).
    pub fn permanent(message: impl Into<String>) -> JobFailure {
        JobFailure {
            message: message.into(),
            permanent: true,
        }
    }
}

/// Exponential backoff: the retry after attempt `n` waits `base · 2^(n−1)`, at most `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: SignedDuration,
    pub cap: SignedDuration,
}

impl Backoff {
    /// The wait after `attempts` attempts (1 for the first failure). Never below one
    /// microsecond, so a failed job is never due again at the instant it failed (a frozen
    /// test clock would otherwise spin on it).
    pub fn delay(&self, attempts: u32) -> SignedDuration {
        let exponent = attempts.saturating_sub(1).min(62);
        let base = self.base.as_micros().max(1);
        let cap = self.cap.as_micros().max(1);
        let micros = base.saturating_mul(1_i128 << exponent).min(cap);
        SignedDuration::from_micros(i64::try_from(micros).unwrap_or(i64::MAX))
    }
}

impl Backoff {
    /// The wait after `attempts` attempts of job `job`: `delay` plus up to a fifth more,
    /// spread by the job's id. Jobs that failed together (a provider's outage) then come back
    /// spread out instead of all at once; the spread is a hash, not a draw, so a job's
    /// schedule can be reproduced.
    pub fn delay_with_jitter(&self, job: JobId, attempts: u32) -> SignedDuration {
        let delay = self.delay(attempts);
        let mut hasher = std::hash::DefaultHasher::new();
        hasher.write_i64(job.get());
        hasher.write_u32(attempts);
        let per_mille = i128::from(hasher.finish() % 1000);
        let extra = delay.as_micros() * per_mille / 5000;
        delay
            .checked_add(SignedDuration::from_micros(
                i64::try_from(extra).unwrap_or(0),
            ))
            .unwrap_or(delay)
    }
}

impl Default for Backoff {
    /// 30 s, 1 min, 2 min, … at most 1 h.
    fn default() -> Self {
        Backoff {
            base: SignedDuration::from_secs(30),
            cap: SignedDuration::from_secs(3600),
        }
    }
}

/// What a runner gives way to: the foreground work of its process (the web answering people).
/// `serve` runs a worker beside the web on the same cores; while the web is busy (a
/// registration rush) the worker waits, so people are answered first and notified right after.
pub trait Foreground: Send + Sync {
    /// More work in flight than the process can run at once.
    fn busy(&self) -> bool;
}

/// How often a runner giving way looks whether the foreground is still busy.
const FOREGROUND_POLL: Duration = Duration::from_millis(20);

/// Whether a runner that has given way for `waited` waits on: while the foreground is busy,
/// never longer than `max_wait` in one go, so the outbox keeps draining under any load.
fn gives_way(busy: bool, waited: Duration, max_wait: Duration) -> bool {
    busy && waited < max_wait
}

/// Longest `last_error` kept, in characters.
const MAX_ERROR_CHARS: usize = 2000;
/// Longest sleep of an idle `run_forever` loop.
const MAX_IDLE: Duration = Duration::from_millis(500);
/// Shortest sleep, so a job due but momentarily locked elsewhere does not spin the loop.
const MIN_IDLE: Duration = Duration::from_millis(10);

/// Claims and runs jobs. Build one per worker task; several runners (in one process or
/// many, on PostgreSQL) may share a database: a job is held by one worker at a time.
pub struct JobRunner {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    backoff: Backoff,
    worker_id: String,
    lease: SignedDuration,
    batch: usize,
    concurrency: usize,
    handlers: HashMap<String, Arc<dyn JobHandler>>,
    /// Given way to before each claim of `run_forever`, at most this long each time.
    foreground: Option<(Arc<dyn Foreground>, Duration)>,
}

impl fmt::Debug for JobRunner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kinds: Vec<&str> = self.handlers.keys().map(String::as_str).collect();
        kinds.sort_unstable();
        f.debug_struct("JobRunner")
            .field("worker_id", &self.worker_id)
            .field("lease", &self.lease)
            .field("batch", &self.batch)
            .field("concurrency", &self.concurrency)
            .field("backoff", &self.backoff)
            .field("kinds", &kinds)
            .field(
                "gives_way_for",
                &self.foreground.as_ref().map(|(_, max)| max),
            )
            .finish_non_exhaustive()
    }
}

impl JobRunner {
    /// The default lease: long enough for any provider call, short enough that a crashed
    /// worker's job is picked up again soon.
    pub const DEFAULT_LEASE: SignedDuration = SignedDuration::from_secs(300);
    /// The default batch: enough to cut the worker's commits by an order of magnitude in a
    /// rush, few enough that one slow handler holds back only a handful of outcomes.
    pub const DEFAULT_BATCH: usize = 16;

    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, backoff: Backoff) -> JobRunner {
        JobRunner {
            store,
            clock,
            backoff,
            worker_id: default_worker_id(),
            lease: Self::DEFAULT_LEASE,
            batch: Self::DEFAULT_BATCH,
            concurrency: 1,
            handlers: HashMap::new(),
            foreground: None,
        }
    }

    /// Names this worker in `jobs.locked_by`; must be unique among running workers.
    pub fn with_worker_id(mut self, worker_id: String) -> JobRunner {
        self.worker_id = worker_id;
        self
    }

    /// How long a claimed job stays held before another worker may take it over.
    pub fn with_lease(mut self, lease: SignedDuration) -> JobRunner {
        self.lease = lease;
        self
    }

    /// How many jobs one claim takes (at least 1). A batch's successes are recorded together
    /// once all its handlers ended, and every lease of a batch starts at its claim: keep
    /// `lease` well above the batch's running time (see `with_concurrency`).
    pub fn with_batch(mut self, batch: usize) -> JobRunner {
        self.batch = batch.max(1);
        self
    }

    /// How many handlers of a batch run at the same time (at least 1, the default: the batch
    /// runs in claim order). Above 1, a batch lasts about as long as its slowest jobs rather
    /// than their sum, which is what jobs waiting on providers need; jobs whose handler calls
    /// them `ordered` still run one after another in claim order (on one of those slots).
    pub fn with_concurrency(mut self, concurrency: usize) -> JobRunner {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Before each claim, `run_forever` waits while `foreground` is busy, but never longer
    /// than `max_wait` in one go: under lasting load the worker still takes a batch at least
    /// that often. `run_batch` and `run_until_idle` never wait.
    pub fn giving_way_to(
        mut self,
        foreground: Arc<dyn Foreground>,
        max_wait: Duration,
    ) -> JobRunner {
        self.foreground = Some((foreground, max_wait));
        self
    }

    /// Routes jobs of `kind` to `handler` (replacing an earlier one for that kind).
    pub fn register(&mut self, kind: &str, handler: Arc<dyn JobHandler>) -> &mut JobRunner {
        self.handlers.insert(kind.to_owned(), handler);
        self
    }

    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Claims one due job, runs it and records the outcome. `false` when nothing was due.
    pub async fn run_one(&self) -> StoreResult<bool> {
        Ok(self.run_claimed(1).await? > 0)
    }

    /// Claims up to a batch of due jobs, runs them (in claim order, `with_concurrency` at a
    /// time) and records the outcomes: every success in one `complete_jobs` commit, each
    /// failure with its own `fail_job` (each has its own retry time). Returns how many ran; 0
    /// when nothing was due. A store error is returned after every outcome that could be
    /// recorded was; a job whose outcome was not recorded stays held until its lease expires,
    /// then runs again (handlers are idempotent).
    pub async fn run_batch(&self) -> StoreResult<usize> {
        self.run_claimed(self.batch).await
    }

    async fn run_claimed(&self, limit: usize) -> StoreResult<usize> {
        let now = self.clock.now();
        let jobs = self
            .store
            .claim_jobs(&self.worker_id, now, self.lease, limit)
            .await?;
        // Each job on its own task (see `execute`), at most `concurrency` at a time: the
        // ordered ones one after another in claim order, the others beside them. Outcomes are
        // recorded in claim order.
        let run = |job: Job| async move {
            let span = tracing::info_span!(
                "job",
                job.id = %job.id,
                job.kind = %job.kind,
                job.attempt = job.attempts,
                worker = %self.worker_id,
            );
            let outcome = self.execute(&job).instrument(span.clone()).await;
            Ran { job, outcome, span }
        };
        let ran: Vec<Ran> = if self.concurrency == 1 {
            futures::stream::iter(jobs.into_iter().map(run))
                .buffered(1)
                .collect()
                .await
        } else {
            let claim_order: HashMap<JobId, usize> =
                jobs.iter().enumerate().map(|(i, j)| (j.id, i)).collect();
            let (ordered, free): (Vec<Job>, Vec<Job>) =
                jobs.into_iter().partition(|job| self.is_ordered(job));
            let ordered_slot = !ordered.is_empty();
            let in_order = futures::stream::iter(ordered.into_iter().map(run))
                .buffered(1)
                .collect::<Vec<Ran>>();
            let beside = futures::stream::iter(free.into_iter().map(run))
                .buffer_unordered(match ordered_slot {
                    true => self.concurrency - 1,
                    false => self.concurrency,
                })
                .collect::<Vec<Ran>>();
            let (mut ran, beside) = futures::join!(in_order, beside);
            ran.extend(beside);
            ran.sort_by_key(|r| claim_order.get(&r.job.id).copied());
            ran
        };
        let count = ran.len();
        let now = self.clock.now();
        let (done, failed): (Vec<Ran>, Vec<Ran>) = ran.into_iter().partition(|r| r.outcome.is_ok());
        let mut first_error = None;
        if let Err(e) = self.record_done(&done, now).await {
            first_error = Some(e);
        }
        for ran in failed {
            let Err(failure) = ran.outcome else {
                continue;
            };
            let recorded = self
                .record_failure(&ran.job, &failure, now)
                .instrument(ran.span)
                .await;
            if let Err(e) = recorded {
                first_error.get_or_insert(e);
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(count),
        }
    }

    /// All successes of a batch in one commit (P1: each keeps its promise in it).
    async fn record_done(&self, done: &[Ran], now: Timestamp) -> StoreResult<()> {
        if done.is_empty() {
            return Ok(());
        }
        let ids: Vec<JobId> = done.iter().map(|r| r.job.id).collect();
        let not_done = self.store.complete_jobs(&ids, &self.worker_id, now).await?;
        for ran in done {
            let _span = ran.span.enter();
            if not_done.contains(&ran.job.id) {
                // The lease ran out and another worker took the job over: its outcome wins.
                tracing::warn!("lease lost before the outcome was recorded");
            } else {
                tracing::debug!("job done");
            }
        }
        Ok(())
    }

    async fn record_failure(
        &self,
        job: &Job,
        failure: &JobFailure,
        now: Timestamp,
    ) -> StoreResult<()> {
        let retry_at = self.retry_at(job, failure, now);
        if retry_at.is_some() {
            tracing::warn!(
                max_attempts = job.max_attempts,
                "job failed; will retry (see jobs.last_error)"
            );
        } else {
            tracing::error!(
                max_attempts = job.max_attempts,
                "job dead (see jobs.last_error)"
            );
        }
        let message = truncate(&failure.message, MAX_ERROR_CHARS);
        match self
            .store
            .fail_job(job.id, &self.worker_id, &message, now, retry_at)
            .await
        {
            // The lease ran out and another worker took the job over: its outcome wins.
            Err(StoreError::Conflict(Conflict::JobNotHeld)) => {
                tracing::warn!("lease lost before the outcome was recorded");
                Ok(())
            }
            other => other,
        }
    }

    fn is_ordered(&self, job: &Job) -> bool {
        self.handlers
            .get(&job.kind)
            .is_none_or(|handler| handler.ordered(job))
    }

    /// Runs the handler on its own task, so a panic is a failure of this job, not of the worker.
    async fn execute(&self, job: &Job) -> Result<(), JobFailure> {
        let Some(handler) = self.handlers.get(&job.kind).cloned() else {
            return Err(JobFailure::retry(format!(
                "no handler registered for job kind {:?}",
                job.kind
            )));
        };
        let owned = job.clone();
        let task = tokio::spawn(async move { handler.run(&owned).await }.in_current_span());
        match task.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => Err(JobFailure::retry(format!(
                "handler panicked: {}",
                panic_message(e.into_panic())
            ))),
            Err(_) => Err(JobFailure::retry("handler task was cancelled")),
        }
    }

    fn retry_at(&self, job: &Job, failure: &JobFailure, now: Timestamp) -> Option<Timestamp> {
        if failure.permanent || job.attempts >= job.max_attempts {
            return None;
        }
        Some(
            now.saturating_add(self.backoff.delay_with_jitter(job.id, job.attempts))
                .unwrap_or(now),
        )
    }

    /// Runs due jobs until none is due at `clock.now()` (T3: the test clock answers only after
    /// every job due by then has run). Returns how many ran. Jobs that fail are rescheduled
    /// strictly later, so this always ends on a frozen clock.
    pub async fn run_until_idle(&self) -> StoreResult<usize> {
        let mut total = 0;
        loop {
            match self.run_batch().await? {
                0 => return Ok(total),
                ran => total += ran,
            }
        }
    }

    /// Polls for jobs until `shutdown` turns true (or its sender is dropped), sleeping at most
    /// ~500 ms, less when a job falls due sooner. Store errors are logged and retried. Only a
    /// full batch is followed by another claim at once: after a partial one the queue is
    /// drained, and the short sleep lets jobs enqueued meanwhile gather into the next batch
    /// rather than cost a claim commit each.
    pub async fn run_forever(&self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        tracing::info!(worker = %self.worker_id, "job runner started");
        loop {
            if *shutdown.borrow_and_update() {
                break;
            }
            self.give_way().await;
            let idle = match self.run_batch().await {
                Ok(ran) if ran >= self.batch => continue,
                Ok(_) => self.idle_time().await,
                Err(e) => {
                    tracing::error!(worker = %self.worker_id, error = %e, "job runner store error");
                    MAX_IDLE
                }
            };
            tokio::select! {
                () = tokio::time::sleep(idle) => {}
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        break;
                    }
                }
            }
        }
        tracing::info!(worker = %self.worker_id, "job runner stopped");
    }

    /// Waits while the foreground is busy (see `giving_way_to`).
    async fn give_way(&self) {
        let Some((foreground, max_wait)) = &self.foreground else {
            return;
        };
        let started = std::time::Instant::now();
        while gives_way(foreground.busy(), started.elapsed(), *max_wait) {
            tokio::time::sleep(FOREGROUND_POLL).await;
        }
    }

    async fn idle_time(&self) -> Duration {
        match self.store.next_job_due().await {
            Ok(Some(due)) => {
                let wait = self.clock.now().duration_until(due);
                Duration::try_from(wait)
                    .unwrap_or(MIN_IDLE)
                    .clamp(MIN_IDLE, MAX_IDLE)
            }
            Ok(None) => MAX_IDLE,
            Err(e) => {
                tracing::error!(worker = %self.worker_id, error = %e, "job runner store error");
                MAX_IDLE
            }
        }
    }
}

/// One job of a batch after its handler ran.
struct Ran {
    job: Job,
    outcome: Result<(), JobFailure>,
    /// The job's span, for recording its outcome under it.
    span: tracing::Span,
}

fn default_worker_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // RandomState is seeded randomly per process: enough to tell workers on two hosts apart.
    let salt = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("worker-{}-{n}-{:08x}", std::process::id(), salt as u32)
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-text panic payload)".to_owned()
    }
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Backoff {
            base: SignedDuration::from_secs(10),
            cap: SignedDuration::from_secs(60),
        };
        assert_eq!(b.delay(1), SignedDuration::from_secs(10));
        assert_eq!(b.delay(2), SignedDuration::from_secs(20));
        assert_eq!(b.delay(3), SignedDuration::from_secs(40));
        assert_eq!(b.delay(4), SignedDuration::from_secs(60));
        assert_eq!(b.delay(200), SignedDuration::from_secs(60));
        assert_eq!(b.delay(0), SignedDuration::from_secs(10));
        let zero = Backoff {
            base: SignedDuration::ZERO,
            cap: SignedDuration::ZERO,
        };
        assert_eq!(zero.delay(5), SignedDuration::from_micros(1));
    }

    #[test]
    fn jitter_adds_at_most_a_fifth_and_spreads_jobs() {
        let b = Backoff {
            base: SignedDuration::from_secs(100),
            cap: SignedDuration::from_secs(3600),
        };
        let waits: Vec<i64> = (1..=50)
            .map(|id| b.delay_with_jitter(JobId(id), 1).as_micros() as i64)
            .collect();
        assert!(
            waits
                .iter()
                .all(|w| (100_000_000..=120_000_000).contains(w))
        );
        let distinct: std::collections::HashSet<_> = waits.iter().collect();
        assert!(
            distinct.len() > 40,
            "jobs failing together come back spread out"
        );
        assert_eq!(
            b.delay_with_jitter(JobId(7), 3),
            b.delay_with_jitter(JobId(7), 3),
            "reproducible"
        );
    }

    #[test]
    fn a_busy_foreground_is_given_way_to_for_at_most_the_limit() {
        let max = Duration::from_secs(1);
        assert!(gives_way(true, Duration::ZERO, max));
        assert!(gives_way(true, Duration::from_millis(999), max));
        assert!(
            !gives_way(true, max, max),
            "at the limit the worker takes a batch"
        );
        assert!(!gives_way(true, Duration::from_secs(5), max));
        assert!(
            !gives_way(false, Duration::ZERO, max),
            "an idle web is not waited for"
        );
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("短信失败", 2), "短信…");
        assert_eq!(truncate("ok", 2), "ok");
    }

    #[test]
    fn worker_ids_differ() {
        assert_ne!(default_worker_id(), default_worker_id());
    }
}
