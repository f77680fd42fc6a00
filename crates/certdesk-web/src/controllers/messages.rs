//! `GET /api/v1/me/messages` and `POST /api/v1/me/messages/{id}/read`: the inbox (站内信).

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::MessageId;

use crate::dto::accounts::MessageDto;
use crate::dto::page::{PageDto, PageQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{Ctx, CurrentAccount, Json, Path, Query};
use crate::state::AppState;

/// The signed-in account's messages, newest first, in the request's language.
#[utoipa::path(
    get, path = "/api/v1/me/messages", tag = "accounts",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of messages", body = PageDto<MessageDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_messages(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Query(q): Query<PageQuery>,
) -> WebResult<Json<PageDto<MessageDto>>> {
    let page = state
        .app
        .list_messages(who.account(), q.page_request()?)
        .await?;
    Ok(Json(PageDto::from_page(page, |m| {
        MessageDto::new(m, ctx.locale)
    })))
}

/// Marks one of the caller's messages read; anyone else's is `not_found`.
#[utoipa::path(
    post, path = "/api/v1/me/messages/{id}/read", tag = "accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Message id")),
    responses(
        (status = 204, description = "Marked read"),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn mark_message_read(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<StatusCode> {
    state
        .app
        .mark_message_read(who.account(), MessageId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
