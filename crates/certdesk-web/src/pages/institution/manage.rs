//! `/manage/{token}` (I1, I3, I5, I6, I8, I9): the page a candidate of the institution channel
//! reaches from the emailed link, with no account. The signed token in the path is the only
//! key, to its registration and the retake that follows from it; every request opens it
//! again through the use case (`open_manage_link`), so a forged token opens nothing (404,
//! never the log-in page) and an expired one shows a friendly page offering to send the link
//! again.
//!
//! CSRF: the forms here post without a session, like log-in and sign-up: `csrf.rs` binds
//! their token to the pre-session value of the CSRF cookie set by the first `GET` (to the
//! session instead when the browser happens to be signed in), and the CSRF layer checks it
//! before any handler runs. The token in the path is what authorizes the change; the CSRF
//! token proves the post came from a page we rendered, so another site cannot make a browser
//! that holds the link act with it. The page is `no-store` and sent with
//! `Referrer-Policy: same-origin`, so the link leaks neither through caches nor to other
//! sites.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use certdesk_app::AppError;
use certdesk_domain::{ErrorCode, Refusal};
use certdesk_store::InstitutionRegistration;
use serde::Deserialize;

use super::manage_view::{ManageExtras, render_manage};
use crate::error::{WebError, WebResult};
use crate::extract::{Ctx, Path, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{Layout, chrome, html, refusal_status};
use crate::state::AppState;

/// What a management token opens.
pub(crate) enum Link {
    /// The first attempt the token was issued for.
    Open(Box<InstitutionRegistration>),
    /// I1: no longer valid (`link_expired`, with the instant when known).
    Expired(Refusal),
}

/// Opens `token` through the use case. A forged (or mangled) token is `not_found`: it names
/// nothing, and a page must not send its holder to the log-in form.
pub(crate) async fn open(state: &AppState, token: &str) -> WebResult<Link> {
    match state.app.open_manage_link(token).await {
        Ok(r) => Ok(Link::Open(Box::new(r))),
        Err(AppError::Refused(r)) if r.code == ErrorCode::LinkExpired => Ok(Link::Expired(r)),
        Err(AppError::Refused(r)) if r.code == ErrorCode::Unauthenticated => {
            Err(WebError::code(ErrorCode::NotFound))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "institution/expired.html")]
struct ExpiredPage {
    t: T,
    layout: Layout,
    token: String,
    /// When it stopped working, if it ever worked (Beijing time).
    expired_at: Option<String>,
    resent: bool,
}

/// The page an expired link shows, with the form that sends it again.
pub(crate) fn expired_page(
    ctx: &RequestContext,
    token: &str,
    r: &Refusal,
    resent: bool,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let page = ExpiredPage {
        t,
        layout,
        token: token.to_owned(),
        expired_at: r.deadline.map(|d| t.instant(d)),
        resent,
    };
    html(refusal_status(r), &page)
}

/// `?centre=` picks the centre whose slots are listed; the others are one-shot banners.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ManageQuery {
    centre: Option<String>,
    paid: Option<String>,
    booked: Option<String>,
    retaken: Option<String>,
    resent: Option<String>,
    address: Option<String>,
}

/// `GET /manage/{token}`.
pub(crate) async fn show_manage(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(token): Path<String>,
    Query(q): Query<ManageQuery>,
) -> WebResult<Response> {
    let first = match open(&state, &token).await? {
        Link::Open(r) => *r,
        Link::Expired(r) => return expired_page(&ctx, &token, &r, q.resent.is_some()),
    };
    let t = T(ctx.locale);
    let banner = if q.paid.is_some() {
        Some(t.manage_paid_banner())
    } else if q.booked.is_some() {
        Some(t.manage_booked_banner())
    } else if q.retaken.is_some() {
        Some(t.manage_retaken_banner())
    } else if q.resent.is_some() {
        Some(t.manage_resent_banner())
    } else if q.address.is_some() {
        Some(t.manage_address_banner())
    } else {
        None
    };
    let extras = ManageExtras {
        centre: q.centre.as_deref().and_then(|c| c.trim().parse().ok()),
        banner,
        ..ManageExtras::default()
    };
    render_manage(&state, &ctx, &token, first, extras).await
}
