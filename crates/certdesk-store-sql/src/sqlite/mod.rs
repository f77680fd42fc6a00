//! What is SQLite's own: one file, one writer connection and a pool of read-only readers,
//! the pragmas, what SQLite's result codes mean, job claims under the single writer, and the
//! register-and-pay group writer (`paid.rs`).

mod jobs;
mod paid;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use certdesk_store::group::GroupCommit;
use sqlx::Executor as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub(crate) use jobs::claim_jobs;

use crate::db::Pool;

/// How long a connection waits for a lock held by another connection (another process, or a
/// reader during a checkpoint) before SQLite answers `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Plain reads run concurrently on this many connections (WAL lets them read during a write).
const READERS: u32 = 4;
/// How long a writer waits its turn for the single write connection.
const WRITER_QUEUE_TIMEOUT: Duration = Duration::from_secs(30);

/// SQLite primary result codes (the low byte of an extended code).
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;

/// The store's connections to one SQLite file.
///
/// All writes go through ONE connection (`writer`, a pool of one), so concurrent writers queue
/// in-process instead of failing with `SQLITE_BUSY`; every transaction begins `IMMEDIATE`, so a
/// read-then-write inside it sees no other writer. Plain reads use a separate pool of
/// read-only connections.
#[derive(Debug, Clone)]
pub(crate) struct Pools {
    pub(crate) writer: SqlitePool,
    pub(crate) readers: SqlitePool,
}

impl Pools {
    pub(crate) async fn open(url: &str) -> anyhow::Result<Pools> {
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
            // Statement journals (a refused registration inside a group) stay in memory
            // instead of a temporary file.
            .pragma("temp_store", "MEMORY");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .acquire_timeout(WRITER_QUEUE_TIMEOUT)
            // Register-and-pay's statement lives on the writer connection (TEMP objects:
            // code, not schema), so every new writer connection gets it first.
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(sqlx::raw_sql(paid::REGISTER_AND_PAY)).await?;
                    Ok(())
                })
            })
            .connect_with(
                options
                    .clone()
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal),
            )
            .await
            .with_context(|| format!("cannot open SQLite database {url}"))?;
        crate::migrate(Pool::Sqlite(&writer)).await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options.pragma("query_only", "ON"))
            .await
            .with_context(|| format!("cannot open SQLite database {url} for reading"))?;
        Ok(Pools { writer, readers })
    }
}

/// Register-and-pay's group commit on the single writer (`paid.rs`).
pub(crate) fn group_commit(pools: &Pools) -> GroupCommit {
    GroupCommit::start(Arc::new(paid::SqliteGroupWrite {
        writer: pools.writer.clone(),
    }))
}

/// `SQLITE_BUSY` or `SQLITE_LOCKED`, in any of their extended forms: retry later.
pub(crate) fn is_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

#[cfg(test)]
mod tests {
    use super::is_busy;

    #[test]
    fn busy_and_locked_codes_are_busy() {
        for code in ["5", "6", "261", "517", "262"] {
            assert!(is_busy(Some(code)), "{code}");
        }
        for code in ["1", "19", "2067", "1811", "x"] {
            assert!(!is_busy(Some(code)), "{code}");
        }
        assert!(!is_busy(None));
    }
}
