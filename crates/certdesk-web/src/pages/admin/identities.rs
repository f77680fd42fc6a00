//! `/admin/identities`: the review queue (A4) — approve, or reject with a reason. htmx
//! replaces the decided row in place; a plain post comes back to the queue.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{AccountId, IdentityStatus};
use certdesk_store::IdentityRecord;
use serde::Deserialize;

use crate::dto::page::PageQuery;
use crate::error::{WebError, WebResult};
use crate::extract::{Ctx, CurrentAdmin, Form, Path, Query};
use crate::i18n::T;
use crate::input::parse_filter;
use crate::middleware::context::RequestContext;
use crate::pages::{Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub(crate) struct ReviewRow {
    pub account_id: i64,
    pub real_name: String,
    pub masked: String,
    pub submitted: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub pending: bool,
    pub reason: Option<String>,
    pub error: Option<String>,
}

impl ReviewRow {
    fn new(t: T, r: &IdentityRecord) -> ReviewRow {
        ReviewRow {
            account_id: r.account_id.get(),
            real_name: r.real_name.clone(),
            masked: r.id_number_masked.clone(),
            submitted: t.instant(r.submitted_at),
            status: r.status.as_str(),
            status_label: t.identity_status(r.status),
            pending: r.status == IdentityStatus::Pending,
            reason: r.reason.clone(),
            error: None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct QueueQuery {
    status: Option<String>,
    cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DecisionForm {
    /// `approve` or `reject`.
    decision: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "admin/identities.html")]
struct QueuePage {
    t: T,
    layout: Layout,
    active: &'static str,
    /// `pending` or `all`.
    filter: &'static str,
    rows: Vec<ReviewRow>,
    next_cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/identity_row.html")]
struct RowFragment {
    t: T,
    layout: Layout,
    row: ReviewRow,
}

async fn queue(
    state: &AppState,
    ctx: &RequestContext,
    admin: &CurrentAdmin,
    q: QueueQuery,
    error: Option<(i64, String)>,
    status: StatusCode,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let all = q.status.as_deref() == Some("all");
    let filter = if all {
        None
    } else {
        parse_filter::<IdentityStatus>(q.status.as_deref().or(Some("pending")), "status")?
    };
    let page_req = PageQuery {
        limit: None,
        cursor: q.cursor,
    }
    .page_request()?;
    let page = state
        .app
        .list_identities(admin.account(), filter, page_req)
        .await?;
    let rows = page
        .items
        .iter()
        .map(|r| {
            let mut row = ReviewRow::new(t, r);
            if let Some((id, msg)) = &error
                && *id == row.account_id
            {
                row.error = Some(msg.clone());
            }
            row
        })
        .collect();
    let filter = if all { "all" } else { "pending" };
    let next_cursor = page.next_cursor.map(|c| c.to_string());
    html(
        status,
        &QueuePage {
            t,
            layout,
            active: "identities",
            filter,
            rows,
            next_cursor,
        },
    )
}

pub(crate) async fn show_queue(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<QueueQuery>,
) -> WebResult<Response> {
    queue(&state, &ctx, &admin, q, None, StatusCode::OK).await
}

pub(crate) async fn decide(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(account_id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> WebResult<Response> {
    let approve = form.decision == "approve";
    let reason = Some(form.reason.clone()).filter(|r| !r.trim().is_empty());
    let result = state
        .app
        .decide_identity(admin.account(), AccountId(account_id), approve, reason)
        .await;
    let t = T(ctx.locale);
    match result {
        Ok(record) if ctx.htmx => {
            let (t, layout) = chrome(&ctx);
            html(
                StatusCode::OK,
                &RowFragment {
                    t,
                    layout,
                    row: ReviewRow::new(t, &record),
                },
            )
        }
        Ok(_) => Ok(see_other(&ctx, "/admin/identities")),
        Err(e) => {
            let r = form_refusal(e)?;
            let msg = r.message(ctx.locale);
            if ctx.htmx {
                let (_, layout) = chrome(&ctx);
                let current = state
                    .app
                    .list_identities(
                        admin.account(),
                        Some(IdentityStatus::Pending),
                        certdesk_store::PageRequest::first(certdesk_store::PageRequest::MAX_LIMIT),
                    )
                    .await?;
                if let Some(rec) = current
                    .items
                    .iter()
                    .find(|x| x.account_id.get() == account_id)
                {
                    let mut row = ReviewRow::new(t, rec);
                    row.error = Some(msg);
                    return html(refusal_status(&r), &RowFragment { t, layout, row });
                }
                // Not among the pending ones (decided meanwhile): the page's flash area says why.
                return Err(WebError::Refused(r));
            }
            queue(
                &state,
                &ctx,
                &admin,
                QueueQuery::default(),
                Some((account_id, msg)),
                refusal_status(&r),
            )
            .await
        }
    }
}
