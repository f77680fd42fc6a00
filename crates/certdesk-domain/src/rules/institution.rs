//! I3 (booking a slot), I5 (changing an appointment), I6 (the institution's retake).

use super::AttemptOutcome;
use crate::calendar::BusinessCalendar;
use crate::ids::TestCentreId;
use crate::policy::Policy;
use crate::refusal::{ErrorCode, LocalizedText, Refusal};
use crate::time::{add_months, end_of_day, local_date};
use jiff::Timestamp;
use jiff::civil::Date;

/// I3: a slot can be booked iff its date is a business day (B1), it has not started
/// (past once start ≤ now) and it has a seat. `Ok(slot_start)`: booking stays possible until
/// the slot starts.
pub fn check_slot_bookable(
    slot_start: Timestamp,
    seats_left: u32,
    now: Timestamp,
    calendar: &BusinessCalendar,
) -> Result<Timestamp, Refusal> {
    if !calendar.is_business_day(local_date(slot_start)) {
        return Err(Refusal::new(ErrorCode::SlotNotBookable)
            .rule("I3")
            .field("slot")
            .detail(LocalizedText::fixed(
                "考试只在工作日举行。",
                "Exams are held on business days only.",
            )));
    }
    if slot_start <= now {
        return Err(Refusal::new(ErrorCode::SlotNotBookable)
            .rule("I3")
            .field("slot")
            .deadline(slot_start)
            .detail(LocalizedText::fixed(
                "该时段已开始或已结束。",
                "This slot has already started.",
            )));
    }
    if seats_left == 0 {
        return Err(Refusal::new(ErrorCode::SlotFull).rule("I3").field("slot"));
    }
    Ok(slot_start)
}

/// I5: an appointment can be changed until the end (24:00) of the business day before its
/// date — a Monday appointment until Friday 24:00 (or earlier across a holiday).
pub fn appointment_change_deadline(
    appointment_date: Date,
    calendar: &BusinessCalendar,
) -> Timestamp {
    end_of_day(calendar.previous_business_day(appointment_date))
}

/// I5: `Ok(deadline)`, `appointment_change_too_late`, or — when the institution set a limit —
/// `appointment_change_limit_reached`.
pub fn check_appointment_change(
    appointment_date: Date,
    changes_made: u32,
    now: Timestamp,
    policy: &Policy,
    calendar: &BusinessCalendar,
) -> Result<Timestamp, Refusal> {
    if let Some(limit) = policy.institution_reschedule_limit
        && changes_made >= limit
    {
        return Err(Refusal::new(ErrorCode::AppointmentChangeLimitReached).rule("I5"));
    }
    let deadline = appointment_change_deadline(appointment_date, calendar);
    if now >= deadline {
        return Err(Refusal::new(ErrorCode::AppointmentChangeTooLate)
            .rule("I5")
            .deadline(deadline));
    }
    Ok(deadline)
}

/// What I6 needs to know about an institution retake booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstitutionRetake {
    /// How the first attempt ended.
    pub outcome: AttemptOutcome,
    /// The first attempt was itself a retake.
    pub attempt_was_retake: bool,
    pub retake_used: bool,
    pub first_centre: TestCentreId,
    /// Start of the first attempt's appointment.
    pub first_start: Timestamp,
    pub target_centre: TestCentreId,
    pub target_slot_start: Timestamp,
}

/// I6: the latest (exclusive) start of a retake slot: first attempt + 3 months.
pub fn institution_retake_deadline(first_start: Timestamp, policy: &Policy) -> Timestamp {
    add_months(first_start, policy.institution_retake_months)
}

/// I6: one free retake within 3 months after a failed first attempt, at the same centre.
/// The slot itself is checked by [`check_slot_bookable`]. `Ok(deadline)` or the refusal.
pub fn check_institution_retake(
    req: &InstitutionRetake,
    policy: &Policy,
) -> Result<Timestamp, Refusal> {
    let forfeited = req.outcome == AttemptOutcome::Absent && policy.no_show_forfeits_retake;
    let failed = matches!(req.outcome, AttemptOutcome::Failed | AttemptOutcome::Absent);
    if !failed || forfeited || req.attempt_was_retake {
        return Err(Refusal::new(ErrorCode::RetakeNotEligible).rule("I6"));
    }
    if req.retake_used {
        return Err(Refusal::new(ErrorCode::RetakeUsed).rule("I6"));
    }
    if req.target_centre != req.first_centre {
        return Err(Refusal::new(ErrorCode::RetakeWrongCentre)
            .rule("I6")
            .field("test_centre"));
    }
    let deadline = institution_retake_deadline(req.first_start, policy);
    if req.target_slot_start >= deadline {
        return Err(Refusal::new(ErrorCode::RetakeTooLate)
            .rule("I6")
            .field("slot")
            .deadline(deadline));
    }
    Ok(deadline)
}

/// I8: staff refund `amount` of a registration that was paid `paid` and has had `refunded`
/// back already. `already_refunded` when nothing remains, `refund_exceeds_paid` (field
/// `amount_fen`) when the amount is more than what remains.
pub fn check_institution_refund(
    amount: crate::Fen,
    paid: crate::Fen,
    refunded: crate::Fen,
) -> Result<(), Refusal> {
    let remaining = paid.get().saturating_sub(refunded.get());
    if remaining <= 0 {
        return Err(Refusal::new(ErrorCode::AlreadyRefunded).rule("I8"));
    }
    if amount.get() <= 0 || amount.get() > remaining {
        return Err(Refusal::new(ErrorCode::RefundExceedsPaid)
            .rule("I8")
            .field("amount_fen"));
    }
    Ok(())
}

/// What I1's management link's validity depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManageLinkFacts {
    /// The first attempt's status.
    pub status: crate::RegistrationStatus,
    /// The first attempt's appointment start, once booked.
    pub first_start: Option<Timestamp>,
    /// The retake it led to: its status and the end of its sitting, once booked.
    pub retake: Option<(crate::RegistrationStatus, Option<Timestamp>)>,
}

/// I1: the instant a management link stops working (exclusive, T4), or None while it has no
/// end yet (paid or awaiting payment, no appointment booked). It stays valid while the
/// registration or the retake it leads to is live: until the first exam's start + 3 months
/// (I6's retake horizon), or the end of a retake sitting that ends later; a registration
/// cancelled without a live retake ends it at once (`Some(Timestamp::MIN)`).
pub fn manage_link_valid_until(facts: &ManageLinkFacts, policy: &Policy) -> Option<Timestamp> {
    let retake_live = facts.retake.is_some_and(|(s, _)| s.is_live());
    if facts.status == crate::RegistrationStatus::Cancelled && !retake_live {
        return Some(Timestamp::MIN);
    }
    let first_start = facts.first_start?;
    let horizon = institution_retake_deadline(first_start, policy);
    let retake_end = facts.retake.and_then(|(_, end)| end);
    Some(retake_end.map_or(horizon, |end| end.max(horizon)))
}

/// I1: `Ok(())` while the link is valid at `now`, `link_expired` (with the instant) after.
pub fn check_manage_link(
    facts: &ManageLinkFacts,
    now: Timestamp,
    policy: &Policy,
) -> Result<(), Refusal> {
    match manage_link_valid_until(facts, policy) {
        Some(until) if now >= until => {
            let refusal = Refusal::new(ErrorCode::LinkExpired).rule("I1");
            Err(if until == Timestamp::MIN {
                refusal
            } else {
                refusal.deadline(until)
            })
        }
        _ => Ok(()),
    }
}

/// E3 for the institution channel: `reschedule_until` is I5's appointment-change deadline
/// while the registration is live with an appointment (and the institution's limit, if any,
/// is not reached); `retake_apply_until` is I6's horizon (the latest retake slot start,
/// exclusive) while a failed first attempt has not taken its retake. No `refund_until`: I8's
/// refunds are made by staff.
pub fn institution_deadlines(
    facts: &InstitutionFacts,
    policy: &Policy,
    calendar: &BusinessCalendar,
) -> crate::RegistrationDeadlines {
    let reschedule_until = match (facts.status.is_live(), facts.appointment_start) {
        (true, Some(start))
            if policy
                .institution_reschedule_limit
                .is_none_or(|limit| facts.changes_made < limit) =>
        {
            Some(appointment_change_deadline(local_date(start), calendar))
        }
        _ => None,
    };
    let retake_right = match facts.status {
        crate::RegistrationStatus::Failed => true,
        crate::RegistrationStatus::Absent => !policy.no_show_forfeits_retake,
        _ => false,
    };
    let retake_apply_until = match facts.appointment_start {
        Some(start) if retake_right && facts.first_attempt && !facts.retake_used => {
            Some(institution_retake_deadline(start, policy))
        }
        _ => None,
    };
    crate::RegistrationDeadlines {
        refund_until: None,
        reschedule_until,
        retake_apply_until,
    }
}

/// What [`institution_deadlines`] needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstitutionFacts {
    pub status: crate::RegistrationStatus,
    pub first_attempt: bool,
    pub appointment_start: Option<Timestamp>,
    /// I5: moves made so far (the first booking is not a move).
    pub changes_made: u32,
    pub retake_used: bool,
}

/// How long before an appointment's start its candidate can be checked in.
pub const CHECK_IN_OPENS_BEFORE: jiff::SignedDuration = jiff::SignedDuration::from_hours(2);

/// Staff check a candidate in at the test centre from 2 hours before the appointment's start
/// until the exam ends: `[start − 2 h, end)` (T4). Outside it `check_in_closed`, with the
/// edge that decided (the opening before it, the end after it); a registration that is not
/// live is `registration_not_live`.
pub fn check_check_in(
    status: crate::RegistrationStatus,
    starts_at: Timestamp,
    ends_at: Timestamp,
    now: Timestamp,
) -> Result<(), Refusal> {
    if !status.is_live() {
        return Err(Refusal::new(ErrorCode::RegistrationNotLive).rule("I3"));
    }
    let opens = crate::time::saturating_sub(starts_at, CHECK_IN_OPENS_BEFORE);
    if now < opens {
        return Err(Refusal::new(ErrorCode::CheckInClosed)
            .rule("I3")
            .deadline(opens));
    }
    if now >= ends_at {
        return Err(Refusal::new(ErrorCode::CheckInClosed)
            .rule("I3")
            .deadline(ends_at));
    }
    Ok(())
}
