//! `/admin/tickets` (O11): the support-ticket queue with a status filter, and
//! `/admin/tickets/{id}`: a ticket's thread with the reply form (the status after the reply
//! chosen, "waiting for the candidate" by default; CSRF-protected, audited by the use case).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::SupportThread;
use certdesk_app::support::parse_status;
use certdesk_domain::{SupportSide, SupportTicketId, SupportTicketStatus};
use certdesk_store::PageRequest;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Path, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::support::{MessageRow, ReplyForm, TicketRow, message_rows};
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    status: Option<String>,
    cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TicketQuery {
    replied: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/tickets.html")]
struct QueuePage {
    t: T,
    layout: Layout,
    active: &'static str,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    tickets: Vec<TicketRow>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/ticket.html")]
struct TicketPage {
    t: T,
    layout: Layout,
    active: &'static str,
    statuses: Vec<(&'static str, &'static str)>,
    ticket: TicketRow,
    registration_id: Option<i64>,
    order_id: Option<i64>,
    closed: bool,
    messages: Vec<MessageRow>,
    form: ReplyForm,
    errors: FormErrors,
    done: bool,
}

fn statuses(t: T) -> Vec<(&'static str, &'static str)> {
    SupportTicketStatus::ALL
        .iter()
        .map(|s| (s.as_str(), t.support_status(*s)))
        .collect()
}

/// `GET /admin/tickets?status=&cursor=`.
pub(crate) async fn show_queue(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<QueueQuery>,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(parse_status(s)?),
    };
    let cursor = q.cursor.as_deref().and_then(|c| c.trim().parse().ok());
    let page = state
        .app
        .support_queue(
            admin.account(),
            status,
            PageRequest {
                limit: PAGE,
                cursor,
            },
        )
        .await?;
    let status = status.map(|s| s.as_str()).unwrap_or("");
    let page = QueuePage {
        t,
        layout,
        active: "tickets",
        statuses: statuses(t),
        status: status.to_owned(),
        tickets: page.items.iter().map(|x| TicketRow::new(t, x)).collect(),
        next: page
            .next_cursor
            .map(|c| format!("/admin/tickets?status={status}&cursor={c}")),
    };
    html(StatusCode::OK, &page)
}

fn ticket_page(
    ctx: &RequestContext,
    status: StatusCode,
    thread: &SupportThread,
    form: ReplyForm,
    errors: FormErrors,
    done: bool,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let page = TicketPage {
        t,
        layout,
        active: "tickets",
        statuses: statuses(t),
        ticket: TicketRow::new(t, &thread.ticket),
        registration_id: thread.ticket.registration_id.map(|r| r.get()),
        order_id: thread.ticket.order_id.map(|o| o.get()),
        closed: thread.ticket.status == SupportTicketStatus::Closed,
        messages: message_rows(t, thread, Some(SupportSide::Operator)),
        form,
        errors,
        done,
    };
    html(status, &page)
}

/// `GET /admin/tickets/{id}`.
pub(crate) async fn show_ticket(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Query(q): Query<TicketQuery>,
) -> WebResult<Response> {
    let thread = state
        .app
        .support_ticket(admin.account(), SupportTicketId(id))
        .await?;
    let done = q.replied.is_some();
    ticket_page(
        &ctx,
        StatusCode::OK,
        &thread,
        ReplyForm::default(),
        FormErrors::default(),
        done,
    )
}

/// `POST /admin/tickets/{id}/messages`: the operator's reply, with the status after it.
pub(crate) async fn submit_reply(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> WebResult<Response> {
    let id = SupportTicketId(id);
    let status = match form.status.trim() {
        "" => Ok(None),
        s => parse_status(s).map(Some),
    };
    let result = match status {
        Err(r) => Err(r.into()),
        Ok(status) => {
            state
                .app
                .answer_support_ticket(admin.account(), id, &form.message, status)
                .await
        }
    };
    match result {
        Ok(_) => Ok(see_other(&ctx, &format!("/admin/tickets/{id}?replied=1"))),
        Err(e) => {
            let r = form_refusal(e)?;
            let errors = FormErrors::from_refusal(&r, ctx.locale, &["message", "status"]);
            let thread = state.app.support_ticket(admin.account(), id).await?;
            ticket_page(&ctx, refusal_status(&r), &thread, form, errors, false)
        }
    }
}
