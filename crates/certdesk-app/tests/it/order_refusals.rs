//! O5's refusals, each in its place: A1, unknown period or city, C1 (retired), O1/O2 windows
//! at their boundaries (±1 s on the test clock, T4), O3 seats, A2, insufficient balance.

use certdesk_app::AppError;
use certdesk_domain::{ErrorCode, Refusal};
use certdesk_store::PeriodFilter;
use jiff::Timestamp;

use crate::official::{FEE, SPECIALTY, World, exam_start, order, secs};
use crate::{code, field, start};

#[track_caller]
fn refusal<T: std::fmt::Debug>(r: Result<T, AppError>) -> Refusal {
    match r {
        Err(AppError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a1_an_unverified_candidate_is_refused_first() {
    let w = World::new().await;
    let me = w.t.candidate("unverified@example.com").await;
    w.credit(me.id, "cash", FEE).await;
    // Even an unknown period: A1 speaks first.
    let mut bad = order(&w.period().await, "深圳");
    bad.period_id = 9_999;
    let r = refusal(w.t.app.register_and_pay(&me, bad.clone(), None).await);
    assert_eq!((r.code, r.rule), (ErrorCode::RealNameRequired, Some("A1")));
    assert_eq!(
        code(w.t.app.quote_order(&me, &bad).await),
        ErrorCode::RealNameRequired
    );
    assert_eq!(w.balances(&me).await, (FEE, 0));
}

#[tokio::test]
async fn o3_unknown_period_and_city_name_their_field() {
    let w = World::new().await;
    let period = w.period().await;
    let me = w.verified("zhao@example.com", "11010519900101011").await;
    w.credit(me.id, "cash", FEE).await;
    let mut unknown = order(&period, "深圳");
    unknown.period_id = 9_999;
    let r = w.t.app.register_and_pay(&me, unknown, None).await;
    assert_eq!(refusal(r).code, ErrorCode::UnknownPeriod);
    let mut negative = order(&period, "深圳");
    negative.period_id = -1;
    assert_eq!(
        field(w.t.app.register_and_pay(&me, negative, None).await).as_deref(),
        Some("period_id")
    );
    let r = refusal(
        w.t.app
            .register_and_pay(&me, order(&period, "火星"), None)
            .await,
    );
    assert_eq!(
        (r.code, r.field.as_deref()),
        (ErrorCode::CityNotOffered, Some("city"))
    );
    let r = refusal(
        w.t.app
            .register_and_pay(&me, order(&period, "  "), None)
            .await,
    );
    assert_eq!(
        (r.code, r.field.as_deref()),
        (ErrorCode::InvalidField, Some("city"))
    );
    let r = refusal(
        w.t.app
            .register_and_pay(&me, order(&period, "深圳\u{200B}"), None)
            .await,
    );
    assert_eq!(r.field.as_deref(), Some("city"));
    assert_eq!(w.balances(&me).await, (FEE, 0), "nothing charged");
}

#[tokio::test]
async fn o1_window_boundaries_to_the_second() {
    let w = World::new().await;
    // Created before its window opens.
    let starts_at: Timestamp = "2027-07-01T01:00:00Z".parse().unwrap();
    let period = w.period_at(starts_at, &[("深圳", 10)]).await;
    let opens: Timestamp = "2027-04-01T01:00:00Z".parse().unwrap();
    let closes: Timestamp = "2027-06-21T01:00:00Z".parse().unwrap();
    assert_eq!(
        (period.registration_opens_at, period.registration_closes_at),
        (opens, closes)
    );
    let me = w.verified("sun@example.com", "11010519900101012").await;
    let also_me = w.verified("sun2@example.com", "11010519900101012").await;
    w.credit(me.id, "cash", FEE).await;
    let input = order(&period, "深圳");

    w.t.clock.set(opens - secs(1));
    let r = refusal(w.t.app.register_and_pay(&me, input.clone(), None).await);
    assert_eq!(
        (r.code, r.rule, r.deadline),
        (ErrorCode::RegistrationNotOpen, Some("O1"), Some(opens))
    );
    w.t.clock.set(opens);
    w.t.app.quote_order(&me, &input).await.unwrap();

    w.t.clock.set(closes);
    let r = refusal(w.t.app.register_and_pay(&me, input.clone(), None).await);
    assert_eq!(
        (r.code, r.rule, r.deadline),
        (ErrorCode::RegistrationClosed, Some("O1"), Some(closes))
    );
    assert_eq!(
        code(w.t.app.quote_order(&me, &input).await),
        ErrorCode::RegistrationClosed
    );
    w.t.clock.set(closes - secs(1));
    let placed =
        w.t.app
            .register_and_pay(&me, input.clone(), None)
            .await
            .unwrap();
    assert_eq!(placed.order.paid_at, closes - secs(1));

    // A2: the person holds it; another account of theirs is refused, by the quote too.
    w.credit(also_me.id, "cash", FEE).await;
    assert_eq!(
        code(w.t.app.quote_order(&also_me, &input).await),
        ErrorCode::AlreadyRegistered
    );
    let r = refusal(w.t.app.register_and_pay(&also_me, input, None).await);
    assert_eq!((r.code, r.rule), (ErrorCode::AlreadyRegistered, Some("A2")));
    assert_eq!(w.balances(&also_me).await, (FEE, 0));
}

#[tokio::test]
async fn o2_specialty_window_is_the_operators() {
    let w = World::new().await;
    let opens: Timestamp = "2027-03-05T01:00:00Z".parse().unwrap();
    let closes: Timestamp = "2027-03-20T01:00:00Z".parse().unwrap();
    let mut input = w.period_input(SPECIALTY, exam_start(), &[("上海", 5)]);
    input.registration_opens_at = Some(opens);
    input.registration_closes_at = Some(closes);
    let period = w.t.app.create_exam_period(&w.admin, input).await.unwrap();
    let me = w.verified("qian@example.com", "11010519900101013").await;
    w.credit(me.id, "cash", 500_000).await;
    let r = refusal(w.t.app.quote_order(&me, &order(&period, "上海")).await);
    assert_eq!(
        (r.code, r.rule, r.deadline),
        (ErrorCode::RegistrationNotOpen, Some("O2"), Some(opens))
    );
    w.t.clock.set(closes);
    let r = refusal(
        w.t.app
            .register_and_pay(&me, order(&period, "上海"), None)
            .await,
    );
    assert_eq!(
        (r.code, r.rule),
        (ErrorCode::RegistrationClosed, Some("O2"))
    );
    w.t.clock.set(closes - secs(1));
    w.t.app
        .register_and_pay(&me, order(&period, "上海"), None)
        .await
        .unwrap();
}

#[tokio::test]
async fn o3_no_seats_left_and_c1_retired() {
    let w = World::new().await;
    let period = w.period().await;
    let first = w.verified("a@example.com", "11010519900101014").await;
    let second = w.verified("b@example.com", "11010519900101015").await;
    for who in [&first, &second] {
        w.credit(who.id, "cash", FEE).await;
    }
    w.t.app
        .register_and_pay(&first, order(&period, "北京"), None)
        .await
        .unwrap();
    let r = refusal(
        w.t.app
            .register_and_pay(&second, order(&period, "北京"), None)
            .await,
    );
    assert_eq!(
        (r.code, r.rule, r.field.as_deref()),
        (ErrorCode::NoSeatsLeft, Some("O3"), Some("city"))
    );
    assert_eq!(w.balances(&second).await, (FEE, 0));

    w.t.app
        .retire_certification(&w.admin, crate::official::CERT)
        .await
        .unwrap();
    let r =
        w.t.app
            .register_and_pay(&second, order(&period, "深圳"), None)
            .await;
    assert_eq!(code(r), ErrorCode::CertificationRetired);
    assert_eq!(
        w.t.store()
            .list_exam_periods(PeriodFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn o5_insufficient_balance_names_the_shortfall_and_charges_nothing() {
    let w = World::new().await;
    let period = w.period().await;
    let me = w.verified("zhou@example.com", "11010519900101016").await;
    w.credit(me.id, "cash", FEE - 101).await;
    w.credit(me.id, "gift", 100).await;
    let r = refusal(
        w.t.app
            .register_and_pay(&me, order(&period, "深圳"), None)
            .await,
    );
    assert_eq!(
        (r.code, r.rule),
        (ErrorCode::InsufficientBalance, Some("O5"))
    );
    assert!(r.detail.unwrap().zh.contains("¥0.01"));
    assert_eq!(w.balances(&me).await, (FEE - 101, 100));
    assert_eq!(crate::official::seats_left(&w.t, &period, "深圳").await, 10);
    assert_eq!(w.t.app.now(), start());
}
