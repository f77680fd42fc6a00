//! `POST /api/v1/registrations/{id}/retake` (official channel): the free retake of a failed
//! first attempt (O8), answered 201 with the new registration.

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::{ExamPeriodId, RegistrationId};

use super::registrations::dto;
use crate::dto::institution::{AppointmentBody, InstitutionRegistrationDto};
use crate::dto::orders::{RegistrationAnswer, RetakeBody, RetakeRequest};
use crate::error::WebError;
use crate::error::{ErrorBody, WebResult};
use crate::extract::json;
use crate::extract::{Json, ManageToken, MaybeAccount, Path, RawBody};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use certdesk_domain::{ErrorCode, SlotId};

/// O8: registers the free retake of a failed first attempt (a no-show's forfeits it under the
/// default policy) on an exam period of the same certification starting no later than 3
/// months after the first attempt's exam start, applied for before that period's start − 10
/// days, with a seat in `city`. The target's public registration window does not apply; the
/// retake has no order of its own and cannot be rescheduled. Only the holder (any verified
/// account of the person) may ask; anyone else's registration is `not_found`.
///
/// Institution channel (I6), with the management token as the bearer token and `{slot_id}`:
/// the free retake of a failed first attempt booked at once on a slot of the same test centre
/// (`retake_wrong_centre` otherwise) starting within 3 months of the first exam.
#[utoipa::path(
    post, path = "/api/v1/registrations/{id}/retake", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The first attempt's registration id")),
    request_body = RetakeRequest,
    responses(
        (status = 201, description = "Official channel (`{period_id, city}` with a session): the retake registration (`attempt: \"retake\"`, `retake_of` the first attempt, no order); the first attempt now shows `retake_id` and no `retake_apply_until`. Institution channel (`{slot_id}` with the management token): the retake, booked", body = RegistrationAnswer),
        (status = 401, description = "`unauthenticated`; `link_expired` (I1)", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's registration, or (field `period_id` / `city`) an unknown period or a city it does not offer", body = ErrorBody),
        (status = 409, description = "Rule O8: `retake_not_eligible` (not a failed first attempt, a forfeiting no-show, a retake), `retake_used`, `retake_too_late` (with `deadline`: the first start + 3 months − 10 days, or the target's start − 10 days), `retake_target_out_of_range` (field `period_id`), `no_seats_left` (field `city`); rule A2: `already_registered`; rule I6: `retake_wrong_centre`, and I3's `slot_not_bookable`, `slot_full`", body = ErrorBody),
        (status = 422, description = "`invalid_json`, `invalid_field` (city)", body = ErrorBody),
    ),
)]
pub(crate) async fn retake_registration(
    State(state): State<AppState>,
    who: MaybeAccount,
    manage: ManageToken,
    Path(id): Path<i64>,
    RawBody(body): RawBody,
) -> WebResult<Response> {
    let id = RegistrationId(id);
    if let Some(auth) = who.0 {
        let body: RetakeBody = json::parse(&body)?;
        let view = state
            .app
            .retake(&auth.account, id, ExamPeriodId(body.period_id), &body.city)
            .await?;
        return Ok((StatusCode::CREATED, Json(dto(&view))).into_response());
    }
    // I6: the institution's retake, through the management link: `{slot_id}`.
    let token = manage.0.ok_or(WebError::code(ErrorCode::Unauthenticated))?;
    let body: AppointmentBody = json::parse(&body)?;
    let r = state
        .app
        .institution_retake(&token, id, SlotId(body.slot_id))
        .await?;
    let deadlines = state.app.institution_deadlines(&r);
    Ok((
        StatusCode::CREATED,
        Json(InstitutionRegistrationDto::new(&r, &deadlines)),
    )
        .into_response())
}
