//! O1–O3: operators create exam periods (O1 window derived, O2 window given, cities with
//! capacities), audited; candidates list the upcoming ones with seats left.

use certdesk_domain::{ErrorCode, ExamPeriodId};
use certdesk_store::PageRequest;
use jiff::Timestamp;

use crate::official::{CERT, SPECIALTY, World, exam_start, hours, order, secs};
use crate::{code, field, start};

#[tokio::test]
async fn o1_cloud_window_is_derived_and_cannot_be_typed() {
    let w = World::new().await;
    let p = w.period().await;
    assert_eq!(p.certification_code.as_str(), CERT);
    assert_eq!(
        p.registration_opens_at,
        "2027-01-10T01:00:00Z".parse::<Timestamp>().unwrap()
    );
    assert_eq!(p.registration_closes_at, exam_start() - hours(240));
    let cities: Vec<_> = p
        .cities
        .iter()
        .map(|c| (c.city.as_str(), c.capacity, c.taken))
        .collect();
    assert_eq!(cities, [("深圳", 10, 0), ("北京", 1, 0)]);
    let audit =
        w.t.app
            .list_audit(&w.admin, PageRequest::default())
            .await
            .unwrap()
            .items;
    assert_eq!(audit[0].action, "exam_period.create");

    let mut typed = w.period_input(CERT, exam_start(), &[("深圳", 1)]);
    typed.registration_closes_at = Some(exam_start() - hours(1));
    let r = w.t.app.create_exam_period(&w.admin, typed).await;
    assert_eq!(field(r).as_deref(), Some("registration_closes_at"));
}

#[tokio::test]
async fn o2_specialty_needs_its_window_and_bad_periods_are_refused() {
    let w = World::new().await;
    let create = |input| w.t.app.create_exam_period(&w.admin, input);
    let r = create(w.period_input(SPECIALTY, exam_start(), &[("上海", 5)])).await;
    assert_eq!(field(r).as_deref(), Some("registration_opens_at"));
    let mut ok = w.period_input(SPECIALTY, exam_start(), &[("上海", 5)]);
    ok.registration_opens_at = Some(start());
    ok.registration_closes_at = Some(exam_start());
    let p = create(ok).await.unwrap();
    assert_eq!(
        (p.registration_opens_at, p.registration_closes_at),
        (start(), exam_start())
    );

    let r = create(w.period_input("NOPE-1", exam_start(), &[("上海", 5)])).await;
    assert_eq!(field(r).as_deref(), Some("certification"));
    let r = create(w.period_input(CERT, exam_start(), &[("上海", 0)])).await;
    assert_eq!(field(r).as_deref(), Some("cities"));
    let r = create(w.period_input(CERT, exam_start(), &[("上海", 5), (" 上海 ", 5)])).await;
    assert_eq!(field(r).as_deref(), Some("cities"));
    let r = create(w.period_input(CERT, exam_start(), &[])).await;
    assert_eq!(code(r), ErrorCode::InvalidField);
    let r = create(w.period_input(CERT, start(), &[("上海", 5)])).await;
    assert_eq!(
        field(r).as_deref(),
        Some("starts_at"),
        "an exam in the past"
    );
    let mut backwards = w.period_input(CERT, exam_start(), &[("上海", 5)]);
    backwards.ends_at = Some(exam_start() - secs(1));
    assert_eq!(code(create(backwards).await), ErrorCode::InvalidPeriod);

    let me = w.t.candidate("not-ops@example.com").await;
    let r =
        w.t.app
            .create_exam_period(&me, w.period_input(CERT, exam_start(), &[("上海", 5)]))
            .await;
    assert_eq!(code(r), ErrorCode::Forbidden);
    assert_eq!(
        code(w.t.app.seats_overview(&me).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(w.t.app.promise_summary(&me).await),
        ErrorCode::Forbidden
    );
    w.t.app.retire_certification(&w.admin, CERT).await.unwrap();
    let r = create(w.period_input(CERT, exam_start(), &[("上海", 5)])).await;
    assert_eq!(code(r), ErrorCode::CertificationRetired);
}

#[tokio::test]
async fn candidates_list_upcoming_periods_with_seats_left() {
    let w = World::new().await;
    let soon = w.period_at(start() + hours(24 * 20), &[("广州", 3)]).await;
    let later = w.period().await;
    let me = w.verified("list@example.com", "11010519900101051").await;
    w.credit(me.id, "cash", crate::official::FEE).await;
    w.t.app
        .register_and_pay(&me, order(&soon, "广州"), None)
        .await
        .unwrap();

    let listed = w.t.app.list_exam_periods(None, false).await.unwrap();
    assert_eq!(
        listed.iter().map(|p| p.id).collect::<Vec<_>>(),
        [soon.id, later.id],
        "by start"
    );
    assert_eq!(listed[0].cities[0].seats_left(), 2);
    assert_eq!(
        w.t.app
            .list_exam_periods(Some(CERT), false)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        w.t.app
            .list_exam_periods(Some(SPECIALTY), false)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        w.t.app
            .list_exam_periods(Some("no such code!"), false)
            .await
            .unwrap()
            .is_empty()
    );

    // Once an exam has started it is no longer upcoming (starts_at > now).
    w.t.clock.set(soon.starts_at);
    let listed = w.t.app.list_exam_periods(None, false).await.unwrap();
    assert_eq!(listed.iter().map(|p| p.id).collect::<Vec<_>>(), [later.id]);
    assert_eq!(
        w.t.app.list_exam_periods(None, true).await.unwrap().len(),
        2
    );

    let overview = w.t.app.seats_overview(&w.admin).await.unwrap();
    assert_eq!(
        (overview[0].cities[0].taken, overview[0].cities[0].capacity),
        (1, 3)
    );
    assert_eq!(w.t.app.get_exam_period(later.id).await.unwrap(), later);
    assert_eq!(
        code(w.t.app.get_exam_period(ExamPeriodId(9_999)).await),
        ErrorCode::NotFound
    );
}
