//! Raw-SQL checks of the official channel's schema on both databases: the ledger is
//! append-only, and the database itself refuses an overbooked seat pool, a negative balance,
//! an order whose parts do not add up and a person's second live registration (O3, O5, A2).
//! Also: register-and-pay on SQLite still commits after the runtime that opened the store
//! has ended, and PostgreSQL names a refusal raised inside register-and-pay as the error's constraint.

use certdesk_store::conformance::shop::{buyer, paid, shop};
use certdesk_store::{OrderStore, WalletStore};

use super::{postgres_pool, postgres_store, sqlite_pools, sqlite_store};
use crate::SqlStore;

const GUARDED: &[&str] = &[
    "UPDATE ledger_entries SET amount = 1",
    "DELETE FROM ledger_entries",
    // O3: never more seats taken than there are.
    "UPDATE seat_pools SET taken = capacity + 1",
    // O5: balances never negative.
    "UPDATE wallets SET cash = -1",
    // An order's parts add up to its total.
    "UPDATE orders SET cash = cash + 1",
    // A2: the person's second live registration.
    "INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt, status,
         exam_starts_at, exam_ends_at, created_at)
     SELECT identity_id, account_id, certification_id, 'official', 'first', 'ticket_issued',
         exam_starts_at, exam_ends_at, created_at FROM registrations",
];

async fn schema_guards_hold(store: &SqlStore, extra: &[&str]) {
    let exam = shop(store, "CLD-ARC-P", &[("上海", 1)]).await;
    let b = buyer(store, "raw", 1_000, 0).await;
    store
        .commit_paid_registration(paid(b, &exam, "上海", 0, 400))
        .await
        .expect("paid");
    for sql in GUARDED.iter().chain(extra) {
        let result = match store.backend_name() {
            "sqlite" => sqlx::query(sql)
                .execute(&sqlite_pools(store).writer)
                .await
                .map(|_| ()),
            _ => sqlx::query(sql)
                .execute(postgres_pool(store))
                .await
                .map(|_| ()),
        };
        assert!(result.is_err(), "{sql} must fail");
    }
    let balance = store.wallet_balance(b.account).await.expect("balance");
    assert_eq!(balance.cash.get(), 600);
}

#[tokio::test]
async fn sqlite_ledger_is_append_only_and_constraints_hold() {
    schema_guards_hold(&sqlite_store().await, &[]).await;
}

#[tokio::test]
async fn postgres_ledger_is_append_only_and_constraints_hold() {
    let Some(store) = postgres_store("postgres_ledger_is_append_only_and_constraints_hold").await
    else {
        return;
    };
    schema_guards_hold(&store, &["TRUNCATE ledger_entries CASCADE"]).await;
}

#[tokio::test]
async fn postgres_refusals_are_named_by_constraint() {
    let Some(store) = postgres_store("postgres_refusals_are_named_by_constraint").await else {
        return;
    };
    let err = sqlx::query("SELECT certdesk_refuse('refused_no_seats_left')")
        .execute(postgres_pool(&store))
        .await
        .expect_err("raises");
    let sqlx::Error::Database(d) = err else {
        panic!("a database error, got {err:?}")
    };
    assert_eq!(d.code().as_deref(), Some("23514"), "check_violation");
    assert_eq!(d.constraint(), Some("refused_no_seats_left"));
}

/// The group-commit task ends with the runtime that opened the store; registrations are
/// still written (a group of one, by the caller). SQLite only: a PostgreSQL pool's
/// connections belong to the runtime that opened them.
#[test]
fn sqlite_group_commit_outlives_the_runtime_that_opened_the_store() {
    let first = tokio::runtime::Runtime::new().expect("runtime");
    let (store, b, exam) = first.block_on(async {
        let store = sqlite_store().await;
        let exam = shop(&store, "CLD-ARC-P", &[("上海", 2)]).await;
        let b = buyer(&store, "late", 1_000, 0).await;
        (store, b, exam)
    });
    drop(first);
    let second = tokio::runtime::Runtime::new().expect("runtime");
    second.block_on(async {
        store
            .commit_paid_registration(paid(b, &exam, "上海", 0, 400))
            .await
            .expect("written without the task");
        let registrations = store.list_registrations(b.identity).await.expect("list");
        assert_eq!(registrations.len(), 1);
    });
}
