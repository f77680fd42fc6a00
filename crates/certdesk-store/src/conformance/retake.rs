//! O8: a retake registers a registration of its own (attempt `retake`, no order, linked to
//! the first attempt), takes its seat, records its promises (P1) and writes the candidate's
//! inbox message — all or nothing; a first attempt gives one retake, under any concurrency.

use std::sync::Arc;

use certdesk_domain::{
    Attempt, ExamOutcome, ExamPeriodId, PromiseKind, RegistrationId, RegistrationStatus,
};

use super::fixtures::{all_jobs, assert_conflict, assert_not_found, job};
use super::reschedule::{later_period, taken_in};
use super::results::{commit, release, released, scored};
use super::shop::{Buyer, Shop, all_at_once, buyer, paid, shop};
use crate::{
    Conflict, ExamPeriod, NewInboxMessage, NewPromise, PageRequest, Registration, RetakeCommit,
    Store, StoreError,
};

/// `n` buyers named `prefix-i`, each with a registration of `shop` in 上海 whose result is
/// `outcome` (released after the exam).
pub(super) async fn sat(
    store: &dyn Store,
    shop: &Shop,
    prefix: &str,
    n: usize,
    outcome: fn() -> (ExamOutcome, bool),
) -> Vec<(Buyer, RegistrationId)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let b = buyer(store, &format!("{prefix}-{i}"), 0, 0).await;
        let (_, r) = store
            .commit_paid_registration(paid(b, shop, "上海", 0, 0))
            .await
            .expect("paid");
        out.push((b, r.id));
    }
    let releases = out
        .iter()
        .map(|(b, id)| {
            let (o, passed) = outcome();
            release(*b, *id, o, passed)
        })
        .collect();
    store
        .commit_results(commit(releases, released()))
        .await
        .expect("results");
    out
}

pub(super) fn failed() -> (ExamOutcome, bool) {
    (scored(40), false)
}

/// A retake of `first` by `b` into `to`'s `city`, with its two promises and an inbox message.
pub(super) fn retake_into(
    b: Buyer,
    first: RegistrationId,
    to: &ExamPeriod,
    city: &str,
) -> RetakeCommit {
    RetakeCommit {
        first_registration_id: first,
        account_id: b.account,
        period_id: to.id,
        city: city.to_owned(),
        promises: vec![
            NewPromise {
                kind: PromiseKind::AdmissionTicket,
                due_at: to.starts_at - jiff::SignedDuration::from_hours(72),
                kept_at: None,
            },
            NewPromise {
                kind: PromiseKind::Score,
                due_at: to.ends_at + jiff::SignedDuration::from_hours(168),
                kept_at: None,
            },
        ],
        inbox: Some(NewInboxMessage {
            account_id: b.account,
            kind: "retake_registered".to_owned(),
            title_zh: "补考报名成功".to_owned(),
            body_zh: format!("补考城市：{city}。"),
            title_en: "Retake registered".to_owned(),
            body_en: format!("Retake in {city}."),
            source_job: None,
            created_at: released(),
            deliveries: Vec::new(),
        }),
        jobs: vec![],
        at: released(),
    }
}

async fn inbox_count(store: &dyn Store, b: Buyer) -> usize {
    store
        .list_inbox_messages(b.account, PageRequest::first(50))
        .await
        .expect("inbox")
        .items
        .len()
}

pub async fn retake_registers_everything_atomically(store: Arc<dyn Store>) {
    let s = &*store;
    let first_shop = shop(s, "CLD-FND-T", &[("上海", 10)]).await;
    let target = later_period(s, &first_shop, 40, &[("北京", 3)]).await;
    let [(b, first)] = sat(s, &first_shop, "tk", 1, failed).await[..] else {
        unreachable!()
    };
    let inbox_before = inbox_count(s, b).await;
    let mut c = retake_into(b, first, &target, "北京");
    c.jobs = vec![job("notify", released())];
    let r = s.commit_retake(c).await.expect("retake");
    assert_eq!(
        (r.attempt, r.status, r.order_id, r.retake_of),
        (
            Attempt::Retake,
            RegistrationStatus::Confirmed,
            None,
            Some(first)
        )
    );
    assert_eq!(
        (r.period_id, r.city.as_deref(), r.exam_starts_at),
        (Some(target.id), Some("北京"), Some(target.starts_at))
    );
    assert_eq!(r.identity_id, b.identity);
    assert_eq!(s.get_registration(r.id).await.expect("read back"), r);
    assert_eq!(taken_in(s, target.id, "北京").await, 1, "the seat is taken");
    let first_now = s.get_registration(first).await.expect("first");
    assert_eq!(
        first_now.retake_id,
        Some(r.id),
        "the first attempt's retake is used"
    );
    assert_eq!(first_now.status, RegistrationStatus::Failed);
    let kinds: Vec<PromiseKind> = s
        .list_promises(r.id)
        .await
        .expect("promises")
        .into_iter()
        .map(|p| p.kind)
        .collect();
    assert_eq!(kinds, [PromiseKind::AdmissionTicket, PromiseKind::Score]);
    assert_eq!(inbox_count(s, b).await, inbox_before + 1);
    assert!(all_jobs(s, None).await.iter().any(|j| j.kind == "notify"));
    // One retake only.
    assert_conflict(
        s.commit_retake(retake_into(b, first, &target, "北京"))
            .await,
        Conflict::RetakeUsed,
    );
    assert_eq!(taken_in(s, target.id, "北京").await, 1);
}

pub async fn retake_refusals_write_nothing(store: Arc<dyn Store>) {
    let s = &*store;
    let first_shop = shop(s, "CLD-DEV-T", &[("上海", 10)]).await;
    let target = later_period(s, &first_shop, 40, &[("北京", 1)]).await;
    let failed_ones = sat(s, &first_shop, "tf", 3, failed).await;
    let passed = sat(s, &first_shop, "tp", 1, || (scored(90), true)).await;
    let (b, first) = failed_ones[0];
    assert_not_found(
        s.commit_retake(retake_into(b, RegistrationId(999_999), &target, "北京"))
            .await,
    );
    assert_conflict(
        s.commit_retake(retake_into(passed[0].0, passed[0].1, &target, "北京"))
            .await,
        Conflict::RegistrationChanged,
    );
    let mut unknown = retake_into(b, first, &target, "北京");
    unknown.period_id = ExamPeriodId(999_999);
    assert_not_found(s.commit_retake(unknown).await);
    assert_not_found(
        s.commit_retake(retake_into(b, first, &target, "广州"))
            .await,
    );
    // Another certification's period.
    let other = shop(s, "CLD-OPS-T", &[("北京", 5)]).await;
    assert_not_found(
        s.commit_retake(retake_into(b, first, &other.period, "北京"))
            .await,
    );
    // A2: the person bought a new first attempt meanwhile.
    let (b2, first2) = failed_ones[1];
    let again = Shop {
        certification_id: first_shop.certification_id,
        period: later_period(s, &first_shop, 20, &[("上海", 5)]).await,
    };
    s.commit_paid_registration(paid(b2, &again, "上海", 0, 0))
        .await
        .expect("a new first attempt");
    assert_conflict(
        s.commit_retake(retake_into(b2, first2, &target, "北京"))
            .await,
        Conflict::AlreadyRegistered,
    );
    // The last seat goes to one; the next finds the city full.
    s.commit_retake(retake_into(b, first, &target, "北京"))
        .await
        .expect("the last seat");
    let (b3, first3) = failed_ones[2];
    let inbox_before = inbox_count(s, b3).await;
    assert_conflict(
        s.commit_retake(retake_into(b3, first3, &target, "北京"))
            .await,
        Conflict::NoSeatsLeft,
    );
    for (_, id) in [failed_ones[1], failed_ones[2]] {
        let r: Registration = s.get_registration(id).await.expect("first");
        assert_eq!(r.retake_id, None, "nothing written");
    }
    assert_eq!(inbox_count(s, b3).await, inbox_before);
    assert_eq!(taken_in(s, target.id, "北京").await, 1);
    assert!(
        s.list_registrations(b3.identity)
            .await
            .expect("list")
            .iter()
            .all(|r| r.attempt == Attempt::First)
    );
}

pub async fn rush_ten_retakes_for_the_last_seat(store: Arc<dyn Store>) {
    let s = &*store;
    let first_shop = shop(s, "CLD-ARC-T", &[("上海", 20)]).await;
    let target = later_period(s, &first_shop, 40, &[("北京", 3)]).await;
    // Two seats are sold already: one is left.
    let other = Shop {
        certification_id: first_shop.certification_id,
        period: target.clone(),
    };
    for i in 0..2 {
        let b = buyer(s, &format!("early-{i}"), 0, 0).await;
        s.commit_paid_registration(paid(b, &other, "北京", 0, 0))
            .await
            .expect("paid");
    }
    let firsts = sat(s, &first_shop, "rt", 10, failed).await;
    let shared = Arc::new((firsts.clone(), target.clone()));
    let results = all_at_once(&store, 10, move |st, i| {
        let shared = shared.clone();
        async move {
            let (firsts, target) = &*shared;
            let (b, first) = firsts[i];
            st.commit_retake(retake_into(b, first, target, "北京"))
                .await
        }
    })
    .await;
    let mut won = 0;
    for ((_, first), result) in firsts.iter().zip(results) {
        match result {
            Ok(r) => {
                won += 1;
                assert_eq!(r.retake_of, Some(*first));
            }
            Err(StoreError::Conflict(Conflict::NoSeatsLeft)) => {
                let r = s.get_registration(*first).await.expect("first");
                assert_eq!(r.retake_id, None, "a refused retake writes nothing");
            }
            other => panic!("expected Ok or NoSeatsLeft, got {other:?}"),
        }
    }
    assert_eq!(won, 1, "exactly the last seat is taken");
    assert_eq!(taken_in(s, target.id, "北京").await, 3, "taken == capacity");
}

pub async fn rush_same_first_attempt_retaken_at_once(store: Arc<dyn Store>) {
    let s = &*store;
    let first_shop = shop(s, "CLD-FND-U", &[("上海", 20)]).await;
    let target = later_period(s, &first_shop, 40, &[("北京", 10)]).await;
    let [(b, first)] = sat(s, &first_shop, "tw", 1, failed).await[..] else {
        unreachable!()
    };
    let shared = Arc::new(target.clone());
    let results = all_at_once(&store, 6, move |st, _| {
        let target = shared.clone();
        async move {
            st.commit_retake(retake_into(b, first, &target, "北京"))
                .await
        }
    })
    .await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "one retake per first attempt");
    for r in results.into_iter().filter(Result::is_err) {
        assert_conflict(r, Conflict::RetakeUsed);
    }
    assert_eq!(taken_in(s, target.id, "北京").await, 1);
    assert_eq!(
        s.list_registrations(b.identity)
            .await
            .expect("list")
            .iter()
            .filter(|r| r.attempt == Attempt::Retake)
            .count(),
        1
    );
}
