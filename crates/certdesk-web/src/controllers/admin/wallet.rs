//! Operators credit accounts (O5, with a reason, audited), issue vouchers, and watch the
//! timed promises (P1).

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::{AccountId, PromiseKind};

use crate::dto::page::PageDto;
use crate::dto::wallet::{
    CreditBody, IssuedVoucherDto, LedgerEntryDto, OverduePromiseDto, OverdueQuery,
    PromiseSummaryDto, VoucherBody,
};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{Ctx, CurrentAdmin, Json, Path, Query};
use crate::input::{parse_filter, parse_instant};
use crate::state::AppState;

/// Credits an account's cash or gift balance.
#[utoipa::path(
    post, path = "/api/v1/admin/accounts/{id}/credits", tag = "operators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The account credited")),
    request_body = CreditBody,
    responses(
        (status = 201, description = "Credited: the ledger entry", body = LedgerEntryDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (account)", body = ErrorBody),
        (status = 422, description = "`invalid_amount`, `invalid_field` (kind, reason)", body = ErrorBody),
    ),
)]
pub(crate) async fn credit_account(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Json(body): Json<CreditBody>,
) -> WebResult<(StatusCode, Json<LedgerEntryDto>)> {
    let entry = state
        .app
        .credit_account(
            admin.account(),
            AccountId(id),
            &body.kind,
            body.amount_fen,
            &body.reason,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(LedgerEntryDto::new(&entry, ctx.locale)),
    ))
}

/// Issues a single-use voucher to an account.
#[utoipa::path(
    post, path = "/api/v1/admin/vouchers", tag = "operators",
    security(("bearer" = [])),
    request_body = VoucherBody,
    responses(
        (status = 201, description = "Issued", body = IssuedVoucherDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (account)", body = ErrorBody),
        (status = 422, description = "`invalid_amount`, `invalid_field` (expires_at in the past), `invalid_date`", body = ErrorBody),
    ),
)]
pub(crate) async fn issue_voucher(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<VoucherBody>,
) -> WebResult<(StatusCode, Json<IssuedVoucherDto>)> {
    let expires_at = parse_instant(&body.expires_at, "expires_at")?;
    let voucher = state
        .app
        .issue_voucher(
            admin.account(),
            AccountId(body.account_id),
            body.face_value_fen,
            body.min_spend_fen,
            expires_at,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(IssuedVoucherDto::new(&voucher))))
}

/// P1: per promise kind, how many were kept on time, kept late, are overdue now, pending.
#[utoipa::path(
    get, path = "/api/v1/admin/promises", tag = "operators",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Per kind", body = Vec<PromiseSummaryDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_promises(
    State(state): State<AppState>,
    admin: CurrentAdmin,
) -> WebResult<Json<Vec<PromiseSummaryDto>>> {
    let rows = state.app.promise_summary(admin.account()).await?;
    Ok(Json(
        rows.iter()
            .map(|p| PromiseSummaryDto {
                kind: p.kind.as_str().to_owned(),
                kept_on_time: p.kept_on_time,
                kept_late: p.kept_late,
                overdue: p.overdue,
                pending: p.pending,
            })
            .collect(),
    ))
}

/// P1: the promises overdue now (the summary's `overdue`), of one kind or all, most overdue
/// first (due time, then id).
#[utoipa::path(
    get, path = "/api/v1/admin/promises/overdue", tag = "operators",
    security(("bearer" = [])),
    params(OverdueQuery),
    responses(
        (status = 200, description = "A page of overdue promises, most overdue first", body = PageDto<OverduePromiseDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (kind, limit, cursor)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_overdue_promises(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(q): Query<OverdueQuery>,
) -> WebResult<Json<PageDto<OverduePromiseDto>>> {
    let kind: Option<PromiseKind> = parse_filter(q.kind.as_deref(), "kind")?;
    let page = state
        .app
        .overdue_promises(admin.account(), kind, q.page().page_request()?)
        .await?;
    Ok(Json(PageDto::from_page(page, OverduePromiseDto::new)))
}
