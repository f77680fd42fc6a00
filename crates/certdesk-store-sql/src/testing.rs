//! Throwaway databases for tests and benchmarks (feature `testing`): a new SQLite file in a
//! temporary directory, or a new PostgreSQL database created through an admin connection
//! (`CERTDESK_TEST_POSTGRES_URL`, default `postgres://postgres@127.0.0.1:5432/postgres`) and
//! dropped when the last store on it goes away.
//!
//! Which database a test suite runs on is chosen with `CERTDESK_TEST_DATABASE` (`sqlite`, the
//! default, or `postgres`): [`TestDatabase::from_env`].

use std::hash::{BuildHasher, Hasher};
use std::io::Write as _;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};

use crate::SqlStore;

mod sitting;
pub use sitting::{seed_paid_sitting, seed_sitting};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The admin connection for scratch PostgreSQL databases.
pub fn admin_url() -> String {
    std::env::var("CERTDESK_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

/// The URL with any password hidden, for messages.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if url[scheme + 3..at].contains(':') => {
            let user_end = scheme + 3 + url[scheme + 3..at].find(':').unwrap_or(0);
            format!("{}:***{}", &url[..user_end], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// A scratch database: every store opened on it keeps it alive; the last one to go removes
/// it (the temporary directory, or `DROP DATABASE … WITH (FORCE)`, best effort).
#[derive(Clone)]
pub struct TestDatabase {
    target: Target,
    lease: Arc<dyn std::any::Any + Send + Sync>,
}

#[derive(Debug, Clone)]
enum Target {
    Sqlite(String),
    Postgres {
        options: Box<PgConnectOptions>,
        url: String,
    },
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("target", &self.target)
            .finish_non_exhaustive()
    }
}

/// Drops a scratch PostgreSQL database when the last holder goes away.
#[derive(Debug)]
struct DroppedDatabase {
    name: String,
    admin_url: String,
}

impl Drop for DroppedDatabase {
    fn drop(&mut self) {
        let (name, url) = (self.name.clone(), self.admin_url.clone());
        // Drop may run inside a runtime: do the async work on a thread of its own.
        let dropper = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                if let Ok(mut admin) = PgConnection::connect(&url).await {
                    let _ = admin
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = dropper.join();
    }
}

/// The admin URL naming another database: `postgres://u@h:5432/postgres?x=y` → `…/name?x=y`.
fn with_database(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    format!("{}/{name}{query}", &base[..host_end])
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let salt = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("{prefix}_{}_{n}_{:08x}", std::process::id(), salt as u32)
}

/// PostgreSQL is unreachable: a failure when `CERTDESK_REQUIRE_POSTGRES=1` (CI), else a
/// `SKIPPED` line on the process's stderr (not `eprintln!`, which the harness would capture
/// and hide).
fn unreachable(test: &str, url: &str, error: &dyn std::fmt::Display) -> Option<TestDatabase> {
    let url = redacted(url);
    if std::env::var("CERTDESK_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("{test}: PostgreSQL unreachable at {url}: {error} (CERTDESK_REQUIRE_POSTGRES=1)");
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: PostgreSQL unreachable at {url}: {error} (set CERTDESK_REQUIRE_POSTGRES=1 to fail instead)"
    );
    None
}

impl TestDatabase {
    /// A new SQLite file in a temporary directory of its own.
    pub fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite:{}", dir.path().join("certdesk.db").display());
        TestDatabase {
            target: Target::Sqlite(url),
            lease: Arc::new(dir),
        }
    }

    /// A new, empty PostgreSQL database, or `None` (skipped, see above) without a server.
    pub async fn postgres(test: &str) -> Option<TestDatabase> {
        TestDatabase::postgres_named(test, "certdesk_test").await
    }

    /// As [`TestDatabase::postgres`], the database's name starting with `prefix`.
    pub async fn postgres_named(test: &str, prefix: &str) -> Option<TestDatabase> {
        let url = admin_url();
        let mut admin =
            match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect(&url)).await {
                Ok(Ok(admin)) => admin,
                Ok(Err(e)) => return unreachable(test, &url, &e),
                Err(_) => return unreachable(test, &url, &"connection timed out"),
            };
        let name = unique_name(prefix);
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create the test database");
        let _ = admin.close().await;
        // From here on the database exists: the lease drops it even if nothing opens it.
        let lease = Arc::new(DroppedDatabase {
            name: name.clone(),
            admin_url: url.clone(),
        });
        let options = PgConnectOptions::from_str(&url)
            .expect("admin URL parses")
            .database(&name);
        Some(TestDatabase {
            target: Target::Postgres {
                options: Box::new(options),
                url: with_database(&url, &name),
            },
            lease,
        })
    }

    /// The database `CERTDESK_TEST_DATABASE` names: `sqlite` (default) or `postgres`. Asked
    /// for by name, PostgreSQL must be there: its absence fails the test, never skips it.
    pub async fn from_env(test: &str) -> TestDatabase {
        match std::env::var("CERTDESK_TEST_DATABASE").as_deref() {
            Err(_) | Ok("" | "sqlite") => TestDatabase::sqlite(),
            Ok("postgres") => match TestDatabase::postgres(test).await {
                Some(db) => db,
                None => {
                    panic!("{test}: CERTDESK_TEST_DATABASE=postgres, but PostgreSQL is unreachable")
                }
            },
            Ok(other) => panic!("CERTDESK_TEST_DATABASE={other:?}: use sqlite or postgres"),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.target, Target::Postgres { .. })
    }

    /// The database's URL (for a second, raw connection).
    pub fn url(&self) -> &str {
        match &self.target {
            Target::Sqlite(url) | Target::Postgres { url, .. } => url,
        }
    }

    /// A store on this database, migrated; it keeps the database alive.
    pub async fn open(&self) -> SqlStore {
        let opened = match &self.target {
            Target::Sqlite(url) => SqlStore::open_sqlite(url).await,
            Target::Postgres { options, .. } => {
                match SqlStore::connect_postgres_with(options.as_ref().clone()).await {
                    Ok(store) => store.migrate().await.map(|()| store),
                    Err(e) => Err(e),
                }
            }
        };
        let mut store = opened.unwrap_or_else(|e| panic!("open the test store: {e:#}"));
        store._lease = Some(self.lease.clone());
        store
    }
}

impl SqlStore {
    /// Runs one raw statement on the store's writer; answers the rows it changed. Only for
    /// tests that need a state no use case makes yet (a retake registration before O8's use
    /// case exists); never for checking what a store operation did.
    pub async fn execute_for_test(&self, statement: &str) -> anyhow::Result<u64> {
        Ok(crate::db::query(statement).execute(self.write()).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn urls_name_the_scratch_database() {
        use super::with_database;
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u:p@h/admin?sslmode=disable", "t2"),
            "postgres://u:p@h/t2?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "t3"), "postgres://h/t3");
    }

    #[test]
    fn passwords_are_redacted_in_messages() {
        assert_eq!(
            redacted("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redacted("postgres://postgres@127.0.0.1/postgres"),
            "postgres://postgres@127.0.0.1/postgres"
        );
    }
}
