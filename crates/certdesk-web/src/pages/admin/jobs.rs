//! `/admin/jobs`: jobs that ran out of retries (P2), each with a retry button.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::JobId;
use certdesk_store::{Job, JobStatus};

use crate::dto::page::PageQuery;
use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Path, Query};
use crate::i18n::T;
use crate::pages::{Layout, chrome, html, see_other};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub(crate) struct JobRow {
    pub id: i64,
    pub kind: String,
    pub channel: String,
    pub attempts: String,
    pub last_error: String,
    pub updated: String,
    pub dead: bool,
}

impl JobRow {
    fn new(t: T, j: &Job) -> JobRow {
        JobRow {
            id: j.id.get(),
            kind: j.kind.clone(),
            channel: j.channel.clone().unwrap_or_else(|| "—".to_owned()),
            attempts: format!("{}/{}", j.attempts, j.max_attempts),
            last_error: j.last_error.clone().unwrap_or_default(),
            updated: t.instant(j.updated_at),
            dead: j.status == JobStatus::Dead,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    t: T,
    layout: Layout,
    active: &'static str,
    rows: Vec<JobRow>,
    next_cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/job_row.html")]
struct JobRowFragment {
    t: T,
    layout: Layout,
    row: JobRow,
}

pub(crate) async fn show_jobs(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<PageQuery>,
) -> WebResult<Response> {
    let page = state
        .app
        .list_jobs(admin.account(), Some(JobStatus::Dead), q.page_request()?)
        .await?;
    let (t, layout) = chrome(&ctx);
    let rows = page.items.iter().map(|j| JobRow::new(t, j)).collect();
    let next_cursor = page.next_cursor.map(|c| c.to_string());
    html(
        StatusCode::OK,
        &JobsPage {
            t,
            layout,
            active: "jobs",
            rows,
            next_cursor,
        },
    )
}

pub(crate) async fn retry_job(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let job = state.app.retry_job(admin.account(), JobId(id)).await?;
    if ctx.htmx {
        let (t, layout) = chrome(&ctx);
        return html(
            StatusCode::OK,
            &JobRowFragment {
                t,
                layout,
                row: JobRow::new(t, &job),
            },
        );
    }
    Ok(see_other(&ctx, "/admin/jobs"))
}
