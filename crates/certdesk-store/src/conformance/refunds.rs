//! O10: a refund gives cash and gift back with ledger entries, forfeits the voucher, cancels
//! the registration, releases its seat for someone else and voids its open promises (P1).

use std::sync::Arc;

use certdesk_domain::{Balance, LedgerEntryKind, OrderId, OrderStatus, RegistrationStatus};

use super::fixtures::{assert_conflict, assert_not_found, at, job};
use super::shop::{
    assert_ledger_balanced, buyer, fen, ledger, new_voucher, paid, shop, taken, with_voucher,
};
use crate::{Conflict, RefundCommit, Store};

fn refund_of(order: OrderId, cash: i64, gift: i64, forfeited: i64) -> RefundCommit {
    RefundCommit {
        order_id: order,
        requested_at: at(100),
        completed_at: at(110),
        cash: fen(cash),
        gift: fen(gift),
        voucher_forfeited: fen(forfeited),
        jobs: vec![job("notify", at(110))],
    }
}

pub async fn refund_returns_money_releases_seat_voids_promises(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-DEV-E", &[("上海", 3)]).await;
    let b = buyer(s, "ivan", 5_000, 3_000).await;
    let voucher = s
        .commit_voucher(new_voucher(b.account, 1, 1_000, 0))
        .await
        .expect("voucher");
    let (order, registration) = s
        .commit_paid_registration(with_voucher(
            paid(b, &exam, "上海", 3_000, 2_000),
            voucher.id,
            1_000,
        ))
        .await
        .expect("paid");
    assert_eq!(taken(s, &exam, "上海").await, 1);

    let refund = s
        .commit_refund(refund_of(order.id, 2_000, 3_000, 1_000))
        .await
        .expect("refunded");
    assert_eq!(
        (refund.cash, refund.gift, refund.voucher_forfeited),
        (fen(2_000), fen(3_000), fen(1_000))
    );
    assert_eq!(
        (refund.requested_at, refund.completed_at),
        (at(100), at(110))
    );
    assert_eq!(s.find_refund(order.id).await.expect("find"), Some(refund));

    assert_eq!(
        s.get_order(order.id).await.expect("order").status,
        OrderStatus::Refunded
    );
    let cancelled = s
        .get_registration(registration.id)
        .await
        .expect("registration");
    assert_eq!(
        (cancelled.status, cancelled.cancelled_at),
        (RegistrationStatus::Cancelled, Some(at(110)))
    );
    assert_eq!(taken(s, &exam, "上海").await, 0, "seat released");
    assert_eq!(assert_ledger_balanced(s, b.account).await, (5_000, 3_000));
    let mut credits: Vec<_> = ledger(s, b.account)
        .await
        .into_iter()
        .filter(|e| e.kind == LedgerEntryKind::Refund)
        .map(|e| (e.balance, e.amount, e.order_id, e.at))
        .collect();
    credits.sort_by_key(|c| c.1);
    assert_eq!(
        credits,
        [
            (Balance::Cash, 2_000, Some(order.id), at(110)),
            (Balance::Gift, 3_000, Some(order.id), at(110)),
        ]
    );
    // The voucher is forfeited: it stays spent by the refunded order.
    let spent = s
        .find_voucher(&voucher.code)
        .await
        .expect("find")
        .expect("voucher");
    assert_eq!(spent.used_by_order, Some(order.id));
    // P1: the unkept confirmation promise is owed no more.
    let promises = s.list_promises(registration.id).await.expect("promises");
    assert_eq!(
        (promises[0].kept_at, promises[0].voided_at),
        (None, Some(at(110)))
    );
    let summary = s
        .summarize_promises(at(10 * 86_400))
        .await
        .expect("summary");
    assert!(summary.iter().all(|k| k.overdue == 0 && k.pending == 0));
    assert_eq!(
        super::fixtures::all_jobs(s, None).await.len(),
        2,
        "the order's job and the refund's"
    );

    assert_conflict(
        s.commit_refund(refund_of(order.id, 2_000, 3_000, 1_000))
            .await,
        Conflict::AlreadyRefunded,
    );
    assert_not_found(s.commit_refund(refund_of(OrderId(999), 0, 0, 0)).await);
    assert_eq!(assert_ledger_balanced(s, b.account).await, (5_000, 3_000));
}

pub async fn refund_released_seat_can_be_bought_again(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-OPS-E", &[("上海", 1), ("北京", 1)]).await;
    let first = buyer(s, "judy", 1_000, 0).await;
    let second = buyer(s, "ken", 1_000, 0).await;
    let (order, _) = s
        .commit_paid_registration(paid(first, &exam, "上海", 0, 800))
        .await
        .expect("paid");
    assert_conflict(
        s.commit_paid_registration(paid(second, &exam, "上海", 0, 800))
            .await,
        Conflict::NoSeatsLeft,
    );
    s.commit_refund(refund_of(order.id, 800, 0, 0))
        .await
        .expect("refunded");
    s.commit_paid_registration(paid(second, &exam, "上海", 0, 800))
        .await
        .expect("the released seat is sold again");
    assert_eq!(taken(s, &exam, "上海").await, 1);
    assert_conflict(
        s.commit_paid_registration(paid(first, &exam, "上海", 0, 800))
            .await,
        Conflict::NoSeatsLeft,
    );
    // A2: a cancelled registration is not live, so its person may register again.
    s.commit_paid_registration(paid(first, &exam, "北京", 0, 800))
        .await
        .expect("registered again after the refund");
    assert_eq!(
        s.list_registrations(first.identity)
            .await
            .expect("list")
            .len(),
        2
    );
    assert_eq!(assert_ledger_balanced(s, first.account).await, (200, 0));
    assert_eq!(assert_ledger_balanced(s, second.account).await, (200, 0));
}
