//! O5: the wallet — operators' credits on an append-only ledger, balances equal to its sums,
//! vouchers, and gateway top-ups that credit once however often the callback comes.

use std::sync::Arc;

use certdesk_domain::{AccountId, Balance, LedgerEntryKind, PaymentId, PaymentStatus};

use super::fixtures::{account, assert_conflict, assert_not_found, at};
use super::shop::{all_at_once, assert_ledger_balanced, fen, ledger, new_credit, new_voucher};
use crate::{Conflict, NewPayment, PageRequest, Store, WalletBalance};

pub async fn wallet_credit_ledger_and_balance(store: Arc<dyn Store>) {
    let s = &*store;
    let a = account(s, "wallet@example.com").await.id;
    assert_eq!(
        s.wallet_balance(a).await.expect("balance"),
        WalletBalance::default()
    );
    assert!(ledger(s, a).await.is_empty());
    let first = s
        .commit_credit(new_credit(a, Balance::Cash, 500))
        .await
        .expect("credit cash");
    assert_eq!(
        (
            first.kind,
            first.balance,
            first.amount,
            first.reason.as_str(),
            first.actor
        ),
        (
            LedgerEntryKind::OperatorCredit,
            Balance::Cash,
            500,
            "goodwill",
            Some(a)
        )
    );
    s.commit_credit(new_credit(a, Balance::Gift, 300))
        .await
        .expect("credit gift");
    s.commit_credit(new_credit(a, Balance::Cash, 7))
        .await
        .expect("credit cash again");
    let balance = s.wallet_balance(a).await.expect("balance");
    assert_eq!((balance.cash, balance.gift), (fen(507), fen(300)));
    assert_eq!(assert_ledger_balanced(s, a).await, (507, 300));
    // Newest first, paged.
    let page = s.list_ledger(a, PageRequest::first(2)).await.expect("page");
    assert_eq!(
        page.items.iter().map(|e| e.amount).collect::<Vec<_>>(),
        [7, 300]
    );
    let rest = s
        .list_ledger(
            a,
            PageRequest {
                limit: 2,
                cursor: page.next_cursor,
            },
        )
        .await
        .expect("rest");
    assert_eq!(rest.items, vec![first]);
    assert_eq!(rest.next_cursor, None);
    let audited = s.list_audit(Default::default()).await.expect("audit").items;
    assert_eq!(
        audited
            .iter()
            .filter(|e| e.action == "wallet.credit")
            .count(),
        3
    );
    assert_not_found(
        s.commit_credit(new_credit(AccountId(999), Balance::Cash, 1))
            .await,
    );
}

pub async fn voucher_issue_find_list_code_taken(store: Arc<dyn Store>) {
    let s = &*store;
    let a = account(s, "vouchers@example.com").await.id;
    let b = account(s, "other@example.com").await.id;
    let first = s
        .commit_voucher(new_voucher(a, 1, 1_000, 5_000))
        .await
        .expect("issue");
    assert_eq!(
        (
            first.account_id,
            first.face_value,
            first.min_spend,
            first.used_by_order
        ),
        (a, fen(1_000), fen(5_000), None)
    );
    assert_eq!(first.expires_at, at(30 * 86_400));
    let second = s
        .commit_voucher(new_voucher(a, 2, 500, 0))
        .await
        .expect("issue");
    s.commit_voucher(new_voucher(b, 3, 500, 0))
        .await
        .expect("issue");
    assert_eq!(
        s.find_voucher(&first.code).await.expect("find"),
        Some(first.clone())
    );
    assert_eq!(
        s.list_vouchers(a).await.expect("list"),
        vec![second, first.clone()],
        "newest first, only the account's"
    );
    assert_conflict(
        s.commit_voucher(new_voucher(b, 1, 100, 0)).await,
        Conflict::VoucherCodeTaken,
    );
    assert_not_found(
        s.commit_voucher(new_voucher(AccountId(999), 9, 100, 0))
            .await,
    );
    assert_eq!(s.list_vouchers(b).await.expect("list").len(), 1);
}

fn top_up(account: AccountId, amount: i64) -> NewPayment {
    NewPayment {
        account_id: account,
        gateway: "sandbox".to_owned(),
        amount: fen(amount),
        created_at: at(5),
    }
}

pub async fn payment_callback_credits_once(store: Arc<dyn Store>) {
    let s = &*store;
    let a = account(s, "payer@example.com").await.id;
    let payment = s.commit_payment(top_up(a, 8_800)).await.expect("payment");
    assert_eq!(
        (
            payment.status,
            payment.gateway_ref.clone(),
            payment.completed_at
        ),
        (PaymentStatus::Pending, None, None)
    );
    assert_eq!(s.get_payment(payment.id).await.expect("get"), payment);
    let paid = s
        .commit_payment_succeeded(payment.id, "gw-1", at(6))
        .await
        .expect("paid");
    assert!(paid.credited);
    assert_eq!(paid.payment.status, PaymentStatus::Succeeded);
    assert_eq!(paid.payment.gateway_ref.as_deref(), Some("gw-1"));
    assert_eq!(paid.payment.completed_at, Some(at(6)));
    let again = s
        .commit_payment_succeeded(payment.id, "gw-1", at(7))
        .await
        .expect("repeat");
    assert!(!again.credited);
    assert_eq!(again.payment, paid.payment, "a repeat changes nothing");
    let entries = ledger(s, a).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0].kind,
            entries[0].balance,
            entries[0].amount,
            entries[0].payment_id
        ),
        (
            LedgerEntryKind::TopUp,
            Balance::Cash,
            8_800,
            Some(payment.id)
        )
    );
    assert_eq!(assert_ledger_balanced(s, a).await, (8_800, 0));
    assert_conflict(
        s.commit_payment_cancelled(payment.id, at(8)).await,
        Conflict::PaymentNotPending,
    );
    assert_not_found(s.get_payment(PaymentId(999)).await);
    assert_not_found(s.commit_payment_succeeded(PaymentId(999), "x", at(6)).await);
    assert_not_found(s.commit_payment_cancelled(PaymentId(999), at(6)).await);
    assert_not_found(s.commit_payment(top_up(AccountId(999), 1)).await);
}

pub async fn payment_cancelled_then_paid_still_credits(store: Arc<dyn Store>) {
    let s = &*store;
    let a = account(s, "changed-mind@example.com").await.id;
    let payment = s.commit_payment(top_up(a, 1_234)).await.expect("payment");
    let cancelled = s
        .commit_payment_cancelled(payment.id, at(6))
        .await
        .expect("cancel");
    assert_eq!(cancelled.status, PaymentStatus::Cancelled);
    let again = s
        .commit_payment_cancelled(payment.id, at(7))
        .await
        .expect("cancel again");
    assert_eq!(again, cancelled, "cancelling twice answers it unchanged");
    // The gateway took the money after all (`on_gateway_report`): it is credited.
    let paid = s
        .commit_payment_succeeded(payment.id, "late", at(8))
        .await
        .expect("paid");
    assert!(paid.credited);
    assert_eq!(paid.payment.status, PaymentStatus::Succeeded);
    assert_eq!(assert_ledger_balanced(s, a).await, (1_234, 0));
}

pub async fn payment_callback_concurrent_credits_once(store: Arc<dyn Store>) {
    let a = account(&*store, "rush-payer@example.com").await.id;
    let payment = store
        .commit_payment(top_up(a, 10_000))
        .await
        .expect("payment");
    let outcomes = all_at_once(&store, 20, move |s, _| async move {
        s.commit_payment_succeeded(payment.id, "gw-same", at(6))
            .await
    })
    .await;
    let credited = outcomes
        .into_iter()
        .map(|o| o.expect("every callback answered").credited)
        .filter(|c| *c)
        .count();
    assert_eq!(credited, 1, "20 identical callbacks credit once");
    assert_eq!(assert_ledger_balanced(&*store, a).await, (10_000, 0));
    assert_eq!(ledger(&*store, a).await.len(), 1);
}
