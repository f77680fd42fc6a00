//! The races of the official channel, on both databases: the last seats under 50 concurrent
//! buyers (O3), one voucher spent by concurrent orders (O5), concurrent debits that would
//! overdraw (O5), and concurrent refunds of one order (O10).

use std::sync::Arc;

use certdesk_domain::{Balance, LedgerEntryKind};

use super::fixtures::{assert_conflict, at};
use super::shop::{
    Shop, all_at_once, assert_ledger_balanced, buyer, credit, fen, ledger, new_voucher, paid, shop,
    taken, with_voucher,
};
use crate::{Conflict, RefundCommit, Store, StoreError, StoreResult};

/// How many results are `Ok`, and asserts every other one is exactly `conflict`.
fn count_ok<T: std::fmt::Debug>(results: Vec<StoreResult<T>>, conflict: Conflict) -> usize {
    let mut ok = 0;
    for result in results {
        match result {
            Ok(_) => ok += 1,
            Err(StoreError::Conflict(c)) if c == conflict => {}
            other => panic!("expected Ok or Conflict::{conflict:?}, got {other:?}"),
        }
    }
    ok
}

pub async fn rush_fifty_buyers_for_the_last_five_seats(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-ARC-X", &[("上海", 7)]).await;
    for name in ["early-1", "early-2"] {
        let b = buyer(s, name, 1_000, 0).await;
        s.commit_paid_registration(paid(b, &exam, "上海", 0, 1_000))
            .await
            .expect("early bird");
    }
    let mut buyers = Vec::new();
    for i in 0..50 {
        buyers.push(buyer(s, &format!("rush-{i}"), 800, 400).await);
    }
    let shared = Arc::new((buyers.clone(), exam.clone()));
    let results = all_at_once(&store, 50, move |st, i| {
        let shared = shared.clone();
        async move {
            let (buyers, exam): &(Vec<_>, Shop) = &shared;
            st.commit_paid_registration(paid(buyers[i], exam, "上海", 400, 600))
                .await
        }
    })
    .await;
    let winners: Vec<bool> = results.iter().map(|r| r.is_ok()).collect();
    assert_eq!(
        count_ok(results, Conflict::NoSeatsLeft),
        5,
        "exactly the last 5 seats sold"
    );
    assert_eq!(taken(s, &exam, "上海").await, 7, "taken == capacity");
    for (b, won) in buyers.iter().zip(winners) {
        let money = assert_ledger_balanced(s, b.account).await;
        let registrations = s.list_registrations(b.identity).await.expect("list");
        if won {
            assert_eq!(money, (200, 0));
            assert_eq!(registrations.len(), 1);
        } else {
            assert_eq!(
                money,
                (800, 400),
                "no money moved for a buyer without a seat"
            );
            assert!(registrations.is_empty());
            assert!(
                ledger(s, b.account)
                    .await
                    .iter()
                    .all(|e| e.kind == LedgerEntryKind::OperatorCredit)
            );
        }
    }
}

pub async fn rush_one_voucher_many_orders(store: Arc<dyn Store>) {
    let s = &*store;
    let b = buyer(s, "voucher-racer", 10_000, 0).await;
    let voucher = s
        .commit_voucher(new_voucher(b.account, 1, 500, 0))
        .await
        .expect("voucher");
    let mut exams = Vec::new();
    for i in 0..5 {
        exams.push(shop(s, &format!("SPC-V{i}"), &[("上海", 1)]).await);
    }
    let shared = Arc::new(exams.clone());
    let results = all_at_once(&store, 5, move |st, i| {
        let exams = shared.clone();
        async move {
            let order = with_voucher(paid(b, &exams[i], "上海", 0, 1_000), voucher.id, 500);
            st.commit_paid_registration(order).await
        }
    })
    .await;
    let winner = results
        .iter()
        .position(|r| r.is_ok())
        .expect("one order wins the voucher");
    let order = results[winner].as_ref().expect("winner").0.id;
    assert_eq!(
        count_ok(results, Conflict::VoucherUnavailable),
        1,
        "exactly one wins"
    );
    let spent = s
        .find_voucher(&voucher.code)
        .await
        .expect("find")
        .expect("voucher");
    assert_eq!(spent.used_by_order, Some(order));
    assert_eq!(assert_ledger_balanced(s, b.account).await, (9_000, 0));
    for (i, exam) in exams.iter().enumerate() {
        let expected = u32::from(i == winner);
        assert_eq!(
            taken(s, exam, "上海").await,
            expected,
            "the losers' seats are free"
        );
    }
}

pub async fn rush_debits_never_overdraw(store: Arc<dyn Store>) {
    let s = &*store;
    // Gift credit covers 7 orders of 50 gift + 50 cash; cash would cover 8.
    let b = buyer(s, "spender", 400, 350).await;
    let mut exams = Vec::new();
    for i in 0..20 {
        exams.push(shop(s, &format!("SPC-D{i}"), &[("上海", 3)]).await);
    }
    let shared = Arc::new(exams);
    let results = all_at_once(&store, 20, move |st, i| {
        let exams = shared.clone();
        async move {
            st.commit_paid_registration(paid(b, &exams[i], "上海", 50, 50))
                .await
        }
    })
    .await;
    assert_eq!(count_ok(results, Conflict::InsufficientBalance), 7);
    let balance = s.wallet_balance(b.account).await.expect("balance");
    assert_eq!((balance.cash, balance.gift), (fen(50), fen(0)));
    assert_eq!(assert_ledger_balanced(s, b.account).await, (50, 0));
    assert_eq!(
        s.list_registrations(b.identity).await.expect("list").len(),
        7
    );
}

/// Group commit: concurrent registrations share a commit, and refusals inside a group —
/// found before anything is written (no such city) or after (balance too low, A2's live
/// registration) — refuse exactly their own registration and leave no trace of it.
pub async fn rush_refusals_inside_a_group(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-GRP-X", &[("上海", 20)]).await;
    let mut attempts = Vec::new();
    for i in 0..24 {
        let name = format!("group-{i}");
        let attempt = match i % 4 {
            0 => (buyer(s, &name, 1_000, 0).await, "上海", None),
            1 => (
                buyer(s, &name, 100, 0).await,
                "上海",
                Some("Conflict(InsufficientBalance)"),
            ),
            2 => (buyer(s, &name, 1_000, 0).await, "火星", Some("NotFound")),
            _ => {
                let first = buyer(s, &name, 1_000, 0).await;
                s.commit_paid_registration(paid(first, &exam, "上海", 0, 1_000))
                    .await
                    .expect("the person's first registration");
                let second = super::shop::same_person(s, &name, &format!("{name}-2")).await;
                credit(s, second.account, Balance::Cash, 1_000).await;
                (second, "上海", Some("Conflict(AlreadyRegistered)"))
            }
        };
        attempts.push(attempt);
    }
    let jobs_before = job_count(s).await;
    let shared = Arc::new((attempts.clone(), exam.clone()));
    let results = all_at_once(&store, attempts.len(), move |st, i| {
        let shared = shared.clone();
        async move {
            let (attempts, exam) = &*shared;
            let (b, city, _) = &attempts[i];
            st.commit_paid_registration(paid(*b, exam, city, 0, 1_000))
                .await
        }
    })
    .await;
    for (i, (result, (b, _, refusal))) in results.into_iter().zip(&attempts).enumerate() {
        match (result, refusal) {
            (Ok((order, registration)), None) => {
                assert_eq!(order.account_id, b.account, "attempt {i}");
                assert_eq!(registration.identity_id, b.identity, "attempt {i}");
                assert_eq!(assert_ledger_balanced(s, b.account).await, (0, 0));
            }
            (Err(got), Some(expected)) => {
                assert_eq!(format!("{got:?}"), *expected, "attempt {i}");
                let left = if i % 4 == 1 { 100 } else { 1_000 };
                assert_eq!(
                    assert_ledger_balanced(s, b.account).await,
                    (left, 0),
                    "attempt {i}: a refusal leaves the wallet untouched"
                );
            }
            (got, expected) => panic!("attempt {i}: got {got:?}, expected {expected:?}"),
        }
    }
    // 6 earlier registrations and 6 in the rush; nothing of the refused ones.
    assert_eq!(taken(s, &exam, "上海").await, 12);
    assert_eq!(
        job_count(s).await - jobs_before,
        6,
        "one confirmation job per registration of the rush"
    );
}

async fn job_count(s: &dyn Store) -> usize {
    let page = s
        .list_jobs(None, crate::PageRequest::first(200))
        .await
        .expect("jobs");
    assert!(page.next_cursor.is_none(), "fewer than 200 jobs");
    page.items.len()
}

pub async fn rush_same_idempotency_key_commits_once(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-DEV-X", &[("上海", 50)]).await;
    let b = buyer(s, "double-clicker", 10_000, 0).await;
    let shared = Arc::new(exam.clone());
    let results = all_at_once(&store, 10, move |st, _| {
        let exam = shared.clone();
        async move {
            let mut p = paid(b, &exam, "上海", 0, 1_000);
            p.idempotency = Some(("same-key".to_owned(), "h".to_owned()));
            st.commit_paid_registration(p).await
        }
    })
    .await;
    assert_eq!(
        count_ok(results, Conflict::IdempotencyKeyUsed),
        1,
        "the same key commits once, the others replay"
    );
    assert_eq!(taken(s, &exam, "上海").await, 1);
    assert_eq!(assert_ledger_balanced(s, b.account).await, (9_000, 0));
    assert!(
        s.find_order_by_idempotency_key(b.account, "same-key")
            .await
            .expect("find")
            .is_some()
    );
}

pub async fn rush_concurrent_refunds_refund_once(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-OPS-X", &[("上海", 2)]).await;
    let b = buyer(s, "refunder", 1_000, 1_000).await;
    let (order, _) = s
        .commit_paid_registration(paid(b, &exam, "上海", 300, 700))
        .await
        .expect("paid");
    let refund = RefundCommit {
        order_id: order.id,
        requested_at: at(20),
        completed_at: at(21),
        cash: fen(700),
        gift: fen(300),
        voucher_forfeited: fen(0),
        jobs: vec![],
    };
    let results = all_at_once(&store, 10, move |st, _| {
        let refund = refund.clone();
        async move { st.commit_refund(refund).await }
    })
    .await;
    assert_eq!(
        count_ok(results, Conflict::AlreadyRefunded),
        1,
        "refunded once"
    );
    assert_eq!(assert_ledger_balanced(s, b.account).await, (1_000, 1_000));
    assert_eq!(taken(s, &exam, "上海").await, 0, "the seat released once");
    let refunds = ledger(s, b.account)
        .await
        .into_iter()
        .filter(|e| e.kind == LedgerEntryKind::Refund)
        .count();
    assert_eq!(refunds, 2);
    assert_conflict(
        s.commit_refund(RefundCommit {
            order_id: order.id,
            requested_at: at(30),
            completed_at: at(30),
            cash: fen(1),
            gift: fen(0),
            voucher_forfeited: fen(0),
            jobs: vec![],
        })
        .await,
        Conflict::AlreadyRefunded,
    );
}
