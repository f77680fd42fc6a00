//! O4: operators add venues to cities, and check candidates in at a venue's desk.

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::ExamPeriodId;

use crate::dto::tickets::{CheckInBody, CheckInDto, VenueBody, VenueDto, VenueListDto, VenueQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Query};
use crate::state::AppState;

/// Adds a venue to a city: every exam period held in the city seats its candidates in the
/// city's venues, in the order they were added.
#[utoipa::path(
    post, path = "/api/v1/admin/venues", tag = "operators",
    security(("bearer" = [])),
    request_body = VenueBody,
    responses(
        (status = 201, description = "Created", body = VenueDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 409, description = "`venue_name_taken`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (city, name, address, seats), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_venue(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<VenueBody>,
) -> WebResult<(StatusCode, Json<VenueDto>)> {
    let venue = state
        .app
        .create_venue(admin.account(), body.into_input())
        .await?;
    Ok((StatusCode::CREATED, Json(VenueDto::new(&venue))))
}

/// A city's venues (or every venue), in the operators' order.
#[utoipa::path(
    get, path = "/api/v1/admin/venues", tag = "operators",
    security(("bearer" = [])),
    params(VenueQuery),
    responses(
        (status = 200, description = "Venues", body = VenueListDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 422, description = "`invalid_field`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_venues(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(query): Query<VenueQuery>,
) -> WebResult<Json<VenueListDto>> {
    let venues = state
        .app
        .list_venues(admin.account(), query.city.as_deref())
        .await?;
    Ok(Json(VenueListDto {
        items: venues.iter().map(VenueDto::new).collect(),
        next_cursor: None,
    }))
}

/// O4: the desk of an exam period scans a ticket's QR code (its signature is checked) or
/// types its number (its check digit is): the holder is recorded present; a second scan is
/// harmless.
#[utoipa::path(
    post, path = "/api/v1/admin/check-ins", tag = "operators",
    security(("bearer" = [])),
    request_body = CheckInBody,
    responses(
        (status = 200, description = "Checked in (`first` false: already before)", body = CheckInDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 409, description = "`ticket_wrong_period`, `ticket_void`", body = ErrorBody),
        (status = 422, description = "`ticket_invalid` (a forged or altered code, a mistyped or unknown number), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn check_in(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<CheckInBody>,
) -> WebResult<Json<CheckInDto>> {
    let done = state
        .app
        .check_in(admin.account(), ExamPeriodId(body.period_id), &body.code)
        .await?;
    Ok(Json(CheckInDto::new(&done)))
}
