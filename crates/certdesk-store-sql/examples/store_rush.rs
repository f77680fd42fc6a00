//! The store's register-and-pay hot path alone (no HTTP), on a scratch database: a new
//! SQLite file, or a new PostgreSQL database created through `CERTDESK_TEST_POSTGRES_URL`
//! (default `postgres://postgres@127.0.0.1/postgres`) and dropped afterwards.
//!
//! `cargo run --release -p certdesk-store-sql --features testing --example store_rush --
//!  sqlite|postgres [buyers] [seats] [concurrency] [cities] [outside channels 0-3]`
//!
//! Each registration is committed as the order use case commits it: its inbox message, P1's
//! three promises, and one outbox job per outside channel (P2; default 0, inbox only).

use std::sync::Arc;

use certdesk_store::Store;
use certdesk_store::conformance::bench;
use certdesk_store_sql::testing::TestDatabase;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let database = args.next().unwrap_or_else(|| "sqlite".to_owned());
    let numbers: Vec<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    let (buyers, seats, concurrency, cities) = (
        numbers.first().copied().unwrap_or(5_000),
        numbers.get(1).copied().unwrap_or(5_000),
        numbers.get(2).copied().unwrap_or(64),
        numbers.get(3).copied().unwrap_or(1),
    );
    let outside_channels = numbers.get(4).copied().unwrap_or(0).min(3);
    let scratch = match database.as_str() {
        "sqlite" => TestDatabase::sqlite(),
        "postgres" => TestDatabase::postgres_named("store_rush", "certdesk_rush")
            .await
            .ok_or_else(|| anyhow::anyhow!("PostgreSQL is unreachable"))?,
        other => anyhow::bail!("{other}: sqlite or postgres"),
    };
    let opened = scratch.open().await;
    let store: Arc<dyn Store> = Arc::new(opened.clone());
    let (list, exam) = bench::seed(&store, buyers, u32::try_from(seats)?, cities).await;
    let report = bench::rush(&store, Arc::new(list), exam, concurrency, outside_channels).await;
    opened.close().await;
    println!("{database}, {outside_channels} outside channels: {report}");
    Ok(())
}
