//! The job runner on a real store: backoff, dead jobs, panics, concurrent workers (P2, T3).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use certdesk_domain::{JobId, TestClock};
use jiff::SignedDuration;

use super::fixtures::{all_jobs, job, t0};
use crate::{Backoff, Job, JobFailure, JobHandler, JobRunner, JobStatus, NewJob, Store};

const BACKOFF: Backoff = Backoff {
    base: SignedDuration::from_secs(10),
    cap: SignedDuration::from_secs(3600),
};

/// Fails `failures` times, then succeeds; counts its runs.
#[derive(Debug, Default)]
struct Flaky {
    failures: AtomicU32,
    runs: AtomicU32,
}

#[async_trait]
impl JobHandler for Flaky {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        let left = self.failures.load(Ordering::SeqCst);
        if left > 0 {
            self.failures.store(left - 1, Ordering::SeqCst);
            return Err(JobFailure::retry("provider down"));
        }
        Ok(())
    }
}

#[derive(Debug)]
struct Permanent;

#[async_trait]
impl JobHandler for Permanent {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        Err(JobFailure::permanent("registration no longer exists"))
    }
}

#[derive(Debug)]
struct Panics;

#[async_trait]
impl JobHandler for Panics {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        panic!("template missing")
    }
}

/// Fails each job's first attempt; later attempts succeed.
#[derive(Debug)]
struct FailsFirst;

#[async_trait]
impl JobHandler for FailsFirst {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        if job.attempts == 1 {
            return Err(JobFailure::retry("first attempt fails"));
        }
        Ok(())
    }
}

/// Returns only once as many jobs wait together as the barrier counts: proof that a batch's
/// handlers run at the same time.
#[derive(Debug)]
struct Together(tokio::sync::Barrier);

#[async_trait]
impl JobHandler for Together {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        self.0.wait().await;
        Ok(())
    }
}

/// Records the order in which jobs finish; a job scheduled earlier takes longer.
#[derive(Debug, Default)]
struct Finishing(Mutex<Vec<JobId>>);

#[async_trait]
impl JobHandler for Finishing {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let ms = 60 - job.run_at.duration_since(t0()).as_secs().clamp(0, 50);
        tokio::time::sleep(Duration::from_millis(ms.unsigned_abs())).await;
        self.0.lock().expect("lock").push(job.id);
        Ok(())
    }
}

/// `Finishing`, whose jobs must keep claim order.
#[derive(Debug, Default)]
struct OrderedFinishing(Finishing);

#[async_trait]
impl JobHandler for OrderedFinishing {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        self.0.run(job).await
    }

    fn ordered(&self, _job: &Job) -> bool {
        true
    }
}

/// Records how often each job ran.
#[derive(Debug, Default)]
struct Counting(Mutex<HashMap<JobId, u32>>);

#[async_trait]
impl JobHandler for Counting {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        tokio::task::yield_now().await;
        *self.0.lock().expect("lock").entry(job.id).or_default() += 1;
        Ok(())
    }
}

fn runner(store: &Arc<dyn Store>, clock: &TestClock, worker: &str) -> JobRunner {
    JobRunner::new(store.clone(), Arc::new(clock.clone()), BACKOFF)
        .with_worker_id(worker.to_owned())
}

fn limited(kind: &str, max_attempts: u32) -> NewJob {
    NewJob {
        max_attempts,
        ..job(kind, t0())
    }
}

pub async fn runner_retries_with_backoff_then_done(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let flaky = Arc::new(Flaky {
        failures: AtomicU32::new(2),
        ..Flaky::default()
    });
    let mut r = runner(&store, &clock, "w1");
    r.register("flaky", flaky.clone());
    store
        .enqueue_jobs(vec![limited("flaky", 5)])
        .await
        .expect("enqueue");

    assert_eq!(r.run_until_idle().await.expect("run"), 1);
    let j = all_jobs(&*store, None).await.pop().expect("job");
    // P2: the backoff, plus the job's own jitter (at most a fifth more).
    let first_wait = BACKOFF.delay_with_jitter(j.id, 1);
    assert!(first_wait >= BACKOFF.base && first_wait <= BACKOFF.base * 6 / 5);
    assert_eq!(
        (j.status, j.attempts, j.run_at),
        (JobStatus::Pending, 1, t0() + first_wait)
    );
    assert_eq!(j.last_error.as_deref(), Some("provider down"));
    clock.set(j.run_at - SignedDuration::from_micros(1));
    assert_eq!(
        r.run_until_idle().await.expect("run"),
        0,
        "not before the backoff"
    );
    clock.set(j.run_at);
    assert_eq!(r.run_until_idle().await.expect("run"), 1);
    let j = store.get_job(j.id).await.expect("get");
    let second_wait = BACKOFF.delay_with_jitter(j.id, 2);
    assert!(second_wait >= BACKOFF.base * 2 && second_wait <= BACKOFF.base * 12 / 5);
    assert_eq!(
        (j.status, j.attempts, j.run_at),
        (JobStatus::Pending, 2, clock_now(&clock) + second_wait)
    );
    clock.set(j.run_at);
    assert_eq!(r.run_until_idle().await.expect("run"), 1);
    let j = store.get_job(j.id).await.expect("get");
    assert_eq!(
        (j.status, j.attempts, j.locked_by),
        (JobStatus::Done, 3, None)
    );
    assert_eq!(flaky.runs.load(Ordering::SeqCst), 3);
}

fn clock_now(clock: &TestClock) -> jiff::Timestamp {
    certdesk_domain::Clock::now(clock)
}

pub async fn runner_dead_after_max_attempts(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let mut r = runner(&store, &clock, "w1");
    r.register(
        "always",
        Arc::new(Flaky {
            failures: AtomicU32::new(u32::MAX),
            ..Flaky::default()
        }),
    );
    r.register("permanent", Arc::new(Permanent));
    store
        .enqueue_jobs(vec![
            limited("always", 3),
            limited("permanent", 3),
            limited("unknown-kind", 3),
        ])
        .await
        .expect("enqueue");

    for _ in 0..5 {
        r.run_until_idle().await.expect("run");
        clock.advance(SignedDuration::from_hours(2));
    }
    let dead = all_jobs(&*store, Some(JobStatus::Dead)).await;
    let by_kind = |kind: &str| dead.iter().find(|j| j.kind == kind).cloned();
    let always = by_kind("always").expect("listed as dead (P2)");
    assert_eq!(
        (always.attempts, always.last_error.as_deref()),
        (3, Some("provider down"))
    );
    let permanent = by_kind("permanent").expect("dead at once");
    assert_eq!(
        (permanent.attempts, permanent.last_error.as_deref()),
        (1, Some("registration no longer exists"))
    );
    // A kind nobody handles is retried (a newer worker may know it), then dead.
    let unknown = by_kind("unknown-kind").expect("dead after retries");
    assert_eq!(unknown.attempts, 3);
    assert!(
        unknown
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("unknown-kind"))
    );
    assert_eq!(store.next_job_due().await.expect("next"), None);
    assert_eq!(r.run_until_idle().await.expect("run"), 0);
}

pub async fn runner_survives_panicking_handler(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let ok = Arc::new(Flaky::default());
    let mut r = runner(&store, &clock, "w1");
    r.register("boom", Arc::new(Panics));
    r.register("ok", ok.clone());
    store
        .enqueue_jobs(vec![limited("boom", 2), limited("ok", 2)])
        .await
        .expect("enqueue");

    assert_eq!(r.run_until_idle().await.expect("the runner survives"), 2);
    let jobs = all_jobs(&*store, None).await;
    let boom = jobs.iter().find(|j| j.kind == "boom").expect("boom");
    assert_eq!(
        (boom.status, boom.attempts),
        (JobStatus::Pending, 1),
        "a panic is a failure, retried"
    );
    assert!(
        boom.last_error
            .as_deref()
            .is_some_and(|e| e.contains("panicked") && e.contains("template missing"))
    );
    assert_eq!(
        jobs.iter().find(|j| j.kind == "ok").expect("ok").status,
        JobStatus::Done
    );
    assert_eq!(ok.runs.load(Ordering::SeqCst), 1);
    clock.advance(SignedDuration::from_hours(1));
    assert_eq!(r.run_until_idle().await.expect("run"), 1);
    assert_eq!(
        store.get_job(boom.id).await.expect("get").status,
        JobStatus::Dead
    );
}

pub async fn runner_concurrent_workers_run_each_job_once(store: Arc<dyn Store>) {
    const JOBS: usize = 200;
    const WORKERS: usize = 4;
    let clock = TestClock::new(t0());
    store
        .enqueue_jobs((0..JOBS).map(|_| job("count", t0())).collect())
        .await
        .expect("enqueue");
    let counting = Arc::new(Counting::default());
    let tasks: Vec<_> = (0..WORKERS)
        .map(|w| {
            let mut r = runner(&store, &clock, &format!("w{w}"))
                .with_batch(8)
                .with_concurrency(4);
            r.register("count", counting.clone());
            tokio::spawn(async move { r.run_until_idle().await })
        })
        .collect();
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("task").expect("run");
    }
    assert_eq!(total, JOBS, "every job claimed exactly once");
    let runs = counting.0.lock().expect("lock").clone();
    assert_eq!(runs.len(), JOBS, "every job ran");
    assert!(runs.values().all(|n| *n == 1), "no job ran twice");
    let done = all_jobs(&*store, Some(JobStatus::Done)).await;
    assert_eq!(done.len(), JOBS);
    assert!(done.iter().all(|j| j.attempts == 1));
}

pub async fn runner_batch_records_successes_and_failures(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let ok = Arc::new(Flaky::default());
    let mut r = runner(&store, &clock, "w1")
        .with_batch(8)
        .with_concurrency(8);
    r.register("ok", ok.clone());
    r.register("together", Arc::new(Together(tokio::sync::Barrier::new(3))));
    r.register("fails-first", Arc::new(FailsFirst));
    r.register("boom", Arc::new(Panics));
    r.register("permanent", Arc::new(Permanent));
    let mut jobs = vec![limited("ok", 2)];
    jobs.extend((0..3).map(|_| limited("together", 2)));
    jobs.extend((0..2).map(|_| limited("fails-first", 2)));
    jobs.extend([limited("boom", 2), limited("permanent", 2)]);
    store.enqueue_jobs(jobs).await.expect("enqueue");

    assert!(
        r.run_one().await.expect("run"),
        "one job, whatever the batch"
    );
    assert_eq!(ok.runs.load(Ordering::SeqCst), 1);
    assert_eq!(all_jobs(&*store, Some(JobStatus::Pending)).await.len(), 7);

    let ran = tokio::time::timeout(Duration::from_secs(10), r.run_batch())
        .await
        .expect("a batch's handlers run concurrently")
        .expect("the runner survives the panic");
    assert_eq!(ran, 7);
    let jobs = all_jobs(&*store, None).await;
    let of = |kind: &str| -> Vec<Job> { jobs.iter().filter(|j| j.kind == kind).cloned().collect() };
    for j in of("together") {
        assert_eq!(
            (j.status, j.attempts, j.locked_by),
            (JobStatus::Done, 1, None)
        );
    }
    for j in of("fails-first").into_iter().chain(of("boom")) {
        assert_eq!(
            (j.status, j.attempts, j.run_at),
            (
                JobStatus::Pending,
                1,
                t0() + BACKOFF.delay_with_jitter(j.id, 1)
            ),
            "{} retried after the backoff",
            j.kind
        );
    }
    assert!(
        of("boom")[0]
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("panicked"))
    );
    let permanent = &of("permanent")[0];
    assert_eq!((permanent.status, permanent.attempts), (JobStatus::Dead, 1));
    assert_eq!(
        r.run_batch().await.expect("run"),
        0,
        "not before the backoff"
    );

    clock.advance(BACKOFF.base * 6 / 5);
    assert_eq!(r.run_until_idle().await.expect("run"), 3);
    for j in of("fails-first") {
        let j = store.get_job(j.id).await.expect("get");
        assert_eq!(
            (j.status, j.attempts, j.last_error.as_deref()),
            (JobStatus::Done, 2, Some("first attempt fails"))
        );
    }
    let boom = store.get_job(of("boom")[0].id).await.expect("get");
    assert_eq!((boom.status, boom.attempts), (JobStatus::Dead, 2));
    assert_eq!(all_jobs(&*store, Some(JobStatus::Done)).await.len(), 6);
}

pub async fn runner_batch_runs_in_claim_order(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let finishing = Arc::new(Finishing::default());
    let mut r = runner(&store, &clock, "w1");
    r.register("ordered", finishing.clone());
    store
        .enqueue_jobs(
            (0..6)
                .map(|i| job("ordered", t0() + SignedDuration::from_secs(10 * (5 - i))))
                .collect(),
        )
        .await
        .expect("enqueue");
    clock.advance(SignedDuration::from_mins(1));
    assert_eq!(r.run_batch().await.expect("run"), 6, "one batch");
    let mut claim_order = all_jobs(&*store, None).await;
    claim_order.sort_by_key(|j| (j.run_at, j.id));
    assert_eq!(
        *finishing.0.lock().expect("lock"),
        claim_order.iter().map(|j| j.id).collect::<Vec<_>>(),
        "one at a time, in claim order, though earlier jobs take longer"
    );
}

/// With concurrency, jobs whose handler calls them ordered (inbox messages) still finish in
/// claim order, one at a time, while the batch's other jobs (provider calls) run beside them.
pub async fn runner_ordered_jobs_keep_claim_order_beside_concurrent_ones(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let finishing = Arc::new(OrderedFinishing::default());
    let mut r = runner(&store, &clock, "w1")
        .with_batch(8)
        .with_concurrency(4);
    r.register("ordered", finishing.clone());
    r.register("together", Arc::new(Together(tokio::sync::Barrier::new(3))));
    let mut jobs: Vec<NewJob> = (0..5)
        .map(|i| job("ordered", t0() + SignedDuration::from_secs(10 * (5 - i))))
        .collect();
    jobs.extend((0..3).map(|_| job("together", t0())));
    store.enqueue_jobs(jobs).await.expect("enqueue");
    clock.advance(SignedDuration::from_mins(1));

    let ran = tokio::time::timeout(Duration::from_secs(10), r.run_batch())
        .await
        .expect("the three `together` jobs ran at once, beside the ordered ones")
        .expect("run");
    assert_eq!(ran, 8, "one batch");
    let mut claim_order: Vec<Job> = all_jobs(&*store, None)
        .await
        .into_iter()
        .filter(|j| j.kind == "ordered")
        .collect();
    claim_order.sort_by_key(|j| (j.run_at, j.id));
    assert_eq!(
        *finishing.0.0.lock().expect("lock"),
        claim_order.iter().map(|j| j.id).collect::<Vec<_>>(),
        "ordered jobs finish in claim order though earlier ones take longer"
    );
    assert_eq!(all_jobs(&*store, Some(JobStatus::Done)).await.len(), 8);
}

pub async fn runner_run_forever_stops_on_shutdown(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let ok = Arc::new(Flaky::default());
    let mut r = runner(&store, &clock, "w1");
    r.register("ok", ok.clone());
    let (tx, rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(async move { r.run_forever(rx).await });

    store
        .enqueue_jobs(vec![job("ok", t0())])
        .await
        .expect("enqueue");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while ok.runs.load(Ordering::SeqCst) == 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the polling runner picked the job up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tx.send(true).expect("send");
    tokio::time::timeout(Duration::from_secs(2), worker)
        .await
        .expect("stops promptly")
        .expect("task");
    assert_eq!(all_jobs(&*store, Some(JobStatus::Done)).await.len(), 1);
}

/// A foreground whose business the test sets.
#[derive(Default)]
struct Switch(std::sync::atomic::AtomicBool);

impl crate::Foreground for Switch {
    fn busy(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Polls until `ok` has run once; answers how long that took.
async fn first_run_within(ok: &Flaky, limit: Duration) -> Duration {
    let started = tokio::time::Instant::now();
    while ok.runs.load(Ordering::SeqCst) == 0 {
        assert!(started.elapsed() < limit, "the job ran within {limit:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    started.elapsed()
}

/// `serve`'s worker gives way to a busy web, but never for longer than its limit at a time
/// (the outbox drains under any load), and not at all once the web is idle.
pub async fn runner_gives_way_to_a_busy_foreground_within_a_limit(store: Arc<dyn Store>) {
    let clock = TestClock::new(t0());
    let ok = Arc::new(Flaky::default());
    let web = Arc::new(Switch::default());
    web.0.store(true, Ordering::SeqCst);
    let max_wait = Duration::from_millis(1500);
    let mut r = runner(&store, &clock, "w1").giving_way_to(web.clone(), max_wait);
    r.register("ok", ok.clone());
    store
        .enqueue_jobs(vec![job("ok", t0())])
        .await
        .expect("enqueue");
    let (tx, rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(async move { r.run_forever(rx).await });

    // Busy throughout: the job waits out the limit, then runs anyway.
    let waited = first_run_within(&ok, Duration::from_secs(10)).await;
    assert!(
        waited >= Duration::from_millis(1400),
        "gave way while busy ({waited:?})"
    );

    // Idle: a new job runs at the next poll (an idle runner sleeps at most 500 ms), without
    // waiting for the limit.
    web.0.store(false, Ordering::SeqCst);
    ok.runs.store(0, Ordering::SeqCst);
    store
        .enqueue_jobs(vec![job("ok", t0())])
        .await
        .expect("enqueue");
    let waited = first_run_within(&ok, Duration::from_secs(10)).await;
    assert!(
        waited < Duration::from_millis(1200),
        "an idle foreground is not waited for ({waited:?})"
    );
    tx.send(true).expect("send");
    tokio::time::timeout(Duration::from_secs(2), worker)
        .await
        .expect("stops promptly")
        .expect("task");
}
