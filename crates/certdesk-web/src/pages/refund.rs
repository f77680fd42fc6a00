//! `/exams/{id}/refund`: O10's refund, previewed — exactly what returns to cash and to gift
//! credit, the voucher part forfeited, and the instant before which it must be requested —
//! then confirmed with one post.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{ErrorCode, OrderId, Refusal};

use crate::error::{WebError, WebResult};
use crate::extract::{Ctx, CurrentAccount, Path};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::exams::{ExamView, exam_view};
use crate::pages::{Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub(crate) struct PreviewView {
    pub cash: String,
    pub gift: String,
    pub voucher_forfeited: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "refund.html")]
struct RefundPage {
    t: T,
    layout: Layout,
    e: ExamView,
    preview: Option<PreviewView>,
    error: Option<String>,
}

fn order_of(e: &ExamView) -> Result<OrderId, WebError> {
    e.order
        .as_ref()
        .map(|o| OrderId(o.id))
        .ok_or(WebError::code(ErrorCode::NotFound))
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    who: &CurrentAccount,
    id: i64,
    post_error: Option<Refusal>,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let e = exam_view(state, t, who, id).await?;
    let order = order_of(&e)?;
    let (preview, refusal) = match state.app.preview_refund(who.account(), order).await {
        Ok(p) => (
            Some(PreviewView {
                cash: t.fee(p.cash),
                gift: t.fee(p.gift),
                voucher_forfeited: t.fee(p.voucher_forfeited),
                deadline: t.instant(p.deadline),
            }),
            post_error,
        ),
        Err(err) => (None, Some(form_refusal(err)?)),
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, refusal_status);
    let error = refusal.map(|r| r.message(ctx.locale));
    html(
        status,
        &RefundPage {
            t,
            layout,
            e,
            preview,
            error,
        },
    )
}

pub(crate) async fn show_refund(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    render(&state, &ctx, &who, id, None).await
}

/// Confirms the refund (the CSRF token is the form's only field).
pub(crate) async fn submit_refund(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let e = exam_view(&state, T(ctx.locale), &who, id).await?;
    match state.app.refund_order(who.account(), order_of(&e)?).await {
        Ok(_) => Ok(see_other(&ctx, &format!("/exams/{id}?refunded=1"))),
        Err(err) => {
            let r = form_refusal(err)?;
            render(&state, &ctx, &who, id, Some(r)).await
        }
    }
}
