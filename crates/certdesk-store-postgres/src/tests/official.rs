//! Raw-SQL checks of the official channel's schema: the ledger is append-only, the database
//! itself refuses an overbooked seat pool or a negative balance (O3, O5), and a refusal raised
//! inside register-and-pay carries its name as the error's constraint.

use certdesk_store::conformance::shop::{buyer, paid, shop};
use certdesk_store::{OrderStore, WalletStore};

use super::fresh_store;

#[tokio::test]
async fn ledger_is_append_only_and_constraints_hold() {
    let Some(store) = fresh_store("ledger_is_append_only_and_constraints_hold").await else {
        return;
    };
    let exam = shop(&store, "CLD-ARC-P", &[("上海", 1)]).await;
    let b = buyer(&store, "raw", 1_000, 0).await;
    store
        .commit_paid_registration(paid(b, &exam, "上海", 0, 400))
        .await
        .expect("paid");
    for sql in [
        "UPDATE ledger_entries SET amount = 1",
        "DELETE FROM ledger_entries",
        "TRUNCATE ledger_entries CASCADE",
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
        let result = sqlx::query(sql).execute(&store.pool).await;
        assert!(result.is_err(), "{sql} must fail");
    }
    let balance = store.wallet_balance(b.account).await.expect("balance");
    assert_eq!(balance.cash.get(), 600);
}

#[tokio::test]
async fn refusals_are_named_by_constraint() {
    let Some(store) = fresh_store("refusals_are_named_by_constraint").await else {
        return;
    };
    let err = sqlx::query("SELECT certdesk_refuse('refused_no_seats_left')")
        .execute(&store.pool)
        .await
        .expect_err("raises");
    let sqlx::Error::Database(d) = err else {
        panic!("a database error, got {err:?}")
    };
    assert_eq!(d.code().as_deref(), Some("23514"), "check_violation");
    assert_eq!(d.constraint(), Some("refused_no_seats_left"));
}
