//! Exam results (O6's score, P1): what an import reads before it checks its lines, and the one
//! commit that releases a whole file's results.

use async_trait::async_trait;
use certdesk_domain::{
    AccountId, CertCode, ExamOutcome, RegistrationId, ResultSubject, Score, TicketNumber,
};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::records::{NewAuditEntry, NewInboxMessage, NewJob};

/// A registration's released result (API: `result`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExamResult {
    /// None when absent.
    pub score: Option<Score>,
    pub passed: bool,
    pub absent: bool,
    pub released_at: Timestamp,
}

/// The registrations an import names, all by one kind of key (its file's key column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultKeys {
    Registrations(Vec<RegistrationId>),
    Tickets(Vec<TicketNumber>),
}

/// What an import's line is checked against (`certdesk_domain::check_result`), and what its
/// inbox message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultTarget {
    pub subject: ResultSubject,
    /// The admission ticket's number, when the import named the registration by it.
    pub ticket_number: Option<TicketNumber>,
    /// The account that bought it: the inbox message goes there.
    pub account_id: AccountId,
    pub certification_code: CertCode,
    pub certification_name_zh: String,
    pub certification_name_en: String,
}

/// One registration's result, as the commit writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRelease {
    pub registration_id: RegistrationId,
    pub outcome: ExamOutcome,
    /// O6, decided by the use case from the certification's pass mark.
    pub passed: bool,
    /// O6: "成绩已公布", written by the same commit (the inbox is always a channel). Every
    /// message of one commit has the same `kind` and `created_at` (the release).
    pub inbox: NewInboxMessage,
    /// P1: a pass earns an e-certificate, due by this instant (O9).
    pub e_certificate_due: Option<Timestamp>,
}

/// O6/P1: a whole file's results, all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsCommit {
    pub results: Vec<ResultRelease>,
    pub released_at: Timestamp,
    pub imported_by: AccountId,
    pub audit: NewAuditEntry,
    /// Notifications on other channels, enqueued with the results.
    pub jobs: Vec<NewJob>,
}

/// Exam results (O6, P1).
#[async_trait]
pub trait ResultStore {
    /// The registrations `keys` name, each with what an import checks: status, channel, exam
    /// end, the certification's pass mark and whether it has a result. Keys that name nothing
    /// are simply absent from the answer; order is unspecified. A ticket number names the
    /// registration its admission ticket was issued for (O4).
    async fn load_result_targets(&self, keys: &ResultKeys) -> StoreResult<Vec<ResultTarget>>;

    /// O6/P1 in ONE transaction: every registration's status becomes `passed`, `failed` or
    /// `absent` (only from `confirmed` or `ticket_issued`, on the official channel, once its
    /// exam ended at `released_at`), its result row is written, its score promise kept at
    /// `released_at`, an e-certificate promise recorded for a pass, its inbox message written,
    /// the audit entry and the jobs. Any registration that is no longer awaiting its result
    /// (refunded meanwhile, resulted by a concurrent import) refuses the whole commit with
    /// `Conflict::NotAwaitingResult(that registration)`, nothing written; so is an unknown one.
    async fn commit_results(&self, commit: ResultsCommit) -> StoreResult<usize>;
}
