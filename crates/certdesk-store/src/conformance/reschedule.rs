//! O7: a reschedule moves the registration, its seat, the promises that follow the sitting
//! (P1), writes its history and the candidate's inbox message — all or nothing.

use std::sync::Arc;

use certdesk_domain::{ExamPeriodId, OrderId, PromiseKind, RegistrationId, RegistrationStatus};
use jiff::Timestamp;

use super::fixtures::{all_jobs, assert_conflict, assert_not_found, at, audit, job};
use super::shop::{Buyer, Shop, buyer, exam_start, fen, paid, shop};
use crate::{
    Conflict, ExamPeriod, MovedPromise, NewExamPeriod, NewInboxMessage, NewPromise, PageRequest,
    PaidRegistration, RefundCommit, Registration, RescheduleCommit, Store, StoreError,
};

/// Another period of the shop's certification starting `days` after the shop's exam.
pub(super) async fn later_period(
    store: &dyn Store,
    shop: &Shop,
    days: i64,
    cities: &[(&str, u32)],
) -> ExamPeriod {
    let starts_at = exam_start() + jiff::SignedDuration::from_hours(24 * days);
    store
        .commit_exam_period(
            NewExamPeriod {
                certification_id: shop.certification_id,
                starts_at,
                ends_at: starts_at + jiff::SignedDuration::from_hours(3),
                registration_opens_at: at(-86_400),
                registration_closes_at: at(80 * 86_400),
                cities: cities.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect(),
                created_at: at(2),
                jobs: Vec::new(),
            },
            audit("exam_period.create", at(2)),
        )
        .await
        .expect("later period created")
}

/// `paid` with P1's three promises: the confirmation kept at payment, the admission ticket
/// and the score open.
pub(super) fn paid_with_promises(b: Buyer, s: &Shop, city: &str) -> PaidRegistration {
    let mut p = paid(b, s, city, 0, 0);
    p.total = fen(0);
    p.promises = vec![
        NewPromise {
            kind: PromiseKind::Confirmation,
            due_at: at(10 + 86_400),
            kept_at: Some(at(10)),
        },
        NewPromise {
            kind: PromiseKind::AdmissionTicket,
            due_at: s.period.starts_at - jiff::SignedDuration::from_hours(72),
            kept_at: None,
        },
        NewPromise {
            kind: PromiseKind::Score,
            due_at: s.period.ends_at + jiff::SignedDuration::from_hours(168),
            kept_at: None,
        },
    ];
    p.jobs = vec![];
    p
}

/// A reschedule of `r` (as read) to `to` in `city`, the promises due 3 days before and
/// 7 days after the target's sitting, with an inbox message.
pub(super) fn move_to(r: &Registration, to: &ExamPeriod, city: &str) -> RescheduleCommit {
    RescheduleCommit {
        registration_id: r.id,
        from_period_id: r.period_id.expect("official registration"),
        reschedules_used: r.reschedules_used,
        to_period_id: to.id,
        to_city: city.to_owned(),
        promises: vec![
            MovedPromise {
                kind: PromiseKind::AdmissionTicket,
                due_at: to.starts_at - jiff::SignedDuration::from_hours(72),
            },
            MovedPromise {
                kind: PromiseKind::Score,
                due_at: to.ends_at + jiff::SignedDuration::from_hours(168),
            },
        ],
        inbox: Some(NewInboxMessage {
            account_id: r.account_id,
            kind: "registration_rescheduled".to_owned(),
            title_zh: "改期成功".to_owned(),
            body_zh: format!("已改期到{city}。"),
            title_en: "Rescheduled".to_owned(),
            body_en: format!("Moved to {city}."),
            source_job: None,
            created_at: at(50),
            deliveries: Vec::new(),
        }),
        jobs: vec![],
        at: at(50),
    }
}

/// Seats taken in `city` of `period`, read fresh.
pub(super) async fn taken_in(store: &dyn Store, period: ExamPeriodId, city: &str) -> u32 {
    store
        .get_exam_period(period)
        .await
        .expect("period")
        .cities
        .iter()
        .find(|c| c.city == city)
        .expect("city offered")
        .taken
}

async fn inbox_kinds(store: &dyn Store, b: Buyer) -> Vec<String> {
    store
        .list_inbox_messages(b.account, PageRequest::first(50))
        .await
        .expect("inbox")
        .items
        .into_iter()
        .map(|m| m.kind)
        .collect()
}

/// (kind, due_at, kept_at) of each promise, in recording order.
async fn promise_dues(
    store: &dyn Store,
    r: RegistrationId,
) -> Vec<(PromiseKind, Timestamp, Option<Timestamp>)> {
    store
        .list_promises(r)
        .await
        .expect("promises")
        .into_iter()
        .map(|p| (p.kind, p.due_at, p.kept_at))
        .collect()
}

pub async fn reschedule_moves_everything_atomically(store: Arc<dyn Store>) {
    let s = &*store;
    let first = shop(s, "CLD-FND", &[("上海", 3)]).await;
    let later = later_period(s, &first, 30, &[("北京", 2), ("上海", 1)]).await;
    let b = buyer(s, "rui", 0, 0).await;
    let (_, bought) = s
        .commit_paid_registration(paid(b, &first, "上海", 0, 0))
        .await
        .expect("paid");
    assert_eq!(bought.original_exam_starts_at, Some(first.period.starts_at));
    assert!(
        s.list_reschedules(bought.id)
            .await
            .expect("none")
            .is_empty()
    );

    let moved = s
        .commit_reschedule(move_to(&bought, &later, "北京"))
        .await
        .expect("rescheduled");
    assert_eq!(moved.id, bought.id);
    assert_eq!(
        (moved.period_id, moved.city.as_deref(), moved.status),
        (Some(later.id), Some("北京"), RegistrationStatus::Confirmed)
    );
    assert_eq!(
        (moved.exam_starts_at, moved.exam_ends_at),
        (Some(later.starts_at), Some(later.ends_at)),
        "the sitting's times come from the period"
    );
    assert_eq!(moved.reschedules_used, 1);
    assert_eq!(
        moved.original_exam_starts_at,
        Some(first.period.starts_at),
        "the horizon still counts from the sitting first bought"
    );
    assert_eq!(s.get_registration(bought.id).await.expect("get"), moved);
    assert_eq!(
        s.list_registrations(b.identity).await.expect("list"),
        vec![moved.clone()]
    );
    assert_eq!(
        taken_in(s, first.period.id, "上海").await,
        0,
        "old seat released"
    );
    assert_eq!(taken_in(s, later.id, "北京").await, 1, "new seat taken");
    assert_eq!(taken_in(s, later.id, "上海").await, 0);

    let history = s.list_reschedules(bought.id).await.expect("history");
    assert_eq!(history.len(), 1);
    let h = &history[0];
    assert_eq!(
        (
            h.registration_id,
            h.from_period_id,
            h.from_city.as_str(),
            h.from_starts_at
        ),
        (bought.id, first.period.id, "上海", first.period.starts_at)
    );
    assert_eq!(
        (h.to_period_id, h.to_city.as_str(), h.to_starts_at, h.at),
        (later.id, "北京", later.starts_at, at(50))
    );
    assert_eq!(
        inbox_kinds(s, b).await,
        ["registration_rescheduled", "registration_confirmed"],
        "the move is confirmed in the inbox, newest first"
    );

    // What the caller saw is stale now: the second try loses, nothing moves.
    assert_conflict(
        s.commit_reschedule(move_to(&bought, &later, "上海")).await,
        Conflict::RescheduleUsed,
    );
    // Moving on again (a policy allowing two) keeps the original start.
    let third = later_period(s, &first, 60, &[("深圳", 1)]).await;
    let again = s
        .commit_reschedule(move_to(&moved, &third, "深圳"))
        .await
        .expect("moved again");
    assert_eq!(again.reschedules_used, 2);
    assert_eq!(again.original_exam_starts_at, Some(first.period.starts_at));
    assert_eq!(taken_in(s, later.id, "北京").await, 0);
    assert_eq!(
        s.list_reschedules(bought.id).await.expect("history").len(),
        2
    );
}

pub async fn reschedule_unknown_or_foreign_target_is_not_found(store: Arc<dyn Store>) {
    let s = &*store;
    let first = shop(s, "CLD-DEV-A", &[("上海", 3)]).await;
    let later = later_period(s, &first, 30, &[("北京", 2)]).await;
    let other = shop(s, "CLD-OPS-A", &[("北京", 3)]).await;
    let b = buyer(s, "sun", 0, 0).await;
    let (_, r) = s
        .commit_paid_registration(paid(b, &first, "上海", 0, 0))
        .await
        .expect("paid");
    assert_not_found(s.commit_reschedule(move_to(&r, &later, "广州")).await);
    assert_not_found(
        s.commit_reschedule(move_to(&r, &other.period, "北京"))
            .await,
    );
    let mut unknown = move_to(&r, &later, "北京");
    unknown.to_period_id = ExamPeriodId(9_999);
    assert_not_found(s.commit_reschedule(unknown).await);
    let mut nobody = move_to(&r, &later, "北京");
    nobody.registration_id = RegistrationId(9_999);
    assert_not_found(s.commit_reschedule(nobody).await);
    let same = move_to(&r, &first.period, "上海");
    assert!(matches!(
        s.commit_reschedule(same).await,
        Err(StoreError::Other(_))
    ));
    let mut keeping = move_to(&r, &later, "北京");
    keeping.jobs = vec![crate::NewJob {
        keeps_promise: Some(PromiseKind::Score),
        ..job("notify", at(50))
    }];
    assert!(matches!(
        s.commit_reschedule(keeping).await,
        Err(StoreError::Other(_))
    ));
    // Nothing of it was written.
    assert_eq!(s.get_registration(r.id).await.expect("get"), r);
    assert_eq!(taken_in(s, first.period.id, "上海").await, 1);
    assert_eq!(taken_in(s, later.id, "北京").await, 0);
    assert!(s.list_reschedules(r.id).await.expect("history").is_empty());
    assert_eq!(all_jobs(s, None).await.len(), 1, "the order's job only");

    // A refunded registration no longer moves.
    s.commit_refund(RefundCommit {
        order_id: r.order_id.unwrap_or(OrderId(0)),
        requested_at: at(40),
        completed_at: at(40),
        cash: fen(0),
        gift: fen(0),
        voucher_forfeited: fen(0),
        jobs: vec![],
    })
    .await
    .expect("refunded");
    assert_conflict(
        s.commit_reschedule(move_to(&r, &later, "北京")).await,
        Conflict::RegistrationChanged,
    );
    assert_eq!(taken_in(s, later.id, "北京").await, 0);
}

pub async fn reschedule_without_a_seat_changes_nothing(store: Arc<dyn Store>) {
    let s = &*store;
    let first = shop(s, "CLD-ARC-A", &[("上海", 3)]).await;
    let full = later_period(s, &first, 30, &[("北京", 1)]).await;
    let (x, y) = (buyer(s, "tang", 0, 0).await, buyer(s, "wu", 0, 0).await);
    let (_, mine) = s
        .commit_paid_registration(paid_with_promises(x, &first, "上海"))
        .await
        .expect("paid");
    s.commit_paid_registration(paid(
        y,
        &Shop {
            certification_id: first.certification_id,
            period: full.clone(),
        },
        "北京",
        0,
        0,
    ))
    .await
    .expect("the last seat sold");
    let dues = promise_dues(s, mine.id).await;

    assert_conflict(
        s.commit_reschedule(move_to(&mine, &full, "北京")).await,
        Conflict::NoSeatsLeft,
    );
    assert_eq!(s.get_registration(mine.id).await.expect("get"), mine);
    assert_eq!(taken_in(s, first.period.id, "上海").await, 1);
    assert_eq!(taken_in(s, full.id, "北京").await, 1);
    assert_eq!(promise_dues(s, mine.id).await, dues, "promises untouched");
    assert!(
        s.list_reschedules(mine.id)
            .await
            .expect("history")
            .is_empty()
    );
    assert_eq!(inbox_kinds(s, x).await, ["registration_confirmed"]);
}

pub async fn reschedule_moves_open_promises_only(store: Arc<dyn Store>) {
    let s = &*store;
    let first = shop(s, "CLD-DEV-P", &[("上海", 3)]).await;
    let later = later_period(s, &first, 45, &[("上海", 3)]).await;
    let b = buyer(s, "xu", 0, 0).await;
    let mut bought = paid_with_promises(b, &first, "上海");
    // The score promise is already kept (it stays as it is).
    bought.promises[2].kept_at = Some(at(11));
    let (_, r) = s.commit_paid_registration(bought).await.expect("paid");
    let before = promise_dues(s, r.id).await;

    let commit = move_to(&r, &later, "上海");
    let (ticket_due, score_due) = (commit.promises[0].due_at, commit.promises[1].due_at);
    s.commit_reschedule(commit).await.expect("rescheduled");
    let after = promise_dues(s, r.id).await;
    assert_eq!(after.len(), 3);
    assert_eq!(after[0], before[0], "the kept confirmation stays");
    assert_eq!(
        after[1],
        (PromiseKind::AdmissionTicket, ticket_due, None),
        "the open ticket promise follows the sitting"
    );
    assert_eq!(after[2], before[2], "a kept promise keeps its due time");
    assert_ne!(before[2].1, score_due);
    // The summary counts the moved promise as pending until its new due time.
    let summary = s
        .summarize_promises(ticket_due - jiff::SignedDuration::from_secs(1))
        .await;
    let ticket = summary
        .expect("summary")
        .into_iter()
        .find(|k| k.kind == PromiseKind::AdmissionTicket)
        .expect("kind listed");
    assert_eq!((ticket.pending, ticket.overdue), (1, 0));
}
