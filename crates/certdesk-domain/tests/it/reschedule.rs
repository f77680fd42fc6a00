//! O7: reschedule once, before start − 10 days, to a period of the same certification that
//! starts no later than original start + 3 months and more than 10 days from now.

use super::{around, assert_refused, at};
use certdesk_domain::rules::{
    RescheduleRequest, check_reschedule, check_reschedule_right, reschedule_deadline,
    reschedule_latest_start,
};
use certdesk_domain::{CertificationId, Locale, Policy, RegistrationStatus};
use jiff::Timestamp;

fn request(now: Timestamp) -> RescheduleRequest {
    RescheduleRequest {
        now,
        is_retake: false,
        status: RegistrationStatus::Confirmed,
        reschedules_used: 0,
        certification: CertificationId(7),
        current_start: at("2027-05-31 09:00"),
        original_start: at("2027-05-31 09:00"),
        target_certification: CertificationId(7),
        target_start: at("2027-07-10 09:00"),
        target_is_current: false,
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

#[test]
fn o7_only_a_live_registration_moves() {
    let p = Policy::default();
    for status in [
        RegistrationStatus::Cancelled,
        RegistrationStatus::Passed,
        RegistrationStatus::Failed,
        RegistrationStatus::Absent,
    ] {
        let req = RescheduleRequest {
            status,
            ..request(at("2027-04-01 09:00"))
        };
        assert_refused(
            check_reschedule(&req, &p),
            "registration_not_live",
            "O7",
            None,
        );
    }
    // A retake is refused as a retake, whatever its status.
    let retake = RescheduleRequest {
        is_retake: true,
        status: RegistrationStatus::Cancelled,
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
fn o7_ticket_issued_is_too_late_whatever_the_policy() {
    // A policy that issues tickets 15 days ahead: the ticketed seat is assigned (O4).
    let p = Policy {
        ticket_window_opens_days_before: 15,
        ..Policy::default()
    };
    let req = RescheduleRequest {
        status: RegistrationStatus::TicketIssued,
        ..request(at("2027-05-17 09:00"))
    };
    assert_refused(
        check_reschedule(&req, &p),
        "reschedule_too_late",
        "O7",
        Some(at("2027-05-21 09:00")),
    );
}

#[test]
fn o7_target_must_be_another_period() {
    let p = Policy::default();
    let req = RescheduleRequest {
        target_is_current: true,
        target_start: at("2027-05-31 09:00"),
        ..request(at("2027-04-01 09:00"))
    };
    let r = check_reschedule(&req, &p).unwrap_err();
    assert_eq!(r.code.as_str(), "reschedule_target_out_of_range");
    assert_eq!(r.rule, Some("O7"));
}

#[test]
fn o7_right_is_the_registration_side_of_the_check() {
    let p = Policy::default();
    let deadline = at("2027-05-21 09:00");
    let [before, on, _] = around(deadline);
    assert_eq!(
        check_reschedule_right(&request(before).right(), &p),
        Ok(deadline)
    );
    assert_refused(
        check_reschedule_right(&request(on).right(), &p),
        "reschedule_too_late",
        "O7",
        Some(deadline),
    );
    let used = RescheduleRequest {
        reschedules_used: 1,
        ..request(before)
    };
    assert_refused(
        check_reschedule_right(&used.right(), &p),
        "reschedule_used",
        "O7",
        None,
    );
    // A target out of range does not matter to the right.
    let far = RescheduleRequest {
        target_start: at("2028-01-01 09:00"),
        ..request(before)
    };
    assert!(check_reschedule_right(&far.right(), &p).is_ok());
    assert!(check_reschedule(&far, &p).is_err());
}

#[test]
fn o7_latest_start_is_original_start_plus_3_calendar_months() {
    let p = Policy::default();
    assert_eq!(
        reschedule_latest_start(at("2027-05-31 09:00"), &p),
        at("2027-08-31 09:00")
    );
    assert_eq!(
        reschedule_latest_start(at("2027-11-30 09:00"), &p),
        at("2028-02-29 09:00")
    );
}
