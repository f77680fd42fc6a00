#![doc = include_str!("../README.md")]

/// A `SELECT … FOR NO KEY UPDATE` on PostgreSQL, the same SELECT without the clause on
/// SQLite (see [`db::Sql`]). PostgreSQL runs READ COMMITTED, so a read that a later write of
/// the transaction depends on locks its rows (`NO KEY`: foreign-key checks against them are
/// not blocked); on SQLite every write transaction holds the single write lock from `BEGIN
/// IMMEDIATE`, which already keeps such a read true until commit.
macro_rules! locked {
    ($select:literal) => {
        $crate::db::Sql::per_backend($select, concat!($select, " FOR NO KEY UPDATE"))
    };
}

mod accounts;
mod audit;
mod catalogue;
mod convert;
mod db;
mod deliveries;
mod idempotency;
mod identity;
mod inbox;
mod institution;
mod jobs;
mod official;
mod postgres;
mod results;
mod sqlite;
mod support;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(test)]
mod tests;

use std::any::Any;
use std::sync::Arc;

use anyhow::Context as _;
use certdesk_store::group::GroupCommit;
use certdesk_store::{Delivery, NewDelivery, StoreError, StoreResult};
use sqlx::PgPool;

use crate::db::{Backend, Pool, Tx};

/// certdesk's store, on an SQLite file or a PostgreSQL database. Every operation is written
/// once (`accounts.rs`, `official/orders.rs`, …) and runs on either; `sqlite/` and
/// `postgres/` hold only what differs: connecting, what an error code means, job claims and
/// the register-and-pay group writer.
#[derive(Clone)]
pub struct SqlStore {
    db: Db,
    /// Register-and-pay commits queue here and share transactions (group commit).
    group: GroupCommit,
    /// So do the records of what notifications delivered (`deliveries.rs`).
    deliveries: GroupCommit<NewDelivery, Delivery>,
    /// Keeps whatever a test store lives on (a temporary directory, a scratch database)
    /// alive as long as the store.
    _lease: Option<Arc<dyn Any + Send + Sync>>,
}

#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(sqlite::Pools),
    Postgres(PgPool),
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlStore")
            .field("db", &self.db)
            .finish_non_exhaustive()
    }
}

impl SqlStore {
    /// Opens the database a URL names, migrated: `sqlite:PATH` / `sqlite://PATH` (created
    /// if missing) or `postgres://…` / `postgresql://…`. Migrating is idempotent; on
    /// PostgreSQL sqlx holds an advisory lock, so nodes starting together migrate once.
    pub async fn open(url: &str) -> anyhow::Result<SqlStore> {
        if url.starts_with("sqlite:") {
            SqlStore::open_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let store = SqlStore::connect_postgres(url).await?;
            store.migrate().await?;
            Ok(store)
        } else {
            anyhow::bail!("unsupported database URL scheme (use sqlite:PATH or postgres://…)")
        }
    }

    /// Opens (creating if missing) the SQLite file at `sqlite:PATH` or `sqlite://PATH` and
    /// runs the migrations. `:memory:` is refused: readers and writer are separate
    /// connections.
    pub async fn open_sqlite(url: &str) -> anyhow::Result<SqlStore> {
        let pools = sqlite::Pools::open(url).await?;
        let group = sqlite::group_commit(&pools);
        Ok(SqlStore::with(Db::Sqlite(pools), group))
    }

    /// Connects to PostgreSQL (does not migrate: see [`SqlStore::migrate`]).
    pub async fn connect_postgres(url: &str) -> anyhow::Result<SqlStore> {
        let options = url
            .parse::<sqlx::postgres::PgConnectOptions>()
            .context("invalid PostgreSQL URL")?;
        SqlStore::connect_postgres_with(options).await
    }

    /// Connects with options built in code (tests, or settings a URL cannot say).
    pub async fn connect_postgres_with(
        options: sqlx::postgres::PgConnectOptions,
    ) -> anyhow::Result<SqlStore> {
        let pool = postgres::connect(options).await?;
        let group = postgres::group_commit(&pool);
        Ok(SqlStore::with(Db::Postgres(pool), group))
    }

    fn with(db: Db, group: GroupCommit) -> SqlStore {
        SqlStore {
            deliveries: deliveries::group_commit(db.clone()),
            db,
            group,
            _lease: None,
        }
    }

    /// Runs the embedded migrations of the store's database; safe to repeat
    /// (`certdesk migrate`).
    pub async fn migrate(&self) -> anyhow::Result<()> {
        migrate(self.write()).await
    }

    /// Closes the pools, waiting for connections in use to be returned.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite(pools) => {
                pools.readers.close().await;
                pools.writer.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// Which database this store is on.
    pub fn backend_name(&self) -> &'static str {
        match self.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    fn backend(&self) -> Backend {
        match &self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Where plain reads go: SQLite's read-only readers (WAL lets them read during a write),
    /// PostgreSQL's pool.
    pub(crate) fn read(&self) -> Pool<'_> {
        match &self.db {
            Db::Sqlite(pools) => Pool::Sqlite(&pools.readers),
            Db::Postgres(pool) => Pool::Postgres(pool),
        }
    }

    /// Where a single-statement write goes: SQLite's one writer connection, PostgreSQL's
    /// pool (the statement is its own transaction).
    pub(crate) fn write(&self) -> Pool<'_> {
        match &self.db {
            Db::Sqlite(pools) => Pool::Sqlite(&pools.writer),
            Db::Postgres(pool) => Pool::Postgres(pool),
        }
    }

    /// Begins a write transaction: `BEGIN IMMEDIATE` on SQLite's single writer (the write
    /// lock is taken at once, so reads inside stay true until commit), READ COMMITTED on
    /// PostgreSQL (reads that decide a write lock their rows: `locked!`). Every `commit_*`
    /// goes through here except register-and-pay and the records of deliveries, which their
    /// group writers write many to a transaction (through [`Db::begin`] for deliveries).
    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        self.db.begin().await
    }
}

impl Db {
    /// [`SqlStore::begin`], for the group writers that hold the database but not the store.
    pub(crate) async fn begin(&self) -> StoreResult<Tx> {
        match self {
            Db::Sqlite(pools) => Ok(Tx::Sqlite(
                pools
                    .writer
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(|e| StoreError::from(db::DbError::sqlite(e)))?,
            )),
            Db::Postgres(pool) => Ok(Tx::Postgres(
                pool.begin()
                    .await
                    .map_err(|e| StoreError::from(db::DbError::postgres(e)))?,
            )),
        }
    }
}

/// Runs the embedded migrations of the pool's database: `migrations/sqlite` on SQLite's
/// writer, `migrations/postgres` on PostgreSQL (where sqlx holds an advisory lock meanwhile).
///
/// SQLite's migrations run with foreign-key enforcement off, as SQLite's documentation
/// prescribes for rebuilding a table others refer to (a migration cannot turn it off itself:
/// the pragma is a no-op inside the transaction sqlx wraps each migration in); every
/// reference is checked after them (`PRAGMA foreign_key_check`) and enforcement is back on
/// before the connection is used again.
async fn migrate(pool: Pool<'_>) -> anyhow::Result<()> {
    match pool {
        Pool::Sqlite(writer) => {
            let mut conn = writer.acquire().await.context("connecting to SQLite")?;
            sqlx::query("PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await?;
            let migrated = sqlx::migrate!("./migrations/sqlite")
                .run(&mut *conn)
                .await
                .context("migrating the SQLite database");
            let broken = sqlx::query("PRAGMA foreign_key_check")
                .fetch_all(&mut *conn)
                .await?;
            sqlx::query("PRAGMA foreign_keys = ON")
                .execute(&mut *conn)
                .await?;
            migrated?;
            anyhow::ensure!(
                broken.is_empty(),
                "migrating the SQLite database left {} broken references",
                broken.len()
            );
            Ok(())
        }
        Pool::Postgres(pool) => sqlx::migrate!("./migrations/postgres")
            .run(pool)
            .await
            .context("migrating the PostgreSQL database"),
    }
}
