//! O7's storage contract: a registration moved to another exam period in one transaction —
//! the seat, the sitting, the promises that follow the sitting (P1), the history row and the
//! candidate's inbox message — and the history read back.

use async_trait::async_trait;
use certdesk_domain::{ExamPeriodId, PromiseKind, RegistrationId};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::official::Registration;
use crate::records::{NewInboxMessage, NewJob};

/// P1: an open promise of the registration gets a new due time ("moved by a reschedule").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovedPromise {
    pub kind: PromiseKind,
    pub due_at: Timestamp,
}

/// O7: everything one reschedule commits, all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RescheduleCommit {
    pub registration_id: RegistrationId,
    /// The period the use case saw the registration on, and how many reschedules it had used:
    /// it moves only while both still hold (of two concurrent reschedules one wins).
    pub from_period_id: ExamPeriodId,
    pub reschedules_used: u32,
    /// The target: a period of the registration's certification, other than `from_period_id`,
    /// and one of its cities. The sitting's times are taken from the period.
    pub to_period_id: ExamPeriodId,
    pub to_city: String,
    /// New due times of the registration's open promises, at most one per kind (the admission
    /// ticket and the score follow the sitting); a kept or voided promise stays as it is.
    pub promises: Vec<MovedPromise>,
    /// The candidate's confirmation of the move, written by the same commit (the inbox is
    /// always a channel, O6). Its `source_job` is None.
    pub inbox: Option<NewInboxMessage>,
    /// Jobs enqueued with the move (none may keep a promise).
    pub jobs: Vec<NewJob>,
    pub at: Timestamp,
}

/// One move of a registration (O7's history), as committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reschedule {
    pub id: i64,
    pub registration_id: RegistrationId,
    pub from_period_id: ExamPeriodId,
    pub from_city: String,
    pub from_starts_at: Timestamp,
    pub to_period_id: ExamPeriodId,
    pub to_city: String,
    pub to_starts_at: Timestamp,
    pub at: Timestamp,
}

/// Reschedules of the official channel (O7).
#[async_trait]
pub trait RescheduleStore {
    /// O7, in one transaction: the registration moves to the target period and city, the
    /// target's seat is taken and the old one released, its open promises of the kinds in
    /// `promises` get their new due times, a history row and the inbox message are written,
    /// the jobs enqueued. The registration's `original_exam_starts_at` stays the first sitting's
    /// start. Nothing is written when any step fails.
    ///
    /// Refusals, in the order they are decided: `NotFound` for an unknown registration;
    /// `Conflict::RegistrationChanged` when it is no longer a confirmed first attempt of the
    /// official channel (refunded, ticketed, …); `Conflict::RescheduleUsed` when it is no longer
    /// on `from_period_id` or has used another number of reschedules than
    /// `reschedules_used` (another reschedule won); `NotFound` for an unknown target period,
    /// a city it does not offer, or a period of another certification; `Conflict::NoSeatsLeft`
    /// when the target city is full. A target equal to the current period, or a job keeping a
    /// promise, is a bug (`Other`).
    async fn commit_reschedule(&self, reschedule: RescheduleCommit) -> StoreResult<Registration>;
    /// A registration's moves, oldest first (none for an unknown registration).
    async fn list_reschedules(&self, registration: RegistrationId) -> StoreResult<Vec<Reschedule>>;
}
