//! What the store's database seam costs: one hot read (an account by id, nine columns,
//! decoded into `Account`) run through three ways of writing a query once for two databases,
//! on the same scratch database:
//! - `native`: sqlx's own driver types, the query written for one database (what a store
//!   generic over `sqlx::Database` compiles to: the same code, monomorphized);
//! - `seam`: `SqlStore::get_account`, the store's enum-over-pools seam (`src/db.rs`);
//! - `any`: `sqlx::Any`, sqlx's runtime-dispatched driver.
//!
//! `cargo run --release -p certdesk-store-sql --features testing --example seam --
//!  sqlite|postgres [queries] [concurrency]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use certdesk_domain::{AccountId, Email, Role};
use certdesk_store::conformance::fixtures::account;
use certdesk_store::{Account, Store};
use certdesk_store_sql::testing::TestDatabase;

const SQL: &str = "SELECT id, email, phone, password_hash, roles, institution_id, wechat_openid, opted_out, created_at
                   FROM accounts WHERE id = $1";

/// The fields of an account row, decoded as the store decodes them.
fn account_from<R>(row: &R) -> Account
where
    R: sqlx::Row,
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let phone: Option<String> = row.try_get("phone").expect("phone");
    assert!(phone.is_none());
    let roles: String = row.try_get("roles").expect("roles");
    let opted_out: String = row.try_get("opted_out").expect("opted out");
    let institution: Option<i64> = row.try_get("institution_id").expect("institution");
    Account {
        id: AccountId(row.try_get("id").expect("id")),
        email: Email::parse(&row.try_get::<String, _>("email").expect("email")).expect("email"),
        phone: None,
        password_hash: row.try_get("password_hash").expect("hash"),
        roles: serde_json::from_str::<Vec<Role>>(&roles).expect("roles"),
        institution_id: institution.map(certdesk_domain::InstitutionId),
        wechat_openid: row.try_get("wechat_openid").expect("openid"),
        opted_out: serde_json::from_str(&opted_out).expect("opt-outs"),
        created_at: jiff::Timestamp::from_microsecond(row.try_get("created_at").expect("at"))
            .expect("at"),
    }
}

/// This process's user + system CPU time (clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest.split(' ').collect())
        .unwrap_or_default();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((tick(11) + tick(12)) * 10)
}

/// Runs `op` `queries` times from `concurrency` tasks; prints throughput and CPU per query.
async fn measure<F, Fut>(label: &str, queries: usize, concurrency: usize, op: F)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Account> + Send,
{
    let op = Arc::new(op);
    let (cpu, started) = (cpu_time(), Instant::now());
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let op = op.clone();
            tokio::spawn(async move {
                for _ in 0..queries / concurrency {
                    std::hint::black_box(op().await);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let (elapsed, cpu) = (started.elapsed(), cpu_time().saturating_sub(cpu));
    let done = (queries / concurrency * concurrency) as f64;
    println!(
        "{label:<8} {:>8.0} queries/s  {:>6.1} µs CPU per query",
        done / elapsed.as_secs_f64(),
        cpu.as_secs_f64() * 1e6 / done
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let database = args.next().unwrap_or_else(|| "sqlite".to_owned());
    let queries: usize = args.next().map_or(Ok(20_000), |a| a.parse())?;
    let concurrency: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let scratch = match database.as_str() {
        "sqlite" => TestDatabase::sqlite(),
        "postgres" => TestDatabase::postgres_named("seam", "certdesk_seam")
            .await
            .ok_or_else(|| anyhow::anyhow!("PostgreSQL is unreachable"))?,
        other => anyhow::bail!("{other}: sqlite or postgres"),
    };
    let store = Arc::new(scratch.open().await);
    let id = account(store.as_ref(), "seam@example.com").await.id;
    let url = scratch.url().to_owned();
    sqlx::any::install_default_drivers();
    let any = sqlx::any::AnyPoolOptions::new()
        .max_connections(if scratch.is_postgres() { 10 } else { 4 })
        .connect(&url)
        .await?;
    println!("{database}: {queries} reads of one account, {concurrency} at a time");
    for round in 0..2 {
        if round == 1 {
            println!("(again, to see the noise)");
        }
        if scratch.is_postgres() {
            let native = sqlx::postgres::PgPoolOptions::new()
                .max_connections(10)
                .connect(&url)
                .await?;
            measure("native", queries, concurrency, move || {
                let native = native.clone();
                async move {
                    let row = sqlx::query(SQL)
                        .bind(id.get())
                        .fetch_one(&native)
                        .await
                        .expect("read");
                    account_from(&row)
                }
            })
            .await;
        } else {
            let options = url
                .parse::<sqlx::sqlite::SqliteConnectOptions>()?
                .pragma("query_only", "ON");
            let native = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await?;
            measure("native", queries, concurrency, move || {
                let native = native.clone();
                async move {
                    let row = sqlx::query(SQL)
                        .bind(id.get())
                        .fetch_one(&native)
                        .await
                        .expect("read");
                    account_from(&row)
                }
            })
            .await;
        }
        let seam: Arc<dyn Store> = store.clone();
        measure("seam", queries, concurrency, move || {
            let seam = seam.clone();
            async move { seam.get_account(id).await.expect("read") }
        })
        .await;
        let any = any.clone();
        measure("any", queries, concurrency, move || {
            let any = any.clone();
            async move {
                let row = sqlx::query(SQL)
                    .bind(id.get())
                    .fetch_one(&any)
                    .await
                    .expect("read");
                account_from(&row)
            }
        })
        .await;
    }
    store.close().await;
    Ok(())
}
