//! P1 due times of the timed promises: O6 (confirmation, ticket, score), O9 (certificates),
//! I4 (institution confirmation). Each is an exclusive instant (T4).

use crate::calendar::BusinessCalendar;
use crate::policy::Policy;
use crate::time::{days, programme_zone, saturating_add, saturating_sub};
use jiff::Timestamp;
use jiff::civil::Date;

/// O6 + B2: the confirmation is due by the end (24:00) of the 1st business day after the
/// date of payment.
pub fn confirmation_due(
    paid_at: Timestamp,
    policy: &Policy,
    calendar: &BusinessCalendar,
) -> Timestamp {
    calendar.end_of_nth_business_day_after(
        paid_at,
        policy.confirmation_business_days,
        &programme_zone(),
    )
}

/// O6 + O4: the admission ticket is due by start − 3 days (the end of O4's window).
pub fn admission_ticket_due(exam_start: Timestamp, policy: &Policy) -> Timestamp {
    saturating_sub(exam_start, days(policy.ticket_window_closes_days_before))
}

/// O6: the score is due within 7 days (7 × 24 h) after exam end.
pub fn score_due(exam_end: Timestamp, policy: &Policy) -> Timestamp {
    saturating_add(exam_end, days(policy.score_notice_days_after_end))
}

/// O9 + B2: the e-certificate is queryable by the end of the 1st business day after the
/// exam date (programme zone).
pub fn e_certificate_due(
    exam_date: Date,
    policy: &Policy,
    calendar: &BusinessCalendar,
) -> Timestamp {
    let day = calendar.nth_business_day_after(exam_date, policy.e_certificate_business_days);
    crate::time::end_of_day(day)
}

/// O9: the paper certificate ships within 30 days after exam end.
pub fn paper_certificate_due(exam_end: Timestamp, policy: &Policy) -> Timestamp {
    saturating_add(exam_end, days(policy.paper_certificate_days_after_end))
}

/// I4: the institution's confirmation email is due 10 minutes after registration.
pub fn institution_confirmation_due(registered_at: Timestamp, policy: &Policy) -> Timestamp {
    saturating_add(registered_at, policy.institution_confirmation_within())
}
