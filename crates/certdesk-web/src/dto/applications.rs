//! O12: the official channel's applications as institution staff see them.

use certdesk_app::institution::ApplicationView;
use serde::Serialize;
use utoipa::ToSchema;

use super::rfc3339;

/// A reschedule (O7) or retake (O8) of the official channel, with its rule's decision and
/// the instants it decided on.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OfficialApplicationDto {
    /// `reschedule` or `retake`.
    pub kind: String,
    pub registration_id: i64,
    pub certification: String,
    pub holder_name: String,
    pub from_city: String,
    #[schema(format = DateTime)]
    pub from_starts_at: String,
    pub to_city: String,
    #[schema(format = DateTime)]
    pub to_starts_at: String,
    #[schema(format = DateTime)]
    pub applied_at: String,
    /// `O7` or `O8`.
    pub rule: String,
    /// `allowed`: applied before `apply_before`, target starting no later than `latest_start`.
    pub decision: String,
    #[schema(format = DateTime)]
    pub apply_before: String,
    #[schema(format = DateTime)]
    pub latest_start: String,
}

impl OfficialApplicationDto {
    pub(crate) fn new(v: &ApplicationView) -> OfficialApplicationDto {
        let a = &v.application;
        OfficialApplicationDto {
            kind: a.kind.clone(),
            registration_id: a.registration_id.get(),
            certification: a.certification_code.as_str().to_owned(),
            holder_name: a.holder_name.clone(),
            from_city: a.from_city.clone(),
            from_starts_at: rfc3339(a.from_starts_at),
            to_city: a.to_city.clone(),
            to_starts_at: rfc3339(a.to_starts_at),
            applied_at: rfc3339(a.at),
            rule: v.rule.to_owned(),
            decision: if v.allowed { "allowed" } else { "refused" }.to_owned(),
            apply_before: rfc3339(v.apply_before),
            latest_start: rfc3339(v.latest_start),
        }
    }
}
