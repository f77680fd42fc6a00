//! `/admin/promises`: P1 per promise kind — kept on time, kept late, overdue now, pending.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin};
use crate::i18n::T;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub(crate) struct PromiseRow {
    pub kind: &'static str,
    pub label: &'static str,
    pub rule: &'static str,
    pub kept_on_time: u64,
    pub kept_late: u64,
    pub overdue: u64,
    pub pending: u64,
}

#[derive(Template)]
#[template(path = "admin/promises.html")]
struct PromisesPage {
    t: T,
    layout: Layout,
    active: &'static str,
    rows: Vec<PromiseRow>,
}

pub(crate) async fn show_promises(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
) -> WebResult<Response> {
    let summary = state.app.promise_summary(admin.account()).await?;
    let (t, layout) = chrome(&ctx);
    let rows = summary
        .iter()
        .map(|p| PromiseRow {
            kind: p.kind.as_str(),
            label: p.kind.label(ctx.locale),
            rule: p.kind.rule(),
            kept_on_time: p.kept_on_time,
            kept_late: p.kept_late,
            overdue: p.overdue,
            pending: p.pending,
        })
        .collect();
    html(
        StatusCode::OK,
        &PromisesPage {
            t,
            layout,
            active: "promises",
            rows,
        },
    )
}
