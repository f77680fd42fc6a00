//! `POST /api/v1/sessions` (log in, bearer token) and `DELETE /api/v1/sessions` (log out).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use certdesk_store::SessionKind;
use secrecy::ExposeSecret;

use crate::dto::accounts::{LogInBody, SessionDto};
use crate::dto::rfc3339;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{Ctx, CurrentAccount, Json};
use crate::middleware::context::bearer;
use crate::state::AppState;

/// Logs in; answers a bearer token. Throttled per email and per client address
/// (`too_many_attempts` with the instant the lock lifts).
#[utoipa::path(
    post, path = "/api/v1/sessions", tag = "accounts",
    request_body = LogInBody,
    responses(
        (status = 200, description = "Logged in", body = SessionDto),
        (status = 401, description = "`invalid_credentials`", body = ErrorBody),
        (status = 429, description = "`too_many_attempts`, with `deadline`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_session(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Json(body): Json<LogInBody>,
) -> WebResult<Json<SessionDto>> {
    let logged_in = state
        .app
        .log_in(&body.email, &body.password, SessionKind::Api, ctx.client)
        .await?;
    Ok(Json(SessionDto {
        token: logged_in.token.expose_secret().to_owned(),
        account_id: logged_in.account.id.get(),
        expires_at: rfc3339(logged_in.expires_at),
    }))
}

/// Logs out: the bearer token stops working.
#[utoipa::path(
    delete, path = "/api/v1/sessions", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    ),
)]
pub(crate) async fn delete_session(
    State(state): State<AppState>,
    _who: CurrentAccount,
    headers: HeaderMap,
) -> WebResult<StatusCode> {
    if let Some(token) = bearer(&headers) {
        state.app.log_out(token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
