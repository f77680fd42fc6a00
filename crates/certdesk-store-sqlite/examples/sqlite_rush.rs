//! The store's register-and-pay hot path on SQLite (WAL, synchronous=FULL), without HTTP:
//! `cargo run --release -p certdesk-store-sqlite --example sqlite_rush -- [buyers] [seats] [concurrency] [cities]`.

use std::sync::Arc;

use certdesk_store::Store;
use certdesk_store::conformance::bench;
use certdesk_store_sqlite::SqliteStore;

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
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite:{}", dir.path().join("rush.db").display());
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&url).await?);
    let (list, exam) = bench::seed(&store, buyers, u32::try_from(seats)?, cities).await;
    let report = bench::rush(&store, Arc::new(list), exam, concurrency).await;
    println!("sqlite: {report}");
    Ok(())
}
