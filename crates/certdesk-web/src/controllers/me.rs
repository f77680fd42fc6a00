//! `GET /api/v1/me` and `PUT /api/v1/me/contacts`.

use axum::extract::State;
use certdesk_app::ContactsInput;

use crate::dto::accounts::{ContactsBody, MeDto};
use crate::dto::identity::IdentityDto;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAccount, Json};
use crate::state::AppState;

async fn me_dto(state: &AppState, who: &CurrentAccount) -> WebResult<MeDto> {
    let me = state.app.me(who.account()).await?;
    Ok(MeDto::new(
        &me.account,
        me.identity.as_ref().map(IdentityDto::new),
    ))
}

/// The signed-in account and its identity (ID number masked).
#[utoipa::path(
    get, path = "/api/v1/me", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = MeDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_me(
    State(state): State<AppState>,
    who: CurrentAccount,
) -> WebResult<Json<MeDto>> {
    Ok(Json(me_dto(&state, &who).await?))
}

/// Replaces the contact details and opt-outs (O6); answers the account.
#[utoipa::path(
    put, path = "/api/v1/me/contacts", tag = "accounts",
    security(("bearer" = [])),
    request_body = ContactsBody,
    responses(
        (status = 200, description = "Updated", body = MeDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`invalid_phone`, `invalid_email` (not an email address), `invalid_field` (email: not the log-in email; wechat_openid, opted_out)", body = ErrorBody),
    ),
)]
pub(crate) async fn update_contacts(
    State(state): State<AppState>,
    who: CurrentAccount,
    Json(body): Json<ContactsBody>,
) -> WebResult<Json<MeDto>> {
    let input = ContactsInput {
        phone: body.phone,
        email: body.email,
        wechat_openid: body.wechat_openid,
        opted_out: body.opted_out,
    };
    state.app.update_contacts(who.account(), input).await?;
    Ok(Json(me_dto(&state, &who).await?))
}
