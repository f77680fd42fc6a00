//! A4: the verifier mode, read and switched by operators.

use axum::extract::State;

use crate::dto::identity::VerificationModeDto;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json};
use crate::input::parse_verification_mode;
use crate::state::AppState;

/// The verifier in force.
#[utoipa::path(
    get, path = "/api/v1/admin/settings/verification-mode", tag = "operators",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The mode", body = VerificationModeDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_verification_mode(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
) -> WebResult<Json<VerificationModeDto>> {
    let mode = state.app.verification_mode().await?;
    Ok(Json(VerificationModeDto {
        mode: mode.as_str().to_owned(),
    }))
}

/// Switches the verifier (audited).
#[utoipa::path(
    put, path = "/api/v1/admin/settings/verification-mode", tag = "operators",
    security(("bearer" = [])),
    request_body = VerificationModeDto,
    responses(
        (status = 200, description = "Switched", body = VerificationModeDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (mode)", body = ErrorBody),
    ),
)]
pub(crate) async fn set_verification_mode(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<VerificationModeDto>,
) -> WebResult<Json<VerificationModeDto>> {
    let mode = parse_verification_mode(&body.mode)?;
    state
        .app
        .set_verification_mode(admin.account(), mode)
        .await?;
    Ok(Json(VerificationModeDto {
        mode: mode.as_str().to_owned(),
    }))
}
