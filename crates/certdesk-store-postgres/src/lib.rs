#![doc = include_str!("../README.md")]

mod accounts;
mod audit;
mod catalogue;
mod convert;
mod error;
mod identity;
mod inbox;
mod jobs;
mod official;
#[cfg(test)]
mod tests;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use certdesk_store::StoreResult;
use error::DbResultExt as _;

/// Connections per process: enough for web requests and a few workers on a 2-core host.
const MAX_CONNECTIONS: u32 = 10;
/// How long a call waits for a free connection before answering `StoreError::Busy`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// certdesk's store on PostgreSQL. Transactions run at READ COMMITTED; a read-then-write locks
/// the rows it decides on (`SELECT … FOR NO KEY UPDATE`) or is a conditional update, and job
/// claims use `FOR UPDATE SKIP LOCKED`, so any number of processes may share the database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// Register-and-pay commits queue here and share transactions (group commit).
    group: certdesk_store::group::GroupCommit,
    /// Drops a test's database when the store goes away.
    #[cfg(test)]
    _test_db: Option<std::sync::Arc<tests::TestDb>>,
}

impl PostgresStore {
    /// Connects to `postgres://…` (does not migrate: see [`PostgresStore::migrate`]).
    pub async fn connect(url: &str) -> anyhow::Result<PostgresStore> {
        let options = PgConnectOptions::from_str(url).context("invalid PostgreSQL URL")?;
        PostgresStore::connect_with(options).await
    }

    /// Connects with options built in code (tests, or settings not expressible in a URL).
    pub async fn connect_with(options: PgConnectOptions) -> anyhow::Result<PostgresStore> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .context("cannot connect to PostgreSQL")?;
        Ok(PostgresStore {
            group: certdesk_store::group::GroupCommit::start(std::sync::Arc::new(
                official::PostgresGroupWrite { pool: pool.clone() },
            )),
            pool,
            #[cfg(test)]
            _test_db: None,
        })
    }

    /// Runs the embedded migrations (`certdesk migrate`); safe to run again.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .context("migrating the PostgreSQL database")
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Begins a READ COMMITTED transaction; every `commit_*` goes through here.
    pub(crate) async fn begin(&self) -> StoreResult<sqlx::Transaction<'static, Postgres>> {
        self.pool.begin().await.db()
    }
}
