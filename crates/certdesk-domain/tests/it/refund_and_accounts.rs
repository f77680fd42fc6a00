//! O10 (refund window), A2 (accounts per identity) and the sign-in throttle.

use super::{around, assert_refused, at};
use certdesk_domain::rules::{
    check_identity_accounts, check_login_allowed, check_refund_window, login_locked_until,
    refund_deadline,
};
use certdesk_domain::{ErrorCode, Locale, Policy};
use jiff::SignedDuration;

#[test]
fn o10_refund_refused_at_exactly_120_hours_after_payment() {
    let p = Policy::default();
    let paid = at("2027-03-01 20:30");
    let deadline = refund_deadline(paid, &p);
    assert_eq!(deadline, at("2027-03-06 20:30"));
    let [before, on, after] = around(deadline);
    assert_eq!(check_refund_window(paid, before, &p), Ok(deadline));
    for first_request in [on, after] {
        assert_refused(
            check_refund_window(paid, first_request, &p),
            "refund_window_passed",
            "O10",
            Some(deadline),
        );
    }
}

#[test]
fn o10_the_first_request_time_counts_not_processing() {
    let p = Policy::default();
    let paid = at("2027-03-01 20:30");
    // First submitted a minute before the deadline, processed a week later: still allowed.
    let first = at("2027-03-06 20:29");
    assert!(check_refund_window(paid, first, &p).is_ok());
}

#[test]
fn a2_one_identity_verifies_at_most_3_accounts() {
    let p = Policy::default();
    assert!(check_identity_accounts(2, &p).is_ok());
    let r = check_identity_accounts(3, &p).unwrap_err();
    assert_eq!(r.code, ErrorCode::IdentityInUse);
    assert_eq!(r.rule, Some("A2"));
}

#[test]
fn login_5_failures_within_15_minutes_lock_for_15_minutes() {
    let p = Policy::default();
    let t0 = at("2027-03-01 10:00");
    let min = |m| t0 + SignedDuration::from_mins(m);
    let four = [t0, min(1), min(2), min(3)];
    assert_eq!(login_locked_until(&four, min(4), &p), None);
    let five = [t0, min(1), min(2), min(3), min(14)];
    let until = min(29);
    let [before, on, after] = around(until);
    assert_eq!(login_locked_until(&five, before, &p), Some(until));
    assert_eq!(login_locked_until(&five, on, &p), None);
    assert_eq!(login_locked_until(&five, after, &p), None);
    let r = check_login_allowed(&five, before, &p).unwrap_err();
    assert_eq!(r.code, ErrorCode::TooManyAttempts);
    assert_eq!(r.deadline, Some(until));
    assert!(
        r.message(Locale::En)
            .contains("Try again after 10:29, 1 March 2027")
    );
    // Five failures spread over exactly 15 minutes are not "within 15 minutes".
    let spread = [t0, min(1), min(2), min(3), min(15)];
    assert_eq!(login_locked_until(&spread, min(15), &p), None);
    // Failures "in the future" of now (clock skew) do not count.
    assert_eq!(login_locked_until(&five, min(13), &p), None);
}
