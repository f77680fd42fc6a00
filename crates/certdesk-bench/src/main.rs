//! `rush`: the registration-rush benchmark — O3's last seats and O5's one-transaction
//! payment under load, over real HTTP. Run from a release build.

mod channels;
mod database;
mod load;
mod report;
mod seed;
mod server;
mod verify;

use clap::{Parser, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// N candidates race for S seats (S < N).
    Contended,
    /// Every request gets a seat (capacity = N).
    Uncontended,
    /// O9's public certificate verification against `/healthz`, in turns (`--certificates`,
    /// `--seconds`, `--rounds`).
    Verify,
}

#[derive(Debug, Parser)]
#[command(about = "Register-and-pay rush over real HTTP against a release certdesk server")]
pub struct Args {
    #[arg(long, value_enum, default_value = "sqlite")]
    pub database: Backend,
    #[arg(long, value_enum, default_value = "contended")]
    pub scenario: Scenario,
    /// Verified candidates, one request each.
    #[arg(long, default_value_t = 20_000)]
    pub candidates: usize,
    /// Seats in the one city (contended only; uncontended uses one seat per candidate).
    #[arg(long, default_value_t = 2_000)]
    pub seats: u32,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 64)]
    pub clients: usize,
    /// verify: certificates seeded (passed registrations) and drawn from in turn.
    #[arg(long, default_value_t = 1_000)]
    pub certificates: usize,
    /// verify: seconds of load in all, half on each route.
    #[arg(long, default_value_t = 20.0)]
    pub seconds: f64,
    /// verify: turns of (healthz, verify), alternating which goes first.
    #[arg(long, default_value_t = 2)]
    pub rounds: u32,
    /// Email, SMS and WeChat on (local servers speaking each vendor's protocol; candidates
    /// have a phone and a bound WeChat): every confirmation must arrive, each once.
    #[arg(long)]
    pub channels: bool,
    /// The certdesk binary (default: `certdesk` beside this program, i.e. target/release).
    #[arg(long)]
    pub server_bin: Option<std::path::PathBuf>,
    /// Admin connection used to create and drop the benchmark's PostgreSQL database.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pub postgres_admin_url: String,
}

impl Args {
    pub fn capacity(&self) -> u32 {
        match self.scenario {
            Scenario::Contended => self.seats,
            Scenario::Uncontended | Scenario::Verify => {
                u32::try_from(self.candidates).unwrap_or(u32::MAX)
            }
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if cfg!(debug_assertions) {
        eprintln!("warning: rush is a debug build; figures are meaningless (use --release)");
    }
    let secret_hex = hex::encode(rand::random::<[u8; 32]>());
    let db = database::BenchDatabase::create(&args).await?;
    if args.scenario == Scenario::Verify {
        let outcome = verify_run(&args, &db, &secret_hex).await;
        db.drop_if_postgres().await;
        return outcome;
    }
    println!(
        "# rush: {:?} {:?}, N = {}, S = {}, C = {}",
        args.database,
        args.scenario,
        args.candidates,
        args.capacity(),
        args.clients
    );

    let seeded = seed::seed(&args, db.url(), &secret_hex).await?;
    let (sinks, env) = match args.channels {
        true => {
            let (sinks, env) = channels::start().await;
            (Some(sinks), env)
        }
        false => (None, Vec::new()),
    };
    let server = server::Server::start(&args, db.url(), &secret_hex, &env)?;
    let cpu_before = server.cpu_seconds();
    let outcome = load::fire(&args, &server.base_url, &seeded).await?;
    // Up to the last answer: the rush's own cost, without the deliveries that follow it.
    let cpu_answered = server.cpu_seconds();
    // What the worker sent while the rush was still being answered (it should give way).
    let during = sinks.as_ref().map(channels::arrived);
    let paid = outcome.samples.iter().filter(|s| s.status == 201).count();
    let drained = match &sinks {
        Some(sinks) => {
            Some(channels::drain(sinks, paid, std::time::Duration::from_secs(300)).await)
        }
        None => None,
    };
    let peak_rss_kib = server.peak_rss_kib();
    let server_cpu = report::ServerCpu {
        answering: cpu_before.zip(cpu_answered).map(|(a, b)| b - a),
        delivering: cpu_answered
            .zip(server.cpu_seconds())
            .map(|(a, b)| b - a)
            .filter(|_| drained.is_some()),
    };
    drop(server);

    let mut verdict = report::verify(&args, db.url(), &secret_hex, &seeded, &outcome).await;
    if let Some((email, sms, wechat)) = during {
        println!(
            "# channels: {email} emails, {sms} SMS, {wechat} WeChat had arrived by the last answer"
        );
    }
    if let Some((after, (email, sms, wechat))) = drained {
        println!(
            "# channels: {email} emails, {sms} SMS, {wechat} WeChat confirmations for {paid} \
             paid, all in {:.1} s after the last answer",
            after.as_secs_f64()
        );
        if verdict.is_ok() && (email, sms, wechat) != (paid, paid, paid) {
            verdict = Err(anyhow::anyhow!(
                "confirmations delivered: email {email}, SMS {sms}, WeChat {wechat}; {paid} paid"
            ));
        }
    }
    report::print(&args, &outcome, peak_rss_kib, server_cpu, &verdict);
    db.drop_if_postgres().await;
    verdict.map(|_| ())
}

async fn verify_run(
    args: &Args,
    db: &database::BenchDatabase,
    secret_hex: &str,
) -> anyhow::Result<()> {
    println!(
        "# verify: {:?}, {} certificates, C = {}, {} s in {} turns",
        args.database, args.certificates, args.clients, args.seconds, args.rounds
    );
    let numbers = verify::seed(args, db.url(), secret_hex).await?;
    let server = server::Server::start(args, db.url(), secret_hex, &[])?;
    let cpu_before = server.cpu_seconds();
    let (mut health, mut verify) = verify::fire(args, &server.base_url, numbers).await?;
    let peak_rss_kib = server.peak_rss_kib();
    let server_cpu = cpu_before.zip(server.cpu_seconds()).map(|(a, b)| b - a);
    drop(server);
    verify::report(&mut health, &mut verify, peak_rss_kib, server_cpu)
}
