//! `POST /api/v1/accounts`: sign up.

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_app::SignUpInput;

use crate::dto::accounts::{AccountCreatedDto, SignUpBody};
use crate::error::{ErrorBody, WebResult};
use crate::extract::Json;
use crate::state::AppState;

/// Creates a candidate account.
#[utoipa::path(
    post, path = "/api/v1/accounts", tag = "accounts",
    request_body = SignUpBody,
    responses(
        (status = 201, description = "Account created", body = AccountCreatedDto),
        (status = 409, description = "`email_taken`", body = ErrorBody),
        (status = 422, description = "`invalid_email`, `invalid_password`, `invalid_phone`, `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_account(
    State(state): State<AppState>,
    Json(body): Json<SignUpBody>,
) -> WebResult<(StatusCode, Json<AccountCreatedDto>)> {
    let account = state
        .app
        .sign_up(SignUpInput {
            email: body.email,
            password: body.password,
            phone: body.phone,
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(AccountCreatedDto {
            id: account.id.get(),
            email: account.email.as_str().to_owned(),
        }),
    ))
}
