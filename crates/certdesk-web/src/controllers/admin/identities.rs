//! The identity review queue (A4): list submissions, approve or reject with a reason.

use axum::extract::State;
use certdesk_domain::{AccountId, IdentityStatus};

use crate::dto::admin::StatusQuery;
use crate::dto::identity::{DecisionBody, ReviewItemDto};
use crate::dto::page::PageDto;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Path, Query};
use crate::input::parse_filter;
use crate::state::AppState;

/// Submissions, optionally of one status (`?status=pending` is the review queue).
#[utoipa::path(
    get, path = "/api/v1/admin/identities", tag = "operators",
    security(("bearer" = [])),
    params(StatusQuery),
    responses(
        (status = 200, description = "A page of submissions", body = PageDto<ReviewItemDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_identities(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(q): Query<StatusQuery>,
) -> WebResult<Json<PageDto<ReviewItemDto>>> {
    let status: Option<IdentityStatus> = parse_filter(q.status.as_deref(), "status")?;
    let page = state
        .app
        .list_identities(admin.account(), status, q.page().page_request()?)
        .await?;
    Ok(Json(PageDto::from_page(page, ReviewItemDto::new)))
}

/// A4: approves or rejects (with a reason) a pending submission.
#[utoipa::path(
    post, path = "/api/v1/admin/identities/{account_id}/decision", tag = "operators",
    security(("bearer" = [])),
    params(("account_id" = i64, Path, description = "The account whose submission is decided")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "Decided", body = ReviewItemDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`identity_not_pending`, `identity_in_use`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (reason)", body = ErrorBody),
    ),
)]
pub(crate) async fn decide_identity(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(account_id): Path<i64>,
    Json(body): Json<DecisionBody>,
) -> WebResult<Json<ReviewItemDto>> {
    let record = state
        .app
        .decide_identity(
            admin.account(),
            AccountId(account_id),
            body.approve,
            body.reason,
        )
        .await?;
    Ok(Json(ReviewItemDto::new(record)))
}
