//! The institution channel's public and candidate API (I1–I6, I9): institutions and their
//! agreements, test centres and slots (public), registration without an account, the
//! appointment booked or moved through the management token, the link sent again.

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::{ErrorCode, InstitutionId, Refusal, RegistrationId, SlotId, TestCentreId};
use jiff::civil::Date;

use crate::dto::institution::{
    AgreementDto, AppointmentBody, CentreQuery, InstitutionContactDto, InstitutionDto,
    InstitutionPaymentDto, InstitutionRegisteredDto, InstitutionRegistrationBody,
    InstitutionRegistrationDto, ResendBody, SlotDto, SlotQuery, TestCentreDto,
};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{Ctx, Json, ManageToken, Path, Query};
use crate::state::AppState;

/// Every authorised institution, with how its candidates reach it (public, I9).
#[utoipa::path(
    get, path = "/api/v1/institutions", tag = "institution",
    responses((status = 200, description = "Institutions", body = [InstitutionDto])),
)]
pub(crate) async fn list_institutions(
    State(state): State<AppState>,
) -> WebResult<Json<Vec<InstitutionDto>>> {
    let all = state.app.list_institutions().await?;
    Ok(Json(all.iter().map(InstitutionDto::new).collect()))
}

/// I1: an institution's current agreement (public).
#[utoipa::path(
    get, path = "/api/v1/institutions/{id}/agreement", tag = "institution",
    params(("id" = i64, Path, description = "Institution id")),
    responses(
        (status = 200, description = "The current version", body = AgreementDto),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_agreement(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> WebResult<Json<AgreementDto>> {
    let agreement = state.app.current_agreement(InstitutionId(id)).await?;
    Ok(Json(AgreementDto::new(&agreement)))
}

/// I2: the public list of test centres, of one city when `city` is given.
#[utoipa::path(
    get, path = "/api/v1/test-centres", tag = "institution",
    params(CentreQuery),
    responses((status = 200, description = "Test centres by city", body = [TestCentreDto])),
)]
pub(crate) async fn list_test_centres(
    State(state): State<AppState>,
    Query(query): Query<CentreQuery>,
) -> WebResult<Json<Vec<TestCentreDto>>> {
    let centres = state.app.list_test_centres(query.city.as_deref()).await?;
    Ok(Json(centres.iter().map(TestCentreDto::new).collect()))
}

fn date(input: &str, field: &'static str) -> Result<Date, WebError> {
    input
        .trim()
        .parse()
        .map_err(|_| Refusal::new(ErrorCode::InvalidDate).field(field).into())
}

/// I3: a centre's slots on the dates `from ..= to` (Beijing time, at most 92 days), with the
/// seats left (public).
#[utoipa::path(
    get, path = "/api/v1/test-centres/{id}/slots", tag = "institution",
    params(("id" = i64, Path, description = "Test centre id"), SlotQuery),
    responses(
        (status = 200, description = "Slots by start", body = [SlotDto]),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`invalid_date` (from, to)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_slots(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<SlotQuery>,
) -> WebResult<Json<Vec<SlotDto>>> {
    let from = date(&query.from, "from")?;
    let to = date(&query.to, "to")?;
    let slots = state.app.list_slots(TestCentreId(id), from, to).await?;
    Ok(Json(slots.iter().map(SlotDto::new).collect()))
}

/// I1: registers without an account: the current agreement version accepted, the legal name
/// and ID number (A2), phone and email; the registration awaits its payment through the
/// institution's gateway. The answer's `manage_token` is the bearer token for this
/// registration and the retake that follows; the confirmation email (I4, within 10 minutes
/// of payment) carries the same link.
#[utoipa::path(
    post, path = "/api/v1/institution-registrations", tag = "institution",
    request_body = InstitutionRegistrationBody,
    responses(
        (status = 201, description = "Registered, awaiting payment", body = InstitutionRegisteredDto),
        (status = 404, description = "`not_found` (institution_id, certification)", body = ErrorBody),
        (status = 409, description = "`agreement_outdated` (I1), `certification_retired`, `already_registered` (A2), `top_up_unavailable` (no gateway)", body = ErrorBody),
        (status = 422, description = "`invalid_real_name`, `invalid_id_number` (A2), `invalid_phone`, `invalid_email`, `invalid_cert_code`, `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn register(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Json(body): Json<InstitutionRegistrationBody>,
) -> WebResult<(StatusCode, Json<InstitutionRegisteredDto>)> {
    let made = state
        .app
        .register_with_institution(body.into_input(), ctx.locale)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(InstitutionRegisteredDto {
            registration_id: made.registration.registration.id.get(),
            manage_token: made.manage_token,
            payment: InstitutionPaymentDto {
                id: made.payment.id.get(),
                amount_fen: made.payment.amount.get(),
                status: made.payment.status.as_str().to_owned(),
            },
            institution: InstitutionContactDto::new(&made.institution),
        }),
    ))
}

/// I1: the management link is sent again to the registration's email — when `email` is that
/// email and the registration is paid. The answer is the same either way, so nobody learns
/// whose registration it is.
#[utoipa::path(
    post, path = "/api/v1/institution-registrations/{id}/manage-link", tag = "institution",
    params(("id" = i64, Path, description = "Registration id")),
    request_body = ResendBody,
    responses(
        (status = 202, description = "Accepted"),
        (status = 422, description = "`invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn resend_manage_link(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(body): Json<ResendBody>,
) -> WebResult<StatusCode> {
    state
        .app
        .resend_manage_link(RegistrationId(id), &body.email)
        .await?;
    Ok(StatusCode::ACCEPTED)
}

/// I3/I5: books a slot for the registration, or moves its appointment there, with the
/// management token as the bearer token. A move by the candidate is allowed until the end of
/// the business day before the current appointment (a Monday's until Friday 24:00).
#[utoipa::path(
    post, path = "/api/v1/registrations/{id}/appointment", tag = "institution",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    request_body = AppointmentBody,
    responses(
        (status = 200, description = "Booked: the registration with its appointment", body = InstitutionRegistrationDto),
        (status = 401, description = "`unauthenticated` (no or a forged token); `link_expired` (I1)", body = ErrorBody),
        (status = 404, description = "`not_found`: not the token's registration, or (field `slot_id`) no such slot of its institution", body = ErrorBody),
        (status = 409, description = "`payment_pending` (I1), `registration_not_live`, `slot_not_bookable` (I3: weekend, holiday, past), `slot_full` (I3), `appointment_change_too_late` (I5, with `deadline`), `appointment_change_limit_reached`, `retake_wrong_centre` (I6)", body = ErrorBody),
        (status = 422, description = "`invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn book_appointment(
    State(state): State<AppState>,
    manage: ManageToken,
    Path(id): Path<i64>,
    Json(body): Json<AppointmentBody>,
) -> WebResult<Json<InstitutionRegistrationDto>> {
    let token = manage.0.ok_or(WebError::code(ErrorCode::Unauthenticated))?;
    let r = state
        .app
        .book_appointment(&token, RegistrationId(id), SlotId(body.slot_id))
        .await?;
    let deadlines = state.app.institution_deadlines(&r);
    Ok(Json(InstitutionRegistrationDto::new(&r, &deadlines)))
}
