//! The conformance suite on both databases, plus what only raw SQL can check: triggers and
//! constraints of the schema, SQLite's pragmas and files, and that the two schemas agree.

mod official;
mod raw;
mod schema;
mod sql_texts;

use std::sync::Arc;

use certdesk_store::Store;

use crate::SqlStore;
use crate::testing::TestDatabase;

/// A fresh SQLite store on a file of its own.
pub(crate) async fn sqlite_store() -> SqlStore {
    TestDatabase::sqlite().open().await
}

/// A fresh PostgreSQL store on a database of its own, or `None` (skipped) without a server.
pub(crate) async fn postgres_store(test: &str) -> Option<SqlStore> {
    Some(TestDatabase::postgres(test).await?.open().await)
}

mod sqlite {
    use super::*;

    async fn fresh(_test: &'static str) -> Option<Arc<dyn Store>> {
        Some(Arc::new(sqlite_store().await))
    }

    mod conformance {
        certdesk_store::conformance_tests!(super::fresh);
    }
}

mod postgres {
    use super::*;

    async fn fresh(test: &'static str) -> Option<Arc<dyn Store>> {
        postgres_store(test)
            .await
            .map(|s| Arc::new(s) as Arc<dyn Store>)
    }

    mod conformance {
        certdesk_store::conformance_tests!(super::fresh);
    }
}

/// The writer and readers of an SQLite store, for raw SQL.
pub(crate) fn sqlite_pools(store: &SqlStore) -> &crate::sqlite::Pools {
    match &store.db {
        crate::Db::Sqlite(pools) => pools,
        crate::Db::Postgres(_) => panic!("an SQLite store"),
    }
}

/// The pool of a PostgreSQL store, for raw SQL.
pub(crate) fn postgres_pool(store: &SqlStore) -> &sqlx::PgPool {
    match &store.db {
        crate::Db::Postgres(pool) => pool,
        crate::Db::Sqlite(_) => panic!("a PostgreSQL store"),
    }
}
