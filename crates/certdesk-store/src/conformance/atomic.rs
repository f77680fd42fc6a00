//! O5: all or nothing — a register-and-pay refused at any step (balance, voucher, A2) leaves
//! no seat taken, no voucher spent, no order, no money moved, no promise, no inbox message and
//! no job.

use std::sync::Arc;

use super::fixtures::{all_jobs, assert_conflict, at};
use super::shop::{
    Buyer, Shop, assert_ledger_balanced, buyer, new_voucher, paid, shop, taken, with_voucher,
};
use crate::{Conflict, Store};

/// Nothing of a refused commit is visible: seats, voucher, orders, registrations, jobs.
/// `earlier`: the jobs and inbox messages of the buyer's earlier, successful registrations.
async fn assert_untouched(s: &dyn Store, exam: &Shop, b: Buyer, money: (i64, i64), earlier: usize) {
    assert_eq!(taken(s, exam, "上海").await, 0, "no seat taken");
    assert_eq!(
        assert_ledger_balanced(s, b.account).await,
        money,
        "no money moved"
    );
    assert_eq!(all_jobs(s, None).await.len(), earlier, "no job enqueued");
    assert_eq!(
        s.count_unread_messages(b.account).await.expect("inbox"),
        u64::try_from(earlier).expect("small"),
        "no inbox message"
    );
    assert_eq!(
        s.find_order_by_idempotency_key(b.account, "atomic")
            .await
            .expect("find"),
        None,
        "no order"
    );
}

pub async fn paid_registration_is_atomic(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-ARC-E", &[("上海", 5)]).await;
    let b = buyer(s, "frank", 1_000, 500).await;
    let voucher = s
        .commit_voucher(new_voucher(b.account, 1, 300, 0))
        .await
        .expect("voucher");
    let keyed = |gift, cash| {
        let mut p = with_voucher(paid(b, &exam, "上海", gift, cash), voucher.id, 300);
        p.idempotency = Some(("atomic".to_owned(), "h".to_owned()));
        p
    };

    // More gift credit than there is, after the seat was taken in the same transaction.
    assert_conflict(
        s.commit_paid_registration(keyed(600, 0)).await,
        Conflict::InsufficientBalance,
    );
    assert_conflict(
        s.commit_paid_registration(keyed(0, 1_001)).await,
        Conflict::InsufficientBalance,
    );
    // Gift and cash both covered alone, not together with the other's shortfall.
    assert_conflict(
        s.commit_paid_registration(keyed(501, 1_000)).await,
        Conflict::InsufficientBalance,
    );
    assert_untouched(s, &exam, b, (1_000, 500), 0).await;
    let unspent = s
        .find_voucher(&voucher.code)
        .await
        .expect("find")
        .expect("voucher");
    assert_eq!(unspent.used_by_order, None, "voucher not spent");

    // Someone else's voucher, an expired one, one below its minimum spend: refused.
    let theirs = buyer(s, "grace", 0, 0).await;
    let foreign = s
        .commit_voucher(new_voucher(theirs.account, 2, 300, 0))
        .await
        .expect("voucher");
    let with = |voucher_id, paid_at| {
        let mut p = with_voucher(paid(b, &exam, "上海", 100, 100), voucher_id, 300);
        p.paid_at = paid_at;
        p
    };
    assert_conflict(
        s.commit_paid_registration(with(foreign.id, at(10))).await,
        Conflict::VoucherUnavailable,
    );
    // T4: usable iff paid_at < expires_at.
    assert_conflict(
        s.commit_paid_registration(with(voucher.id, at(30 * 86_400)))
            .await,
        Conflict::VoucherUnavailable,
    );
    let picky = s
        .commit_voucher(new_voucher(b.account, 3, 300, 10_000))
        .await
        .expect("voucher");
    assert_conflict(
        s.commit_paid_registration(with(picky.id, at(10))).await,
        Conflict::VoucherUnavailable,
    );
    assert_untouched(s, &exam, b, (1_000, 500), 0).await;

    // A2 refusal after seat, debits and voucher were written: all undone.
    let other = shop(s, "CLD-ARC-X", &[("上海", 5)]).await;
    s.commit_paid_registration(paid(b, &other, "上海", 0, 100))
        .await
        .expect("a registration for another certification");
    let mut again = with_voucher(paid(b, &other, "上海", 100, 100), voucher.id, 300);
    again.idempotency = Some(("atomic".to_owned(), "h".to_owned()));
    assert_conflict(
        s.commit_paid_registration(again).await,
        Conflict::AlreadyRegistered,
    );
    assert_eq!(taken(s, &other, "上海").await, 1);
    assert_untouched(s, &exam, b, (900, 500), 1).await;
    let unspent = s
        .find_voucher(&voucher.code)
        .await
        .expect("find")
        .expect("voucher");
    assert_eq!(unspent.used_by_order, None, "voucher not spent");

    // An account without any wallet cannot pay anything but a voucher-covered order.
    let poor = buyer(s, "heidi", 0, 0).await;
    assert_conflict(
        s.commit_paid_registration(paid(poor, &exam, "上海", 0, 1))
            .await,
        Conflict::InsufficientBalance,
    );
    let free = s
        .commit_voucher(new_voucher(poor.account, 4, 50_000, 0))
        .await
        .expect("voucher");
    s.commit_paid_registration(with_voucher(
        paid(poor, &exam, "上海", 0, 0),
        free.id,
        1_000,
    ))
    .await
    .expect("paid by voucher alone");
    assert_eq!(assert_ledger_balanced(s, poor.account).await, (0, 0));
}
