//! Benchmark (not a test): O4's admission tickets for N confirmed registrations of one period
//! (default 100,000), issued by the `issue_tickets` job's use case, `App::issue_due_tickets`,
//! on a fresh SQLite file or PostgreSQL database. The registrations are seeded straight into
//! the store (`testing::seed_paid_sitting`, bulk SQL; each with the three promises of a paid
//! registration), the venues through `App::create_venue`; only the issuing is timed: the
//! store's reads of the plan, seating, rendering N notices and the one commit of N tickets,
//! N kept promises and N inbox messages. Afterwards it checks with its own SQL that every
//! registration has exactly one ticket, that no venue holds more tickets than seats (nor a
//! seat twice), and that every ticket promise was kept and every candidate told.
//!
//! `cargo run --release -p certdesk-app --example issue_tickets -- [registrations] [--database sqlite|postgres]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use certdesk_app::{App, AppParts, SecretKey, VenueInput};
use certdesk_domain::{CertCode, Clock, Policy, PromiseKind, Role, TestClock};
use certdesk_store::{OrderStore, Store};
use certdesk_store_sql::testing::{TestDatabase, seed_paid_sitting};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row as _;

/// Seats per venue (the use case allows up to 100,000).
const VENUE_SEATS: usize = 5_000;

/// This process's user + system CPU time (Linux, clock ticks of 10 ms).
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split(' ').collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// A line of /proc/self/status in MB (`VmHWM`: peak resident memory; `VmRSS`: now).
fn status_mb(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

/// Resets the peak resident memory to what is resident now (Linux ≥ 4.0), so the peak read
/// after the issue is the issue's own.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// What the database says, read with its own SQL (not through the store being measured).
async fn scalar(db: &TestDatabase, sql: &str) -> anyhow::Result<i64> {
    Ok(if db.is_postgres() {
        let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(db.url()).await?;
        sqlx::query(sql).fetch_one(&mut c).await?.try_get(0)?
    } else {
        let mut c = <sqlx::SqliteConnection as sqlx::Connection>::connect(db.url()).await?;
        sqlx::query(sql).fetch_one(&mut c).await?.try_get(0)?
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut n: usize = 100_000;
    let mut postgres = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--database" => match args.next().as_deref() {
                Some("sqlite") => postgres = false,
                Some("postgres") => postgres = true,
                other => anyhow::bail!("--database sqlite|postgres, not {other:?}"),
            },
            number => n = number.parse()?,
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: a debug build; the figures are meaningless (use --release)");
    }
    let database = if postgres {
        TestDatabase::postgres_named("issue_tickets", "certdesk_bench")
            .await
            .ok_or_else(|| anyhow::anyhow!("PostgreSQL is unreachable"))?
    } else {
        TestDatabase::sqlite()
    };
    let starts: Timestamp = "2027-04-10T01:00:00Z".parse()?;
    let ends = starts + SignedDuration::from_hours(2);
    let clock = TestClock::new(starts - SignedDuration::from_hours(24 * 40));
    let store = Arc::new(database.open().await);
    let policy = Policy::default();
    let app = App::new(AppParts {
        store: store.clone() as Arc<dyn Store>,
        clock: Arc::new(clock.clone()),
        secret_key: SecretKey::generate(),
        policy: policy.clone(),
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
    let ticket_due = certdesk_domain::rules::admission_ticket_due(starts, &policy);
    let score_due = ends + SignedDuration::from_hours(24 * 7);
    let ids = seed_paid_sitting(
        &store,
        &CertCode::parse("TCCA-ARC-P").map_err(|e| anyhow::anyhow!("{e:?}"))?,
        (starts, ends, score_due),
        ticket_due,
        n,
    )
    .await?;
    let venues = n.div_ceil(VENUE_SEATS);
    for v in 0..venues {
        app.create_venue(
            &admin,
            VenueInput {
                city: "深圳".into(),
                name: format!("考点 {}", v + 1),
                address: format!("深圳市南山区科技园 {} 号", v + 1),
                seats: VENUE_SEATS as i64,
            },
        )
        .await?;
    }
    println!(
        "# issue_tickets: {}, {n} confirmed registrations of one period in one city, {venues} venues of {VENUE_SEATS} seats; seeded in {:.2?}",
        if postgres { "PostgreSQL" } else { "SQLite" },
        seeding.elapsed()
    );

    // The ticket window opens 5 days before the exam.
    clock.set(starts - SignedDuration::from_hours(24 * 5));
    let rss_before = status_mb("VmRSS:");
    let reset = reset_peak_rss();
    let cpu_before = cpu_time();
    let started = Instant::now();
    let report = app.issue_due_tickets().await?;
    let took = started.elapsed();
    let cpu = cpu_time()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    let peak = status_mb("VmHWM:");
    anyhow::ensure!(
        report.short.is_empty(),
        "cities short of seats: {:?}",
        report.short
    );

    // Verify, with SQL of our own.
    let period = store
        .get_registration(ids[0])
        .await?
        .period_id
        .ok_or_else(|| anyhow::anyhow!("a registration without a period"))?;
    let p = period.get();
    let registrations = scalar(
        &database,
        &format!("SELECT COUNT(*) FROM registrations WHERE period_id = {p}"),
    )
    .await?;
    let tickets = scalar(
        &database,
        &format!("SELECT COUNT(*) FROM admission_tickets WHERE period_id = {p}"),
    )
    .await?;
    let not_one = scalar(
        &database,
        &format!(
            "SELECT COUNT(*) FROM registrations r WHERE r.period_id = {p}
               AND (r.status <> 'ticket_issued'
                    OR (SELECT COUNT(*) FROM admission_tickets t WHERE t.registration_id = r.id) <> 1)"
        ),
    )
    .await?;
    let overfull = scalar(
        &database,
        "SELECT COUNT(*) FROM venues v WHERE
             (SELECT COUNT(*) FROM admission_tickets t WHERE t.venue_id = v.id) > v.seats
          OR (SELECT COUNT(DISTINCT t.seat) FROM admission_tickets t WHERE t.venue_id = v.id)
             <> (SELECT COUNT(*) FROM admission_tickets t WHERE t.venue_id = v.id)
          OR EXISTS (SELECT 1 FROM admission_tickets t WHERE t.venue_id = v.id
                       AND (t.seat < 1 OR t.seat > v.seats))",
    )
    .await?;
    let numbers = scalar(
        &database,
        &format!("SELECT COUNT(DISTINCT number) FROM admission_tickets WHERE period_id = {p}"),
    )
    .await?;
    let notices = scalar(
        &database,
        "SELECT COUNT(*) FROM inbox_messages WHERE kind = 'admission_ticket_issued'",
    )
    .await?;
    let summary = store.summarize_promises(clock.now()).await?;
    let kept = summary
        .iter()
        .find(|s| s.kind == PromiseKind::AdmissionTicket)
        .map_or(0, |s| s.kept_on_time);
    let n64 = n as i64;
    anyhow::ensure!(
        registrations == n64,
        "{registrations} registrations, expected {n}"
    );
    anyhow::ensure!(
        report.issued == n && tickets == n64,
        "{} issued, {tickets} tickets, expected {n}",
        report.issued
    );
    anyhow::ensure!(
        not_one == 0,
        "{not_one} registrations without exactly one ticket"
    );
    anyhow::ensure!(
        overfull == 0,
        "{overfull} venues over their seats or with a seat twice"
    );
    anyhow::ensure!(
        numbers == n64,
        "{numbers} distinct ticket numbers, expected {n}"
    );
    anyhow::ensure!(notices == n64, "{notices} notices, expected {n}");
    anyhow::ensure!(
        kept == n as u64,
        "{kept} ticket promises kept on time, expected {n}"
    );

    println!("registrations       {registrations}");
    println!("tickets issued      {}", report.issued);
    println!(
        "wall time           {:.2} s{}",
        took.as_secs_f64(),
        cpu.map(|c| format!(" (this process {:.2} s CPU)", c.as_secs_f64()))
            .unwrap_or_default()
    );
    println!(
        "throughput          {:.0} tickets/s",
        report.issued as f64 / took.as_secs_f64()
    );
    match (peak, reset) {
        (Some(peak), true) => println!(
            "peak memory         {peak:.1} MB during the issue (VmHWM, reset before it; {:.1} MB resident before)",
            rss_before.unwrap_or(0.0)
        ),
        (Some(peak), false) => {
            println!("peak memory         {peak:.1} MB (VmHWM of the whole run)")
        }
        (None, _) => println!("peak memory         unknown"),
    }
    println!(
        "verified            every registration has exactly one ticket (ticket_issued); {venues} venues, none over its seats or with a seat twice; {numbers} distinct numbers; {kept} ticket promises kept on time; {notices} notices"
    );
    store.close().await;
    Ok(())
}
