//! O11: a candidate's support tickets (工单) under `/api/v1/me/tickets`: open one, list and
//! read their own, reply, close. Anyone else's ticket is `not_found`, never `forbidden` (E2).

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_app::NewTicketInput;
use certdesk_domain::SupportTicketId;

use crate::dto::page::{PageDto, PageQuery};
use crate::dto::support::{NewTicketBody, SupportTicketDto, TicketMessageBody};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAccount, Json, Path, Query};
use crate::state::AppState;

/// Opens a support ticket with its first message, optionally about one of the caller's
/// registrations or orders.
#[utoipa::path(
    post, path = "/api/v1/me/tickets", tag = "support",
    security(("bearer" = [])),
    request_body = NewTicketBody,
    responses(
        (status = 201, description = "The ticket (`status: \"open\"`) with its first message", body = SupportTicketDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found` (field `registration_id` / `order_id`): not one of the caller's", body = ErrorBody),
        (status = 422, description = "`invalid_json`, `invalid_field` (category, subject, message)", body = ErrorBody),
    ),
)]
pub(crate) async fn open_ticket(
    State(state): State<AppState>,
    who: CurrentAccount,
    Json(body): Json<NewTicketBody>,
) -> WebResult<(StatusCode, Json<SupportTicketDto>)> {
    let input = NewTicketInput {
        category: body.category,
        subject: body.subject,
        message: body.message,
        registration_id: body.registration_id,
        order_id: body.order_id,
    };
    let ticket = state.app.open_support_ticket(who.account(), input).await?;
    let thread = state
        .app
        .my_support_ticket(who.account(), ticket.id)
        .await?;
    let dto = SupportTicketDto::with_thread(SupportTicketDto::mine(&thread.ticket), &thread);
    Ok((StatusCode::CREATED, Json(dto)))
}

/// The caller's tickets, newest first.
#[utoipa::path(
    get, path = "/api/v1/me/tickets", tag = "support",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the caller's tickets", body = PageDto<SupportTicketDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (limit, cursor)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_my_tickets(
    State(state): State<AppState>,
    who: CurrentAccount,
    Query(q): Query<PageQuery>,
) -> WebResult<Json<PageDto<SupportTicketDto>>> {
    let page = state
        .app
        .my_support_tickets(who.account(), q.page_request()?)
        .await?;
    Ok(Json(PageDto::from_page(page, |t| {
        SupportTicketDto::mine(&t)
    })))
}

/// One of the caller's tickets with its messages, oldest first.
#[utoipa::path(
    get, path = "/api/v1/me/tickets/{id}", tag = "support",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The ticket with `messages`", body = SupportTicketDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`: unknown, or not the caller's", body = ErrorBody),
    ),
)]
pub(crate) async fn get_my_ticket(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<SupportTicketDto>> {
    let thread = state
        .app
        .my_support_ticket(who.account(), SupportTicketId(id))
        .await?;
    let dto = SupportTicketDto::with_thread(SupportTicketDto::mine(&thread.ticket), &thread);
    Ok(Json(dto))
}

/// Replies in one of the caller's tickets: it goes back to the operators (`open`).
#[utoipa::path(
    post, path = "/api/v1/me/tickets/{id}/messages", tag = "support",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = TicketMessageBody,
    responses(
        (status = 201, description = "The ticket, now `open`, with `messages`", body = SupportTicketDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`: unknown, or not the caller's", body = ErrorBody),
        (status = 409, description = "Rule O11: `ticket_closed`", body = ErrorBody),
        (status = 422, description = "`invalid_json`, `invalid_field` (message)", body = ErrorBody),
    ),
)]
pub(crate) async fn reply_to_my_ticket(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Json(body): Json<TicketMessageBody>,
) -> WebResult<(StatusCode, Json<SupportTicketDto>)> {
    let thread = state
        .app
        .reply_to_my_support_ticket(who.account(), SupportTicketId(id), &body.message)
        .await?;
    let dto = SupportTicketDto::with_thread(SupportTicketDto::mine(&thread.ticket), &thread);
    Ok((StatusCode::CREATED, Json(dto)))
}

/// Closes one of the caller's tickets; no more replies on either side.
#[utoipa::path(
    post, path = "/api/v1/me/tickets/{id}/close", tag = "support",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The ticket, now `closed`", body = SupportTicketDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`: unknown, or not the caller's", body = ErrorBody),
        (status = 409, description = "Rule O11: `ticket_closed` (already)", body = ErrorBody),
    ),
)]
pub(crate) async fn close_my_ticket(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<SupportTicketDto>> {
    let ticket = state
        .app
        .close_my_support_ticket(who.account(), SupportTicketId(id))
        .await?;
    Ok(Json(SupportTicketDto::mine(&ticket)))
}
