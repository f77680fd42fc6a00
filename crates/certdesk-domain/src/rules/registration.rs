//! O1/O2: when a period takes registrations; O4: when admission tickets are issued.

use super::Window;
use crate::catalogue::Family;
use crate::policy::Policy;
use crate::refusal::{ErrorCode, LocalizedText, Refusal};
use crate::time::{add_months, days, saturating_sub};
use jiff::Timestamp;

/// O1: a cloud-family period opens at start − 3 months (T2, calendar months) and closes at
/// start − 10 days (10 × 24 h).
pub fn registration_window(exam_start: Timestamp, policy: &Policy) -> Window {
    Window::new(
        add_months(exam_start, -policy.registration_opens_months_before),
        saturating_sub(exam_start, days(policy.registration_closes_days_before)),
    )
}

/// O1/O2: whether registration is open now. `window` is [`registration_window`] for the cloud
/// family (O1) and the operator's window for the specialty family (O2); `family` names the
/// rule that decides. `Ok(closes_at)`, or `registration_not_open` with deadline = opens_at,
/// or `registration_closed` with deadline = closes_at.
pub fn check_registration(
    family: Family,
    window: Window,
    now: Timestamp,
) -> Result<Timestamp, Refusal> {
    let rule = match family {
        Family::Cloud => "O1",
        Family::Specialty => "O2",
    };
    window.check(
        now,
        ErrorCode::RegistrationNotOpen,
        ErrorCode::RegistrationClosed,
        rule,
    )
}

/// O4: admission tickets are issued in [start − 5 days, start − 3 days).
pub fn ticket_window(exam_start: Timestamp, policy: &Policy) -> Window {
    Window::new(
        saturating_sub(exam_start, days(policy.ticket_window_opens_days_before)),
        saturating_sub(exam_start, days(policy.ticket_window_closes_days_before)),
    )
}

/// O4: whether tickets for a sitting starting at `exam_start` may be issued now;
/// `Ok(closes_at)` or `admission_ticket_window` with the edge that decided as deadline.
pub fn check_ticket_issue(
    exam_start: Timestamp,
    now: Timestamp,
    policy: &Policy,
) -> Result<Timestamp, Refusal> {
    let w = ticket_window(exam_start, policy);
    let code = ErrorCode::AdmissionTicketWindow;
    w.check(now, code, code, "O4").map_err(|r| {
        let detail = if now < w.opens_at {
            LocalizedText::fixed(
                "准考证发放时间尚未开始。",
                "It is too early to issue admission tickets.",
            )
        } else {
            LocalizedText::fixed(
                "准考证发放时间已过。",
                "The time to issue admission tickets has passed.",
            )
        };
        r.detail(detail)
    })
}
