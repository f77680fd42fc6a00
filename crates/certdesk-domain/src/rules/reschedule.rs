//! O7: moving a registration to another exam period of the same certification, once.

use crate::ids::CertificationId;
use crate::policy::Policy;
use crate::refusal::{ErrorCode, Locale, LocalizedText, Refusal};
use crate::time::{add_months, days, format_deadline, saturating_sub};
use jiff::Timestamp;

/// What O7 needs to know about a reschedule request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RescheduleRequest {
    pub now: Timestamp,
    /// O7/O8: a retake registration cannot be rescheduled.
    pub is_retake: bool,
    /// How many times this registration has been rescheduled already.
    pub reschedules_used: u32,
    pub certification: CertificationId,
    /// Start of the sitting the registration is on now.
    pub current_start: Timestamp,
    /// Start of the sitting the registration was first bought for (the horizon counts from it).
    pub original_start: Timestamp,
    pub target_certification: CertificationId,
    pub target_start: Timestamp,
}

/// O7: the last moment (exclusive) to ask to reschedule a sitting starting at `current_start`.
pub fn reschedule_deadline(current_start: Timestamp, policy: &Policy) -> Timestamp {
    saturating_sub(current_start, days(policy.reschedule_cutoff_days_before))
}

const RULE: &str = "O7";

/// O7: `Ok(deadline)` (the request's own deadline) or the refusal. The seat check
/// (`no_seats_left`) is the store's; the target's public window (O1) does not apply.
pub fn check_reschedule(req: &RescheduleRequest, policy: &Policy) -> Result<Timestamp, Refusal> {
    if req.is_retake {
        return Err(Refusal::new(ErrorCode::RetakeNotReschedulable).rule(RULE));
    }
    if req.reschedules_used >= policy.reschedule_max {
        return Err(Refusal::new(ErrorCode::RescheduleUsed).rule(RULE));
    }
    let deadline = reschedule_deadline(req.current_start, policy);
    if req.now >= deadline {
        return Err(Refusal::new(ErrorCode::RescheduleTooLate)
            .rule(RULE)
            .deadline(deadline));
    }
    let out_of_range = || {
        Refusal::new(ErrorCode::RescheduleTargetOutOfRange)
            .rule(RULE)
            .field("target")
    };
    if req.target_certification != req.certification {
        return Err(out_of_range().detail(LocalizedText::fixed(
            "只能改期到同一认证的考期。",
            "You can only move to a period of the same certification.",
        )));
    }
    let latest_start = add_months(req.original_start, policy.reschedule_horizon_months);
    if req.target_start > latest_start {
        return Err(out_of_range().detail(LocalizedText::new(
            format!(
                "所选考期须不晚于{}开考。",
                format_deadline(latest_start, Locale::ZhCn)
            ),
            format!(
                "The period must start no later than {}.",
                format_deadline(latest_start, Locale::En)
            ),
        )));
    }
    // The target must be more than N days away: now < target_start − N days.
    let target_deadline =
        saturating_sub(req.target_start, days(policy.reschedule_cutoff_days_before));
    if req.now >= target_deadline {
        let n = policy.reschedule_cutoff_days_before;
        return Err(out_of_range()
            .deadline(target_deadline)
            .detail(LocalizedText::new(
                format!("所选考期距开考须多于 {n} 天。"),
                format!("The period must start more than {n} days from now."),
            )));
    }
    Ok(deadline)
}
