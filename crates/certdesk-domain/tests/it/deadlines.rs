//! O6, O9 and I4 due times (P1), across normal weekends and the 2026 holidays.

use super::at;
use certdesk_domain::rules::{
    admission_ticket_due, confirmation_due, e_certificate_due, institution_confirmation_due,
    paper_certificate_due, score_due,
};
use certdesk_domain::{BusinessCalendar, Policy};
use jiff::civil::date;

#[test]
fn o6_confirmation_due_friday_15_00_before_normal_weekend_is_monday_24_00() {
    let (p, cal) = (Policy::default(), BusinessCalendar::bundled());
    // 2026-03-13 is an ordinary Friday.
    assert_eq!(
        confirmation_due(at("2026-03-13 15:00"), &p, &cal),
        at("2026-03-17 00:00")
    );
    assert_eq!(
        confirmation_due(at("2026-03-13 23:59:59"), &p, &cal),
        at("2026-03-17 00:00")
    );
    // From Saturday 00:00 the date is Saturday; the next business day is still Monday.
    assert_eq!(
        confirmation_due(at("2026-03-14 00:00"), &p, &cal),
        at("2026-03-17 00:00")
    );
    assert_eq!(
        confirmation_due(at("2026-03-15 12:00"), &p, &cal),
        at("2026-03-17 00:00")
    );
    assert_eq!(
        confirmation_due(at("2026-03-16 00:00"), &p, &cal),
        at("2026-03-18 00:00")
    );
}

#[test]
fn o6_confirmation_due_across_spring_festival_2026() {
    let (p, cal) = (Policy::default(), BusinessCalendar::bundled());
    // Friday 02-13 → Saturday 02-14 is a make-up workday.
    assert_eq!(
        confirmation_due(at("2026-02-13 15:00"), &p, &cal),
        at("2026-02-15 00:00")
    );
    // Paid on the make-up Saturday → 02-15..02-23 are off → Tuesday 02-24 24:00.
    assert_eq!(
        confirmation_due(at("2026-02-14 10:00"), &p, &cal),
        at("2026-02-25 00:00")
    );
    assert_eq!(
        confirmation_due(at("2026-02-18 10:00"), &p, &cal),
        at("2026-02-25 00:00")
    );
}

#[test]
fn o6_confirmation_due_across_national_day_2026() {
    let (p, cal) = (Policy::default(), BusinessCalendar::bundled());
    // Wednesday 09-30 → 10-01..10-07 off → Thursday 10-08 24:00.
    assert_eq!(
        confirmation_due(at("2026-09-30 16:00"), &p, &cal),
        at("2026-10-09 00:00")
    );
    // Friday 10-09 → Saturday 10-10 is a make-up workday.
    assert_eq!(
        confirmation_due(at("2026-10-09 16:00"), &p, &cal),
        at("2026-10-11 00:00")
    );
    // Saturday 09-19 → Sunday 09-20 is a make-up workday.
    assert_eq!(
        confirmation_due(at("2026-09-19 16:00"), &p, &cal),
        at("2026-09-21 00:00")
    );
}

#[test]
fn o6_admission_ticket_due_exactly_3_days_before_start() {
    let p = Policy::default();
    assert_eq!(
        admission_ticket_due(at("2027-03-20 09:00"), &p),
        at("2027-03-17 09:00")
    );
}

#[test]
fn o6_score_due_exactly_7_days_after_exam_end() {
    let p = Policy::default();
    assert_eq!(
        score_due(at("2027-03-20 11:00"), &p),
        at("2027-03-27 11:00")
    );
    assert_eq!(
        score_due(at("2028-02-25 11:00"), &p),
        at("2028-03-03 11:00")
    );
}

#[test]
fn o9_e_certificate_due_end_of_first_business_day_after_exam_date() {
    let (p, cal) = (Policy::default(), BusinessCalendar::bundled());
    assert_eq!(
        e_certificate_due(date(2026, 3, 13), &p, &cal),
        at("2026-03-17 00:00")
    );
    assert_eq!(
        e_certificate_due(date(2026, 3, 10), &p, &cal),
        at("2026-03-12 00:00")
    );
    assert_eq!(
        e_certificate_due(date(2026, 9, 30), &p, &cal),
        at("2026-10-09 00:00")
    );
    assert_eq!(
        e_certificate_due(date(2026, 2, 13), &p, &cal),
        at("2026-02-15 00:00")
    );
}

#[test]
fn o9_paper_certificate_due_exactly_30_days_after_exam_end() {
    let p = Policy::default();
    assert_eq!(
        paper_certificate_due(at("2027-01-31 11:00"), &p),
        at("2027-03-02 11:00")
    );
}

#[test]
fn i4_institution_confirmation_due_exactly_10_minutes_after_registration() {
    let p = Policy::default();
    assert_eq!(
        institution_confirmation_due(at("2027-01-31 23:55"), &p),
        at("2027-02-01 00:05")
    );
}
