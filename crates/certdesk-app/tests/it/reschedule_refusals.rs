//! O7's refusals through the use case, each with its rule and field: another person's
//! registration, an unknown target or city, another certification, the current period, no
//! seat, a retake, a refunded registration.

use certdesk_domain::{ErrorCode, ExamPeriodId, RegistrationId};

use crate::official::{World, exam_start, seats_left};
use crate::reschedule::{days, refusal};
use crate::{code, field};

#[tokio::test]
async fn o7_every_refusal() {
    let w = World::new().await;
    let first = w.period().await;
    let later = w
        .period_at(exam_start() + days(28), &[("深圳", 2), ("上海", 1)])
        .await;
    let (me, placed) = w
        .bought("ren@example.com", "11010519900101077", &first, "深圳")
        .await;
    let r = placed.registration.id;
    let (stranger, theirs) = w
        .bought("shi@example.com", "11010519900101078", &later, "上海")
        .await;

    // E2: another person's registration, or none, is not found.
    assert_eq!(
        code(w.reschedule(&stranger, r, &later, "深圳").await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(
            w.reschedule(&me, RegistrationId(9_999), &later, "深圳")
                .await
        ),
        ErrorCode::NotFound
    );
    let unverified = w.t.candidate("tao@example.com").await;
    assert_eq!(
        code(w.reschedule(&unverified, r, &later, "深圳").await),
        ErrorCode::NotFound
    );
    // Unknown target period or city.
    assert_eq!(
        refusal(
            w.t.app
                .reschedule(&me, r, ExamPeriodId(9_999), "深圳")
                .await
        )
        .2
        .as_deref(),
        Some("period_id")
    );
    let (c, _, f, _) = refusal(w.reschedule(&me, r, &later, "广州").await);
    assert_eq!((c, f.as_deref()), (ErrorCode::NotFound, Some("city")));
    assert_eq!(
        field(w.reschedule(&me, r, &later, "  ").await).as_deref(),
        Some("city")
    );
    // Another certification's period.
    let other_cert =
        w.t.app
            .create_exam_period(
                &w.admin,
                w.period_input("TCCA-DEV-A", exam_start() + days(28), &[("深圳", 5)]),
            )
            .await
            .unwrap();
    assert_eq!(
        code(w.reschedule(&me, r, &other_cert, "深圳").await),
        ErrorCode::RescheduleTargetOutOfRange
    );
    // The period it is on already.
    assert_eq!(
        code(w.reschedule(&me, r, &first, "北京").await),
        ErrorCode::RescheduleTargetOutOfRange
    );
    // No seat left in the city (O3, decided for O7).
    assert_eq!(
        refusal(w.reschedule(&me, r, &later, "上海").await),
        (
            ErrorCode::NoSeatsLeft,
            Some("O7"),
            Some("city".to_owned()),
            None
        )
    );
    assert_eq!(seats_left(&w.t, &first, "深圳").await, 9, "nothing moved");

    // A retake cannot be rescheduled (O7/O8).
    w.t.execute_sql(&format!(
        "UPDATE registrations SET attempt = 'retake' WHERE id = {}",
        theirs.registration.id
    ))
    .await;
    assert_eq!(
        refusal(
            w.reschedule(&stranger, theirs.registration.id, &first, "深圳")
                .await
        ),
        (ErrorCode::RetakeNotReschedulable, Some("O7"), None, None)
    );

    // A refunded registration is not live any more.
    w.t.app.refund_order(&me, placed.order.id).await.unwrap();
    assert_eq!(
        refusal(w.reschedule(&me, r, &later, "深圳").await),
        (ErrorCode::RegistrationNotLive, Some("O7"), None, None)
    );
    assert_eq!(seats_left(&w.t, &later, "深圳").await, 2);
}
