//! O8: a failed first attempt gives one free retake, starting no later than first start +
//! 3 months, applied for before retake start − 10 days.

use super::{around, assert_refused, at};
use certdesk_domain::rules::{
    AttemptOutcome, RetakeRequest, RetakeRight, check_retake, check_retake_right,
    retake_apply_deadline, retake_apply_until,
};
use certdesk_domain::{
    Attempt, CertificationId, Channel, Policy, RegistrationFacts, RegistrationStatus,
    registration_deadlines,
};
use jiff::Timestamp;

fn request(now: Timestamp) -> RetakeRequest {
    RetakeRequest {
        now,
        outcome: AttemptOutcome::Failed,
        attempt_was_retake: false,
        retake_used: false,
        certification: CertificationId(3),
        first_start: at("2027-05-31 09:00"),
        target_certification: CertificationId(3),
        target_start: at("2027-07-20 09:00"),
    }
}

#[test]
fn o8_retake_apply_refused_at_exactly_10_days_before_retake_start() {
    let p = Policy::default();
    let deadline = retake_apply_deadline(at("2027-07-20 09:00"), &p);
    assert_eq!(deadline, at("2027-07-10 09:00"));
    let [before, on, after] = around(deadline);
    assert_eq!(check_retake(&request(before), &p), Ok(deadline));
    for now in [on, after] {
        assert_refused(
            check_retake(&request(now), &p),
            "retake_too_late",
            "O8",
            Some(deadline),
        );
    }
}

#[test]
fn o8_retake_starts_no_later_than_3_months_after_first_start() {
    let p = Policy::default();
    let latest = at("2027-08-31 09:00"); // 2027-05-31 + 3 months
    let [before, on, after] = around(latest);
    let now = at("2027-06-20 09:00");
    for target in [before, on] {
        assert!(
            check_retake(
                &RetakeRequest {
                    target_start: target,
                    ..request(now)
                },
                &p
            )
            .is_ok()
        );
    }
    let late = RetakeRequest {
        target_start: after,
        ..request(now)
    };
    assert_refused(
        check_retake(&late, &p),
        "retake_target_out_of_range",
        "O8",
        None,
    );
    let other = RetakeRequest {
        target_certification: CertificationId(4),
        ..request(now)
    };
    assert_refused(
        check_retake(&other, &p),
        "retake_target_out_of_range",
        "O8",
        None,
    );
}

#[test]
fn o8_leap_year_horizon() {
    let p = Policy::default();
    let req = RetakeRequest {
        first_start: at("2027-11-30 09:00"),
        target_start: at("2028-02-29 09:00"),
        ..request(at("2028-01-10 09:00"))
    };
    assert!(check_retake(&req, &p).is_ok());
    let late = RetakeRequest {
        target_start: at("2028-03-01 09:00"),
        ..req
    };
    assert_refused(
        check_retake(&late, &p),
        "retake_target_out_of_range",
        "O8",
        None,
    );
}

#[test]
fn o8_no_show_forfeits_retake_by_default() {
    let now = at("2027-06-20 09:00");
    let absent = RetakeRequest {
        outcome: AttemptOutcome::Absent,
        ..request(now)
    };
    assert_refused(
        check_retake(&absent, &Policy::default()),
        "retake_not_eligible",
        "O8",
        None,
    );
    let lenient = Policy {
        no_show_forfeits_retake: false,
        ..Policy::default()
    };
    assert!(check_retake(&absent, &lenient).is_ok());
}

#[test]
fn o8_only_a_failed_first_attempt_is_eligible() {
    let p = Policy::default();
    let now = at("2027-06-20 09:00");
    for outcome in [AttemptOutcome::Passed, AttemptOutcome::Pending] {
        let req = RetakeRequest {
            outcome,
            ..request(now)
        };
        assert_refused(check_retake(&req, &p), "retake_not_eligible", "O8", None);
    }
    let failed_retake = RetakeRequest {
        attempt_was_retake: true,
        ..request(now)
    };
    assert_refused(
        check_retake(&failed_retake, &p),
        "retake_not_eligible",
        "O8",
        None,
    );
    let used = RetakeRequest {
        retake_used: true,
        ..request(now)
    };
    assert_refused(check_retake(&used, &p), "retake_used", "O8", None);
}

#[test]
fn o8_retake_right_ends_at_first_start_plus_3_months_minus_10_days() {
    let p = Policy::default();
    // 2027-05-31 09:00 + 3 months = 2027-08-31 09:00; − 10 days = 2027-08-21 09:00.
    let until = retake_apply_until(at("2027-05-31 09:00"), &p);
    assert_eq!(until, at("2027-08-21 09:00"));
    let right = |now| RetakeRight {
        now,
        outcome: AttemptOutcome::Failed,
        attempt_was_retake: false,
        retake_used: false,
        first_start: at("2027-05-31 09:00"),
    };
    let [before, on, after] = around(until);
    assert_eq!(check_retake_right(&right(before), &p), Ok(until));
    for now in [on, after] {
        assert_refused(
            check_retake_right(&right(now), &p),
            "retake_too_late",
            "O8",
            Some(until),
        );
    }
    // The last sitting that can qualify starts at the horizon; its own deadline is the same.
    let last = RetakeRequest {
        target_start: at("2027-08-31 09:00"),
        ..request(before)
    };
    assert_eq!(check_retake(&last, &p), Ok(until));
    assert_refused(
        check_retake(&RetakeRequest { now: on, ..last }, &p),
        "retake_too_late",
        "O8",
        Some(until),
    );
}

#[test]
fn o8_retake_apply_until_is_what_the_registration_shows() {
    let p = Policy::default();
    let facts = RegistrationFacts {
        channel: Channel::Official,
        status: RegistrationStatus::Failed,
        attempt: Attempt::First,
        order: None,
        reschedules_used: 0,
        current_start: at("2027-05-31 09:00"),
        retake_used: false,
    };
    assert_eq!(
        registration_deadlines(&facts, &p).retake_apply_until,
        Some(retake_apply_until(facts.current_start, &p))
    );
    let used = RegistrationFacts {
        retake_used: true,
        ..facts
    };
    assert_eq!(registration_deadlines(&used, &p).retake_apply_until, None);
    let retake = RegistrationFacts {
        attempt: Attempt::Retake,
        ..facts
    };
    assert_eq!(registration_deadlines(&retake, &p).retake_apply_until, None);
}

#[test]
fn o8_retake_used_is_decided_before_the_target() {
    let p = Policy::default();
    // Held or taken: `retake_used`, whatever the target (before A2's `already_registered`).
    let used = RetakeRequest {
        retake_used: true,
        target_certification: CertificationId(4),
        target_start: at("2027-12-31 09:00"),
        ..request(at("2027-06-20 09:00"))
    };
    assert_refused(check_retake(&used, &p), "retake_used", "O8", None);
    // A failed retake: nothing further, even with an unused right recorded.
    let retake = RetakeRequest {
        attempt_was_retake: true,
        ..request(at("2027-06-20 09:00"))
    };
    assert_refused(check_retake(&retake, &p), "retake_not_eligible", "O8", None);
}
