//! `POST /api/v1/registrations/{id}/retake` (official channel): the free retake of a failed
//! first attempt (O8), answered 201 with the new registration.

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::{ExamPeriodId, RegistrationId};

use super::registrations::dto;
use crate::dto::orders::{RegistrationDto, RetakeBody};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAccount, Json, Path};
use crate::state::AppState;

/// O8: registers the free retake of a failed first attempt (a no-show's forfeits it under the
/// default policy) on an exam period of the same certification starting no later than 3
/// months after the first attempt's exam start, applied for before that period's start − 10
/// days, with a seat in `city`. The target's public registration window does not apply; the
/// retake has no order of its own and cannot be rescheduled. Only the holder (any verified
/// account of the person) may ask; anyone else's registration is `not_found`.
#[utoipa::path(
    post, path = "/api/v1/registrations/{id}/retake", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The first attempt's registration id")),
    request_body = RetakeBody,
    responses(
        (status = 201, description = "The retake registration (`attempt: \"retake\"`, `retake_of` the first attempt, no order); the first attempt now shows `retake_id` and no `retake_apply_until`", body = RegistrationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's registration, or (field `period_id` / `city`) an unknown period or a city it does not offer", body = ErrorBody),
        (status = 409, description = "Rule O8: `retake_not_eligible` (not a failed first attempt, a forfeiting no-show, a retake), `retake_used`, `retake_too_late` (with `deadline`: the first start + 3 months − 10 days, or the target's start − 10 days), `retake_target_out_of_range` (field `period_id`), `no_seats_left` (field `city`); rule A2: `already_registered`", body = ErrorBody),
        (status = 422, description = "`invalid_json`, `invalid_field` (city)", body = ErrorBody),
    ),
)]
pub(crate) async fn retake_registration(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Json(body): Json<RetakeBody>,
) -> WebResult<(StatusCode, Json<RegistrationDto>)> {
    let view = state
        .app
        .retake(
            who.account(),
            RegistrationId(id),
            ExamPeriodId(body.period_id),
            &body.city,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(dto(&view))))
}
