//! `/sandbox/payments/{id}`: the sandbox gateway's checkout, so the demo works end to end
//! (O5). "支付" makes the sandbox send its signed callback for the payment (the path a real
//! gateway takes) and returns to the wallet; "取消" abandons the top-up. Only the payment's
//! owner gets here, and only for sandbox payments: anything else is `not_found`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::gateway::SANDBOX_GATEWAY;
use certdesk_domain::{ErrorCode, PaymentId, PaymentStatus};
use certdesk_store::Payment;

use crate::error::{WebError, WebResult};
use crate::extract::{Ctx, CurrentAccount, Path};
use crate::i18n::T;
use crate::pages::{Layout, chrome, html, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "sandbox.html")]
struct SandboxPage {
    t: T,
    layout: Layout,
    id: i64,
    amount: String,
    status: &'static str,
    status_label: &'static str,
    pending: bool,
}

/// The actor's sandbox payment.
async fn payment(state: &AppState, who: &CurrentAccount, id: i64) -> WebResult<Payment> {
    if !state.app.sandbox_enabled() {
        return Err(WebError::code(ErrorCode::NotFound));
    }
    let p = state
        .app
        .get_my_payment(who.account(), PaymentId(id))
        .await?;
    if p.gateway != SANDBOX_GATEWAY {
        return Err(WebError::code(ErrorCode::NotFound));
    }
    Ok(p)
}

pub(crate) async fn show_payment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let p = payment(&state, &who, id).await?;
    let (t, layout) = chrome(&ctx);
    html(
        StatusCode::OK,
        &SandboxPage {
            t,
            layout,
            id,
            amount: t.fee(p.amount),
            status: p.status.as_str(),
            status_label: p.status.label(ctx.locale),
            pending: p.status == PaymentStatus::Pending,
        },
    )
}

pub(crate) async fn pay(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let p = payment(&state, &who, id).await?;
    state.app.sandbox_report_payment(p.id, true).await?;
    Ok(see_other(&ctx, "/wallet?topped_up=1"))
}

pub(crate) async fn cancel(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let p = payment(&state, &who, id).await?;
    state.app.cancel_top_up(who.account(), p.id).await?;
    Ok(see_other(&ctx, "/wallet?cancelled=1"))
}
