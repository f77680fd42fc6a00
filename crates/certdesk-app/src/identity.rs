//! Real-name identity (A2, A4): submit, operator review, and the verifier mode.
//! The ID number is parsed, encrypted and blind-indexed here; it is never logged.

use std::fmt;
use std::str::FromStr;

use certdesk_domain::{
    AccountId, ErrorCode, IdNumber, IdentityStatus, LocalizedText, Refusal, Role,
};
use certdesk_notify::{Notice, Recipient};
use certdesk_store::{
    Account, IdentityDecision, IdentityRecord, IdentitySubmission, NewAuditEntry, Page, PageRequest,
};
use serde_json::json;

use crate::App;
use crate::crypto::PURPOSE_ID_NUMBER;
use crate::error::{AppResult, require};

/// The setting that holds the verifier mode.
pub const VERIFICATION_MODE_SETTING: &str = "identity.verification_mode";

/// A4: how a submission is verified. The default checks format and checksum (A2) and
/// verifies at once; manual review leaves it pending for an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationMode {
    #[default]
    Checksum,
    ManualReview,
}

impl VerificationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationMode::Checksum => "checksum",
            VerificationMode::ManualReview => "manual_review",
        }
    }
}

impl FromStr for VerificationMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "checksum" => Ok(VerificationMode::Checksum),
            "manual_review" => Ok(VerificationMode::ManualReview),
            other => Err(format!("unknown verification mode {other:?}")),
        }
    }
}

impl fmt::Display for VerificationMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A legal name as typed: trimmed, 2–50 characters, no control characters.
pub fn parse_real_name(input: &str) -> Result<String, Refusal> {
    let name = input.trim();
    let n = name.chars().count();
    if (2..=50).contains(&n) && !name.chars().any(char::is_control) {
        Ok(name.to_owned())
    } else {
        Err(Refusal::new(ErrorCode::InvalidRealName)
            .rule("A2")
            .field("real_name")
            .detail(LocalizedText::fixed(
                "姓名须为 2–50 个字符，且不含控制字符。",
                "A legal name has 2 to 50 characters and no control characters.",
            )))
    }
}

/// A4: an operator's rejection reason: required, at most 500 characters.
fn parse_reason(input: Option<&str>) -> Result<String, Refusal> {
    let reason = input.map(str::trim).unwrap_or("");
    let n = reason.chars().count();
    if (1..=500).contains(&n) && !reason.chars().any(|c| c.is_control() && c != '\n') {
        Ok(reason.to_owned())
    } else {
        Err(Refusal::new(ErrorCode::InvalidField)
            .rule("A4")
            .field("reason")
            .detail(LocalizedText::fixed(
                "驳回实名认证须填写原因（最多 500 个字符）。",
                "Rejecting a verification needs a reason (at most 500 characters).",
            )))
    }
}

/// An identity as the audit log shows it: the ID number masked, never in the clear (A2).
fn identity_json(r: &IdentityRecord) -> serde_json::Value {
    json!({
        "account_id": r.account_id,
        "identity_id": r.identity_id,
        "real_name": r.real_name,
        "id_number_masked": r.id_number_masked,
        "status": r.status,
        "reason": r.reason,
        "submitted_at": r.submitted_at,
    })
}

impl App {
    /// A2/A4: the actor submits their legal name and ID number. In checksum mode a valid
    /// number verifies at once; in manual-review mode it waits for an operator. One identity
    /// verifies at most the policy's number of accounts (`identity_in_use`).
    #[tracing::instrument(skip_all, fields(account_id = %actor.id))]
    pub async fn submit_identity(
        &self,
        actor: &Account,
        real_name: &str,
        id_number: &str,
    ) -> AppResult<IdentityRecord> {
        let real_name = parse_real_name(real_name)?;
        let now = self.now();
        // A2: a real birth date is one not after today, in the programme's zone (T1).
        let id = IdNumber::parse(id_number, certdesk_domain::time::local_date(now))
            .map_err(Refusal::from)?;
        let mode = self.verification_mode().await?;
        let (status, notice) = match mode {
            VerificationMode::Checksum => (IdentityStatus::Verified, Notice::IdentityVerified),
            VerificationMode::ManualReview => (IdentityStatus::Pending, Notice::IdentityPending),
        };
        let dedup = format!(
            "{}:account:{}:{}",
            notice.kind(),
            actor.id,
            now.as_microsecond()
        );
        let jobs = self.notice_jobs(Recipient::Account(actor.id), notice, &dedup, now);
        let record = self
            .store
            .commit_identity_submission(IdentitySubmission {
                account_id: actor.id,
                real_name,
                blind_index: self.cipher.blind_index(id.as_str()),
                id_number_ciphertext: self
                    .cipher
                    .encrypt(PURPOSE_ID_NUMBER, id.as_str().as_bytes())?,
                id_number_masked: id.masked(),
                status,
                max_accounts_per_identity: self.policy.max_accounts_per_identity,
                submitted_at: now,
                jobs,
            })
            .await?;
        tracing::info!(identity_id = %record.identity_id, status = record.status.as_str(), "identity submitted");
        Ok(record)
    }

    /// A4: an operator approves (the account limit is checked again) or rejects with a reason.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, account_id = %account, approve))]
    pub async fn decide_identity(
        &self,
        actor: &Account,
        account: AccountId,
        approve: bool,
        reason: Option<String>,
    ) -> AppResult<IdentityRecord> {
        require(actor.has_role(Role::Admin))?;
        let reason = if approve {
            None
        } else {
            Some(parse_reason(reason.as_deref())?)
        };
        let before = self
            .store
            .find_identity(account)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        if before.status != IdentityStatus::Pending {
            return Err(Refusal::new(ErrorCode::IdentityNotPending)
                .rule("A4")
                .into());
        }
        let now = self.now();
        let (status, notice, action) = match &reason {
            None => (
                IdentityStatus::Verified,
                Notice::IdentityVerified,
                "identity.approve",
            ),
            Some(r) => (
                IdentityStatus::Rejected,
                Notice::IdentityRejected { reason: r.clone() },
                "identity.reject",
            ),
        };
        let dedup = format!(
            "{}:account:{}:{}",
            notice.kind(),
            account,
            before.submitted_at.as_microsecond()
        );
        let jobs = self.notice_jobs(Recipient::Account(account), notice, &dedup, now);
        let mut after = identity_json(&before);
        after["status"] = json!(status);
        after["reason"] = json!(reason);
        let record = self
            .store
            .commit_identity_decision(IdentityDecision {
                account_id: account,
                status,
                reason,
                decided_by: actor.id,
                decided_at: now,
                max_accounts_per_identity: self.policy.max_accounts_per_identity,
                audit: NewAuditEntry {
                    actor: Some(actor.id),
                    action: action.into(),
                    target_kind: "identity".into(),
                    target_id: account.to_string(),
                    before: Some(identity_json(&before)),
                    after: Some(after),
                    at: now,
                },
                jobs,
            })
            .await?;
        tracing::info!(status = record.status.as_str(), "identity decided");
        Ok(record)
    }

    /// Operators: submissions, optionally of one status (the review queue is `pending`).
    pub async fn list_identities(
        &self,
        actor: &Account,
        status: Option<IdentityStatus>,
        page: PageRequest,
    ) -> AppResult<Page<IdentityRecord>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self.store.list_identities(status, page).await?)
    }

    /// A4: the verifier in force (default: checksum).
    pub async fn verification_mode(&self) -> AppResult<VerificationMode> {
        match self.store.find_setting(VERIFICATION_MODE_SETTING).await? {
            None => Ok(VerificationMode::default()),
            Some(v) => v.parse().map_err(|e: String| {
                anyhow::anyhow!("setting {VERIFICATION_MODE_SETTING}: {e}").into()
            }),
        }
    }

    /// A4: an operator switches the verifier; audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, mode = %mode))]
    pub async fn set_verification_mode(
        &self,
        actor: &Account,
        mode: VerificationMode,
    ) -> AppResult<()> {
        require(actor.has_role(Role::Admin))?;
        let before = self.verification_mode().await?;
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "setting.update".into(),
            target_kind: "setting".into(),
            target_id: VERIFICATION_MODE_SETTING.into(),
            before: Some(json!(before)),
            after: Some(json!(mode)),
            at: self.now(),
        };
        self.store
            .commit_setting(VERIFICATION_MODE_SETTING, mode.as_str(), audit)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_name_rules() {
        assert_eq!(parse_real_name("  张三 ").unwrap(), "张三");
        assert_eq!(
            parse_real_name("阿卜杜拉·买买提").unwrap(),
            "阿卜杜拉·买买提"
        );
        for bad in ["张", " 李 ", "", "张\u{0}三", "张\n三"] {
            let r = parse_real_name(bad).unwrap_err();
            assert_eq!(
                (r.code, r.field.as_deref()),
                (ErrorCode::InvalidRealName, Some("real_name")),
                "{bad:?}"
            );
        }
        assert!(parse_real_name(&"名".repeat(50)).is_ok());
        assert!(parse_real_name(&"名".repeat(51)).is_err());
    }

    #[test]
    fn rejection_needs_a_reason() {
        assert!(parse_reason(None).is_err());
        assert!(parse_reason(Some("   ")).is_err());
        assert_eq!(parse_reason(Some(" 照片模糊 ")).unwrap(), "照片模糊");
        assert!(parse_reason(Some(&"x".repeat(501))).is_err());
    }

    #[test]
    fn mode_round_trips() {
        for m in [VerificationMode::Checksum, VerificationMode::ManualReview] {
            assert_eq!(m.as_str().parse::<VerificationMode>().unwrap(), m);
            assert_eq!(serde_json::to_value(m).unwrap(), m.as_str());
        }
    }
}
