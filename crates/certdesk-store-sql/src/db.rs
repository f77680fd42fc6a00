//! The seam between the store's operations and the two databases: a statement is written
//! once, as text and typed arguments ([`query`]), and run on whichever database the store
//! was opened on — a pool ([`Pool`]) or a transaction ([`Tx`]). Each call matches once on
//! the database and hands native sqlx types to the native driver, so prepared statements,
//! connect options (pragmas, read-only readers) and rows stay the driver's own: nothing is
//! copied into a database-neutral form. The store README says why this seam and not
//! `sqlx::Any` or a store generic over `sqlx::Database`.

use certdesk_store::StoreError;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{PgConnection, PgPool, Postgres, Row as _, Sqlite, SqliteConnection, SqlitePool};

use crate::convert::corrupt;

/// Which database a statement ran on (it decides what an error code means).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The text of a statement: one text for both databases, except where a dialect really
/// differs — the row-lock clause that PostgreSQL needs and SQLite's single writer does not
/// (`locked!` in lib.rs).
#[derive(Debug, Clone, Copy)]
pub struct Sql<'q> {
    sqlite: &'q str,
    postgres: &'q str,
}

impl<'q> Sql<'q> {
    /// A statement whose text differs by database. Only `locked!` uses it.
    pub const fn per_backend(sqlite: &'q str, postgres: &'q str) -> Sql<'q> {
        Sql { sqlite, postgres }
    }

    fn text(&self, backend: Backend) -> &'q str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

impl<'q> From<&'q str> for Sql<'q> {
    fn from(text: &'q str) -> Sql<'q> {
        Sql {
            sqlite: text,
            postgres: text,
        }
    }
}

impl<'q> From<&'q String> for Sql<'q> {
    fn from(text: &'q String) -> Sql<'q> {
        Sql::from(text.as_str())
    }
}

/// One bound value, in the portable column types the schema uses (integers, text, bytes,
/// booleans, each possibly NULL).
#[derive(Debug)]
pub enum Arg<'q> {
    Int(Option<i64>),
    Bool(Option<bool>),
    Text(Option<&'q str>),
    OwnedText(Option<String>),
    Bytes(Option<&'q [u8]>),
    OwnedBytes(Option<Vec<u8>>),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Bool(Some(v))
    }
}
impl<'q> From<&'q str> for Arg<'q> {
    fn from(v: &'q str) -> Self {
        Arg::Text(Some(v))
    }
}
impl<'q> From<Option<&'q str>> for Arg<'q> {
    fn from(v: Option<&'q str>) -> Self {
        Arg::Text(v)
    }
}
impl<'q> From<&'q String> for Arg<'q> {
    fn from(v: &'q String) -> Self {
        Arg::Text(Some(v))
    }
}
impl<'q> From<&'q Option<String>> for Arg<'q> {
    fn from(v: &'q Option<String>) -> Self {
        Arg::Text(v.as_deref())
    }
}
impl From<String> for Arg<'_> {
    fn from(v: String) -> Self {
        Arg::OwnedText(Some(v))
    }
}
impl From<Option<String>> for Arg<'_> {
    fn from(v: Option<String>) -> Self {
        Arg::OwnedText(v)
    }
}
impl<'q> From<&'q [u8]> for Arg<'q> {
    fn from(v: &'q [u8]) -> Self {
        Arg::Bytes(Some(v))
    }
}
impl From<Vec<u8>> for Arg<'_> {
    fn from(v: Vec<u8>) -> Self {
        Arg::OwnedBytes(Some(v))
    }
}
impl<'q> From<&'q Vec<u8>> for Arg<'q> {
    fn from(v: &'q Vec<u8>) -> Self {
        Arg::Bytes(Some(v))
    }
}

/// A statement with its arguments, not yet tied to a database.
#[derive(Debug)]
#[must_use = "a query does nothing until it is executed or fetched"]
pub struct Query<'q> {
    sql: Sql<'q>,
    args: Vec<Arg<'q>>,
}

/// Starts a statement: `query(SQL).bind(a).bind(b).fetch_one(store.read()).await?`.
/// Placeholders are `$1`, `$2`, … on both databases.
pub fn query<'q>(sql: impl Into<Sql<'q>>) -> Query<'q> {
    Query {
        sql: sql.into(),
        args: Vec::new(),
    }
}

impl<'q> Query<'q> {
    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Into<Arg<'q>>) -> Query<'q> {
        self.args.push(value.into());
        self
    }

    fn sqlite(self) -> sqlx::query::Query<'q, Sqlite, SqliteArguments<'q>> {
        let mut q = sqlx::query(self.sql.text(Backend::Sqlite));
        for arg in self.args {
            q = match arg {
                Arg::Int(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::OwnedText(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
                Arg::OwnedBytes(v) => q.bind(v),
            };
        }
        q
    }

    fn postgres(self) -> sqlx::query::Query<'q, Postgres, PgArguments> {
        let mut q = sqlx::query(self.sql.text(Backend::Postgres));
        for arg in self.args {
            q = match arg {
                Arg::Int(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::OwnedText(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
                Arg::OwnedBytes(v) => q.bind(v),
            };
        }
        q
    }

    /// Runs it; answers the number of rows it changed.
    pub async fn execute<'c>(self, on: impl Exec<'c>) -> DbResult<u64> {
        match on.target() {
            Target::SqlitePool(p) => {
                on_sqlite(self.sqlite().execute(p).await).map(|done| done.rows_affected())
            }
            Target::Sqlite(c) => {
                on_sqlite(self.sqlite().execute(c).await).map(|done| done.rows_affected())
            }
            Target::PgPool(p) => {
                on_postgres(self.postgres().execute(p).await).map(|done| done.rows_affected())
            }
            Target::Postgres(c) => {
                on_postgres(self.postgres().execute(c).await).map(|done| done.rows_affected())
            }
        }
    }

    /// Exactly one row (none is an error: use it where the statement always answers one).
    pub async fn fetch_one<'c>(self, on: impl Exec<'c>) -> DbResult<Row> {
        match on.target() {
            Target::SqlitePool(p) => on_sqlite(self.sqlite().fetch_one(p).await).map(Row::Sqlite),
            Target::Sqlite(c) => on_sqlite(self.sqlite().fetch_one(c).await).map(Row::Sqlite),
            Target::PgPool(p) => on_postgres(self.postgres().fetch_one(p).await).map(Row::Postgres),
            Target::Postgres(c) => {
                on_postgres(self.postgres().fetch_one(c).await).map(Row::Postgres)
            }
        }
    }

    pub async fn fetch_optional<'c>(self, on: impl Exec<'c>) -> DbResult<Option<Row>> {
        match on.target() {
            Target::SqlitePool(p) => {
                on_sqlite(self.sqlite().fetch_optional(p).await).map(|r| r.map(Row::Sqlite))
            }
            Target::Sqlite(c) => {
                on_sqlite(self.sqlite().fetch_optional(c).await).map(|r| r.map(Row::Sqlite))
            }
            Target::PgPool(p) => {
                on_postgres(self.postgres().fetch_optional(p).await).map(|r| r.map(Row::Postgres))
            }
            Target::Postgres(c) => {
                on_postgres(self.postgres().fetch_optional(c).await).map(|r| r.map(Row::Postgres))
            }
        }
    }

    pub async fn fetch_all<'c>(self, on: impl Exec<'c>) -> DbResult<Vec<Row>> {
        fn rows<R>(rows: Vec<R>, wrap: fn(R) -> Row) -> Vec<Row> {
            rows.into_iter().map(wrap).collect()
        }
        match on.target() {
            Target::SqlitePool(p) => {
                on_sqlite(self.sqlite().fetch_all(p).await).map(|r| rows(r, Row::Sqlite))
            }
            Target::Sqlite(c) => {
                on_sqlite(self.sqlite().fetch_all(c).await).map(|r| rows(r, Row::Sqlite))
            }
            Target::PgPool(p) => {
                on_postgres(self.postgres().fetch_all(p).await).map(|r| rows(r, Row::Postgres))
            }
            Target::Postgres(c) => {
                on_postgres(self.postgres().fetch_all(c).await).map(|r| rows(r, Row::Postgres))
            }
        }
    }
}

fn on_sqlite<T>(result: Result<T, sqlx::Error>) -> DbResult<T> {
    result.map_err(|error| DbError {
        backend: Backend::Sqlite,
        error,
    })
}

fn on_postgres<T>(result: Result<T, sqlx::Error>) -> DbResult<T> {
    result.map_err(|error| DbError {
        backend: Backend::Postgres,
        error,
    })
}

/// Where a statement runs: a pool (each statement on whichever connection is free) or one
/// connection (a transaction's).
#[derive(Debug)]
pub enum Target<'c> {
    SqlitePool(&'c SqlitePool),
    Sqlite(&'c mut SqliteConnection),
    PgPool(&'c PgPool),
    Postgres(&'c mut PgConnection),
}

/// Anything a [`Query`] runs on: a [`Pool`] or a `&mut` [`Tx`].
pub trait Exec<'c>: Send {
    fn target(self) -> Target<'c>;
}

/// A store's pool: the readers or the writer on SQLite, the one pool on PostgreSQL.
#[derive(Debug, Clone, Copy)]
pub enum Pool<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
}

impl<'c> Exec<'c> for Pool<'c> {
    fn target(self) -> Target<'c> {
        match self {
            Pool::Sqlite(p) => Target::SqlitePool(p),
            Pool::Postgres(p) => Target::PgPool(p),
        }
    }
}

/// A transaction on either database; dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> DbResult<()> {
        match self {
            Tx::Sqlite(tx) => on_sqlite(tx.commit().await),
            Tx::Postgres(tx) => on_postgres(tx.commit().await),
        }
    }
}

impl<'c> Exec<'c> for &'c mut Tx {
    fn target(self) -> Target<'c> {
        match self {
            Tx::Sqlite(tx) => Target::Sqlite(tx),
            Tx::Postgres(tx) => Target::Postgres(tx),
        }
    }
}

/// A value both drivers decode (the portable column types).
pub trait Value:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
{
}

impl<T> Value for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
{
}

/// A result row, as its driver returned it.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

impl std::fmt::Debug for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be personal data: only the shape.
        let columns = match self {
            Row::Sqlite(row) => row.len(),
            Row::Postgres(row) => row.len(),
        };
        f.debug_struct("Row").field("columns", &columns).finish()
    }
}

impl Row {
    /// A column by name. A column missing or of another type is a defect (`Other`), never a
    /// condition to retry.
    pub fn get<T: Value>(&self, column: &str) -> Result<T, StoreError> {
        let got = match self {
            Row::Sqlite(row) => row.try_get(column),
            Row::Postgres(row) => row.try_get(column),
        };
        got.map_err(|e| corrupt(format!("column {column}: {e}")))
    }

    pub fn int(&self, column: &str) -> Result<i64, StoreError> {
        self.get(column)
    }

    pub fn int_opt(&self, column: &str) -> Result<Option<i64>, StoreError> {
        self.get(column)
    }

    pub fn text(&self, column: &str) -> Result<String, StoreError> {
        self.get(column)
    }

    pub fn text_opt(&self, column: &str) -> Result<Option<String>, StoreError> {
        self.get(column)
    }

    pub fn flag(&self, column: &str) -> Result<bool, StoreError> {
        self.get(column)
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// A driver error, with the database it came from: what a code means depends on it.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct DbError {
    backend: Backend,
    #[source]
    error: sqlx::Error,
}

impl DbError {
    pub fn sqlite(error: sqlx::Error) -> DbError {
        DbError {
            backend: Backend::Sqlite,
            error,
        }
    }

    pub fn postgres(error: sqlx::Error) -> DbError {
        DbError {
            backend: Backend::Postgres,
            error,
        }
    }

    fn database(&self) -> Option<&dyn sqlx::error::DatabaseError> {
        match &self.error {
            sqlx::Error::Database(d) => Some(d.as_ref()),
            _ => None,
        }
    }

    /// A unique key refused the write. PostgreSQL names the constraint and it must be
    /// `constraint`; SQLite names none, so a statement that asks has a single unique key
    /// besides its row id.
    pub fn is_unique_violation(&self, constraint: &str) -> bool {
        self.database().is_some_and(|d| {
            d.is_unique_violation() && d.constraint().is_none_or(|c| c == constraint)
        })
    }

    /// A foreign key pointing nowhere: the referenced account (or other row) does not exist.
    pub fn is_foreign_key_violation(&self) -> bool {
        self.database()
            .is_some_and(|d| d.is_foreign_key_violation())
    }

    /// Worth retrying later: a lock or a full pool, decided by each database's own codes.
    pub fn is_busy(&self) -> bool {
        match &self.error {
            sqlx::Error::PoolTimedOut => true,
            sqlx::Error::Database(d) => {
                let code = d.code();
                match self.backend {
                    Backend::Sqlite => crate::sqlite::is_busy(code.as_deref()),
                    Backend::Postgres => crate::postgres::is_retryable(code.as_deref()),
                }
            }
            _ => false,
        }
    }

    pub fn into_inner(self) -> sqlx::Error {
        self.error
    }
}

impl From<DbError> for StoreError {
    fn from(e: DbError) -> StoreError {
        if e.is_busy() {
            StoreError::Busy
        } else {
            StoreError::Other(anyhow::Error::new(e.error))
        }
    }
}

/// An unknown account (or other referenced row) is `NotFound`; anything else as usual.
pub fn missing_reference(e: DbError) -> StoreError {
    if e.is_foreign_key_violation() {
        StoreError::NotFound
    } else {
        e.into()
    }
}
