//! O8: a failed first attempt gives one free retake, starting no later than first start +
//! 3 months, applied for before retake start − 10 days.

use super::{around, assert_refused, at};
use certdesk_domain::rules::{AttemptOutcome, RetakeRequest, check_retake, retake_apply_deadline};
use certdesk_domain::{CertificationId, Policy};
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
