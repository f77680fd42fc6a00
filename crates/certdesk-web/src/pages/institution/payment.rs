//! `/manage/{token}/payment` (I1): the payment step of a registration awaiting its payment —
//! the amount, and with the sandbox gateway a "pay (sandbox)" button that makes the sandbox
//! report this registration's own payment (the one the token's registration holds, never an
//! id from the request) through the signed callback a real gateway sends; then on to the
//! management page. A paid registration has no payment step: it goes to the page.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{ErrorCode, RegistrationStatus};
use certdesk_store::InstitutionRegistration;

use super::manage::{Link, expired_page, open};
use super::views::ContactView;
use crate::error::{WebError, WebResult};
use crate::extract::{Ctx, Path};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "institution/payment.html")]
struct PaymentPage {
    t: T,
    layout: Layout,
    token: String,
    contact: ContactView,
    cert_code: String,
    amount: String,
    sandbox: bool,
    /// The gateway's refusal, as E1 says it.
    error: Option<(String, &'static str)>,
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    token: &str,
    r: &InstitutionRegistration,
    error: Option<certdesk_domain::Refusal>,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let institution = state
        .app
        .get_institution(r.enrolment.institution_id)
        .await?;
    let status = error.as_ref().map_or(StatusCode::OK, refusal_status);
    let page = PaymentPage {
        t,
        layout,
        token: token.to_owned(),
        contact: ContactView::new(&institution),
        cert_code: r.registration.certification_code.as_str().to_owned(),
        amount: t.fee(r.enrolment.paid),
        sandbox: state.app.sandbox_enabled(),
        error: error.map(|e| (e.message(t.0), e.code.as_str())),
    };
    html(status, &page)
}

/// The link's registration while it awaits its payment; otherwise where to go instead: the
/// expired-link page, or the management page once paid (a second click, another tab: nothing
/// to do twice).
async fn awaiting_payment(
    state: &AppState,
    ctx: &RequestContext,
    token: &str,
) -> WebResult<Result<InstitutionRegistration, Response>> {
    let r = match open(state, token).await? {
        Link::Open(r) => *r,
        Link::Expired(r) => return expired_page(ctx, token, &r, false).map(Err),
    };
    if r.registration.status != RegistrationStatus::AwaitingPayment {
        return Ok(Err(see_other(ctx, &format!("/manage/{token}"))));
    }
    Ok(Ok(r))
}

/// `GET /manage/{token}/payment`.
pub(crate) async fn show_payment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    match awaiting_payment(&state, &ctx, &token).await? {
        Ok(r) => render(&state, &ctx, &token, &r, None).await,
        Err(elsewhere) => Ok(elsewhere),
    }
}

/// `POST /manage/{token}/payment`: the sandbox reports the registration's payment paid.
pub(crate) async fn submit_payment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let r = match awaiting_payment(&state, &ctx, &token).await? {
        Ok(r) => r,
        Err(elsewhere) => return Ok(elsewhere),
    };
    if !state.app.sandbox_enabled() {
        return Err(WebError::code(ErrorCode::NotFound));
    }
    match state
        .app
        .sandbox_report_payment(r.enrolment.payment_id, true)
        .await
    {
        Ok(_) => Ok(see_other(&ctx, &format!("/manage/{token}?paid=1"))),
        Err(e) => {
            let refusal = form_refusal(e)?;
            render(&state, &ctx, &token, &r, Some(refusal)).await
        }
    }
}
