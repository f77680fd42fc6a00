//! O7/E3 for the page: a candidate sees only the targets O7 allows (with the cities that have
//! a seat left), the last moment to reschedule, and why it is not possible when it is not.

use certdesk_domain::{ErrorCode, RegistrationId};
use jiff::{SignedDuration, Timestamp};

use crate::official::{World, exam_start};
use crate::{code, start};

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

#[tokio::test]
async fn o7_options_list_only_what_o7_allows() {
    let w = World::new().await;
    let first = w.period().await;
    let horizon: Timestamp = "2027-07-10T01:00:00Z".parse().unwrap();
    let later = w
        .period_at(exam_start() + days(28), &[("深圳", 2), ("上海", 1)])
        .await;
    let edge = w.period_at(horizon, &[("深圳", 1)]).await;
    let beyond = w
        .period_at(horizon + SignedDuration::from_secs(1), &[("深圳", 5)])
        .await;
    let ten_days = w.period_at(start() + days(10), &[("深圳", 5)]).await;
    let soonest = w
        .period_at(
            start() + days(10) + SignedDuration::from_secs(1),
            &[("深圳", 5)],
        )
        .await;
    let full = w.period_at(exam_start() + days(35), &[("深圳", 1)]).await;
    let other_cert =
        w.t.app
            .create_exam_period(
                &w.admin,
                w.period_input("TCCA-DEV-A", exam_start() + days(28), &[("深圳", 5)]),
            )
            .await
            .unwrap();
    let (me, placed) = w
        .bought("an@example.com", "11010519900101081", &first, "深圳")
        .await;
    let r = placed.registration.id;
    // Others take the last seat of 上海 and of the full period.
    w.bought("bai@example.com", "11010519900101082", &later, "上海")
        .await;
    w.bought("cao@example.com", "11010519900101083", &full, "深圳")
        .await;

    let o = w.t.app.reschedule_options(&me, r).await.unwrap();
    assert_eq!(o.refusal, None);
    assert_eq!(o.deadline, Some(exam_start() - days(10)));
    assert_eq!(
        o.deadline, placed.deadlines.reschedule_until,
        "E3: one function"
    );
    assert_eq!((o.latest_start, o.min_days_ahead), (horizon, 10));
    let listed: Vec<_> = o
        .targets
        .iter()
        .map(|t| {
            let cities: Vec<_> = t.cities.iter().map(|c| c.city.as_str()).collect();
            (t.period.id, cities)
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            (soonest.id, vec!["深圳"]),
            (later.id, vec!["深圳"]),
            (edge.id, vec!["深圳"]),
        ],
        "not: the current period, 10 days away, beyond the horizon, full, another certification"
    );
    for hidden in [first.id, ten_days.id, beyond.id, full.id, other_cert.id] {
        assert!(o.targets.iter().all(|t| t.period.id != hidden));
    }
    // Every listed target is accepted by the use case.
    w.t.app
        .reschedule(&me, r, edge.id, "深圳")
        .await
        .expect("a listed target is allowed");

    // Once used: why, and no targets.
    let o = w.t.app.reschedule_options(&me, r).await.unwrap();
    let why = o.refusal.expect("used");
    assert_eq!(
        (why.code, why.rule),
        (ErrorCode::RescheduleUsed, Some("O7"))
    );
    assert!(o.targets.is_empty());
    assert_eq!(o.deadline, None, "E3: the right is used");
}

#[tokio::test]
async fn o7_options_say_why_not() {
    let w = World::new().await;
    let first = w.period().await;
    let (me, placed) = w
        .bought("du@example.com", "11010519900101084", &first, "深圳")
        .await;
    let r = placed.registration.id;

    // Nothing else scheduled: allowed in principle, nothing to move to.
    let o = w.t.app.reschedule_options(&me, r).await.unwrap();
    assert_eq!((o.refusal, o.targets.len()), (None, 0));

    // Too late: the deadline that decided it.
    let deadline = exam_start() - days(10);
    w.t.clock.set(deadline);
    let o = w.t.app.reschedule_options(&me, r).await.unwrap();
    let why = o.refusal.expect("too late");
    assert_eq!(
        (why.code, why.deadline),
        (ErrorCode::RescheduleTooLate, Some(deadline))
    );
    assert_eq!(
        o.deadline,
        Some(deadline),
        "E3 still names the passed deadline"
    );

    // Not the person's: not found (E2).
    let stranger = w.verified("fan@example.com", "11010519900101085").await;
    assert_eq!(
        code(w.t.app.reschedule_options(&stranger, r).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(w.t.app.reschedule_options(&me, RegistrationId(9_999)).await),
        ErrorCode::NotFound
    );

    // A retake: why, and no deadline (E3: the right does not exist).
    w.t.clock.set(start());
    w.t.execute_sql(&format!(
        "UPDATE registrations SET attempt = 'retake' WHERE id = {r}"
    ))
    .await;
    let o = w.t.app.reschedule_options(&me, r).await.unwrap();
    assert_eq!(
        o.refusal.map(|r| r.code),
        Some(ErrorCode::RetakeNotReschedulable)
    );
    assert_eq!(o.deadline, None);

    // A refunded registration: not live.
    let (other, theirs) = w
        .bought("gao@example.com", "11010519900101086", &first, "深圳")
        .await;
    w.t.app.refund_order(&other, theirs.order.id).await.unwrap();
    let o =
        w.t.app
            .reschedule_options(&other, theirs.registration.id)
            .await
            .unwrap();
    assert_eq!(
        o.refusal.map(|r| r.code),
        Some(ErrorCode::RegistrationNotLive)
    );
}
