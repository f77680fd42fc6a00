//! Plain records the store reads and writes. Values are already parsed domain types.

use certdesk_domain::{
    AccountId, AuditId, CertCode, CertificationId, Email, Family, Fen, IdentityId, IdentityStatus,
    InstitutionId, JobId, Level, MessageId, Phone, Role, Track,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Keyset pagination: items with a key strictly "after" `cursor` in the list's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub cursor: Option<i64>,
}

impl PageRequest {
    pub const MAX_LIMIT: u32 = 200;

    pub fn first(limit: u32) -> PageRequest {
        PageRequest {
            limit: limit.clamp(1, Self::MAX_LIMIT),
            cursor: None,
        }
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest::first(50)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as `cursor` to get the next page; `None` on the last page.
    pub next_cursor: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub email: Email,
    pub phone: Option<Phone>,
    /// An argon2id PHC string.
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub institution_id: Option<InstitutionId>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: Email,
    pub phone: Option<Phone>,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub institution_id: Option<InstitutionId>,
    pub wechat_openid: Option<String>,
    /// Notification channels the candidate opted out of (`sms`, `email`, `wechat`).
    pub opted_out: Vec<String>,
    pub created_at: Timestamp,
}

impl Account {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactUpdate {
    pub phone: Option<Phone>,
    pub wechat_openid: Option<String>,
    pub opted_out: Vec<String>,
}

/// `api` sessions carry a bearer token; `web` sessions a cookie and a CSRF token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    Api,
    Web,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 of the token; the token itself is never stored.
    pub token_hash: Vec<u8>,
    pub account_id: AccountId,
    pub kind: SessionKind,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: Vec<u8>,
    pub account_id: AccountId,
    pub kind: SessionKind,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginThrottle {
    pub key: String,
    pub failures: u32,
    pub first_failure_at: Timestamp,
    pub locked_until: Option<Timestamp>,
}

/// An account's real-name submission (A2, A4). `id_number_masked` is `110105********1234`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentitySubmission {
    pub account_id: AccountId,
    pub real_name: String,
    /// Keyed HMAC of the normalised ID number: finds the same person without decrypting.
    pub blind_index: Vec<u8>,
    /// AES-256-GCM nonce ‖ ciphertext of the ID number.
    pub id_number_ciphertext: Vec<u8>,
    pub id_number_masked: String,
    pub status: IdentityStatus,
    pub max_accounts_per_identity: u32,
    pub submitted_at: Timestamp,
    /// Notifications (inbox etc.) enqueued with the submission.
    pub jobs: Vec<NewJob>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRecord {
    pub account_id: AccountId,
    pub identity_id: IdentityId,
    pub real_name: String,
    pub id_number_masked: String,
    pub status: IdentityStatus,
    pub reason: Option<String>,
    pub submitted_at: Timestamp,
    pub decided_at: Option<Timestamp>,
    pub decided_by: Option<AccountId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentitySecret {
    pub identity_id: IdentityId,
    pub id_number_ciphertext: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityDecision {
    pub account_id: AccountId,
    /// `Verified` or `Rejected`.
    pub status: IdentityStatus,
    pub reason: Option<String>,
    pub decided_by: AccountId,
    pub decided_at: Timestamp,
    /// When approving: the identity's account limit is checked again.
    pub max_accounts_per_identity: u32,
    pub audit: NewAuditEntry,
    pub jobs: Vec<NewJob>,
}

/// C1: every field of a certification but its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificationData {
    pub code: CertCode,
    pub name_zh: String,
    pub name_en: String,
    pub family: Family,
    pub track: Option<Track>,
    pub level: Option<Level>,
    pub fee: Fen,
    pub duration_minutes: u32,
    pub pass_mark: u32,
    pub validity_months: u32,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certification {
    pub id: CertificationId,
    pub data: CertificationData,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Who did what to what, with the state before and after (JSON, PII masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub actor: Option<AccountId>,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: AuditId,
    pub actor: Option<AccountId>,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Pending,
    Running,
    Done,
    Dead,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Dead => "dead",
        }
    }
}

impl std::str::FromStr for JobStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "pending" => Ok(JobStatus::Pending),
            "running" => Ok(JobStatus::Running),
            "done" => Ok(JobStatus::Done),
            "dead" => Ok(JobStatus::Dead),
            other => Err(format!("unknown job status {other:?}")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// e.g. `notify`.
    pub kind: String,
    /// Ids, never data: the job reads what it needs when it runs.
    pub payload: serde_json::Value,
    /// Notification channel (`inbox`, `email`, `sms`, `wechat`) where the job is one.
    pub channel: Option<String>,
    /// Unique when set: enqueueing the same key twice keeps the first job.
    pub dedup_key: Option<String>,
    pub run_at: Timestamp,
    pub max_attempts: u32,
    /// P1: completing this job keeps the promise of this kind recorded in the same commit
    /// (e.g. the confirmation notice keeps the `confirmation` promise).
    pub keeps_promise: Option<certdesk_domain::PromiseKind>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: serde_json::Value,
    pub channel: Option<String>,
    pub dedup_key: Option<String>,
    pub status: JobStatus,
    /// Attempts started so far (a claim counts one).
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: Timestamp,
    pub locked_by: Option<String>,
    pub locked_until: Option<Timestamp>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInboxMessage {
    pub account_id: AccountId,
    pub kind: String,
    pub title_zh: String,
    pub body_zh: String,
    pub title_en: String,
    pub body_en: String,
    /// The job that delivered it: the idempotency key of delivery.
    pub source_job: Option<JobId>,
    pub created_at: Timestamp,
    /// P2: the same notice's jobs on the other channels (email, SMS, WeChat), enqueued by the
    /// commit that writes this message, so no channel can be lost between the two.
    pub deliveries: Vec<NewJob>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxMessage {
    pub id: MessageId,
    pub account_id: AccountId,
    pub kind: String,
    pub title_zh: String,
    pub body_zh: String,
    pub title_en: String,
    pub body_en: String,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}
