//! The rules at their boundaries, named after the SPEC rule each walks (one test binary).

mod calendar;
mod deadlines;
mod exam_period;
mod id_number_vectors;
mod institution;
mod institution_links;
mod official;
mod order;
mod payment_properties;
mod properties;
mod refund_and_accounts;
mod registration;
mod reschedule;
mod retake;
mod wallet;

use certdesk_domain::Refusal;
use certdesk_domain::time::programme_zone;
use jiff::civil::DateTime;
use jiff::{SignedDuration, Timestamp};

/// A programme-zone (UTC+8) wall time: `at("2027-05-31 09:00")`.
pub fn at(s: &str) -> Timestamp {
    let dt: DateTime = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
    dt.to_zoned(programme_zone()).unwrap().timestamp()
}

pub const SECOND: SignedDuration = SignedDuration::from_secs(1);

pub const MICROSECOND: SignedDuration = SignedDuration::from_micros(1);

/// The second before, the instant itself, and the second after.
pub fn around(t: Timestamp) -> [Timestamp; 3] {
    [t - SECOND, t, t + SECOND]
}

/// Asserts a refusal's code, rule and deadline.
#[track_caller]
pub fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, Refusal>,
    code: &str,
    rule: &str,
    deadline: Option<Timestamp>,
) {
    let r = result.expect_err(&format!("expected {code}"));
    assert_eq!(r.code.as_str(), code, "{r}");
    assert_eq!(r.rule, Some(rule), "{r}");
    assert_eq!(r.deadline, deadline, "{r}");
}
