//! O4: venues, and what a check-in desk is told about a scanned ticket.

use certdesk_app::{CheckIn, VenueInput};
use certdesk_store::Venue;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rfc3339;

/// `POST /api/v1/admin/venues`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct VenueBody {
    #[schema(example = "深圳")]
    pub city: String,
    #[schema(example = "南山考点")]
    pub name: String,
    #[schema(example = "深圳市南山区科技园科苑路 1 号")]
    pub address: String,
    #[schema(schema_with = crate::openapi::constraints::venue_seats)]
    pub seats: i64,
}

impl VenueBody {
    pub(crate) fn into_input(self) -> VenueInput {
        VenueInput {
            city: self.city,
            name: self.name,
            address: self.address,
            seats: self.seats,
        }
    }
}

/// A venue (考点) of a city.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VenueDto {
    pub id: i64,
    pub city: String,
    pub name: String,
    pub address: String,
    pub seats: u32,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl VenueDto {
    pub(crate) fn new(v: &Venue) -> VenueDto {
        VenueDto {
            id: v.id.get(),
            city: v.city.clone(),
            name: v.name.clone(),
            address: v.address.clone(),
            seats: v.seats,
            created_at: rfc3339(v.created_at),
        }
    }
}

/// `GET /api/v1/admin/venues?city=`: one city's venues, or all.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct VenueQuery {
    pub city: Option<String>,
}

/// `{items}` of the venues, in the operators' order (a city's venues fit in one answer).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VenueListDto {
    pub items: Vec<VenueDto>,
    /// Always null: the list is whole.
    pub next_cursor: Option<i64>,
}

/// `POST /api/v1/admin/check-ins`: a scanned QR code or a typed ticket number, at the desk of
/// one exam period.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CheckInBody {
    pub period_id: i64,
    /// The QR code's text (`CDT1:…`) or the ticket number.
    pub code: String,
}

/// What the desk shows after a scan.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CheckInDto {
    pub number: String,
    pub registration_id: i64,
    pub venue_name: String,
    pub seat: u32,
    #[schema(format = DateTime)]
    pub checked_in_at: String,
    /// False when this ticket had been scanned before (nothing changed).
    pub first: bool,
}

impl CheckInDto {
    pub(crate) fn new(c: &CheckIn) -> CheckInDto {
        CheckInDto {
            number: c.ticket.number.to_string(),
            registration_id: c.ticket.registration_id.get(),
            venue_name: c.ticket.venue.name.clone(),
            seat: c.ticket.seat,
            checked_in_at: c.ticket.checked_in_at.map(rfc3339).unwrap_or_default(),
            first: c.first,
        }
    }
}
