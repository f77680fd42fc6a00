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
use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use certdesk_store::StoreResult;
use error::DbResultExt as _;

/// How long a connection waits for a lock held by another connection (another process, or a
/// reader during a checkpoint) before SQLite answers `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Plain reads run concurrently on this many connections (WAL lets them read during a write).
const READERS: u32 = 4;
/// How long a writer waits its turn for the single write connection.
const WRITER_QUEUE_TIMEOUT: Duration = Duration::from_secs(30);

/// certdesk's store on one SQLite file.
///
/// All writes go through ONE connection (`writer`, a pool of one), so concurrent writers queue
/// in-process instead of failing with `SQLITE_BUSY`; every transaction begins `IMMEDIATE`, so a
/// read-then-write inside it sees no other writer. Plain reads use a separate pool of
/// read-only connections.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    readers: SqlitePool,
    /// Register-and-pay commits queue here and share transactions (group commit).
    group: certdesk_store::group::GroupCommit,
    /// Keeps a test's temporary directory alive as long as the store.
    #[cfg(test)]
    _test_dir: Option<std::sync::Arc<tempfile::TempDir>>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `sqlite:PATH` or `sqlite://PATH` and runs
    /// the embedded migrations.
    pub async fn open(url: &str) -> anyhow::Result<SqliteStore> {
        if url.contains(":memory:") || url.contains("mode=memory") {
            anyhow::bail!(
                "certdesk needs an SQLite file (its readers and writer are separate connections), not {url}"
            );
        }
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("invalid SQLite URL {url:?} (expected sqlite:PATH)"))?
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .synchronous(SqliteSynchronous::Full)
            // Savepoint journals (group commit) stay in memory instead of a temporary file:
            // measured 3,100 → 5,600 registrations/s.
            .pragma("temp_store", "MEMORY");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(WRITER_QUEUE_TIMEOUT)
            .connect_with(
                options
                    .clone()
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal),
            )
            .await
            .with_context(|| format!("cannot open SQLite database {url}"))?;
        migrate(&writer).await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options.pragma("query_only", "ON"))
            .await
            .with_context(|| format!("cannot open SQLite database {url} for reading"))?;
        Ok(SqliteStore {
            group: certdesk_store::group::GroupCommit::start(std::sync::Arc::new(
                official::SqliteGroupWrite {
                    writer: writer.clone(),
                },
            )),
            writer,
            readers,
            #[cfg(test)]
            _test_dir: None,
        })
    }

    /// Runs the embedded migrations. `open` already does; repeating is harmless
    /// (`certdesk migrate`).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        migrate(&self.writer).await
    }

    /// Closes both pools, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.readers.close().await;
        self.writer.close().await;
    }

    /// Begins a write transaction on the single writer connection (`BEGIN IMMEDIATE`: the
    /// write lock is taken at once, so reads inside the transaction stay true until commit).
    /// Every `commit_*` goes through here, except register-and-pay, which the group-commit
    /// task (`official/group.rs`) writes many to a transaction.
    pub(crate) async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, Sqlite>> {
        self.writer.begin_with("BEGIN IMMEDIATE").await.db()
    }
}

async fn migrate(writer: &SqlitePool) -> anyhow::Result<()> {
    sqlx::migrate!("./migrations")
        .run(writer)
        .await
        .context("migrating the SQLite database")
}
