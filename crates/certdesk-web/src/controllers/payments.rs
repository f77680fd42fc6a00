//! Payment gateways (O5): the signed callback — no session and no CSRF token: the signature
//! over the raw body is the authentication — and, with the test clock only, the sandbox
//! gateway's "paid" report.

use axum::extract::State;
use axum::http::HeaderMap;
use certdesk_domain::{ErrorCode, PaymentId};

use crate::dto::wallet::{PaymentDto, PaymentOutcomeDto};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{Json, Path, RawBody};
use crate::state::AppState;

/// The headers as the gateways read them: (name, value) pairs; values that are not visible
/// ASCII are left out (no gateway signs with them).
fn header_pairs(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect()
}

fn outcome_dto(o: &certdesk_store::PaymentOutcome) -> PaymentOutcomeDto {
    PaymentOutcomeDto {
        payment: PaymentDto::new(&o.payment),
        credited: o.credited,
    }
}

/// The gateway's signed notification; idempotent: the same notification twice credits once.
#[utoipa::path(
    post, path = "/api/v1/payments/{gateway}/callback", tag = "wallet",
    params(("gateway" = String, Path, description = "The gateway's name, e.g. `sandbox`")),
    request_body(content = String, description = "The gateway's notification, exactly as sent (its signature covers these bytes)"),
    responses(
        (status = 200, description = "Recorded (`credited` false for a repeat)", body = PaymentOutcomeDto),
        (status = 401, description = "`unauthenticated`: a missing or bad signature", body = ErrorBody),
        (status = 404, description = "`not_found`: no such gateway or payment", body = ErrorBody),
        (status = 422, description = "A notification that does not parse", body = ErrorBody),
    ),
)]
pub(crate) async fn payment_callback(
    State(state): State<AppState>,
    Path(gateway): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> WebResult<Json<PaymentOutcomeDto>> {
    let headers = header_pairs(&headers);
    let outcome = state
        .app
        .payment_callback(&gateway, &headers, &body)
        .await?;
    Ok(Json(outcome_dto(&outcome)))
}

/// T3: the sandbox gateway reports the payment paid (only with `--test-clock`).
#[utoipa::path(
    post, path = "/api/v1/test/payments/{payment_id}/succeed", tag = "test",
    params(("payment_id" = i64, Path, description = "Payment id")),
    responses(
        (status = 200, description = "Paid (`credited` false for a repeat)", body = PaymentOutcomeDto),
        (status = 404, description = "`not_found`; or the server runs without `--test-clock`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (a cancelled payment)", body = ErrorBody),
    ),
)]
pub(crate) async fn succeed_payment(
    State(state): State<AppState>,
    Path(payment_id): Path<i64>,
) -> WebResult<Json<PaymentOutcomeDto>> {
    if state.config.test_clock.is_none() {
        return Err(WebError::code(ErrorCode::NotFound));
    }
    let outcome = state
        .app
        .sandbox_report_payment(PaymentId(payment_id), true)
        .await?;
    Ok(Json(outcome_dto(&outcome)))
}
