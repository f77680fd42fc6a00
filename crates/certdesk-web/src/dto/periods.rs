//! Exam periods (O1–O3): the public list with seats left, the operators' view with seats
//! taken, and the body that creates one.

use certdesk_app::{PeriodInput, PeriodListing};
use certdesk_domain::{CityDraft, Refusal};
use certdesk_store::{ExamPeriod, PeriodCity};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rfc3339;
use crate::input::{parse_instant, parse_instant_opt};

/// One city of a period, as candidates see it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CityDto {
    #[schema(example = "深圳")]
    pub city: String,
    pub capacity: u32,
    pub seats_left: u32,
}

/// An exam period (每期考试) as `GET /api/v1/exam-periods` lists it, with the certification it
/// is a sitting of named (no second look-up needed). The window is
/// `[registration_opens_at, registration_closes_at)` (T4).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PeriodDto {
    pub id: i64,
    /// The certification's code.
    #[schema(example = "TCCA-ARC-P")]
    pub certification: String,
    #[schema(example = "腾讯云架构高级工程师认证")]
    pub certification_name_zh: String,
    pub certification_name_en: String,
    /// The certification's fee: what a registration costs (O5).
    pub fee_fen: i64,
    #[schema(format = DateTime)]
    pub starts_at: String,
    #[schema(format = DateTime)]
    pub ends_at: String,
    #[schema(format = DateTime)]
    pub registration_opens_at: String,
    #[schema(format = DateTime)]
    pub registration_closes_at: String,
    pub cities: Vec<CityDto>,
}

impl PeriodDto {
    pub(crate) fn new(listing: &PeriodListing) -> PeriodDto {
        let (p, c) = (&listing.period, &listing.certification.data);
        PeriodDto {
            id: p.id.get(),
            certification: p.certification_code.as_str().to_owned(),
            certification_name_zh: c.name_zh.clone(),
            certification_name_en: c.name_en.clone(),
            fee_fen: c.fee.get(),
            starts_at: rfc3339(p.starts_at),
            ends_at: rfc3339(p.ends_at),
            registration_opens_at: rfc3339(p.registration_opens_at),
            registration_closes_at: rfc3339(p.registration_closes_at),
            cities: p
                .cities
                .iter()
                .map(|c| CityDto {
                    city: c.city.clone(),
                    capacity: c.capacity,
                    seats_left: c.seats_left(),
                })
                .collect(),
        }
    }
}

/// One city of a period, as operators see it: seats taken too.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AdminCityDto {
    pub city: String,
    pub capacity: u32,
    /// Confirmed registrations holding a seat.
    pub taken: u32,
    pub seats_left: u32,
}

impl AdminCityDto {
    fn new(c: &PeriodCity) -> AdminCityDto {
        AdminCityDto {
            city: c.city.clone(),
            capacity: c.capacity,
            taken: c.taken,
            seats_left: c.seats_left(),
        }
    }
}

/// An exam period with its seats taken per city (operators).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AdminPeriodDto {
    pub id: i64,
    pub certification: String,
    #[schema(format = DateTime)]
    pub starts_at: String,
    #[schema(format = DateTime)]
    pub ends_at: String,
    #[schema(format = DateTime)]
    pub registration_opens_at: String,
    #[schema(format = DateTime)]
    pub registration_closes_at: String,
    pub cities: Vec<AdminCityDto>,
}

impl AdminPeriodDto {
    pub(crate) fn new(p: &ExamPeriod) -> AdminPeriodDto {
        AdminPeriodDto {
            id: p.id.get(),
            certification: p.certification_code.as_str().to_owned(),
            starts_at: rfc3339(p.starts_at),
            ends_at: rfc3339(p.ends_at),
            registration_opens_at: rfc3339(p.registration_opens_at),
            registration_closes_at: rfc3339(p.registration_closes_at),
            cities: p.cities.iter().map(AdminCityDto::new).collect(),
        }
    }
}

/// `?certification=CODE`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PeriodQuery {
    /// Only this certification's periods.
    pub certification: Option<String>,
}

/// `{city, capacity}` of a new period.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CityBody {
    pub city: String,
    #[schema(schema_with = crate::openapi::constraints::capacity)]
    pub capacity: i64,
}

/// `POST /api/v1/admin/exam-periods`. Cloud-family windows follow from the start (O1);
/// specialty periods need both window instants (O2).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct PeriodBody {
    #[schema(example = "TCCA-ARC-P")]
    pub certification: String,
    #[schema(format = DateTime, example = "2027-06-12T09:00:00+08:00")]
    pub starts_at: String,
    /// Absent: the start plus the certification's exam duration.
    #[schema(format = DateTime, example = "2027-06-12T10:30:00+08:00")]
    pub ends_at: Option<String>,
    pub cities: Vec<CityBody>,
    #[schema(format = DateTime)]
    pub registration_opens_at: Option<String>,
    #[schema(format = DateTime)]
    pub registration_closes_at: Option<String>,
}

impl PeriodBody {
    /// The use case's input; an instant that does not parse is `invalid_date` naming it.
    pub(crate) fn into_input(self) -> Result<PeriodInput, Refusal> {
        Ok(PeriodInput {
            starts_at: parse_instant(&self.starts_at, "starts_at")?,
            ends_at: parse_instant_opt(self.ends_at.as_deref(), "ends_at")?,
            registration_opens_at: parse_instant_opt(
                self.registration_opens_at.as_deref(),
                "registration_opens_at",
            )?,
            registration_closes_at: parse_instant_opt(
                self.registration_closes_at.as_deref(),
                "registration_closes_at",
            )?,
            cities: self
                .cities
                .into_iter()
                .map(|c| CityDraft {
                    city: c.city,
                    capacity: c.capacity,
                })
                .collect(),
            certification: self.certification,
        })
    }
}
