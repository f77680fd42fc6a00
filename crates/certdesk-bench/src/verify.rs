//! `--scenario verify`: O9's public certificate verification (`GET /api/v1/certificates/{n}`)
//! against the server's cheapest route (`GET /healthz`), the same clients for the same time,
//! in turns, in one run.
//!
//! Seeding (not timed): a sitting of K registrations that ended two days ago, written in bulk
//! (`testing::seed_sitting`), their results imported through `App::import_results` (every
//! one a pass) and their certificates issued by the job's use case,
//! `App::issue_due_certificates` — the same code the server's worker runs.

use crate::Args;
use crate::seed::open_app;
use anyhow::{Context, bail, ensure};
use certdesk_app::ResultsUpload;
use certdesk_domain::{CertCode, Role};
use certdesk_store::NewAccount;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A certification whose pass mark the seeded scores clear.
const CERTIFICATION: &str = "TCCA-ARC-P";

/// The certificate numbers the load draws from.
pub async fn seed(
    args: &Args,
    database_url: &str,
    secret_hex: &str,
) -> anyhow::Result<Vec<String>> {
    let started = Instant::now();
    let app = open_app(database_url, secret_hex).await?;
    app.seed_default_catalogue()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = app.now();
    let hash = certdesk_app::passwords::hash_password("verify-benchmark-password")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let admin = app
        .store()
        .commit_account(
            NewAccount {
                email: certdesk_domain::Email::parse("admin@verify.bench").expect("valid email"),
                phone: None,
                password_hash: hash,
                roles: vec![Role::Admin],
                institution_id: None,
                created_at: now,
            },
            vec![],
        )
        .await
        .context("admin account")?;
    let store = certdesk_store_sql::SqlStore::open(database_url).await?;
    let ends: Timestamp = now - SignedDuration::from_hours(48);
    let starts = ends - SignedDuration::from_hours(2);
    let ids = certdesk_store_sql::testing::seed_sitting(
        &store,
        &CertCode::parse(CERTIFICATION).map_err(|e| anyhow::anyhow!("{e:?}"))?,
        (starts, ends, ends + SignedDuration::from_hours(24 * 7)),
        args.certificates,
    )
    .await?;
    let mut csv = String::from("registration_id,score,absent\r\n");
    for (i, id) in ids.iter().enumerate() {
        csv.push_str(&format!("{id},{},false\r\n", 80 + i % 21));
    }
    let outcome = app
        .import_results(&admin, ResultsUpload::Csv(csv.into_bytes()))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    ensure!(
        outcome.accepted == ids.len(),
        "results: {} accepted, {} rejected",
        outcome.accepted,
        outcome.rejected.len()
    );
    let issued = app
        .issue_due_certificates()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    ensure!(
        issued == ids.len(),
        "{issued} certificates issued, expected {}",
        ids.len()
    );
    let mut numbers = Vec::with_capacity(ids.len());
    for id in &ids {
        let registration = app.store().get_registration(*id).await?;
        let certificates = app
            .store()
            .list_certificates(registration.identity_id)
            .await?;
        let certificate = certificates
            .first()
            .with_context(|| format!("registration {id} has no certificate"))?;
        numbers.push(certificate.number.to_string());
    }
    store.close().await;
    println!(
        "# seeded {} passed registrations with certificates in {:.1} s",
        numbers.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(numbers)
}

/// One route's load: requests/s and latencies of its 2xx answers.
pub struct Phase {
    pub latencies: Vec<Duration>,
    pub elapsed: Duration,
    pub failures: usize,
    pub first_failure: Option<String>,
}

impl Phase {
    fn merge(&mut self, other: Phase) {
        self.latencies.extend(other.latencies);
        self.elapsed += other.elapsed;
        self.failures += other.failures;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
    }
}

/// `clients` keep-alive clients request `path(i)` for `duration`; an answer counts if it is
/// 200 and `check` accepts its body.
async fn load(
    http: &reqwest::Client,
    base_url: &str,
    clients: usize,
    duration: Duration,
    path: Arc<dyn Fn(usize) -> String + Send + Sync>,
    check: fn(&str) -> bool,
) -> Phase {
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (http, base, stop, next, path) = (
                http.clone(),
                base_url.to_owned(),
                stop.clone(),
                next.clone(),
                path.clone(),
            );
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let (mut failures, mut first_failure) = (0, None);
                while !stop.load(Ordering::Relaxed) {
                    let url = format!("{base}{}", path(next.fetch_add(1, Ordering::Relaxed)));
                    let sent = Instant::now();
                    let answer = match http.get(&url).send().await {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let body = r.text().await.unwrap_or_default();
                            if status == 200 && check(&body) {
                                Ok(())
                            } else {
                                Err(format!("{url}: {status} {body:.200}"))
                            }
                        }
                        Err(e) => Err(format!("{url}: transport: {e}")),
                    };
                    match answer {
                        Ok(()) => latencies.push(sent.elapsed()),
                        Err(e) => {
                            failures += 1;
                            first_failure.get_or_insert(e);
                        }
                    }
                }
                (latencies, failures, first_failure)
            })
        })
        .collect();
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    let mut phase = Phase {
        latencies: Vec::new(),
        elapsed: Duration::ZERO,
        failures: 0,
        first_failure: None,
    };
    for w in workers {
        let (latencies, failures, first) = w.await.unwrap_or_default();
        phase.latencies.extend(latencies);
        phase.failures += failures;
        if phase.first_failure.is_none() {
            phase.first_failure = first;
        }
    }
    phase.elapsed = start.elapsed();
    phase
}

fn signed(body: &str) -> bool {
    body.contains("\"signature\":\"")
}

fn healthy(_: &str) -> bool {
    true
}

/// Checks one answer in full, then loads `/healthz` and the verification in turns.
pub async fn fire(
    args: &Args,
    base_url: &str,
    numbers: Vec<String>,
) -> anyhow::Result<(Phase, Phase)> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .timeout(Duration::from_secs(60))
        .build()?;
    // Every number answers 200 with the public fields and a signature (checked in full).
    for number in &numbers {
        let answer: serde_json::Value = http
            .get(format!("{base_url}/api/v1/certificates/{number}"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let ok = answer["number"].as_str() == Some(number.as_str())
            && answer["status"].as_str() == Some("valid")
            && answer["signature"].as_str().is_some_and(|s| s.len() >= 80);
        if !ok {
            bail!("certificate {number} answered {answer}");
        }
    }
    let numbers = Arc::new(numbers);
    let verify_path: Arc<dyn Fn(usize) -> String + Send + Sync> = {
        let numbers = numbers.clone();
        Arc::new(move |i| format!("/api/v1/certificates/{}", numbers[i % numbers.len()]))
    };
    let health_path: Arc<dyn Fn(usize) -> String + Send + Sync> =
        Arc::new(|_| "/healthz".to_owned());
    // Warm the connections and both routes.
    let _ = load(
        &http,
        base_url,
        args.clients,
        Duration::from_secs(1),
        health_path.clone(),
        healthy,
    )
    .await;
    let _ = load(
        &http,
        base_url,
        args.clients,
        Duration::from_secs(1),
        verify_path.clone(),
        signed,
    )
    .await;
    let empty = || Phase {
        latencies: Vec::new(),
        elapsed: Duration::ZERO,
        failures: 0,
        first_failure: None,
    };
    let (mut health, mut verify) = (empty(), empty());
    let slice = Duration::from_secs_f64(args.seconds / f64::from(2 * args.rounds.max(1)));
    for round in 0..args.rounds.max(1) {
        // Alternate which goes first, so a drift in the machine's load falls on both.
        if round % 2 == 0 {
            health.merge(
                load(
                    &http,
                    base_url,
                    args.clients,
                    slice,
                    health_path.clone(),
                    healthy,
                )
                .await,
            );
            verify.merge(
                load(
                    &http,
                    base_url,
                    args.clients,
                    slice,
                    verify_path.clone(),
                    signed,
                )
                .await,
            );
        } else {
            verify.merge(
                load(
                    &http,
                    base_url,
                    args.clients,
                    slice,
                    verify_path.clone(),
                    signed,
                )
                .await,
            );
            health.merge(
                load(
                    &http,
                    base_url,
                    args.clients,
                    slice,
                    health_path.clone(),
                    healthy,
                )
                .await,
            );
        }
    }
    Ok((health, verify))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn line(name: &str, phase: &mut Phase) -> f64 {
    phase.latencies.sort();
    let rate = phase.latencies.len() as f64 / phase.elapsed.as_secs_f64().max(1e-9);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<22} {rate:>8.0} requests/s ({} in {:.1} s)  p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms",
        phase.latencies.len(),
        phase.elapsed.as_secs_f64(),
        ms(percentile(&phase.latencies, 50.0)),
        ms(percentile(&phase.latencies, 90.0)),
        ms(percentile(&phase.latencies, 99.0)),
    );
    rate
}

/// Prints both routes and the ratio; fails when any answer was wrong.
pub fn report(
    health: &mut Phase,
    verify: &mut Phase,
    peak_rss_kib: Option<u64>,
    server_cpu: Option<f64>,
) -> anyhow::Result<()> {
    let h = line("GET /healthz", health);
    let v = line("GET /certificates/{n}", verify);
    println!("ratio verify/healthz   {:.2}", v / h.max(1e-9));
    if let Some(cpu) = server_cpu {
        println!(
            "server CPU             {cpu:.2} s over both loads ({:.0} µs per request on average)",
            cpu * 1e6 / (health.latencies.len() + verify.latencies.len()).max(1) as f64
        );
    }
    match peak_rss_kib {
        Some(k) => println!("server peak memory     {:.1} MB (VmHWM)", k as f64 / 1024.0),
        None => println!("server peak memory     unknown"),
    }
    for (name, phase) in [("healthz", &*health), ("verify", &*verify)] {
        if phase.failures > 0 {
            bail!(
                "{name}: {} answers were not 200 with the expected body, e.g. {}",
                phase.failures,
                phase.first_failure.as_deref().unwrap_or("")
            );
        }
    }
    println!(
        "verified               every verification answered 200 with a signature ({} answers; each number's answer checked in full first)",
        verify.latencies.len()
    );
    Ok(())
}
