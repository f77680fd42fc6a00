//! Real-name identity (A2, A4): the ID number only ever masked.

use certdesk_store::IdentityRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rfc3339;

/// `PUT /api/v1/me/identity`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct IdentityBody {
    #[schema(example = "张三")]
    pub real_name: String,
    #[schema(schema_with = crate::openapi::constraints::id_number)]
    pub id_number: String,
}

/// An account's identity as its holder sees it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IdentityDto {
    /// `verified`, `pending` or `rejected`.
    #[schema(example = "verified")]
    pub status: String,
    pub real_name: String,
    #[schema(example = "110105********1234")]
    pub id_number_masked: String,
    /// Why an operator rejected it.
    pub reason: Option<String>,
}

impl IdentityDto {
    pub(crate) fn new(r: &IdentityRecord) -> IdentityDto {
        IdentityDto {
            status: r.status.as_str().to_owned(),
            real_name: r.real_name.clone(),
            id_number_masked: r.id_number_masked.clone(),
            reason: r.reason.clone(),
        }
    }
}

/// A submission in the operators' review queue.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReviewItemDto {
    pub account_id: i64,
    pub status: String,
    pub real_name: String,
    pub id_number_masked: String,
    pub reason: Option<String>,
    #[schema(format = DateTime)]
    pub submitted_at: String,
    #[schema(format = DateTime)]
    pub decided_at: Option<String>,
}

impl ReviewItemDto {
    pub(crate) fn new(r: IdentityRecord) -> ReviewItemDto {
        ReviewItemDto {
            account_id: r.account_id.get(),
            status: r.status.as_str().to_owned(),
            real_name: r.real_name,
            id_number_masked: r.id_number_masked,
            reason: r.reason,
            submitted_at: rfc3339(r.submitted_at),
            decided_at: r.decided_at.map(rfc3339),
        }
    }
}

/// `POST /api/v1/admin/identities/{account_id}/decision`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct DecisionBody {
    pub approve: bool,
    /// Required when rejecting.
    pub reason: Option<String>,
}

/// A4: the verifier in force.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct VerificationModeDto {
    /// `checksum` (verify at once) or `manual_review`.
    #[schema(example = "manual_review")]
    pub mode: String,
}
