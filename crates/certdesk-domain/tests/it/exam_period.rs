//! O1/O2/O3: an operator's exam period, its window and its cities.

use super::{SECOND, at};
use certdesk_domain::rules::registration_window;
use certdesk_domain::{
    Capacity, City, CityDraft, ErrorCode, ExamPeriodDraft, Family, Policy, Window,
    check_city_offered, no_seats_left, unknown_period,
};
use jiff::SignedDuration;

/// The certification's exam duration in these tests.
const EXAM: SignedDuration = SignedDuration::from_mins(90);

fn city(name: &str, capacity: i64) -> CityDraft {
    CityDraft {
        city: name.into(),
        capacity,
    }
}

fn draft() -> ExamPeriodDraft {
    ExamPeriodDraft {
        starts_at: at("2027-06-12 09:00"),
        ends_at: Some(at("2027-06-12 11:00")),
        cities: vec![city("深圳", 120), city("北京", 200)],
        registration_opens_at: None,
        registration_closes_at: None,
    }
}

fn specialty() -> ExamPeriodDraft {
    ExamPeriodDraft {
        registration_opens_at: Some(at("2027-04-01 00:00")),
        registration_closes_at: Some(at("2027-06-01 00:00")),
        ..draft()
    }
}

#[track_caller]
fn refused(d: &ExamPeriodDraft, family: Family, code: ErrorCode, field: &str) -> String {
    let r = d.validate(family, EXAM, &Policy::default()).unwrap_err();
    assert_eq!(r.code, code, "{r}");
    assert_eq!(r.field.as_deref(), Some(field), "{r}");
    r.detail.map(|d| d.zh.into_owned()).unwrap_or_default()
}

#[test]
fn o1_cloud_period_window_is_derived_from_its_start() {
    let p = Policy::default();
    let plan = draft().validate(Family::Cloud, EXAM, &p).unwrap();
    assert_eq!(plan.window, registration_window(at("2027-06-12 09:00"), &p));
    assert_eq!(plan.window.opens_at, at("2027-03-12 09:00"));
    assert_eq!(plan.window.closes_at, at("2027-06-02 09:00"));
    let names: Vec<&str> = plan.cities.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(names, ["深圳", "北京"]);
    assert_eq!(plan.cities[0].1.get(), 120);
}

#[test]
fn o1_cloud_period_refuses_an_operator_window() {
    let d = specialty();
    let r = d
        .validate(Family::Cloud, EXAM, &Policy::default())
        .unwrap_err();
    assert_eq!(r.code, ErrorCode::InvalidField);
    assert_eq!(r.field.as_deref(), Some("registration_opens_at"));
    assert_eq!(r.rule, Some("O1"));
    let only_close = ExamPeriodDraft {
        registration_opens_at: None,
        ..specialty()
    };
    refused(
        &only_close,
        Family::Cloud,
        ErrorCode::InvalidField,
        "registration_closes_at",
    );
}

#[test]
fn o2_specialty_period_needs_both_window_instants() {
    let plan = specialty()
        .validate(Family::Specialty, EXAM, &Policy::default())
        .unwrap();
    assert_eq!(
        plan.window,
        Window::new(at("2027-04-01 00:00"), at("2027-06-01 00:00"))
    );
    let r = draft()
        .validate(Family::Specialty, EXAM, &Policy::default())
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("registration_opens_at"));
    assert_eq!(r.rule, Some("O2"));
    let no_close = ExamPeriodDraft {
        registration_closes_at: None,
        ..specialty()
    };
    refused(
        &no_close,
        Family::Specialty,
        ErrorCode::InvalidField,
        "registration_closes_at",
    );
}

#[test]
fn o2_specialty_window_opens_before_it_closes_and_closes_by_the_start() {
    let start = at("2027-06-12 09:00");
    let with = |opens, closes| ExamPeriodDraft {
        registration_opens_at: Some(opens),
        registration_closes_at: Some(closes),
        ..draft()
    };
    let opens = at("2027-04-01 00:00");
    // closes == starts_at is allowed; a second later is not.
    assert!(
        with(opens, start)
            .validate(Family::Specialty, EXAM, &Policy::default())
            .is_ok()
    );
    for d in [
        with(opens, start + SECOND),
        with(opens, opens),
        with(opens, opens - SECOND),
    ] {
        let r = d
            .validate(Family::Specialty, EXAM, &Policy::default())
            .unwrap_err();
        assert_eq!(r.code, ErrorCode::InvalidPeriod, "{r}");
        assert_eq!(r.field.as_deref(), Some("registration_closes_at"));
        assert_eq!(r.rule, Some("O2"));
    }
    assert!(
        with(opens, opens + SECOND)
            .validate(Family::Specialty, EXAM, &Policy::default())
            .is_ok()
    );
}

#[test]
fn period_lasts_at_least_its_exam_and_at_most_24_hours() {
    let start = at("2027-06-12 09:00");
    let ending = |end| ExamPeriodDraft {
        ends_at: Some(end),
        ..draft()
    };
    let day = SignedDuration::from_hours(24);
    for end in [start + EXAM, start + day] {
        let plan = ending(end)
            .validate(Family::Cloud, EXAM, &Policy::default())
            .unwrap();
        assert_eq!(plan.ends_at, end);
    }
    for end in [
        start + EXAM - SECOND,
        start + day + SECOND,
        start,
        start - SECOND,
    ] {
        refused(
            &ending(end),
            Family::Cloud,
            ErrorCode::InvalidPeriod,
            "ends_at",
        );
    }
    let short = refused(
        &ending(start + EXAM - SECOND),
        Family::Cloud,
        ErrorCode::InvalidPeriod,
        "ends_at",
    );
    assert!(short.contains("90 分钟"), "{short}");
}

#[test]
fn period_ends_by_default_when_its_exam_does() {
    // A 90-minute exam starting at 09:00 ends at 10:30, not at a guessed 11:00.
    let d = ExamPeriodDraft {
        ends_at: None,
        ..draft()
    };
    let plan = d.validate(Family::Cloud, EXAM, &Policy::default()).unwrap();
    assert_eq!(plan.ends_at, at("2027-06-12 10:30"));
}

#[test]
fn o3_cities_are_one_to_fifty_unique_with_valid_capacities() {
    let with = |cities| ExamPeriodDraft { cities, ..draft() };
    refused(
        &with(vec![]),
        Family::Cloud,
        ErrorCode::InvalidField,
        "cities",
    );
    let fifty: Vec<CityDraft> = (0..50).map(|i| city(&format!("城市{i}"), 1)).collect();
    assert!(
        with(fifty.clone())
            .validate(Family::Cloud, EXAM, &Policy::default())
            .is_ok()
    );
    let mut fifty_one = fifty;
    fifty_one.push(city("拉萨", 1));
    refused(
        &with(fifty_one),
        Family::Cloud,
        ErrorCode::InvalidField,
        "cities",
    );
    // Duplicates compare on the trimmed form (a full-width space trims too).
    let dup = with(vec![
        city("深圳", 10),
        city("上海", 10),
        city("\u{3000}深圳 ", 5),
    ]);
    let detail = refused(&dup, Family::Cloud, ErrorCode::InvalidField, "cities");
    assert!(detail.contains("深圳"), "{detail}");
    // Case is kept and distinguishes.
    assert!(
        with(vec![city("Shenzhen", 1), city("shenzhen", 1)])
            .validate(Family::Cloud, EXAM, &Policy::default())
            .is_ok()
    );
    for (bad_city, cap) in [("", 10), ("深圳", 0), ("深圳", -1), ("深圳", 100_001)] {
        let detail = refused(
            &with(vec![city("北京", 1), city(bad_city, cap)]),
            Family::Cloud,
            ErrorCode::InvalidField,
            "cities",
        );
        assert!(detail.starts_with("第 2 个城市："), "{detail}");
    }
    assert!(
        with(vec![city("深圳", 100_000)])
            .validate(Family::Cloud, EXAM, &Policy::default())
            .is_ok()
    );
}

#[test]
fn o3_city_is_trimmed_bounded_and_visible() {
    assert_eq!(City::parse("  深圳 ").unwrap().as_str(), "深圳");
    assert_eq!(
        City::parse("深圳").unwrap(),
        City::parse(" 深圳\t").unwrap()
    );
    assert_eq!(City::parse("Hong Kong").unwrap().to_string(), "Hong Kong");
    assert!(City::parse(&"深".repeat(32)).is_ok());
    for bad in [
        "",
        "   ",
        &"深".repeat(33),
        "深\u{0}圳",
        "深\n圳",
        "深圳\u{200B}x",
        "\u{202E}zhen",
    ] {
        let r = City::parse(bad).unwrap_err();
        assert_eq!(r.code, ErrorCode::InvalidField, "{bad:?}");
        assert_eq!(r.field.as_deref(), Some("city"));
    }
    let json: City = serde_json::from_str("\" 成都 \"").unwrap();
    assert_eq!(json.as_str(), "成都");
    assert!(serde_json::from_str::<City>("\"\"").is_err());
}

#[test]
fn o3_capacity_bounds_and_seats_left() {
    assert!(Capacity::new(0).is_err());
    assert!(Capacity::new(-1).is_err());
    assert!(Capacity::new(i64::MAX).is_err());
    assert!(Capacity::new(100_001).is_err());
    let c = Capacity::new(100_000).unwrap();
    assert_eq!(Capacity::new(1).unwrap().get(), 1);
    assert_eq!(c.seats_left(99_999), 1);
    assert_eq!(c.seats_left(100_000), 0);
    assert_eq!(c.seats_left(u64::MAX), 0);
}

#[test]
fn o3_unknown_period_and_city_are_clear_4xx() {
    let r = unknown_period();
    assert_eq!(r.code.as_str(), "unknown_period");
    assert_eq!(r.field.as_deref(), Some("period_id"));
    let offered = [City::parse("深圳").unwrap(), City::parse("北京").unwrap()];
    assert!(check_city_offered(&offered, &City::parse(" 北京").unwrap()).is_ok());
    let r = check_city_offered(&offered, &City::parse("广州").unwrap()).unwrap_err();
    assert_eq!(r.code.as_str(), "city_not_offered");
    assert_eq!(r.field.as_deref(), Some("city"));
    assert_eq!(no_seats_left().code.as_str(), "no_seats_left");
    assert_eq!(no_seats_left().rule, Some("O3"));
}

#[test]
fn draft_reads_the_api_body() {
    let d: ExamPeriodDraft = serde_json::from_str(
        r#"{"certification": "TCCA-ARC-P", "starts_at": "2027-06-12T09:00:00+08:00",
            "ends_at": "2027-06-12T11:00:00+08:00",
            "cities": [{"city": "深圳", "capacity": 120}]}"#,
    )
    .unwrap();
    assert_eq!(d.starts_at, at("2027-06-12 09:00"));
    assert_eq!(d.registration_opens_at, None);
    assert_eq!(d.cities, vec![city("深圳", 120)]);
}
