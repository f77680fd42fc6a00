#![doc = include_str!("../README.md")]

pub mod certificates;
pub mod deliveries;
pub mod error;
pub mod group;
pub mod idempotency;
pub mod institution;
pub mod official;
pub mod records;
pub mod reschedule;
pub mod results;
pub mod retake;
pub mod runner;
pub mod support;
pub mod tickets;

#[cfg(feature = "conformance")]
pub mod conformance;

use async_trait::async_trait;
use certdesk_domain::{AccountId, CertCode, Email, JobId, MessageId, Role};
use jiff::{SignedDuration, Timestamp};

pub use certificates::*;
pub use deliveries::*;
pub use error::{Conflict, StoreError, StoreResult};
pub use idempotency::*;
pub use institution::*;
pub use official::*;
pub use records::*;
pub use reschedule::*;
pub use results::*;
pub use retake::*;
pub use runner::{Backoff, Foreground, JobFailure, JobHandler, JobRunner};
pub use support::*;
pub use tickets::*;

/// Everything certdesk keeps. One implementation per database; both pass the same
/// conformance suite. Methods are use-case sized: `get_*` fails with `NotFound`, `find_*`
/// answers `Option`, `list_*` pages, `commit_*` does a whole use case in one transaction.
pub trait Store:
    AccountStore
    + IdentityStore
    + CatalogueStore
    + AuditStore
    + JobStore
    + InboxStore
    + SettingsStore
    + PeriodStore
    + WalletStore
    + OrderStore
    + TicketStore
    + RescheduleStore
    + RetakeStore
    + ResultStore
    + CertificateStore
    + DeliveryStore
    + SupportStore
    + InstitutionStore
    + IdempotencyStore
    + Send
    + Sync
    + std::fmt::Debug
{
}

impl<T> Store for T where
    T: AccountStore
        + IdentityStore
        + CatalogueStore
        + AuditStore
        + JobStore
        + InboxStore
        + SettingsStore
        + PeriodStore
        + WalletStore
        + OrderStore
        + TicketStore
        + RescheduleStore
        + RetakeStore
        + ResultStore
        + CertificateStore
        + DeliveryStore
        + SupportStore
        + InstitutionStore
        + IdempotencyStore
        + Send
        + Sync
        + std::fmt::Debug
{
}

/// Accounts, sessions and the login throttle (A1–A4).
#[async_trait]
pub trait AccountStore {
    /// Is the database reachable? (`/readyz`)
    async fn ping(&self) -> StoreResult<()>;
    /// True when no account and no certification exists yet (the demo loads only then).
    async fn is_empty(&self) -> StoreResult<bool>;

    /// Creates an account; `Conflict::EmailTaken` when the email (case-insensitive) is in use.
    /// `jobs` (e.g. a welcome inbox message) are enqueued in the same transaction.
    async fn commit_account(&self, account: NewAccount, jobs: Vec<NewJob>) -> StoreResult<Account>;
    async fn get_account(&self, id: AccountId) -> StoreResult<Account>;
    async fn find_account_by_email(&self, email: &Email) -> StoreResult<Option<Account>>;
    /// Oldest first (by id).
    async fn list_accounts(&self, page: PageRequest) -> StoreResult<Page<Account>>;
    /// The accounts holding `role`, oldest first, at most `limit` (the operators to tell of
    /// a new support ticket).
    async fn accounts_with_role(&self, role: Role, limit: u32) -> StoreResult<Vec<AccountId>>;
    /// Replaces phone, WeChat openid and opt-outs; `NotFound` for an unknown account.
    async fn update_contacts(&self, id: AccountId, contacts: ContactUpdate)
    -> StoreResult<Account>;

    async fn create_session(&self, session: NewSession) -> StoreResult<()>;
    /// The live session with this token hash (not expired at `now`) and its account.
    async fn find_session(
        &self,
        token_hash: &[u8],
        now: Timestamp,
    ) -> StoreResult<Option<(Session, Account)>>;
    async fn delete_session(&self, token_hash: &[u8]) -> StoreResult<()>;
    /// Removes sessions expired at `now` (`expires_at <= now`, T4); returns how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;

    /// The throttle state for a login key (the normalised email), if any failure is recorded.
    async fn find_login_throttle(&self, key: &str) -> StoreResult<Option<LoginThrottle>>;
    /// Records one failed login atomically and returns the new state: failures inside `window`
    /// of the first counted failure accumulate; at `max_failures` the key is locked for
    /// `lockout` from `now`. A failure after the window restarts the count. Windows are
    /// exclusive (T4: inside iff `now < first_failure_at + window`); a running lock is never
    /// shortened by a restarted count.
    async fn record_login_failure(
        &self,
        key: &str,
        now: Timestamp,
        window: SignedDuration,
        max_failures: u32,
        lockout: SignedDuration,
    ) -> StoreResult<LoginThrottle>;
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
    /// Housekeeping: deletes the throttle rows whose count began at or before
    /// `first_failure_until` (past every window) and whose lock, if any, has ended by `now` —
    /// rows whose absence means the same; returns how many.
    async fn delete_stale_login_throttles(
        &self,
        first_failure_until: Timestamp,
        now: Timestamp,
    ) -> StoreResult<u64>;
}

/// Real-name identities (A2, A4). ID numbers arrive already encrypted; the store never sees
/// one in the clear.
#[async_trait]
pub trait IdentityStore {
    /// Records an account's submission. When `sub.status` is `Verified` or `Pending`, the
    /// identity (found by `blind_index`, created if new) may hold at most
    /// `sub.max_accounts_per_identity` accounts in `pending` or `verified` state counting this
    /// one; beyond it `Conflict::IdentityInUse`. An account that is already verified gets
    /// `Conflict::AlreadyVerified`. A rejected or pending earlier submission is replaced.
    /// A submission arriving `Verified` or `Rejected` (the automatic verifier) is recorded as
    /// decided at `submitted_at` by nobody. `NotFound` for an unknown account.
    async fn commit_identity_submission(
        &self,
        sub: IdentitySubmission,
    ) -> StoreResult<IdentityRecord>;
    async fn find_identity(&self, account: AccountId) -> StoreResult<Option<IdentityRecord>>;
    /// The stored ciphertext of an account's ID number (for the holder's own use cases).
    async fn find_identity_secret(&self, account: AccountId)
    -> StoreResult<Option<IdentitySecret>>;
    /// Operator decision on a pending submission (A4), audited in the same transaction.
    /// `Conflict::NotPending` unless the submission is pending.
    async fn commit_identity_decision(
        &self,
        decision: IdentityDecision,
    ) -> StoreResult<IdentityRecord>;
    /// By account id, ascending (the review queue), optionally only one status.
    async fn list_identities(
        &self,
        status: Option<certdesk_domain::IdentityStatus>,
        page: PageRequest,
    ) -> StoreResult<Page<IdentityRecord>>;
}

/// The catalogue (C1).
#[async_trait]
pub trait CatalogueStore {
    /// Ordered by code.
    async fn list_certifications(&self, include_retired: bool) -> StoreResult<Vec<Certification>>;
    async fn find_certification(&self, code: &CertCode) -> StoreResult<Option<Certification>>;
    /// `Conflict::CertCodeTaken` when the code exists. Audited in the same transaction.
    async fn commit_certification_create(
        &self,
        cert: CertificationData,
        audit: NewAuditEntry,
    ) -> StoreResult<Certification>;
    /// Replaces every field but the code (retiring is `retired: true`). Audited.
    async fn commit_certification_update(
        &self,
        code: &CertCode,
        cert: CertificationData,
        audit: NewAuditEntry,
    ) -> StoreResult<Certification>;
}

/// The audit log: append-only. There is deliberately no update or delete.
#[async_trait]
pub trait AuditStore {
    /// Newest first.
    async fn list_audit(&self, page: PageRequest) -> StoreResult<Page<AuditEntry>>;
}

/// Programme settings that operators change without code (policy values, verifier mode).
#[async_trait]
pub trait SettingsStore {
    async fn find_setting(&self, key: &str) -> StoreResult<Option<String>>;
    /// Sets a value, audited in the same transaction.
    async fn commit_setting(&self, key: &str, value: &str, audit: NewAuditEntry)
    -> StoreResult<()>;
}

/// The jobs table: the outbox and every scheduled piece of work (P2).
#[async_trait]
pub trait JobStore {
    /// Claims up to `limit` due jobs (`status = pending`, `run_at <= now`, or `running` whose
    /// lease expired) in one transaction, leasing each to `worker` until `now + lease` and
    /// counting an attempt. Two workers never hold the same job. Order, also of the answer:
    /// jobs whose lease expired first (recovery), then pending jobs by `run_at`, then id. A
    /// lease has expired when `locked_until <= now`; a running job whose lease expired during
    /// its last attempt is not claimed again but marked `dead` ("worker lost"), so it stays
    /// visible (P2). `limit` 0 claims nothing and writes nothing. One claim for a whole batch
    /// is one commit: the worker's bookkeeping must not compete with register-and-pay.
    async fn claim_jobs(
        &self,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
        limit: usize,
    ) -> StoreResult<Vec<Job>>;
    /// Claims the first due job, exactly as `claim_jobs` with a limit of one.
    async fn claim_job(
        &self,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> StoreResult<Option<Job>> {
        Ok(self
            .claim_jobs(worker, now, lease, 1)
            .await?
            .into_iter()
            .next())
    }
    /// Marks a job this worker holds done (`last_error` of earlier attempts is kept) and
    /// keeps its promise, if it has one (P1), in the same transaction.
    /// `Conflict::JobNotHeld` unless the job is `running` and locked by `worker` (an expired
    /// lease that nobody took over still counts as held); `NotFound` for an unknown id.
    async fn complete_job(&self, id: JobId, worker: &str, now: Timestamp) -> StoreResult<()>;
    /// `complete_job` for many jobs in one transaction: every listed job this worker holds
    /// is done and its promise kept. Answers the ids it did not complete (not held, unknown),
    /// in the order given; those are left untouched.
    async fn complete_jobs(
        &self,
        ids: &[JobId],
        worker: &str,
        now: Timestamp,
    ) -> StoreResult<Vec<JobId>>;
    /// Records a failure: back to `pending` at `retry_at`, or `dead` when `retry_at` is None.
    /// Same holder rule as `complete_job`.
    async fn fail_job(
        &self,
        id: JobId,
        worker: &str,
        error: &str,
        now: Timestamp,
        retry_at: Option<Timestamp>,
    ) -> StoreResult<()>;
    async fn get_job(&self, id: JobId) -> StoreResult<Job>;
    /// Newest first (by id), optionally only one status.
    async fn list_jobs(
        &self,
        status: Option<JobStatus>,
        page: PageRequest,
    ) -> StoreResult<Page<Job>>;
    /// The earliest `run_at` among pending jobs (for sleeping workers and the test clock).
    async fn next_job_due(&self) -> StoreResult<Option<Timestamp>>;
    /// An operator sends a dead job back to the queue (P2), audited: `pending`, `run_at = now`,
    /// `attempts` reset to 0 (it gets a full `max_attempts` again), `last_error` kept until
    /// the next outcome. `Conflict::JobNotDead` unless it is dead; `NotFound` for an unknown id.
    async fn commit_job_retry(
        &self,
        id: JobId,
        now: Timestamp,
        audit: NewAuditEntry,
    ) -> StoreResult<Job>;
    /// Enqueues jobs on their own (for the CLI and operators; use cases enqueue inside
    /// their `commit_*`). A `dedup_key` already present is silently skipped. No clock is
    /// passed here, so each job's `created_at` is its `run_at`.
    async fn enqueue_jobs(&self, jobs: Vec<NewJob>) -> StoreResult<()>;
}

/// Inbox messages (站内信), written by the inbox channel's jobs.
#[async_trait]
pub trait InboxStore {
    /// Idempotent per `source_job`: delivering the same job twice stores one message.
    async fn commit_inbox_message(&self, message: NewInboxMessage) -> StoreResult<InboxMessage>;
    /// Newest first.
    async fn list_inbox_messages(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<InboxMessage>>;
    /// Marks read; `NotFound` when the message is not that account's.
    async fn mark_message_read(
        &self,
        account: AccountId,
        id: MessageId,
        now: Timestamp,
    ) -> StoreResult<()>;
    async fn count_unread_messages(&self, account: AccountId) -> StoreResult<u64>;
}
