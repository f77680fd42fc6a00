//! Opens the store named by the database URL: `sqlite:` (embedded default) or `postgres:`.

use crate::cli::GlobalArgs;
use anyhow::{Context, bail};
use certdesk_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// The file path of an embedded SQLite database.
    Sqlite(PathBuf),
    Postgres,
}

pub fn classify(url: &str) -> anyhow::Result<Database> {
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.strip_prefix("//").unwrap_or(rest);
        let path = path.split('?').next().unwrap_or_default();
        if path.is_empty() || path == ":memory:" {
            bail!("the database URL {url:?} names no file: use sqlite:PATH");
        }
        Ok(Database::Sqlite(PathBuf::from(path)))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Database::Postgres)
    } else {
        bail!("unsupported database URL scheme (use sqlite:PATH or postgres://…)")
    }
}

/// Opens and migrates the database. Migration is idempotent; on PostgreSQL sqlx holds an
/// advisory lock, so several nodes starting together migrate once.
pub async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    let store = match classify(url)? {
        Database::Sqlite(path) => certdesk_store_sql::SqlStore::open(url)
            .await
            .with_context(|| format!("opening the SQLite database {}", path.display()))?,
        // Never echo the URL: it may carry a password.
        Database::Postgres => certdesk_store_sql::SqlStore::open(url)
            .await
            .context("opening the PostgreSQL database")?,
    };
    Ok(Arc::new(store))
}

/// `certdesk migrate`.
pub async fn migrate(global: &GlobalArgs) -> anyhow::Result<()> {
    // The whole configuration is checked, not just the URL: a database migrated without its
    // key would hold nothing readable later.
    crate::config::secret_key(&global.database_url)?;
    open(&global.database_url).await?;
    tracing::info!("database migrated");
    println!("migrations applied");
    Ok(())
}
