//! I1 (the management link's life), I8 (staff refunds) and E3 for the institution channel
//! (the deadlines a registration shows), at their boundaries.

use super::{around, assert_refused, at};
use certdesk_domain::rules::{
    InstitutionFacts, ManageLinkFacts, check_institution_refund, check_manage_link,
    institution_deadlines, manage_link_valid_until,
};
use certdesk_domain::{BusinessCalendar, Fen, Policy, RegistrationStatus};

fn fen(n: i64) -> Fen {
    Fen::new(n).unwrap()
}

#[test]
fn i8_refund_up_to_what_remains_and_nothing_after() {
    let paid = fen(70_000);
    assert!(check_institution_refund(fen(70_000), paid, fen(0)).is_ok());
    assert!(check_institution_refund(fen(1), paid, fen(69_999)).is_ok());
    assert_refused(
        check_institution_refund(fen(2), paid, fen(69_999)),
        "refund_exceeds_paid",
        "I8",
        None,
    );
    assert_refused(
        check_institution_refund(fen(70_001), paid, fen(0)),
        "refund_exceeds_paid",
        "I8",
        None,
    );
    assert_refused(
        check_institution_refund(fen(0), paid, fen(0)),
        "refund_exceeds_paid",
        "I8",
        None,
    );
    assert_refused(
        check_institution_refund(fen(1), paid, paid),
        "already_refunded",
        "I8",
        None,
    );
}

fn link(status: RegistrationStatus, first: Option<&str>) -> ManageLinkFacts {
    ManageLinkFacts {
        status,
        first_start: first.map(at),
        retake: None,
    }
}

#[test]
fn i1_link_valid_until_three_months_after_the_first_exam() {
    let p = Policy::default();
    let facts = link(RegistrationStatus::Failed, Some("2026-05-18 09:00"));
    let until = at("2026-08-18 09:00");
    assert_eq!(manage_link_valid_until(&facts, &p), Some(until));
    let [before, on, after] = around(until);
    assert!(check_manage_link(&facts, before, &p).is_ok());
    assert_refused(
        check_manage_link(&facts, on, &p),
        "link_expired",
        "I1",
        Some(until),
    );
    assert_refused(
        check_manage_link(&facts, after, &p),
        "link_expired",
        "I1",
        Some(until),
    );
}

#[test]
fn i1_link_has_no_end_before_an_appointment_and_ends_on_cancellation() {
    let p = Policy::default();
    for status in [
        RegistrationStatus::AwaitingPayment,
        RegistrationStatus::Confirmed,
    ] {
        let facts = link(status, None);
        assert_eq!(manage_link_valid_until(&facts, &p), None);
        assert!(check_manage_link(&facts, at("2030-01-01 00:00"), &p).is_ok());
    }
    let refunded = link(RegistrationStatus::Cancelled, Some("2026-05-18 09:00"));
    assert_refused(
        check_manage_link(&refunded, at("2026-04-20 09:00"), &p),
        "link_expired",
        "I1",
        None,
    );
}

#[test]
fn i1_a_retake_ending_after_the_horizon_keeps_the_link() {
    let p = Policy::default();
    let facts = ManageLinkFacts {
        status: RegistrationStatus::Failed,
        first_start: Some(at("2026-05-18 09:00")),
        retake: Some((RegistrationStatus::Confirmed, Some(at("2026-08-18 11:00")))),
    };
    assert_eq!(
        manage_link_valid_until(&facts, &p),
        Some(at("2026-08-18 11:00"))
    );
    // A cancelled first attempt whose retake is live keeps the link too.
    let cancelled_first = ManageLinkFacts {
        status: RegistrationStatus::Cancelled,
        ..facts
    };
    assert!(check_manage_link(&cancelled_first, at("2026-08-18 10:00"), &p).is_ok());
}

fn facts(status: RegistrationStatus, start: Option<&str>) -> InstitutionFacts {
    InstitutionFacts {
        status,
        first_attempt: true,
        appointment_start: start.map(at),
        changes_made: 0,
        retake_used: false,
    }
}

#[test]
fn e3_institution_deadlines_are_the_rules_own() {
    let p = Policy::default();
    let cal = BusinessCalendar::bundled();
    // A Monday appointment: changeable until Friday 24:00 (I5); no refund deadline (I8).
    let booked = institution_deadlines(
        &facts(RegistrationStatus::Confirmed, Some("2026-05-18 09:00")),
        &p,
        &cal,
    );
    assert_eq!(booked.reschedule_until, Some(at("2026-05-16 00:00")));
    assert_eq!(
        (booked.refund_until, booked.retake_apply_until),
        (None, None)
    );
    // Before the make-up working Saturday 9 May 2026, a Monday's deadline is Saturday 24:00.
    let after_make_up = institution_deadlines(
        &facts(RegistrationStatus::Confirmed, Some("2026-05-11 09:00")),
        &p,
        &cal,
    );
    assert_eq!(after_make_up.reschedule_until, Some(at("2026-05-10 00:00")));
    // Not booked yet: nothing to move.
    let unbooked = institution_deadlines(&facts(RegistrationStatus::Confirmed, None), &p, &cal);
    assert_eq!(unbooked, Default::default());
    // Failed: the retake horizon (I6), no move.
    let failed = institution_deadlines(
        &facts(RegistrationStatus::Failed, Some("2026-05-18 09:00")),
        &p,
        &cal,
    );
    assert_eq!(failed.retake_apply_until, Some(at("2026-08-18 09:00")));
    assert_eq!(failed.reschedule_until, None);
    // Its retake used, or a retake itself: none.
    let used = InstitutionFacts {
        retake_used: true,
        ..facts(RegistrationStatus::Failed, Some("2026-05-18 09:00"))
    };
    assert_eq!(
        institution_deadlines(&used, &p, &cal).retake_apply_until,
        None
    );
    // The institution's limit reached: the move deadline is gone (I5).
    let limited = Policy {
        institution_reschedule_limit: Some(1),
        ..Policy::default()
    };
    let moved = InstitutionFacts {
        changes_made: 1,
        ..facts(RegistrationStatus::Confirmed, Some("2026-05-18 09:00"))
    };
    assert_eq!(
        institution_deadlines(&moved, &limited, &cal).reschedule_until,
        None
    );
}

#[test]
fn i3_check_in_from_two_hours_before_until_the_exam_ends() {
    use certdesk_domain::rules::check_check_in;
    let starts = at("2026-05-18 09:00");
    let ends = at("2026-05-18 10:30");
    let opens = at("2026-05-18 07:00");
    let live = RegistrationStatus::Confirmed;
    let [before, on, after] = around(opens);
    assert_refused(
        check_check_in(live, starts, ends, before),
        "check_in_closed",
        "I3",
        Some(opens),
    );
    assert!(check_check_in(live, starts, ends, on).is_ok());
    assert!(check_check_in(live, starts, ends, after).is_ok());
    let [before, on, after] = around(ends);
    assert!(check_check_in(live, starts, ends, before).is_ok());
    assert_refused(
        check_check_in(live, starts, ends, on),
        "check_in_closed",
        "I3",
        Some(ends),
    );
    assert_refused(
        check_check_in(live, starts, ends, after),
        "check_in_closed",
        "I3",
        Some(ends),
    );
    assert_refused(
        check_check_in(RegistrationStatus::Cancelled, starts, ends, on),
        "registration_not_live",
        "I3",
        None,
    );
}
