//! P2: jobs, the dead ones among them, and sending a dead job back to the queue.

use axum::extract::State;
use certdesk_domain::JobId;
use certdesk_store::JobStatus;

use crate::dto::admin::{JobDto, StatusQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Path, Query};
use crate::input::parse_filter;
use crate::state::AppState;

/// Jobs, optionally of one status; `?status=dead` lists those that ran out of retries (P2).
/// API.md gives this route a plain array; `?limit=&cursor=` still page it, and the next
/// page's cursor comes back in the `x-next-cursor` header.
#[utoipa::path(
    get, path = "/api/v1/admin/jobs", tag = "operators",
    security(("bearer" = [])),
    params(StatusQuery),
    responses(
        (status = 200, description = "Jobs, newest first; `x-next-cursor` names the next page", body = Vec<JobDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_jobs(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(q): Query<StatusQuery>,
) -> WebResult<impl axum::response::IntoResponse> {
    let status: Option<JobStatus> = parse_filter(q.status.as_deref(), "status")?;
    let page = state
        .app
        .list_jobs(admin.account(), status, q.page().page_request()?)
        .await?;
    let mut headers = axum::http::HeaderMap::new();
    if let Some(cursor) = page.next_cursor {
        headers.insert("x-next-cursor", axum::http::HeaderValue::from(cursor));
    }
    let jobs: Vec<JobDto> = page.items.into_iter().map(JobDto::new).collect();
    Ok((headers, Json(jobs)))
}

/// Sends a dead job back to the queue, to run now (audited).
#[utoipa::path(
    post, path = "/api/v1/admin/jobs/{id}/retry", tag = "operators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses(
        (status = 200, description = "Queued again", body = JobDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`job_not_dead`", body = ErrorBody),
    ),
)]
pub(crate) async fn retry_job(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> WebResult<Json<JobDto>> {
    let job = state.app.retry_job(admin.account(), JobId(id)).await?;
    Ok(Json(JobDto::new(job)))
}
