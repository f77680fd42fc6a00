//! The staff portal's API under `/api/v1/institution` (role `institution_staff`, for their own
//! institution only; operators too): centres, slots (I3), registrations, appointments moved
//! with a reason (I5) and refunds (I8). Another institution's ids are `not_found`.

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::{InstitutionId, RegistrationId, SlotId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::dto::applications::OfficialApplicationDto;
use crate::dto::institution::{
    InstitutionRefundDto, InstitutionRegistrationDto, InstitutionRegistrationListDto, SlotBody,
    SlotDto, StaffMoveBody, StaffRefundBody, TestCentreDto,
};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAccount, Json, Path, Query};
use crate::state::AppState;

/// `?institution_id=`: operators name the institution; staff may leave it out (their own).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StaffQuery {
    pub institution_id: Option<i64>,
}

/// The staff member's own test centres.
#[utoipa::path(
    get, path = "/api/v1/institution/test-centres", tag = "institution staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Centres", body = [TestCentreDto]),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`: not institution staff", body = ErrorBody),
    ),
)]
pub(crate) async fn list_own_centres(
    State(state): State<AppState>,
    who: CurrentAccount,
) -> WebResult<Json<Vec<TestCentreDto>>> {
    let centres = state.app.staff_test_centres(who.account()).await?;
    Ok(Json(centres.iter().map(TestCentreDto::new).collect()))
}

/// I3: publishes a slot at one of the institution's centres: a business day (B1; make-up
/// working days count, weekends and holidays do not), in the future, capacity 1–500.
#[utoipa::path(
    post, path = "/api/v1/institution/slots", tag = "institution staff",
    security(("bearer" = [])),
    request_body = SlotBody,
    responses(
        (status = 201, description = "Published", body = SlotDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (centre_id; also another institution's)", body = ErrorBody),
        (status = 409, description = "`slot_not_bookable` (I3), `invalid_field` (starts_at: the centre has a slot then)", body = ErrorBody),
        (status = 422, description = "`invalid_date` (date, starts_at), `invalid_field` (capacity), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn publish_slot(
    State(state): State<AppState>,
    who: CurrentAccount,
    Json(body): Json<SlotBody>,
) -> WebResult<(StatusCode, Json<SlotDto>)> {
    let slot = state
        .app
        .publish_slot(who.account(), body.into_input())
        .await?;
    Ok((StatusCode::CREATED, Json(SlotDto::new(&slot))))
}

/// The institution's registrations, newest first (at most 200).
#[utoipa::path(
    get, path = "/api/v1/institution/registrations", tag = "institution staff",
    security(("bearer" = [])),
    params(StaffQuery),
    responses(
        (status = 200, description = "Registrations", body = InstitutionRegistrationListDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`: another institution", body = ErrorBody),
        (status = 422, description = "`invalid_field` (institution_id: operators name one)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_registrations(
    State(state): State<AppState>,
    who: CurrentAccount,
    Query(query): Query<StaffQuery>,
) -> WebResult<Json<InstitutionRegistrationListDto>> {
    let all = state
        .app
        .staff_registrations(who.account(), query.institution_id.map(InstitutionId))
        .await?;
    Ok(Json(InstitutionRegistrationListDto {
        items: all
            .iter()
            .map(|r| InstitutionRegistrationDto::new(r, &state.app.institution_deadlines(r)))
            .collect(),
        next_cursor: None,
    }))
}

/// One of the institution's registrations.
#[utoipa::path(
    get, path = "/api/v1/institution/registrations/{id}", tag = "institution staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The registration", body = InstitutionRegistrationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (also another institution's)", body = ErrorBody),
    ),
)]
pub(crate) async fn get_registration(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<InstitutionRegistrationDto>> {
    let r = state
        .app
        .staff_registration(who.account(), RegistrationId(id))
        .await?;
    let deadlines = state.app.institution_deadlines(&r);
    Ok(Json(InstitutionRegistrationDto::new(&r, &deadlines)))
}

/// I5: staff move an appointment to another slot of their institution, with a reason, any
/// time before the exam starts.
#[utoipa::path(
    post, path = "/api/v1/institution/registrations/{id}/appointment", tag = "institution staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    request_body = StaffMoveBody,
    responses(
        (status = 200, description = "Moved", body = InstitutionRegistrationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (registration or slot_id; also another institution's)", body = ErrorBody),
        (status = 409, description = "`payment_pending`, `registration_not_live`, `slot_not_bookable`, `slot_full`, `appointment_change_too_late` (the exam started), `retake_wrong_centre`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (reason), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn move_appointment(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Json(body): Json<StaffMoveBody>,
) -> WebResult<Json<InstitutionRegistrationDto>> {
    let r = state
        .app
        .staff_move_appointment(
            who.account(),
            RegistrationId(id),
            SlotId(body.slot_id),
            &body.reason,
        )
        .await?;
    let deadlines = state.app.institution_deadlines(&r);
    Ok(Json(InstitutionRegistrationDto::new(&r, &deadlines)))
}

/// I8: customer service refunds an amount of at most what was paid and not yet refunded,
/// with a reason; recorded in the channel's ledger and the audit log. When nothing remains,
/// a registration whose exam is ahead is cancelled and its seat released.
#[utoipa::path(
    post, path = "/api/v1/institution/registrations/{id}/refund", tag = "institution staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    request_body = StaffRefundBody,
    responses(
        (status = 200, description = "Refunded", body = InstitutionRefundDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (also another institution's)", body = ErrorBody),
        (status = 409, description = "`refund_exceeds_paid`, `already_refunded` (I8), `payment_pending`", body = ErrorBody),
        (status = 422, description = "`invalid_amount` (amount_fen), `invalid_field` (reason), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn refund(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Json(body): Json<StaffRefundBody>,
) -> WebResult<Json<InstitutionRefundDto>> {
    let refund = state
        .app
        .staff_refund(
            who.account(),
            RegistrationId(id),
            body.amount_fen,
            &body.reason,
        )
        .await?;
    Ok(Json(InstitutionRefundDto::new(&refund)))
}

/// I8: the refunds made on a registration's purchase.
#[utoipa::path(
    get, path = "/api/v1/institution/registrations/{id}/refunds", tag = "institution staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    responses(
        (status = 200, description = "Refunds, oldest first", body = [InstitutionRefundDto]),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (also another institution's)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_refunds(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<Vec<InstitutionRefundDto>>> {
    let refunds = state
        .app
        .staff_refunds(who.account(), RegistrationId(id))
        .await?;
    Ok(Json(
        refunds.iter().map(InstitutionRefundDto::new).collect(),
    ))
}

/// O12: the official channel's reschedule and retake applications, newest first (at most
/// 200), for the authorised institutions' staff who operate them: read-only, each with the
/// rule that decided it and its inputs. Used for that service only.
#[utoipa::path(
    get, path = "/api/v1/institution/official-applications", tag = "institution staff",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Applications", body = [OfficialApplicationDto]),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`: not institution staff", body = ErrorBody),
    ),
)]
pub(crate) async fn list_official_applications(
    State(state): State<AppState>,
    who: CurrentAccount,
) -> WebResult<Json<Vec<OfficialApplicationDto>>> {
    let listed = state.app.official_applications(who.account()).await?;
    Ok(Json(
        listed.iter().map(OfficialApplicationDto::new).collect(),
    ))
}

/// I3: staff check the candidate in at the test centre, from 2 hours before the appointment's
/// start until the exam ends; a second check-in answers the first one's time.
#[utoipa::path(
    post, path = "/api/v1/institution/registrations/{id}/check-in", tag = "institution staff",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    responses(
        (status = 200, description = "Checked in (`checked_in_at`)", body = InstitutionRegistrationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (also another institution's)", body = ErrorBody),
        (status = 409, description = "`check_in_closed` (with `deadline`: the opening, or the exam's end), `appointment_required`, `registration_not_live`", body = ErrorBody),
    ),
)]
pub(crate) async fn check_in(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<InstitutionRegistrationDto>> {
    let r = state
        .app
        .staff_check_in(who.account(), RegistrationId(id))
        .await?;
    let deadlines = state.app.institution_deadlines(&r);
    Ok(Json(InstitutionRegistrationDto::new(&r, &deadlines)))
}
