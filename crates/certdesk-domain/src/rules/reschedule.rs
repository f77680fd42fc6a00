//! O7: moving a registration to another exam period of the same certification, once.

use crate::ids::CertificationId;
use crate::order::RegistrationStatus;
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
    /// Where the registration stands: only a confirmed one (a seat held, no ticket yet) moves.
    pub status: RegistrationStatus,
    /// How many times this registration has been rescheduled already.
    pub reschedules_used: u32,
    pub certification: CertificationId,
    /// Start of the sitting the registration is on now.
    pub current_start: Timestamp,
    /// Start of the sitting the registration was first bought for (the horizon counts from it).
    pub original_start: Timestamp,
    pub target_certification: CertificationId,
    pub target_start: Timestamp,
    /// The target is the period the registration is on now: a reschedule moves to another
    /// sitting.
    pub target_is_current: bool,
}

/// O7's registration side: whether this registration may be moved at all, now, whatever the
/// target (the reschedule page asks before any target is chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RescheduleRight {
    pub now: Timestamp,
    pub is_retake: bool,
    pub status: RegistrationStatus,
    pub reschedules_used: u32,
    pub current_start: Timestamp,
}

impl RescheduleRequest {
    /// The registration side of the request.
    pub fn right(&self) -> RescheduleRight {
        RescheduleRight {
            now: self.now,
            is_retake: self.is_retake,
            status: self.status,
            reschedules_used: self.reschedules_used,
            current_start: self.current_start,
        }
    }
}

/// O7: the last moment (exclusive) to ask to reschedule a sitting starting at `current_start`.
pub fn reschedule_deadline(current_start: Timestamp, policy: &Policy) -> Timestamp {
    saturating_sub(current_start, days(policy.reschedule_cutoff_days_before))
}

/// O7: the latest start (inclusive) of a target period: original start + 3 months (T2).
pub fn reschedule_latest_start(original_start: Timestamp, policy: &Policy) -> Timestamp {
    add_months(original_start, policy.reschedule_horizon_months)
}

const RULE: &str = "O7";

/// O7, the registration side: `Ok(deadline)` (the last moment to ask, exclusive) or why this
/// registration cannot be moved now — a retake, not live (cancelled, or its exam is over),
/// already moved `reschedule_max` times, or now ≥ current start − 10 days. A registration
/// whose admission ticket is issued (O4) is past that point under the default policy; under
/// any policy its seat is assigned, so it is too late as well.
pub fn check_reschedule_right(
    right: &RescheduleRight,
    policy: &Policy,
) -> Result<Timestamp, Refusal> {
    if right.is_retake {
        return Err(Refusal::new(ErrorCode::RetakeNotReschedulable).rule(RULE));
    }
    if !right.status.is_live() {
        return Err(Refusal::new(ErrorCode::RegistrationNotLive).rule(RULE));
    }
    if right.reschedules_used >= policy.reschedule_max {
        return Err(Refusal::new(ErrorCode::RescheduleUsed).rule(RULE));
    }
    let deadline = reschedule_deadline(right.current_start, policy);
    if right.now >= deadline {
        return Err(Refusal::new(ErrorCode::RescheduleTooLate)
            .rule(RULE)
            .deadline(deadline));
    }
    if right.status == RegistrationStatus::TicketIssued {
        return Err(Refusal::new(ErrorCode::RescheduleTooLate)
            .rule(RULE)
            .deadline(deadline)
            .detail(LocalizedText::fixed(
                "准考证已发放。",
                "The admission ticket has been issued.",
            )));
    }
    Ok(deadline)
}

/// O7: `Ok(deadline)` (the request's own deadline) or the refusal. The seat check
/// (`no_seats_left`) is the store's; the target's public window (O1) does not apply.
pub fn check_reschedule(req: &RescheduleRequest, policy: &Policy) -> Result<Timestamp, Refusal> {
    let deadline = check_reschedule_right(&req.right(), policy)?;
    let out_of_range = || {
        Refusal::new(ErrorCode::RescheduleTargetOutOfRange)
            .rule(RULE)
            .field("target")
    };
    if req.target_is_current {
        return Err(out_of_range().detail(LocalizedText::fixed(
            "请选择另一期考试。",
            "Choose another exam period than the one you are on.",
        )));
    }
    if req.target_certification != req.certification {
        return Err(out_of_range().detail(LocalizedText::fixed(
            "只能改期到同一认证的考期。",
            "You can only move to a period of the same certification.",
        )));
    }
    let latest_start = reschedule_latest_start(req.original_start, policy);
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
