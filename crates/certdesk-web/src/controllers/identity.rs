//! `PUT /api/v1/me/identity`: real-name verification (A2, A4).

use axum::extract::State;

use crate::dto::identity::{IdentityBody, IdentityDto};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAccount, Json};
use crate::state::AppState;

/// Submits the legal name and ID number; verified at once in checksum mode, pending in
/// manual-review mode.
#[utoipa::path(
    put, path = "/api/v1/me/identity", tag = "accounts",
    security(("bearer" = [])),
    request_body = IdentityBody,
    responses(
        (status = 200, description = "Submitted", body = IdentityDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 409, description = "`identity_in_use`, `already_verified`", body = ErrorBody),
        (status = 422, description = "`invalid_id_number` (naming the part), `invalid_real_name`", body = ErrorBody),
    ),
)]
pub(crate) async fn submit_identity(
    State(state): State<AppState>,
    who: CurrentAccount,
    Json(body): Json<IdentityBody>,
) -> WebResult<Json<IdentityDto>> {
    let record = state
        .app
        .submit_identity(who.account(), &body.real_name, &body.id_number)
        .await?;
    Ok(Json(IdentityDto::new(&record)))
}
