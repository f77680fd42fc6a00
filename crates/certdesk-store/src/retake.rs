//! O8's storage contract: the free retake of a failed first attempt registered in one
//! transaction — a registration of its own (attempt `retake`, no order, linked to the first
//! attempt), its seat, its promises (P1), the candidate's inbox message and jobs.

use async_trait::async_trait;
use certdesk_domain::{AccountId, ExamPeriodId, RegistrationId};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::official::{NewPromise, Registration};
use crate::records::{NewInboxMessage, NewJob};

/// O8: everything one retake registration commits, all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetakeCommit {
    /// The failed (or absent) first attempt the retake follows.
    pub first_registration_id: RegistrationId,
    /// The account that applies (any verified account of the person, A2).
    pub account_id: AccountId,
    /// The target: a period of the first attempt's certification and one of its cities. The
    /// sitting's times are taken from the period.
    pub period_id: ExamPeriodId,
    pub city: String,
    /// P1: the retake's own promises (the admission ticket and the score of its sitting).
    pub promises: Vec<NewPromise>,
    /// The candidate's confirmation, written by the same commit (O6: the inbox is always a
    /// channel). Its `source_job` is None.
    pub inbox: Option<NewInboxMessage>,
    /// Jobs enqueued with the retake (none may keep a promise).
    pub jobs: Vec<NewJob>,
    pub at: Timestamp,
}

/// Retakes of the official channel (O8).
#[async_trait]
pub trait RetakeStore {
    /// O8, in one transaction: a new registration of the first attempt's person and
    /// certification — attempt `retake`, status `confirmed`, no order, `retake_of` the first
    /// attempt — on the target period and city, whose seat is taken; its promises, the inbox
    /// message and the jobs. The first attempt's `retake_id` names it from then on (its
    /// `retake_used`). Nothing is written when any step fails.
    ///
    /// Refusals, in the order they are decided: `NotFound` for an unknown first registration;
    /// `Conflict::RegistrationChanged` when it is not a failed or absent first attempt of the
    /// official channel; `Conflict::RetakeUsed` when it already gave its retake (of two
    /// concurrent retakes one wins); `NotFound` for an unknown target period, a city it does
    /// not offer, or a period of another certification; `Conflict::AlreadyRegistered` when
    /// the person holds a live registration of the certification (A2);
    /// `Conflict::NoSeatsLeft` when the city is full. A job keeping a promise is a bug
    /// (`Other`).
    async fn commit_retake(&self, retake: RetakeCommit) -> StoreResult<Registration>;
}
