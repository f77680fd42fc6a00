//! I3 (booking), I5 (changing an appointment) and I6 (retake) on the 2026 calendar.

use super::{around, assert_refused, at};
use certdesk_domain::rules::{
    AttemptOutcome, InstitutionRetake, appointment_change_deadline, check_appointment_change,
    check_institution_retake, check_slot_bookable,
};
use certdesk_domain::{BusinessCalendar, Policy, TestCentreId};
use jiff::civil::date;

#[test]
fn i3_slot_refused_on_a_holiday_and_accepted_on_a_make_up_saturday() {
    let cal = BusinessCalendar::bundled();
    let now = at("2026-01-05 09:00");
    let national_day = at("2026-10-01 09:00");
    assert_refused(
        check_slot_bookable(national_day, 5, now, &cal),
        "slot_not_bookable",
        "I3",
        None,
    );
    let spring_festival = at("2026-02-18 14:00");
    assert_refused(
        check_slot_bookable(spring_festival, 5, now, &cal),
        "slot_not_bookable",
        "I3",
        None,
    );
    let ordinary_saturday = at("2026-03-07 09:00");
    assert_refused(
        check_slot_bookable(ordinary_saturday, 5, now, &cal),
        "slot_not_bookable",
        "I3",
        None,
    );
    for make_up in [
        "2026-02-14 09:00",
        "2026-02-28 09:00",
        "2026-05-09 09:00",
        "2026-09-20 09:00",
        "2026-10-10 09:00",
    ] {
        let slot = at(make_up);
        assert_eq!(
            check_slot_bookable(slot, 5, now, &cal),
            Ok(slot),
            "{make_up}"
        );
    }
}

#[test]
fn i3_slot_is_past_once_its_start_is_not_after_now() {
    let cal = BusinessCalendar::bundled();
    let slot = at("2026-03-10 09:00");
    let [before, on, after] = around(slot);
    assert_eq!(check_slot_bookable(slot, 1, before, &cal), Ok(slot));
    for now in [on, after] {
        assert_refused(
            check_slot_bookable(slot, 1, now, &cal),
            "slot_not_bookable",
            "I3",
            Some(slot),
        );
    }
}

#[test]
fn i3_full_slot_refused() {
    let cal = BusinessCalendar::bundled();
    let r = check_slot_bookable(at("2026-03-10 09:00"), 0, at("2026-03-01 09:00"), &cal);
    assert_refused(r, "slot_full", "I3", None);
}

#[test]
fn i5_monday_appointment_changeable_until_friday_24_00() {
    let (p, cal) = (Policy::default(), BusinessCalendar::bundled());
    let monday = date(2026, 3, 16);
    let deadline = appointment_change_deadline(monday, &cal);
    assert_eq!(deadline, at("2026-03-14 00:00"));
    let [before, on, after] = around(deadline);
    assert_eq!(
        check_appointment_change(monday, 0, before, &p, &cal),
        Ok(deadline)
    );
    for now in [on, after] {
        assert_refused(
            check_appointment_change(monday, 0, now, &p, &cal),
            "appointment_change_too_late",
            "I5",
            Some(deadline),
        );
    }
}

#[test]
fn i5_monday_appointment_after_a_holiday() {
    let cal = BusinessCalendar::bundled();
    // Dragon Boat 2026: Friday 06-19 is off → the business day before Monday 06-22 is Thursday.
    assert_eq!(
        appointment_change_deadline(date(2026, 6, 22), &cal),
        at("2026-06-19 00:00")
    );
    // After National Day the day before Thursday 10-08 is Wednesday 09-30.
    assert_eq!(
        appointment_change_deadline(date(2026, 10, 8), &cal),
        at("2026-10-01 00:00")
    );
    // Monday 10-12 follows make-up Saturday 10-10: changeable until Saturday 24:00.
    assert_eq!(
        appointment_change_deadline(date(2026, 10, 12), &cal),
        at("2026-10-11 00:00")
    );
    // Monday 03-02 follows make-up Saturday 02-28.
    assert_eq!(
        appointment_change_deadline(date(2026, 3, 2), &cal),
        at("2026-03-01 00:00")
    );
}

#[test]
fn i5_unlimited_unless_the_institution_sets_a_limit() {
    let cal = BusinessCalendar::bundled();
    let (monday, now) = (date(2026, 3, 16), at("2026-03-10 09:00"));
    assert!(check_appointment_change(monday, 100, now, &Policy::default(), &cal).is_ok());
    let limited = Policy {
        institution_reschedule_limit: Some(2),
        ..Policy::default()
    };
    assert!(check_appointment_change(monday, 1, now, &limited, &cal).is_ok());
    assert_refused(
        check_appointment_change(monday, 2, now, &limited, &cal),
        "appointment_change_limit_reached",
        "I5",
        None,
    );
}

fn retake() -> InstitutionRetake {
    InstitutionRetake {
        outcome: AttemptOutcome::Failed,
        attempt_was_retake: false,
        retake_used: false,
        first_centre: TestCentreId(1),
        first_start: at("2026-11-30 09:00"),
        target_centre: TestCentreId(1),
        target_slot_start: at("2027-01-15 09:00"),
    }
}

#[test]
fn i6_retake_within_3_months_after_the_failed_attempt() {
    let p = Policy::default();
    // 2026-11-30 + 3 months clamps to 2027-02-28 (T2).
    let deadline = at("2027-02-28 09:00");
    let [before, on, after] = around(deadline);
    let req = |slot| InstitutionRetake {
        target_slot_start: slot,
        ..retake()
    };
    assert_eq!(check_institution_retake(&req(before), &p), Ok(deadline));
    for slot in [on, after] {
        assert_refused(
            check_institution_retake(&req(slot), &p),
            "retake_too_late",
            "I6",
            Some(deadline),
        );
    }
}

#[test]
fn i6_retake_at_the_same_centre_only() {
    let p = Policy::default();
    let elsewhere = InstitutionRetake {
        target_centre: TestCentreId(2),
        ..retake()
    };
    assert_refused(
        check_institution_retake(&elsewhere, &p),
        "retake_wrong_centre",
        "I6",
        None,
    );
    let passed = InstitutionRetake {
        outcome: AttemptOutcome::Passed,
        ..retake()
    };
    assert_refused(
        check_institution_retake(&passed, &p),
        "retake_not_eligible",
        "I6",
        None,
    );
    let used = InstitutionRetake {
        retake_used: true,
        ..retake()
    };
    assert_refused(
        check_institution_retake(&used, &p),
        "retake_used",
        "I6",
        None,
    );
}
