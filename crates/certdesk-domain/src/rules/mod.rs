//! Every timed SPEC rule as a pure function: `now`, the `Policy` and (for B1/B2) the
//! `BusinessCalendar` are passed in. A check returns the exclusive instant it allows until
//! (T4: allowed iff now < deadline) or the `Refusal` that names code, rule and deadline.
//!
//! Find a rule by its id: `git grep O7 crates/certdesk-domain`.

mod account;
mod deadlines;
mod institution;
mod refund;
mod registration;
mod reschedule;
mod retake;

pub use account::{
    check_identity_accounts, check_login_allowed, login_address_key, login_locked_until,
};
pub use deadlines::{
    admission_ticket_due, confirmation_due, e_certificate_due, institution_confirmation_due,
    paper_certificate_due, score_due,
};
pub use institution::{
    CHECK_IN_OPENS_BEFORE, InstitutionFacts, InstitutionRetake, ManageLinkFacts,
    appointment_change_deadline, check_appointment_change, check_check_in,
    check_institution_refund, check_institution_retake, check_manage_link, check_slot_bookable,
    institution_deadlines, institution_retake_deadline, manage_link_valid_until,
};
pub use refund::{check_refund_window, refund_deadline, split_refund};
pub use registration::{
    check_registration, check_ticket_issue, registration_window, ticket_window,
};
pub use reschedule::{
    RescheduleRequest, RescheduleRight, check_reschedule, check_reschedule_right,
    reschedule_deadline, reschedule_latest_start,
};
pub use retake::{
    RetakeRequest, RetakeRight, check_retake, check_retake_right, retake_apply_deadline,
    retake_apply_until, retake_latest_start,
};

use crate::refusal::{ErrorCode, Refusal};
use jiff::Timestamp;

/// T4: every deadline is an exclusive instant — an action is allowed iff now < deadline. One
/// comparison behind both the checks that refuse and the "still open?" that pages show, so
/// the two cannot disagree at the boundary.
pub fn before_deadline(now: Timestamp, deadline: Timestamp) -> bool {
    now < deadline
}

/// T4: where `now` stands against a [`Window`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WindowPhase {
    /// now < opens_at.
    NotOpen,
    /// opens_at ≤ now < closes_at.
    Open,
    /// closes_at ≤ now.
    Closed,
}

/// T4: a window `[opens_at, closes_at)`: allowed iff opens_at ≤ now < closes_at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Window {
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
}

impl Window {
    pub fn new(opens_at: Timestamp, closes_at: Timestamp) -> Window {
        Window {
            opens_at,
            closes_at,
        }
    }

    /// T4: not open before `opens_at`, open from it, closed from `closes_at` on.
    pub fn phase(&self, now: Timestamp) -> WindowPhase {
        if now < self.opens_at {
            WindowPhase::NotOpen
        } else if before_deadline(now, self.closes_at) {
            WindowPhase::Open
        } else {
            WindowPhase::Closed
        }
    }

    pub fn contains(&self, now: Timestamp) -> bool {
        self.phase(now) == WindowPhase::Open
    }

    /// `Ok(closes_at)` inside; before it `not_open` with deadline `opens_at`; from `closes_at`
    /// on `closed` with deadline `closes_at`.
    pub fn check(
        &self,
        now: Timestamp,
        not_open: ErrorCode,
        closed: ErrorCode,
        rule: &'static str,
    ) -> Result<Timestamp, Refusal> {
        match self.phase(now) {
            WindowPhase::NotOpen => Err(Refusal::new(not_open).rule(rule).deadline(self.opens_at)),
            WindowPhase::Closed => Err(Refusal::new(closed).rule(rule).deadline(self.closes_at)),
            WindowPhase::Open => Ok(self.closes_at),
        }
    }
}

/// How an exam attempt ended (O6: at or above the pass mark passes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    /// No result recorded yet.
    Pending,
    Passed,
    Failed,
    /// A no-show (缺考).
    Absent,
}
