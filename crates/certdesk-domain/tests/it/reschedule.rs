//! O7: reschedule once, before start − 10 days, to a period of the same certification that
//! starts no later than original start + 3 months and more than 10 days from now.

use super::{around, assert_refused, at};
use certdesk_domain::rules::{RescheduleRequest, check_reschedule, reschedule_deadline};
use certdesk_domain::{CertificationId, Locale, Policy};
use jiff::Timestamp;

fn request(now: Timestamp) -> RescheduleRequest {
    RescheduleRequest {
        now,
        is_retake: false,
        reschedules_used: 0,
        certification: CertificationId(7),
        current_start: at("2027-05-31 09:00"),
        original_start: at("2027-05-31 09:00"),
        target_certification: CertificationId(7),
        target_start: at("2027-07-10 09:00"),
    }
}

#[test]
fn o7_reschedule_refused_at_exactly_10_days() {
    let p = Policy::default();
    let deadline = reschedule_deadline(at("2027-05-31 09:00"), &p);
    assert_eq!(deadline, at("2027-05-21 09:00"));
    let [before, on, after] = around(deadline);
    assert_eq!(check_reschedule(&request(before), &p), Ok(deadline));
    for now in [on, after] {
        assert_refused(
            check_reschedule(&request(now), &p),
            "reschedule_too_late",
            "O7",
            Some(deadline),
        );
    }
    let r = check_reschedule(&request(on), &p).unwrap_err();
    assert!(
        r.message(Locale::En)
            .contains("before 09:00, 21 May 2027 (UTC+8)")
    );
}

#[test]
fn o7_reschedule_at_most_once() {
    let p = Policy::default();
    let used = RescheduleRequest {
        reschedules_used: 1,
        ..request(at("2027-04-01 09:00"))
    };
    assert_refused(check_reschedule(&used, &p), "reschedule_used", "O7", None);
}

#[test]
fn o7_retake_not_reschedulable() {
    let p = Policy::default();
    let retake = RescheduleRequest {
        is_retake: true,
        ..request(at("2027-04-01 09:00"))
    };
    assert_refused(
        check_reschedule(&retake, &p),
        "retake_not_reschedulable",
        "O7",
        None,
    );
}

#[test]
fn o7_target_starts_no_later_than_3_months_after_original_start() {
    let p = Policy::default();
    // 2027-05-31 + 3 months = 2027-08-31 (T2).
    let latest = at("2027-08-31 09:00");
    let [before, on, after] = around(latest);
    for target in [before, on] {
        let req = RescheduleRequest {
            target_start: target,
            ..request(at("2027-04-01 09:00"))
        };
        assert!(check_reschedule(&req, &p).is_ok());
    }
    let req = RescheduleRequest {
        target_start: after,
        ..request(at("2027-04-01 09:00"))
    };
    let r = check_reschedule(&req, &p);
    assert!(
        r.as_ref()
            .unwrap_err()
            .message(Locale::ZhCn)
            .contains("2027年8月31日")
    );
    assert_refused(r, "reschedule_target_out_of_range", "O7", None);
}

#[test]
fn o7_horizon_counts_from_the_original_start_and_clamps_to_month_end() {
    let p = Policy::default();
    let req = RescheduleRequest {
        current_start: at("2028-01-15 09:00"),
        original_start: at("2027-11-30 09:00"),
        reschedules_used: 0,
        target_start: at("2028-02-29 09:00"),
        ..request(at("2027-11-01 09:00"))
    };
    assert!(check_reschedule(&req, &p).is_ok());
    let late = RescheduleRequest {
        target_start: at("2028-02-29 09:00:01"),
        ..req
    };
    assert_refused(
        check_reschedule(&late, &p),
        "reschedule_target_out_of_range",
        "O7",
        None,
    );
}

#[test]
fn o7_target_must_be_more_than_10_days_away() {
    let p = Policy::default();
    let target = at("2027-05-25 09:00");
    let edge = at("2027-05-15 09:00"); // target − 10 days
    let [before, on, after] = around(edge);
    let req = |now| RescheduleRequest {
        target_start: target,
        ..request(now)
    };
    assert!(check_reschedule(&req(before), &p).is_ok());
    for now in [on, after] {
        assert_refused(
            check_reschedule(&req(now), &p),
            "reschedule_target_out_of_range",
            "O7",
            Some(edge),
        );
    }
}

#[test]
fn o7_target_of_the_same_certification_only() {
    let p = Policy::default();
    let req = RescheduleRequest {
        target_certification: CertificationId(8),
        ..request(at("2027-04-01 09:00"))
    };
    let r = check_reschedule(&req, &p).unwrap_err();
    assert_eq!(r.code.as_str(), "reschedule_target_out_of_range");
    assert_eq!(r.field.as_deref(), Some("target"));
}
