//! The catalogue (C1).

use certdesk_app::CertificationInput;
use certdesk_store::Certification;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A certification as API.md lists it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CertificationDto {
    #[schema(example = "TCCA-ARC-P")]
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// `cloud` or `specialty`.
    pub family: String,
    /// `foundation`, `development`, `operations`, `architecture`; null for specialty.
    pub track: Option<String>,
    /// `associate`, `professional`, `expert`; null where there is none.
    pub level: Option<String>,
    pub fee_fen: i64,
    pub duration_minutes: u32,
    pub pass_mark: u32,
    pub validity_months: u32,
    pub retired: bool,
}

impl CertificationDto {
    pub(crate) fn new(c: &Certification) -> CertificationDto {
        let d = &c.data;
        CertificationDto {
            code: d.code.as_str().to_owned(),
            name_zh: d.name_zh.clone(),
            name_en: d.name_en.clone(),
            family: d.family.as_str().to_owned(),
            track: d.track.map(|t| t.as_str().to_owned()),
            level: d.level.map(|l| l.as_str().to_owned()),
            fee_fen: d.fee.get(),
            duration_minutes: d.duration_minutes,
            pass_mark: d.pass_mark,
            validity_months: d.validity_months,
            retired: d.retired,
        }
    }
}

/// `POST /api/v1/admin/certifications` and `PUT …/{code}` (where `code` may be left out).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CertificationBody {
    pub code: Option<String>,
    pub name_zh: String,
    pub name_en: String,
    pub family: String,
    pub track: Option<String>,
    pub level: Option<String>,
    #[schema(schema_with = crate::openapi::constraints::amount)]
    pub fee_fen: i64,
    #[schema(schema_with = crate::openapi::constraints::duration_minutes)]
    pub duration_minutes: i64,
    #[schema(schema_with = crate::openapi::constraints::pass_mark)]
    pub pass_mark: i64,
    #[schema(schema_with = crate::openapi::constraints::validity_months)]
    pub validity_months: i64,
}

impl CertificationBody {
    pub(crate) fn into_input(self, code: String) -> CertificationInput {
        CertificationInput {
            code,
            name_zh: self.name_zh,
            name_en: self.name_en,
            family: self.family,
            track: self.track,
            level: self.level,
            fee_fen: self.fee_fen,
            duration_minutes: self.duration_minutes,
            pass_mark: self.pass_mark,
            validity_months: self.validity_months,
        }
    }
}

/// `?include_retired=true` (operators only).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CatalogueQuery {
    #[param(value_type = Option<bool>)]
    pub include_retired: Option<String>,
}
