//! O5: register and pay commits seat, order, debits, voucher, registration, ledger, promises
//! and jobs together; A2 refuses a person's second live registration; an `Idempotency-Key`
//! commits once.

use std::sync::Arc;

use certdesk_domain::{
    Attempt, Balance, Channel, ExamPeriodId, LedgerEntryKind, OrderId, OrderStatus, PromiseKind,
    RegistrationId, RegistrationStatus,
};

use super::fixtures::{all_jobs, assert_conflict, assert_not_found, at};
use super::shop::{
    assert_ledger_balanced, buyer, exam_start, fen, ledger, new_voucher, paid, same_person, shop,
    taken, with_voucher,
};
use crate::{Conflict, JobStatus, Store};

pub async fn paid_registration_commits_everything(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-DEV-A", &[("上海", 3), ("北京", 2)]).await;
    let b = buyer(s, "alice", 5_000, 3_000).await;
    let voucher = s
        .commit_voucher(new_voucher(b.account, 1, 1_000, 5_000))
        .await
        .expect("voucher");
    let (order, registration) = s
        .commit_paid_registration(with_voucher(
            paid(b, &exam, "北京", 3_000, 2_000),
            voucher.id,
            1_000,
        ))
        .await
        .expect("registered and paid");

    assert_eq!(
        (order.account_id, order.registration_id, order.status),
        (b.account, registration.id, OrderStatus::Paid)
    );
    assert_eq!(
        (order.total, order.voucher, order.gift, order.cash),
        (fen(6_000), fen(1_000), fen(3_000), fen(2_000))
    );
    assert_eq!(
        (order.voucher_id, order.paid_at),
        (Some(voucher.id), at(10))
    );
    assert_eq!(s.get_order(order.id).await.expect("get order"), order);

    assert_eq!(
        (
            registration.identity_id,
            registration.account_id,
            registration.order_id
        ),
        (b.identity, b.account, Some(order.id))
    );
    assert_eq!(
        (
            registration.channel,
            registration.attempt,
            registration.status
        ),
        (
            Channel::Official,
            Attempt::First,
            RegistrationStatus::Confirmed
        )
    );
    assert_eq!(registration.certification_id, exam.certification_id);
    assert_eq!(registration.certification_code.as_str(), "CLD-DEV-A");
    assert_eq!(
        (registration.period_id, registration.city.as_deref()),
        (Some(exam.period.id), Some("北京"))
    );
    assert_eq!(
        (registration.exam_starts_at, registration.exam_ends_at),
        (Some(exam_start()), Some(exam.period.ends_at))
    );
    assert_eq!(
        (registration.reschedules_used, registration.cancelled_at),
        (0, None)
    );
    assert_eq!(registration.created_at, at(10));
    assert_eq!(
        s.get_registration(registration.id)
            .await
            .expect("get registration"),
        registration
    );
    assert_eq!(
        s.list_registrations(b.identity).await.expect("list"),
        vec![registration.clone()]
    );

    // O3: one seat taken, in that city only.
    assert_eq!(
        (taken(s, &exam, "北京").await, taken(s, &exam, "上海").await),
        (1, 0)
    );
    // O5: the voucher is spent by this order; gift and cash debited with ledger entries.
    let spent = s
        .find_voucher(&voucher.code)
        .await
        .expect("find")
        .expect("voucher");
    assert_eq!(spent.used_by_order, Some(order.id));
    assert_eq!(assert_ledger_balanced(s, b.account).await, (3_000, 0));
    let mut debits: Vec<_> = ledger(s, b.account)
        .await
        .into_iter()
        .filter(|e| e.kind == LedgerEntryKind::OrderDebit)
        .map(|e| (e.balance, e.amount, e.order_id, e.at))
        .collect();
    debits.sort_by_key(|d| d.1);
    assert_eq!(
        debits,
        [
            (Balance::Gift, -3_000, Some(order.id), at(10)),
            (Balance::Cash, -2_000, Some(order.id), at(10)),
        ]
    );
    // P1: the confirmation promise; its job enqueued in the same commit.
    let promises = s.list_promises(registration.id).await.expect("promises");
    assert_eq!(promises.len(), 1);
    assert_eq!(
        (promises[0].kind, promises[0].due_at, promises[0].kept_at),
        (PromiseKind::Confirmation, at(10 + 86_400), None)
    );
    assert_eq!(promises[0].registration_id, Some(registration.id));
    let jobs = all_jobs(s, Some(JobStatus::Pending)).await;
    assert_eq!(jobs.len(), 1);
    assert_eq!((jobs[0].kind.as_str(), jobs[0].run_at), ("notify", at(10)));
    // O6: the confirmation inbox message, in the same commit.
    let inbox = s
        .list_inbox_messages(b.account, crate::PageRequest::first(10))
        .await
        .expect("inbox");
    assert_eq!(inbox.items.len(), 1);
    let message = &inbox.items[0];
    assert_eq!(
        (
            message.kind.as_str(),
            message.title_zh.as_str(),
            message.body_zh.as_str()
        ),
        (
            "registration_confirmed",
            "报名成功",
            "北京考场的座位已为你保留。"
        )
    );
    assert_eq!((message.created_at, message.read_at), (at(10), None));
    // P1: a promise the commit itself keeps (the inbox confirmation) is recorded as kept.
    let other = buyer(s, "alice-kept", 1_000, 0).await;
    let mut kept = paid(other, &exam, "上海", 0, 1_000);
    kept.promises[0].kept_at = Some(at(10));
    kept.jobs.clear();
    let (_, kept) = s.commit_paid_registration(kept).await.expect("paid");
    let promises = s.list_promises(kept.id).await.expect("promises");
    assert_eq!(
        promises
            .iter()
            .map(|p| (p.kind, p.kept_at))
            .collect::<Vec<_>>(),
        [(PromiseKind::Confirmation, Some(at(10)))]
    );

    assert_not_found(s.get_order(OrderId(999)).await);
    assert_not_found(s.get_registration(RegistrationId(999)).await);
    assert_eq!(s.find_refund(order.id).await.expect("find refund"), None);
}

pub async fn paid_registration_unknown_period_or_city(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-OPS-A", &[("上海", 3)]).await;
    let other = shop(s, "CLD-OPS-P", &[("上海", 3)]).await;
    let b = buyer(s, "bob", 1_000, 0).await;
    assert_not_found(
        s.commit_paid_registration(paid(b, &exam, "拉萨", 0, 100))
            .await,
    );
    let mut unknown = paid(b, &exam, "上海", 0, 100);
    unknown.period_id = ExamPeriodId(999);
    assert_not_found(s.commit_paid_registration(unknown).await);
    // A period of another certification than the one named.
    let mut mismatched = paid(b, &exam, "上海", 0, 100);
    mismatched.period_id = other.period.id;
    assert_not_found(s.commit_paid_registration(mismatched).await);
    assert_eq!(
        (
            taken(s, &exam, "上海").await,
            taken(s, &other, "上海").await
        ),
        (0, 0)
    );
    assert_eq!(assert_ledger_balanced(s, b.account).await, (1_000, 0));
    assert!(all_jobs(s, None).await.is_empty());
}

pub async fn paid_registration_already_registered_across_accounts(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-ARC-A", &[("上海", 5), ("北京", 5)]).await;
    let first = buyer(s, "carol", 1_000, 0).await;
    let second = same_person(s, "carol", "carol-work").await;
    assert_eq!(first.identity, second.identity);
    super::shop::credit(s, second.account, Balance::Cash, 1_000).await;
    let (_, registration) = s
        .commit_paid_registration(paid(first, &exam, "上海", 0, 500))
        .await
        .expect("first registration");
    // A2: the same person, from another account and another city: refused.
    assert_conflict(
        s.commit_paid_registration(paid(second, &exam, "北京", 0, 500))
            .await,
        Conflict::AlreadyRegistered,
    );
    assert_eq!(
        (taken(s, &exam, "上海").await, taken(s, &exam, "北京").await),
        (1, 0)
    );
    assert_eq!(assert_ledger_balanced(s, second.account).await, (1_000, 0));
    // Every account of the person sees the registration.
    assert_eq!(
        s.list_registrations(second.identity).await.expect("list"),
        vec![registration]
    );
}

pub async fn paid_registration_idempotency_key(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND", &[("上海", 2)]).await;
    let other = shop(s, "CLD-DEV-P", &[("上海", 5)]).await;
    let b = buyer(s, "dave", 5_000, 0).await;
    let keyed = |exam, hash: &str| {
        let mut p = paid(b, exam, "上海", 0, 1_000);
        p.idempotency = Some(("key-1".to_owned(), hash.to_owned()));
        p
    };
    let (order, _) = s
        .commit_paid_registration(keyed(&exam, "h1"))
        .await
        .expect("first use of the key");
    assert_eq!(order.idempotency_key.as_deref(), Some("key-1"));
    assert_eq!(order.request_hash.as_deref(), Some("h1"));
    // The same key again, even for another purchase: refused, nothing charged twice.
    assert_conflict(
        s.commit_paid_registration(keyed(&other, "h2")).await,
        Conflict::IdempotencyKeyUsed,
    );
    assert_eq!(
        s.find_order_by_idempotency_key(b.account, "key-1")
            .await
            .expect("find"),
        Some(order.clone())
    );
    assert_eq!(
        s.find_order_by_idempotency_key(b.account, "key-2")
            .await
            .expect("find"),
        None
    );
    assert_eq!(taken(s, &other, "上海").await, 0);
    assert_eq!(assert_ledger_balanced(s, b.account).await, (4_000, 0));
    // Keys are per account; and a repeat after the seats ran out is still a repeat.
    let e = buyer(s, "erin", 5_000, 0).await;
    let mut theirs = paid(e, &exam, "上海", 0, 1_000);
    theirs.idempotency = Some(("key-1".to_owned(), "h1".to_owned()));
    s.commit_paid_registration(theirs)
        .await
        .expect("another account's key");
    assert_eq!(taken(s, &exam, "上海").await, 2);
    assert_conflict(
        s.commit_paid_registration(keyed(&exam, "h1")).await,
        Conflict::IdempotencyKeyUsed,
    );
    assert_eq!(
        s.find_order_by_idempotency_key(b.account, "key-1")
            .await
            .expect("find"),
        Some(order)
    );
}
