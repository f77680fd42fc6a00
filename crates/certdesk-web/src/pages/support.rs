//! O11 for candidates: `/support` (my tickets and the new-ticket form, optionally about one
//! of my registrations) and `/support/{id}` (the thread, a reply form and a close button).
//! Every form carries the CSRF token; refusals are shown next to their field.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::{NewTicketInput, SupportThread};
use certdesk_domain::{
    ErrorCode, Refusal, SupportCategory, SupportSide, SupportTicketId, SupportTicketStatus,
};
use certdesk_store::{PageRequest, SupportTicket};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form, Path, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const PAGE: u32 = 20;
const NEW_FIELDS: [&str; 4] = ["category", "subject", "message", "registration_id"];

/// A ticket in a list, worded.
#[derive(Debug, Clone)]
pub(crate) struct TicketRow {
    pub id: i64,
    pub subject: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub category: &'static str,
    pub updated: String,
    pub email: String,
    pub waiting_since: String,
}

impl TicketRow {
    pub(crate) fn new(t: T, ticket: &SupportTicket) -> TicketRow {
        TicketRow {
            id: ticket.id.get(),
            subject: ticket.subject.clone(),
            status: ticket.status.as_str(),
            status_label: t.support_status(ticket.status),
            category: t.support_category(ticket.category),
            updated: t.instant(ticket.last_activity_at),
            email: ticket.account_email.as_str().to_owned(),
            waiting_since: t.instant(ticket.queued_at),
        }
    }
}

/// One message of a thread, worded.
#[derive(Debug, Clone)]
pub(crate) struct MessageRow {
    pub operator: bool,
    pub who: &'static str,
    pub at: String,
    pub body: String,
}

/// The thread's messages as either side reads them (`you` names the candidate's own side).
pub(crate) fn message_rows(
    t: T,
    thread: &SupportThread,
    you: Option<SupportSide>,
) -> Vec<MessageRow> {
    thread
        .messages
        .iter()
        .map(|m| MessageRow {
            operator: m.side == SupportSide::Operator,
            who: if Some(m.side) == you {
                t.support_you()
            } else {
                t.support_side(m.side)
            },
            at: t.instant(m.created_at),
            body: m.body.clone(),
        })
        .collect()
}

/// The new-ticket form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NewTicketForm {
    pub category: String,
    pub subject: String,
    pub message: String,
    pub registration_id: String,
}

/// The reply form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ReplyForm {
    pub message: String,
    /// Operators only: the status after the reply.
    pub status: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ThreadQuery {
    opened: Option<String>,
    replied: Option<String>,
    closed: Option<String>,
}

#[derive(Template)]
#[template(path = "support.html")]
struct SupportPage {
    t: T,
    layout: Layout,
    tickets: Vec<TicketRow>,
    next: Option<String>,
    categories: Vec<(&'static str, &'static str)>,
    /// My registrations to link: (id, label).
    registrations: Vec<(String, String)>,
    form: NewTicketForm,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "support_ticket.html")]
struct ThreadPage {
    t: T,
    layout: Layout,
    ticket: TicketRow,
    registration_id: Option<i64>,
    order_id: Option<i64>,
    closed: bool,
    messages: Vec<MessageRow>,
    form: ReplyForm,
    errors: FormErrors,
    /// A success flag's text.
    notice: Option<&'static str>,
}

async fn list_page(
    state: &AppState,
    ctx: &RequestContext,
    who: &CurrentAccount,
    status: StatusCode,
    cursor: Option<i64>,
    form: NewTicketForm,
    errors: FormErrors,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let page = state
        .app
        .my_support_tickets(
            who.account(),
            PageRequest {
                limit: PAGE,
                cursor,
            },
        )
        .await?;
    let registrations = state
        .app
        .list_my_registrations(who.account())
        .await?
        .into_iter()
        .map(|v| {
            let r = &v.registration;
            let city = r.city.as_deref().unwrap_or("");
            (
                r.id.get().to_string(),
                format!(
                    "{} · {city} · {}",
                    r.certification_code,
                    t.sitting(r.exam_starts_at)
                ),
            )
        })
        .collect();
    let page = SupportPage {
        t,
        layout,
        tickets: page.items.iter().map(|x| TicketRow::new(t, x)).collect(),
        next: page.next_cursor.map(|c| format!("/support?cursor={c}")),
        categories: SupportCategory::ALL
            .iter()
            .map(|c| (c.as_str(), t.support_category(*c)))
            .collect(),
        registrations,
        form,
        errors,
    };
    html(status, &page)
}

/// `GET /support`.
pub(crate) async fn show_support(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let cursor = q.cursor.and_then(|c| c.trim().parse().ok());
    let form = NewTicketForm::default();
    list_page(
        &state,
        &ctx,
        &who,
        StatusCode::OK,
        cursor,
        form,
        FormErrors::default(),
    )
    .await
}

/// `POST /support`: opens a ticket and shows its thread, or the form with what was wrong.
pub(crate) async fn submit_ticket(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Form(form): Form<NewTicketForm>,
) -> WebResult<Response> {
    let registration_id = match form.registration_id.trim() {
        "" => Ok(None),
        id => id.parse::<i64>().map(Some),
    };
    let result = match registration_id {
        Err(_) => Err(Refusal::new(ErrorCode::InvalidField)
            .field("registration_id")
            .into()),
        Ok(registration_id) => {
            let input = NewTicketInput {
                category: form.category.clone(),
                subject: form.subject.clone(),
                message: form.message.clone(),
                registration_id,
                order_id: None,
            };
            state.app.open_support_ticket(who.account(), input).await
        }
    };
    match result {
        Ok(ticket) => Ok(see_other(&ctx, &format!("/support/{}?opened=1", ticket.id))),
        Err(e) => {
            // A registration that is not mine is a mistake in this form, shown beside it.
            let r = match e.refusal() {
                Some(r)
                    if r.code == ErrorCode::NotFound
                        && r.field.as_deref() == Some("registration_id") =>
                {
                    r.clone()
                }
                _ => form_refusal(e)?,
            };
            let errors = FormErrors::from_refusal(&r, ctx.locale, &NEW_FIELDS);
            list_page(&state, &ctx, &who, refusal_status(&r), None, form, errors).await
        }
    }
}

async fn thread_page(
    ctx: &RequestContext,
    status: StatusCode,
    thread: &SupportThread,
    form: ReplyForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let page = ThreadPage {
        t,
        layout,
        ticket: TicketRow::new(t, &thread.ticket),
        registration_id: thread.ticket.registration_id.map(|r| r.get()),
        order_id: thread.ticket.order_id.map(|o| o.get()),
        closed: thread.ticket.status == SupportTicketStatus::Closed,
        messages: message_rows(t, thread, Some(SupportSide::Candidate)),
        form,
        errors,
        notice,
    };
    html(status, &page)
}

/// `GET /support/{id}`: one of my tickets; anyone else's is the not-found page.
pub(crate) async fn show_ticket(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Query(q): Query<ThreadQuery>,
) -> WebResult<Response> {
    let thread = state
        .app
        .my_support_ticket(who.account(), SupportTicketId(id))
        .await?;
    let t = T(ctx.locale);
    let notice = if q.opened.is_some() {
        Some(t.support_opened())
    } else if q.replied.is_some() {
        Some(t.support_replied())
    } else if q.closed.is_some() {
        Some(t.support_closed_done())
    } else {
        None
    };
    let form = ReplyForm::default();
    thread_page(
        &ctx,
        StatusCode::OK,
        &thread,
        form,
        FormErrors::default(),
        notice,
    )
    .await
}

/// `POST /support/{id}/messages`: my reply; the ticket goes back to the operators.
pub(crate) async fn submit_reply(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> WebResult<Response> {
    let id = SupportTicketId(id);
    match state
        .app
        .reply_to_my_support_ticket(who.account(), id, &form.message)
        .await
    {
        Ok(_) => Ok(see_other(&ctx, &format!("/support/{id}?replied=1"))),
        Err(e) => {
            let r = form_refusal(e)?;
            let errors = FormErrors::from_refusal(&r, ctx.locale, &["message"]);
            let thread = state.app.my_support_ticket(who.account(), id).await?;
            thread_page(&ctx, refusal_status(&r), &thread, form, errors, None).await
        }
    }
}

/// `POST /support/{id}/close`: I close my ticket.
pub(crate) async fn submit_close(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let id = SupportTicketId(id);
    match state.app.close_my_support_ticket(who.account(), id).await {
        Ok(_) => Ok(see_other(&ctx, &format!("/support/{id}?closed=1"))),
        Err(e) => {
            let r = form_refusal(e)?;
            let errors = FormErrors::from_refusal(&r, ctx.locale, &[]);
            let thread = state.app.my_support_ticket(who.account(), id).await?;
            let form = ReplyForm::default();
            thread_page(&ctx, refusal_status(&r), &thread, form, errors, None).await
        }
    }
}
