//! Benchmark (not a test): imports a results CSV of N lines (default 100,000) into a fresh
//! SQLite store through the use case, `App::import_results`, and prints the time. The
//! registrations are seeded straight into the store first (`testing::seed_sitting`); only the
//! import is timed: decoding and parsing the file, the one read of its registrations, the
//! checks, rendering N inbox messages and the one commit.
//!
//! `cargo run --release -p certdesk-app --example import_results -- [lines]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use certdesk_app::{App, AppParts, ResultsUpload, SecretKey};
use certdesk_domain::{CertCode, Clock, Policy, PromiseKind, RegistrationStatus, Role, TestClock};
use certdesk_store::{OrderStore, Store};
use certdesk_store_sql::testing::{TestDatabase, seed_sitting};
use jiff::{SignedDuration, Timestamp};

/// This process's user + system CPU time (Linux, clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let lines: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 100_000,
    };
    let starts: Timestamp = "2027-04-10T01:00:00Z".parse()?;
    let ends = starts + SignedDuration::from_hours(2);
    let clock = TestClock::new(starts - SignedDuration::from_hours(24 * 40));
    let database = TestDatabase::sqlite();
    let store = Arc::new(database.open().await);
    let app = App::new(AppParts {
        store: store.clone() as Arc<dyn Store>,
        clock: Arc::new(clock.clone()),
        secret_key: SecretKey::generate(),
        policy: Policy::default(),
        sandbox_payments: false,
    });
    app.seed_default_catalogue().await?;
    let admin = app
        .add_user(
            "ops@example.com",
            "correct horse battery",
            Role::Admin,
            None,
        )
        .await?;

    let seeding = Instant::now();
    let score_due = ends + SignedDuration::from_hours(24 * 7);
    let ids = seed_sitting(
        &store,
        &CertCode::parse("TCCA-ARC-P").map_err(|e| anyhow::anyhow!("{e:?}"))?,
        (starts, ends, score_due),
        lines,
    )
    .await?;
    println!("seeded {lines} registrations in {:.2?}", seeding.elapsed());

    // An operator's export: CRLF, scores spread over 0–100, one in twenty absent.
    let mut csv = String::with_capacity(lines * 20);
    csv.push_str("registration_id,score,absent\r\n");
    for (i, id) in ids.iter().enumerate() {
        if i % 20 == 0 {
            csv.push_str(&format!("{id},,true\r\n"));
        } else {
            csv.push_str(&format!("{id},{},false\r\n", (i * 37) % 101));
        }
    }
    let size = csv.len();
    clock.set(ends + SignedDuration::from_hours(1));

    let cpu_before = cpu_time();
    let started = Instant::now();
    let outcome = app
        .import_results(&admin, ResultsUpload::Csv(csv.into_bytes()))
        .await?;
    let took = started.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    anyhow::ensure!(
        outcome.accepted == lines && outcome.rejected.is_empty(),
        "expected {lines} accepted, got {} accepted and {} rejected",
        outcome.accepted,
        outcome.rejected.len()
    );

    // Verify: every score promise kept, statuses and results written.
    let summary = store.summarize_promises(clock.now()).await?;
    let score = summary
        .iter()
        .find(|s| s.kind == PromiseKind::Score)
        .expect("score promises");
    anyhow::ensure!(score.kept_on_time == lines as u64, "score promises kept");
    let first = store.get_registration(ids[0]).await?;
    anyhow::ensure!(first.status == RegistrationStatus::Absent && first.result.is_some());
    println!(
        "imported {lines} lines ({:.1} MB CSV) in {:.2?} ({:.0} lines/s){}; verified",
        size as f64 / 1e6,
        took,
        lines as f64 / took.as_secs_f64(),
        cpu.map(|c| format!("; this process {c:.2?} CPU"))
            .unwrap_or_default()
    );
    store.close().await;
    Ok(())
}
