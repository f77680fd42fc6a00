//! Raw-SQL checks of the official channel's schema: the ledger is append-only, and the
//! database itself refuses an overbooked seat pool or a negative balance (O3, O5).

use certdesk_store::conformance::shop::{buyer, paid, shop};
use certdesk_store::{OrderStore, WalletStore};

use super::fresh_store;

#[tokio::test]
async fn ledger_is_append_only_and_constraints_hold() {
    let store = fresh_store().await;
    let exam = shop(&store, "CLD-ARC-P", &[("上海", 1)]).await;
    let b = buyer(&store, "raw", 1_000, 0).await;
    store
        .commit_paid_registration(paid(b, &exam, "上海", 0, 400))
        .await
        .expect("paid");
    for sql in [
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
    ] {
        let result = sqlx::query(sql).execute(&store.writer).await;
        assert!(result.is_err(), "{sql} must fail");
    }
    let balance = store.wallet_balance(b.account).await.expect("balance");
    assert_eq!(balance.cash.get(), 600);
}

#[tokio::test]
async fn savepoint_journals_stay_in_memory() {
    let store = fresh_store().await;
    let temp_store: i64 = sqlx::query_scalar("PRAGMA temp_store")
        .fetch_one(&store.writer)
        .await
        .expect("pragma");
    assert_eq!(temp_store, 2, "temp_store=MEMORY");
}

#[test]
fn group_commit_outlives_the_runtime_that_opened_the_store() {
    let first = tokio::runtime::Runtime::new().expect("runtime");
    let (store, b, exam) = first.block_on(async {
        let store = fresh_store().await;
        let exam = shop(&store, "CLD-ARC-P", &[("上海", 2)]).await;
        let b = buyer(&store, "late", 1_000, 0).await;
        (store, b, exam)
    });
    // The group-commit task ends with its runtime; registrations are still written.
    drop(first);
    let second = tokio::runtime::Runtime::new().expect("runtime");
    second.block_on(async {
        store
            .commit_paid_registration(paid(b, &exam, "上海", 0, 400))
            .await
            .expect("written without the task");
        assert_eq!(
            store
                .list_registrations(b.identity)
                .await
                .expect("list")
                .len(),
            1
        );
    });
}
