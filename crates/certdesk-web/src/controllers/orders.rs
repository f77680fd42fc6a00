//! The official channel's orders (O5, O10): register and pay in one step, with an
//! `Idempotency-Key`; read an order; preview and request its refund.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use certdesk_app::Placed;
use certdesk_domain::{ErrorCode, IdempotencyKey, OrderId, Refusal};

use crate::dto::orders::{
    IdempotencyHeader, OrderBody, OrderDetailDto, OrderDto, PlacedDto, RefundDto, RefundPreviewDto,
    RefundedDto, RegistrationDto,
};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{CurrentAccount, Json, Path};
use crate::input::{order_input, parse_pay_first};
use crate::state::AppState;

/// The `201` body of a placed order, with the deadlines the use case computed (E3).
fn placed_dto(placed: &Placed) -> PlacedDto {
    PlacedDto {
        order: OrderDto::new(&placed.order),
        registration: RegistrationDto::new(&placed.registration, &placed.deadlines),
    }
}

/// O5: takes a seat in the city, spends the voucher, debits gift credit and cash (in the
/// chosen order) and confirms the registration — all or nothing. With an `Idempotency-Key`,
/// the same key and body answer the first `201` again without charging twice.
#[utoipa::path(
    post, path = "/api/v1/orders", tag = "official",
    security(("bearer" = [])),
    params(IdempotencyHeader),
    request_body = OrderBody,
    responses(
        (status = 201, description = "Paid and registered (or the replay of that answer)", body = PlacedDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`real_name_required` (A1)", body = ErrorBody),
        (status = 409, description = "`registration_not_open`, `registration_closed` (with `deadline`), `no_seats_left`, `already_registered`, `insufficient_balance`, `voucher_invalid`, `certification_retired`", body = ErrorBody),
        (status = 422, description = "`unknown_period`, `city_not_offered`, `invalid_field` (`Idempotency-Key`, pay_first), `idempotency_key_reused` (the key was used with another body: that request is unprocessable under it), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_order(
    State(state): State<AppState>,
    who: CurrentAccount,
    headers: HeaderMap,
    Json(body): Json<OrderBody>,
) -> WebResult<(StatusCode, Json<PlacedDto>)> {
    let key = match headers.get(IdempotencyKey::HEADER) {
        None => None,
        Some(v) => Some(v.to_str().map_err(|_| {
            WebError::from(Refusal::new(ErrorCode::InvalidField).field(IdempotencyKey::HEADER))
        })?),
    };
    let input = order_input(
        body.period_id,
        &body.city,
        body.voucher_code.as_deref(),
        parse_pay_first(body.pay_first.as_deref())?,
    );
    let placed = state
        .app
        .register_and_pay(who.account(), input, key)
        .await?;
    Ok((StatusCode::CREATED, Json(placed_dto(&placed))))
}

/// One of the caller's orders and its refund; anyone else's is `not_found`.
#[utoipa::path(
    get, path = "/api/v1/orders/{id}", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The order", body = OrderDetailDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_order(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<OrderDetailDto>> {
    let order = state.app.get_my_order(who.account(), OrderId(id)).await?;
    // The refund rides on the registration's view (the order's payer sees it there).
    let refund = match state
        .app
        .get_my_registration(who.account(), order.registration_id)
        .await
    {
        Ok(view) => view.refund,
        Err(e) if e.code() == Some(ErrorCode::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(Json(OrderDetailDto {
        order: OrderDto::new(&order),
        refund: refund.as_ref().map(RefundDto::new),
    }))
}

/// O10: what a refund requested now would return to cash and gift credit, the voucher part
/// forfeited, and the instant before which it must be requested.
#[utoipa::path(
    get, path = "/api/v1/orders/{id}/refund-preview", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "The refund a request now would make", body = RefundPreviewDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`already_refunded`, `refund_window_passed` (with `deadline`)", body = ErrorBody),
    ),
)]
pub(crate) async fn preview_refund(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<RefundPreviewDto>> {
    let plan = state.app.preview_refund(who.account(), OrderId(id)).await?;
    Ok(Json(RefundPreviewDto::new(&plan)))
}

/// O10: refunds the order (no reason needed within 120 h of payment): cash and gift credit
/// back in the proportion they paid, the voucher part forfeited, the seat released and the
/// registration cancelled.
#[utoipa::path(
    post, path = "/api/v1/orders/{id}/refund", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Order id")),
    responses(
        (status = 200, description = "Refunded", body = RefundedDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`already_refunded`, `refund_window_passed` (with `deadline`)", body = ErrorBody),
    ),
)]
pub(crate) async fn refund_order(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<RefundedDto>> {
    let refund = state.app.refund_order(who.account(), OrderId(id)).await?;
    Ok(Json(RefundedDto {
        refund: RefundDto::new(&refund),
    }))
}
