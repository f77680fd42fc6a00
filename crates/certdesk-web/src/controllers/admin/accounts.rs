//! Every account, for operators.

use axum::extract::State;

use crate::dto::admin::AccountDto;
use crate::dto::page::{PageDto, PageQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Query};
use crate::state::AppState;

/// Accounts (never their password hashes).
#[utoipa::path(
    get, path = "/api/v1/admin/accounts", tag = "operators",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of accounts", body = PageDto<AccountDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_accounts(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(q): Query<PageQuery>,
) -> WebResult<Json<PageDto<AccountDto>>> {
    let page = state
        .app
        .list_accounts(admin.account(), q.page_request()?)
        .await?;
    Ok(Json(PageDto::from_page(page, AccountDto::new)))
}
