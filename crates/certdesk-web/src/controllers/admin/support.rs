//! O11: operators' support-ticket queue and replies under `/api/v1/admin/tickets`.

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_app::support::parse_status;
use certdesk_domain::SupportTicketId;

use crate::dto::page::PageDto;
use crate::dto::support::{OperatorReplyBody, SupportTicketDto, TicketQueueQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Path, Query};
use crate::state::AppState;

/// The queue: `open` tickets first, the longest waiting first, then those waiting for the
/// candidate, resolved and closed; `?status=` keeps one status.
#[utoipa::path(
    get, path = "/api/v1/admin/tickets", tag = "operators",
    security(("bearer" = [])),
    params(TicketQueueQuery),
    responses(
        (status = 200, description = "A page of tickets", body = PageDto<SupportTicketDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (status, limit, cursor)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_tickets(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(q): Query<TicketQueueQuery>,
) -> WebResult<Json<PageDto<SupportTicketDto>>> {
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(parse_status(s)?),
    };
    let page = state
        .app
        .support_queue(admin.account(), status, q.page().page_request()?)
        .await?;
    Ok(Json(PageDto::from_page(page, |t| {
        SupportTicketDto::operator(&t)
    })))
}

/// Any ticket with its messages.
#[utoipa::path(
    get, path = "/api/v1/admin/tickets/{id}", tag = "operators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    responses(
        (status = 200, description = "The ticket with `messages`", body = SupportTicketDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_ticket(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> WebResult<Json<SupportTicketDto>> {
    let thread = state
        .app
        .support_ticket(admin.account(), SupportTicketId(id))
        .await?;
    let dto = SupportTicketDto::with_thread(SupportTicketDto::operator(&thread.ticket), &thread);
    Ok(Json(dto))
}

/// Answers a ticket (audited): it then waits for the candidate unless `status` says
/// otherwise, and the candidate gets an inbox message.
#[utoipa::path(
    post, path = "/api/v1/admin/tickets/{id}/messages", tag = "operators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = OperatorReplyBody,
    responses(
        (status = 201, description = "The ticket with `messages`", body = SupportTicketDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "Rule O11: `ticket_closed`", body = ErrorBody),
        (status = 422, description = "`invalid_json`, `invalid_field` (message, status)", body = ErrorBody),
    ),
)]
pub(crate) async fn reply_to_ticket(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Json(body): Json<OperatorReplyBody>,
) -> WebResult<(StatusCode, Json<SupportTicketDto>)> {
    let status = match body.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(parse_status(s)?),
    };
    let thread = state
        .app
        .answer_support_ticket(admin.account(), SupportTicketId(id), &body.message, status)
        .await?;
    let dto = SupportTicketDto::with_thread(SupportTicketDto::operator(&thread.ticket), &thread);
    Ok((StatusCode::CREATED, Json(dto)))
}
