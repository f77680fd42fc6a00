//! The audit log, newest first.

use axum::extract::State;

use crate::dto::admin::AuditDto;
use crate::dto::page::{PageDto, PageQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Query};
use crate::state::AppState;

/// Who did what to what, newest first.
#[utoipa::path(
    get, path = "/api/v1/admin/audit", tag = "operators",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of audit entries", body = PageDto<AuditDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_audit(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(q): Query<PageQuery>,
) -> WebResult<Json<PageDto<AuditDto>>> {
    let page = state
        .app
        .list_audit(admin.account(), q.page_request()?)
        .await?;
    Ok(Json(PageDto::from_page(page, AuditDto::new)))
}
