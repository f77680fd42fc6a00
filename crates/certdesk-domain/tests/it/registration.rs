//! O1, O2 (registration windows) and O4 (admission ticket window), walked second by second.

use super::{SECOND, around, assert_refused, at};
use certdesk_domain::rules::{
    Window, WindowPhase, check_registration, check_ticket_issue, registration_window, ticket_window,
};
use certdesk_domain::{Family, Locale, Policy};

#[test]
fn o1_registration_opens_exactly_3_months_before_start() {
    let p = Policy::default();
    let start = at("2027-06-15 09:00");
    let w = registration_window(start, &p);
    assert_eq!(w.opens_at, at("2027-03-15 09:00"));
    let [before, on, after] = around(w.opens_at);
    assert_refused(
        check_registration(Family::Cloud, w, before),
        "registration_not_open",
        "O1",
        Some(w.opens_at),
    );
    assert_eq!(check_registration(Family::Cloud, w, on), Ok(w.closes_at));
    assert_eq!(check_registration(Family::Cloud, w, after), Ok(w.closes_at));
}

#[test]
fn o1_registration_closes_exactly_10_days_before_start() {
    let p = Policy::default();
    let start = at("2027-06-15 09:00");
    let w = registration_window(start, &p);
    assert_eq!(w.closes_at, at("2027-06-05 09:00"));
    let [before, on, after] = around(w.closes_at);
    assert_eq!(
        check_registration(Family::Cloud, w, before),
        Ok(w.closes_at)
    );
    for now in [on, after] {
        assert_refused(
            check_registration(Family::Cloud, w, now),
            "registration_closed",
            "O1",
            Some(w.closes_at),
        );
    }
}

#[test]
fn o1_month_end_exam_2027_05_31_opens_2027_02_28() {
    let w = registration_window(at("2027-05-31 09:00"), &Policy::default());
    assert_eq!(w.opens_at, at("2027-02-28 09:00"));
    assert_eq!(w.closes_at, at("2027-05-21 09:00"));
}

#[test]
fn o1_leap_year_2028_month_ends() {
    let p = Policy::default();
    assert_eq!(
        registration_window(at("2028-05-31 09:00"), &p).opens_at,
        at("2028-02-29 09:00")
    );
    assert_eq!(
        registration_window(at("2028-05-29 14:00"), &p).opens_at,
        at("2028-02-29 14:00")
    );
    // 2028-02-29 − 10 days crosses the leap day: 10 × 24 h back is 2028-02-19.
    let w = registration_window(at("2028-02-29 09:00"), &p);
    assert_eq!(w.opens_at, at("2027-11-29 09:00"));
    assert_eq!(w.closes_at, at("2028-02-19 09:00"));
    // And a March exam: 10 days back crosses 29 February.
    assert_eq!(
        registration_window(at("2028-03-05 09:00"), &p).closes_at,
        at("2028-02-24 09:00")
    );
}

#[test]
fn o1_refusal_message_shows_the_deadline() {
    let w = registration_window(at("2027-03-20 09:00"), &Policy::default());
    let r = check_registration(Family::Cloud, w, at("2027-03-12 12:00")).unwrap_err();
    assert!(
        r.message(Locale::ZhCn)
            .contains("2027年3月10日 09:00（北京时间）")
    );
    assert!(
        r.message(Locale::En)
            .contains("before 09:00, 10 March 2027 (UTC+8)")
    );
}

#[test]
fn o2_specialty_window_is_set_by_operators() {
    // Far outside O1's window, yet open: the operator's window decides.
    let w = Window::new(at("2027-01-01 00:00"), at("2027-01-31 18:00"));
    let [before, on, after] = around(w.opens_at);
    assert_refused(
        check_registration(Family::Specialty, w, before),
        "registration_not_open",
        "O2",
        Some(w.opens_at),
    );
    assert!(check_registration(Family::Specialty, w, on).is_ok());
    assert!(check_registration(Family::Specialty, w, after).is_ok());
    let [before, on, after] = around(w.closes_at);
    assert!(check_registration(Family::Specialty, w, before).is_ok());
    assert_refused(
        check_registration(Family::Specialty, w, on),
        "registration_closed",
        "O2",
        Some(w.closes_at),
    );
    assert_refused(
        check_registration(Family::Specialty, w, after),
        "registration_closed",
        "O2",
        Some(w.closes_at),
    );
}

#[test]
fn t4_window_phase_at_its_edges() {
    let w = Window::new(at("2027-01-01 00:00"), at("2027-01-31 18:00"));
    let [before, on, after] = around(w.opens_at);
    assert_eq!(w.phase(before), WindowPhase::NotOpen);
    assert_eq!(w.phase(on), WindowPhase::Open);
    assert_eq!(w.phase(after), WindowPhase::Open);
    let [before, on, after] = around(w.closes_at);
    assert_eq!(w.phase(before), WindowPhase::Open);
    assert_eq!(w.phase(on), WindowPhase::Closed);
    assert_eq!(w.phase(after), WindowPhase::Closed);
    // The page's phase and the order's check agree (O1/O2 enforce with `check`).
    for now in [
        w.opens_at - SECOND,
        w.opens_at,
        w.closes_at - SECOND,
        w.closes_at,
    ] {
        let allowed = check_registration(Family::Specialty, w, now).is_ok();
        assert_eq!(allowed, w.phase(now) == WindowPhase::Open, "{now}");
    }
}

#[test]
fn o4_ticket_window_opens_exactly_5_days_before_start() {
    let p = Policy::default();
    let start = at("2027-03-20 09:00");
    let w = ticket_window(start, &p);
    assert_eq!(w.opens_at, at("2027-03-15 09:00"));
    let [before, on, after] = around(w.opens_at);
    assert_refused(
        check_ticket_issue(start, before, &p),
        "admission_ticket_window",
        "O4",
        Some(w.opens_at),
    );
    assert_eq!(check_ticket_issue(start, on, &p), Ok(w.closes_at));
    assert_eq!(check_ticket_issue(start, after, &p), Ok(w.closes_at));
}

#[test]
fn o4_ticket_window_closes_exactly_3_days_before_start() {
    let p = Policy::default();
    let start = at("2027-03-20 09:00");
    let w = ticket_window(start, &p);
    assert_eq!(w.closes_at, at("2027-03-17 09:00"));
    let [before, on, after] = around(w.closes_at);
    assert!(check_ticket_issue(start, before, &p).is_ok());
    for now in [on, after] {
        let r = check_ticket_issue(start, now, &p);
        assert!(
            r.as_ref()
                .unwrap_err()
                .message(Locale::En)
                .contains("passed")
        );
        assert_refused(r, "admission_ticket_window", "O4", Some(w.closes_at));
    }
    assert!(w.contains(w.opens_at) && !w.contains(w.closes_at));
}
