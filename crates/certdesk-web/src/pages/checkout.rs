//! `/checkout?period=ID&city=…`: price, voucher, pay-first choice, the plan (refreshed by htmx
//! from `/checkout/plan` when a choice changes), balances, the registration's closing time and
//! the refund promise (E3); one-click pay (`POST /checkout`), protected against double clicks
//! by an `Idempotency-Key` generated for each render.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use certdesk_domain::Refusal;
use rand::RngCore;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form, Query};
use crate::i18n::T;
use crate::input::{order_input, parse_pay_first, parse_period_id};
use crate::middleware::context::RequestContext;
use crate::pages::checkout_view::{
    Built, CheckoutView, Choice, PlanView, build, real_name_required,
};
use crate::pages::{Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "checkout.html")]
struct CheckoutPage {
    t: T,
    layout: Layout,
    v: CheckoutView,
    idempotency_key: String,
}

#[derive(Template)]
#[template(path = "partials/checkout_plan.html")]
struct PlanFragment {
    t: T,
    plan: PlanView,
}

#[derive(Template)]
#[template(path = "checkout_identity.html")]
struct NeedIdentityPage {
    t: T,
    layout: Layout,
}

/// The pay form: the choices, the per-render key, and `recalc` for browsers without script.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PayForm {
    #[serde(flatten)]
    choice: Choice,
    idempotency_key: String,
    recalc: Option<String>,
}

/// A fresh key per render: a double click sends the same key twice and pays once.
fn new_key() -> String {
    let mut raw = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    format!("web-{}", URL_SAFE_NO_PAD.encode(raw))
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    who: &CurrentAccount,
    choice: &Choice,
    post_error: Option<Refusal>,
) -> WebResult<Response> {
    let status = post_error.as_ref().map_or(StatusCode::OK, refusal_status);
    let (t, layout) = chrome(ctx);
    match build(state, ctx, who.account(), choice, post_error).await? {
        Built::NeedIdentity => html(StatusCode::FORBIDDEN, &NeedIdentityPage { t, layout }),
        Built::Ready(v) => html(
            status,
            &CheckoutPage {
                t,
                layout,
                v: *v,
                idempotency_key: new_key(),
            },
        ),
    }
}

pub(crate) async fn show_checkout(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Query(choice): Query<Choice>,
) -> WebResult<Response> {
    render(&state, &ctx, &who, &choice, None).await
}

/// htmx: the plan alone, for the choices in the query.
pub(crate) async fn show_plan(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Query(choice): Query<Choice>,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    match build(&state, &ctx, who.account(), &choice, None).await? {
        Built::NeedIdentity => Err(real_name_required()),
        Built::Ready(v) => html(StatusCode::OK, &PlanFragment { t, plan: v.plan }),
    }
}

/// Pays (O5) — or, with `recalc`, shows the plan for the new choices without paying.
pub(crate) async fn submit_checkout(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Form(form): Form<PayForm>,
) -> WebResult<Response> {
    let choice = form.choice;
    if form.recalc.is_some() {
        return render(&state, &ctx, &who, &choice, None).await;
    }
    let pay_first = match parse_pay_first(Some(&choice.pay_first)) {
        Ok(p) => p,
        Err(r) => return render(&state, &ctx, &who, &choice, Some(r)).await,
    };
    let period_id = parse_period_id(&choice.period)?;
    let input = order_input(
        period_id,
        &choice.city,
        Some(&choice.voucher_code),
        pay_first,
    );
    let key = Some(form.idempotency_key.trim()).filter(|k| !k.is_empty());
    match state.app.register_and_pay(who.account(), input, key).await {
        Ok(placed) => Ok(see_other(
            &ctx,
            &format!("/exams/{}/confirmation", placed.registration.id.get()),
        )),
        Err(e) => {
            let r = form_refusal(e)?;
            render(&state, &ctx, &who, &choice, Some(r)).await
        }
    }
}
