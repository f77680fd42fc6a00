//! `/admin/audit`: the audit log, newest first, a page at a time.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_store::AuditEntry;

use crate::dto::page::PageQuery;
use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Query};
use crate::i18n::T;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub(crate) struct AuditRow {
    pub at: String,
    pub actor: Option<i64>,
    pub action: String,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

impl AuditRow {
    fn new(t: T, e: &AuditEntry) -> AuditRow {
        AuditRow {
            at: t.instant(e.at),
            actor: e.actor.map(|a| a.get()),
            action: e.action.clone(),
            target: format!("{} {}", e.target_kind, e.target_id),
            before: e.before.as_ref().map(pretty),
            after: e.after.as_ref().map(pretty),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    t: T,
    layout: Layout,
    active: &'static str,
    rows: Vec<AuditRow>,
    next_cursor: Option<String>,
}

pub(crate) async fn show_audit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<PageQuery>,
) -> WebResult<Response> {
    let page = state
        .app
        .list_audit(admin.account(), q.page_request()?)
        .await?;
    let (t, layout) = chrome(&ctx);
    let rows = page.items.iter().map(|e| AuditRow::new(t, e)).collect();
    let next_cursor = page.next_cursor.map(|c| c.to_string());
    html(
        StatusCode::OK,
        &AuditPage {
            t,
            layout,
            active: "audit",
            rows,
            next_cursor,
        },
    )
}
