//! The store's register-and-pay hot path on PostgreSQL, without HTTP, on a scratch database
//! created through `CERTDESK_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1/postgres`)
//! and dropped afterwards:
//! `cargo run --release -p certdesk-store-postgres --example postgres_rush -- [buyers] [seats] [concurrency] [cities]`.

use std::str::FromStr;
use std::sync::Arc;

use certdesk_store::Store;
use certdesk_store::conformance::bench;
use certdesk_store_postgres::PostgresStore;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse())
        .collect::<Result<_, _>>()?;
    let (buyers, seats, concurrency, cities) = (
        args.first().copied().unwrap_or(5_000),
        args.get(1).copied().unwrap_or(5_000),
        args.get(2).copied().unwrap_or(64),
        args.get(3).copied().unwrap_or(1),
    );
    let admin_url = std::env::var("CERTDESK_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("certdesk_rush_{}", std::process::id());
    let mut admin = PgConnection::connect(&admin_url).await?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    let result = async {
        let options = PgConnectOptions::from_str(&admin_url)?.database(&name);
        let pg = PostgresStore::connect_with(options).await?;
        pg.migrate().await?;
        let store: Arc<dyn Store> = Arc::new(pg.clone());
        let (list, exam) = bench::seed(&store, buyers, u32::try_from(seats)?, cities).await;
        let report = bench::rush(&store, Arc::new(list), exam, concurrency).await;
        pg.close().await;
        anyhow::Ok(report)
    }
    .await;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    let report = result?;
    println!("postgres: {report}");
    Ok(())
}
