//! The caller's wallet (O5): `GET /api/v1/me/wallet`, `GET /api/v1/me/ledger` and
//! `POST /api/v1/me/top-ups` (cash in through the payment gateway).

use axum::extract::State;
use axum::http::StatusCode;

use crate::dto::page::{PageDto, PageQuery};
use crate::dto::wallet::{LedgerEntryDto, PaymentDto, TopUpBody, TopUpDto, VoucherDto, WalletDto};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{Ctx, CurrentAccount, Json, Query};
use crate::state::AppState;

/// Cash and gift balances and the vouchers (used and expired ones too).
#[utoipa::path(
    get, path = "/api/v1/me/wallet", tag = "wallet",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The wallet", body = WalletDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_wallet(
    State(state): State<AppState>,
    who: CurrentAccount,
) -> WebResult<Json<WalletDto>> {
    let w = state.app.wallet(who.account()).await?;
    let now = state.app.now();
    Ok(Json(WalletDto {
        cash_fen: w.balance.cash.get(),
        gift_fen: w.balance.gift.get(),
        vouchers: w.vouchers.iter().map(|v| VoucherDto::new(v, now)).collect(),
    }))
}

/// The ledger behind the balances, newest first, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/me/ledger", tag = "wallet",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of ledger entries", body = PageDto<LedgerEntryDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (limit, cursor)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_ledger(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Query(q): Query<PageQuery>,
) -> WebResult<Json<PageDto<LedgerEntryDto>>> {
    let page = state.app.ledger(who.account(), q.page_request()?).await?;
    Ok(Json(PageDto::from_page(page, |e| {
        LedgerEntryDto::new(&e, ctx.locale)
    })))
}

/// Starts a cash top-up; the balance grows when the gateway reports it paid.
#[utoipa::path(
    post, path = "/api/v1/me/top-ups", tag = "wallet",
    security(("bearer" = [])),
    request_body = TopUpBody,
    responses(
        (status = 201, description = "Pending: pay at `checkout_url`", body = TopUpDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`invalid_amount` (zero, negative, fractional, above ¥50,000.00)", body = ErrorBody),
    ),
)]
pub(crate) async fn start_top_up(
    State(state): State<AppState>,
    who: CurrentAccount,
    Json(body): Json<TopUpBody>,
) -> WebResult<(StatusCode, Json<TopUpDto>)> {
    let payment = state
        .app
        .start_top_up(who.account(), body.amount_fen)
        .await?;
    let checkout_url = state.app.checkout_url(&payment).await?;
    Ok((
        StatusCode::CREATED,
        Json(TopUpDto {
            checkout_url,
            payment: PaymentDto::new(&payment),
        }),
    ))
}
