//! O8: the free retake after a failed first attempt, official channel.

use super::AttemptOutcome;
use crate::ids::CertificationId;
use crate::policy::Policy;
use crate::refusal::{ErrorCode, Locale, LocalizedText, Refusal};
use crate::time::{add_months, days, format_deadline, saturating_sub};
use jiff::Timestamp;

/// What O8 needs to know about a retake application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetakeRequest {
    pub now: Timestamp,
    /// How the attempt the retake follows ended.
    pub outcome: AttemptOutcome,
    /// O8: that attempt was itself a retake — a failed retake gives nothing further.
    pub attempt_was_retake: bool,
    /// The free retake of this first attempt has been taken already.
    pub retake_used: bool,
    pub certification: CertificationId,
    /// Start of the first attempt's exam.
    pub first_start: Timestamp,
    pub target_certification: CertificationId,
    pub target_start: Timestamp,
}

const RULE: &str = "O8";

/// O8: the latest start (inclusive) of a retake exam.
pub fn retake_latest_start(first_start: Timestamp, policy: &Policy) -> Timestamp {
    add_months(first_start, policy.retake_horizon_months)
}

/// O8: the last moment (exclusive) to apply for a retake on a sitting starting at `target_start`.
pub fn retake_apply_deadline(target_start: Timestamp, policy: &Policy) -> Timestamp {
    saturating_sub(target_start, days(policy.retake_apply_cutoff_days_before))
}

/// O8: the last instant (exclusive) at which some retake could still be applied for — the
/// apply deadline of a retake starting at the latest allowed start: first start + 3 months −
/// 10 days (E3's `retake_apply_until`).
pub fn retake_apply_until(first_start: Timestamp, policy: &Policy) -> Timestamp {
    retake_apply_deadline(retake_latest_start(first_start, policy), policy)
}

/// O8's registration side: whether the attempt gives a retake at all, now, whatever the
/// target (the exam page asks before any period is chosen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetakeRight {
    pub now: Timestamp,
    /// How the attempt the retake would follow ended.
    pub outcome: AttemptOutcome,
    /// That attempt was itself a retake.
    pub attempt_was_retake: bool,
    /// The free retake of this attempt has been taken (or is held now).
    pub retake_used: bool,
    /// Start of the attempt's exam.
    pub first_start: Timestamp,
}

impl RetakeRequest {
    /// The registration side of the request.
    pub fn right(&self) -> RetakeRight {
        RetakeRight {
            now: self.now,
            outcome: self.outcome,
            attempt_was_retake: self.attempt_was_retake,
            retake_used: self.retake_used,
            first_start: self.first_start,
        }
    }
}

/// O8, the registration side: `Ok(retake_apply_until)` or why no retake can be applied for
/// now — the result is not a fail (a pass, none yet, or a no-show when the policy forfeits
/// it), the attempt was itself a retake (a failed retake gives nothing further), the retake
/// is used (checked before A2's `already_registered`), or now ≥ first start + 3 months − 10
/// days (no sitting can qualify any more; the deadline named).
pub fn check_retake_right(right: &RetakeRight, policy: &Policy) -> Result<Timestamp, Refusal> {
    let not_eligible = |zh: &'static str, en: &'static str| {
        Err(Refusal::new(ErrorCode::RetakeNotEligible)
            .rule(RULE)
            .detail(LocalizedText::fixed(zh, en)))
    };
    match right.outcome {
        AttemptOutcome::Failed => {}
        AttemptOutcome::Absent if !policy.no_show_forfeits_retake => {}
        AttemptOutcome::Absent => {
            return not_eligible(
                "首次考试缺考，不享有补考机会。",
                "A no-show forfeits the retake.",
            );
        }
        AttemptOutcome::Passed => {
            return not_eligible("考试已通过，无需补考。", "The exam was passed.");
        }
        AttemptOutcome::Pending => {
            return not_eligible(
                "考试成绩尚未公布。",
                "The result has not been released yet.",
            );
        }
    }
    if right.attempt_was_retake {
        return not_eligible(
            "补考未通过后不再提供补考机会。",
            "A failed retake gives no further retake.",
        );
    }
    if right.retake_used {
        return Err(Refusal::new(ErrorCode::RetakeUsed).rule(RULE));
    }
    let until = retake_apply_until(right.first_start, policy);
    if right.now >= until {
        return Err(Refusal::new(ErrorCode::RetakeTooLate)
            .rule(RULE)
            .deadline(until));
    }
    Ok(until)
}

/// O8: `Ok(apply deadline)` (this target's own, exclusive) or the refusal: the registration
/// side first ([`check_retake_right`]), then the target — the same certification, starting
/// no later than first start + 3 months (inclusive), applied for while now < target start −
/// 10 days. Seats are the store's; the target's public window (O1) does not apply.
pub fn check_retake(req: &RetakeRequest, policy: &Policy) -> Result<Timestamp, Refusal> {
    check_retake_right(&req.right(), policy)?;
    let out_of_range = || {
        Refusal::new(ErrorCode::RetakeTargetOutOfRange)
            .rule(RULE)
            .field("target")
    };
    if req.target_certification != req.certification {
        return Err(out_of_range().detail(LocalizedText::fixed(
            "补考须为同一认证的考试。",
            "A retake is of the same certification.",
        )));
    }
    let latest = retake_latest_start(req.first_start, policy);
    if req.target_start > latest {
        return Err(out_of_range().detail(LocalizedText::new(
            format!(
                "补考考期须不晚于{}开考。",
                format_deadline(latest, Locale::ZhCn)
            ),
            format!(
                "The retake must start no later than {}.",
                format_deadline(latest, Locale::En)
            ),
        )));
    }
    let deadline = retake_apply_deadline(req.target_start, policy);
    if req.now >= deadline {
        return Err(Refusal::new(ErrorCode::RetakeTooLate)
            .rule(RULE)
            .deadline(deadline));
    }
    Ok(deadline)
}
