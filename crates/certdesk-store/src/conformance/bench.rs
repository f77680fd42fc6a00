//! A store-level rush (not a test): seeds verified buyers with money, opens one city with
//! `seats` seats, and fires `commit_paid_registration` from `concurrency` tasks.
//! `certdesk-store-sql`'s `examples/store_rush.rs` runs it on a release build; the HTTP
//! benchmark of the whole server is `certdesk-bench`'s. Measures what the store's hot path can do by itself.

use std::sync::Arc;
use std::time::{Duration, Instant};

use certdesk_domain::PromiseKind;

use super::fixtures::{at, job};
use super::shop::{Buyer, buyer, paid, shop};
use crate::{NewJob, NewPromise, PaidRegistration, Store, StoreError};

/// What one rush measured.
#[derive(Debug, Clone)]
pub struct RushReport {
    pub attempts: usize,
    pub confirmed: usize,
    pub refused: usize,
    /// From the first attempt to the last confirmed registration.
    pub selling: Duration,
    pub total: Duration,
    pub p50: Duration,
    pub p99: Duration,
    /// CPU time (user + system) this process spent during the rush, where measurable (Linux).
    pub cpu: Option<Duration>,
    /// CPU time the whole machine spent busy during the rush (the database server included).
    pub machine_cpu: Option<Duration>,
}

impl RushReport {
    pub fn per_second(&self) -> f64 {
        self.confirmed as f64 / self.selling.as_secs_f64().max(1e-9)
    }
}

impl std::fmt::Display for RushReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} attempts, {} confirmed, {} refused; {:.0} registrations/s while selling; \
             latency p50 {:.1?} p99 {:.1?}; total {:.2?}",
            self.attempts,
            self.confirmed,
            self.refused,
            self.per_second(),
            self.p50,
            self.p99,
            self.total
        )?;
        if let Some(cpu) = self.cpu {
            let per = cpu.as_micros() as f64 / self.attempts.max(1) as f64;
            write!(f, "; this process {cpu:.2?} CPU ({per:.0} µs per attempt)")?;
        }
        if let Some(machine) = self.machine_cpu {
            write!(f, "; machine {machine:.2?} CPU busy")?;
        }
        Ok(())
    }
}

/// The city buyer `i` asks for: the rush spreads buyers over `cities` cities.
fn city(i: usize, cities: usize) -> String {
    format!("city-{}", i % cities.max(1))
}

/// Seeds `buyers` verified candidates (concurrently) and the period, whose `seats` are spread
/// evenly over `cities` cities (1: every buyer wants the same seat pool, the hot row).
pub async fn seed(
    store: &Arc<dyn Store>,
    buyers: usize,
    seats: u32,
    cities: usize,
) -> (Vec<Buyer>, super::shop::Shop) {
    let names: Vec<String> = (0..cities.max(1)).map(|c| city(c, cities)).collect();
    let per_city = seats / u32::try_from(names.len()).unwrap_or(1);
    let pools: Vec<(&str, u32)> = names.iter().map(|n| (n.as_str(), per_city)).collect();
    let exam = shop(&**store, "CLD-ARC-P", &pools).await;
    let mut out = Vec::with_capacity(buyers);
    for chunk in (0..buyers).collect::<Vec<_>>().chunks(64) {
        let tasks: Vec<_> = chunk
            .iter()
            .map(|i| {
                let s = store.clone();
                let name = format!("rush-{i}");
                tokio::spawn(async move { buyer(&*s, &name, 200_000, 50_000).await })
            })
            .collect();
        for t in tasks {
            out.push(t.await.expect("seeded"));
        }
    }
    (out, exam)
}

/// Every buyer tries once; `concurrency` tasks pull buyers from a shared counter.
pub async fn rush(
    store: &Arc<dyn Store>,
    buyers: Arc<Vec<Buyer>>,
    exam: super::shop::Shop,
    concurrency: usize,
    outside_channels: usize,
) -> RushReport {
    let cities = exam.period.cities.len();
    let cpu_before = cpu_time();
    let machine_before = machine_busy();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let exam = Arc::new(exam);
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (s, buyers, next, exam) =
                (store.clone(), buyers.clone(), next.clone(), exam.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(b) = buyers.get(i) else { return seen };
                    let p = as_the_app_pays(
                        paid(*b, &exam, &city(i, cities), 40_000, 80_000),
                        outside_channels,
                    );
                    let t = Instant::now();
                    let result = s.commit_paid_registration(p).await;
                    let ok = match result {
                        Ok(_) => true,
                        Err(StoreError::Conflict(_)) => false,
                        Err(e) => panic!("rush attempt failed: {e:?}"),
                    };
                    seen.push((ok, t.elapsed(), started.elapsed()));
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.expect("rush task"));
    }
    let total = started.elapsed();
    let mut latencies: Vec<Duration> = all.iter().map(|a| a.1).collect();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let confirmed = all.iter().filter(|a| a.0).count();
    let selling = all
        .iter()
        .filter(|a| a.0)
        .map(|a| a.2)
        .max()
        .unwrap_or(total);
    RushReport {
        attempts: all.len(),
        confirmed,
        refused: all.len() - confirmed,
        selling,
        total,
        p50: pct(0.50),
        p99: pct(0.99),
        cpu: cpu_time()
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before)),
        machine_cpu: machine_busy()
            .zip(machine_before)
            .map(|(after, before)| after.saturating_sub(before)),
    }
}

/// The registration as the order use case commits it: P1's three promises, and one job per
/// outside channel (email, SMS, WeChat; the first `outside_channels`) keeping the
/// confirmation promise — kept at payment when there is none (the inbox message is part of the
/// commit either way).
fn as_the_app_pays(mut p: PaidRegistration, outside_channels: usize) -> PaidRegistration {
    let paid_at = p.paid_at;
    p.promises = vec![
        NewPromise {
            kind: PromiseKind::Confirmation,
            due_at: at(10 + 86_400),
            kept_at: (outside_channels == 0).then_some(paid_at),
        },
        NewPromise {
            kind: PromiseKind::AdmissionTicket,
            due_at: at(86 * 86_400),
            kept_at: None,
        },
        NewPromise {
            kind: PromiseKind::Score,
            due_at: at(120 * 86_400),
            kept_at: None,
        },
    ];
    let event = format!(
        "registration_confirmed:account:{}:period:{}:{}",
        p.account_id,
        p.period_id,
        paid_at.as_microsecond()
    );
    p.jobs = ["email", "sms", "wechat"]
        .iter()
        .take(outside_channels)
        .map(|channel| NewJob {
            payload: serde_json::json!({
                "account_id": p.account_id.get(),
                "notice": "registration_confirmed",
                "period_id": p.period_id.get(),
                "paid_at": paid_at,
            }),
            channel: Some((*channel).to_owned()),
            dedup_key: Some(format!("{event}:{channel}")),
            max_attempts: 12,
            keeps_promise: Some(PromiseKind::Confirmation),
            ..job("notify", paid_at)
        })
        .collect();
    p
}

/// Busy CPU time of the whole machine from `/proc/stat` (all but idle and iowait).
fn machine_busy() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let ticks: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    let busy: u64 = ticks
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 3 && *i != 4)
        .map(|(_, t)| t)
        .sum();
    Some(Duration::from_millis(busy * 10))
}

/// This process's user + system CPU time from `/proc/self/stat` (clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}
