//! What the store's database seam costs, against the two other ways of writing a query once
//! for two databases, on the same scratch database:
//! - `native`: sqlx's own driver types, the query written for one database (what a store
//!   generic over `sqlx::Database` compiles to: the same code, monomorphized);
//! - `seam`: the store's own operations, through its enum-over-pools seam (`src/db.rs`);
//! - `any`: `sqlx::Any`, sqlx's runtime-dispatched driver, which copies every value of a row.
//!
//! Two reads, each decoded into the store's records: one account by id (one row of nine
//! columns, the shape of most hot reads), and an account's 200 newest ledger entries (200
//! rows of ten columns). The three ways take turns, five rounds; each line gives the median
//! round and the spread.
//!
//! `cargo run --release -p certdesk-store-sql --features measure-any --example seam --
//!  sqlite|postgres [concurrency]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use certdesk_domain::{AccountId, Balance, Email, Fen, Role};
use certdesk_store::conformance::fixtures::{account, at, audit};
use certdesk_store::{Account, LedgerEntry, NewCredit, PageRequest, Store, WalletStore};
use certdesk_store_sql::testing::TestDatabase;

const ACCOUNT: &str = "SELECT id, email, phone, password_hash, roles, institution_id, wechat_openid, opted_out, created_at
                       FROM accounts WHERE id = $1";
const LEDGER: &str = "SELECT id, account_id, balance, kind, amount, reason, order_id, payment_id, actor_id, at
                      FROM ledger_entries WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
const ENTRIES: usize = 200;
const ROUNDS: usize = 5;

/// A row of either driver, read by column name as the store reads it.
trait Columns {
    fn int(&self, column: &str) -> i64;
    fn int_opt(&self, column: &str) -> Option<i64>;
    fn text(&self, column: &str) -> String;
    fn text_opt(&self, column: &str) -> Option<String>;
}

impl<R> Columns for R
where
    R: sqlx::Row,
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn int(&self, column: &str) -> i64 {
        self.try_get(column).expect(column)
    }
    fn int_opt(&self, column: &str) -> Option<i64> {
        self.try_get(column).expect(column)
    }
    fn text(&self, column: &str) -> String {
        self.try_get(column).expect(column)
    }
    fn text_opt(&self, column: &str) -> Option<String> {
        self.try_get(column).expect(column)
    }
}

fn time(micros: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_microsecond(micros).expect("time")
}

fn account_from(row: &impl Columns) -> Account {
    Account {
        id: AccountId(row.int("id")),
        email: Email::parse(&row.text("email")).expect("email"),
        phone: row
            .text_opt("phone")
            .map(|p| certdesk_domain::Phone::parse(&p).expect("phone")),
        password_hash: row.text("password_hash"),
        roles: serde_json::from_str::<Vec<Role>>(&row.text("roles")).expect("roles"),
        institution_id: row
            .int_opt("institution_id")
            .map(certdesk_domain::InstitutionId),
        wechat_openid: row.text_opt("wechat_openid"),
        opted_out: serde_json::from_str(&row.text("opted_out")).expect("opt-outs"),
        created_at: time(row.int("created_at")),
    }
}

fn entry_from(row: &impl Columns) -> LedgerEntry {
    LedgerEntry {
        id: row.int("id"),
        account_id: AccountId(row.int("account_id")),
        balance: row.text("balance").parse().expect("balance"),
        kind: row.text("kind").parse().expect("kind"),
        amount: row.int("amount"),
        reason: row.text("reason"),
        order_id: row.int_opt("order_id").map(certdesk_domain::OrderId),
        payment_id: row.int_opt("payment_id").map(certdesk_domain::PaymentId),
        actor: row.int_opt("actor_id").map(AccountId),
        at: time(row.int("at")),
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

/// One round: `reads` reads from `concurrency` tasks → (reads/s, µs of CPU per read).
async fn round<F, Fut>(reads: usize, concurrency: usize, op: Arc<F>) -> (f64, f64)
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = usize> + Send,
{
    let (cpu, started) = (cpu_time(), Instant::now());
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let op = op.clone();
            tokio::spawn(async move {
                for _ in 0..reads / concurrency {
                    std::hint::black_box(op().await);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let (elapsed, cpu) = (started.elapsed(), cpu_time().saturating_sub(cpu));
    let done = (reads / concurrency * concurrency) as f64;
    (done / elapsed.as_secs_f64(), cpu.as_secs_f64() * 1e6 / done)
}

type Op = Arc<dyn Fn() -> futures::future::BoxFuture<'static, usize> + Send + Sync>;

fn op<F, Fut>(f: F) -> Op
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = usize> + Send + 'static,
{
    Arc::new(move || Box::pin(f()) as futures::future::BoxFuture<'static, usize>)
}

fn median(mut values: Vec<f64>) -> (f64, f64, f64) {
    values.sort_by(f64::total_cmp);
    (
        values[values.len() / 2],
        values[0],
        values[values.len() - 1],
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let database = args.next().unwrap_or_else(|| "sqlite".to_owned());
    let concurrency: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let scratch = match database.as_str() {
        "sqlite" => TestDatabase::sqlite(),
        "postgres" => TestDatabase::postgres_named("seam", "certdesk_seam")
            .await
            .ok_or_else(|| anyhow::anyhow!("PostgreSQL is unreachable"))?,
        other => anyhow::bail!("{other}: sqlite or postgres"),
    };
    let store = Arc::new(scratch.open().await);
    let holder = account(store.as_ref(), "seam@example.com").await;
    let operator = account(store.as_ref(), "operator@example.com").await;
    for i in 0..ENTRIES {
        store
            .commit_credit(NewCredit {
                account_id: holder.id,
                balance: if i % 2 == 0 {
                    Balance::Cash
                } else {
                    Balance::Gift
                },
                amount: Fen::new(100).expect("fen"),
                reason: format!("seam {i}"),
                actor: operator.id,
                at: at(i as i64),
                audit: audit("account.credit", at(i as i64)),
                jobs: Vec::new(),
            })
            .await?;
    }
    let (id, url) = (holder.id, scratch.url().to_owned());
    let connections = if scratch.is_postgres() { 10 } else { 4 };
    sqlx::any::install_default_drivers();
    let any = sqlx::any::AnyPoolOptions::new()
        .max_connections(connections)
        .connect(&url)
        .await?;
    let page = PageRequest::first(ENTRIES as u32);

    let mut ways: Vec<(&str, Op, Op)> = Vec::new();
    if scratch.is_postgres() {
        let native = sqlx::postgres::PgPoolOptions::new()
            .max_connections(connections)
            .connect(&url)
            .await?;
        let n2 = native.clone();
        ways.push((
            "native",
            op(move || {
                let native = native.clone();
                async move {
                    let row = sqlx::query(ACCOUNT).bind(id.get()).fetch_one(&native).await;
                    account_from(&row.expect("read")).id.get() as usize
                }
            }),
            op(move || {
                let native = n2.clone();
                async move {
                    let rows = sqlx::query(LEDGER)
                        .bind(id.get())
                        .bind(i64::MAX)
                        .bind(ENTRIES as i64 + 1)
                        .fetch_all(&native)
                        .await;
                    rows.expect("read").iter().map(entry_from).count()
                }
            }),
        ));
    } else {
        let options = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()?
            .pragma("query_only", "ON");
        let native = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await?;
        let n2 = native.clone();
        ways.push((
            "native",
            op(move || {
                let native = native.clone();
                async move {
                    let row = sqlx::query(ACCOUNT).bind(id.get()).fetch_one(&native).await;
                    account_from(&row.expect("read")).id.get() as usize
                }
            }),
            op(move || {
                let native = n2.clone();
                async move {
                    let rows = sqlx::query(LEDGER)
                        .bind(id.get())
                        .bind(i64::MAX)
                        .bind(ENTRIES as i64 + 1)
                        .fetch_all(&native)
                        .await;
                    rows.expect("read").iter().map(entry_from).count()
                }
            }),
        ));
    }
    let (s1, s2): (Arc<dyn Store>, Arc<dyn Store>) = (store.clone(), store.clone());
    ways.push((
        "seam",
        op(move || {
            let store = s1.clone();
            async move { store.get_account(id).await.expect("read").id.get() as usize }
        }),
        op(move || {
            let store = s2.clone();
            async move { store.list_ledger(id, page).await.expect("read").items.len() }
        }),
    ));
    let a2 = any.clone();
    ways.push((
        "any",
        op(move || {
            let any = any.clone();
            async move {
                let row = sqlx::query(ACCOUNT).bind(id.get()).fetch_one(&any).await;
                account_from(&row.expect("read")).id.get() as usize
            }
        }),
        op(move || {
            let any = a2.clone();
            async move {
                let rows = sqlx::query(LEDGER)
                    .bind(id.get())
                    .bind(i64::MAX)
                    .bind(ENTRIES as i64 + 1)
                    .fetch_all(&any)
                    .await;
                rows.expect("read").iter().map(entry_from).count()
            }
        }),
    ));

    println!(
        "{database}, {concurrency} at a time; median of {ROUNDS} rounds taken in turns (min–max)"
    );
    for (what, reads, pick) in [("one account", 20_000, 0), ("200 ledger entries", 2_000, 1)] {
        let mut results: Vec<(Vec<f64>, Vec<f64>)> = vec![(Vec::new(), Vec::new()); ways.len()];
        for _ in 0..ROUNDS {
            for (i, (_, one, many)) in ways.iter().enumerate() {
                let chosen = if pick == 0 { one.clone() } else { many.clone() };
                let (rate, cpu) = round(reads, concurrency, Arc::new(move || chosen())).await;
                results[i].0.push(rate);
                results[i].1.push(cpu);
            }
        }
        println!("{what}:");
        for ((name, _, _), (rates, cpus)) in ways.iter().zip(results) {
            let (rate, rate_lo, rate_hi) = median(rates);
            let (cpu, cpu_lo, cpu_hi) = median(cpus);
            println!(
                "  {name:<7} {rate:>8.0} reads/s ({rate_lo:.0}–{rate_hi:.0})   {cpu:>7.1} µs CPU per read ({cpu_lo:.1}–{cpu_hi:.1})"
            );
        }
    }
    store.close().await;
    Ok(())
}
