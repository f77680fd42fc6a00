//! O9 for everyone: `/certificates` (type a number) and `/certificates/{number}`, the public
//! verification page — the holder's masked name, the certification, issue and expiry, the
//! status (a revocation with its reason, prominently) and the issuer's DID, never an ID
//! number. A mistyped number (format or check digit) is its own 400 page; an unknown one 404.
//! And for the holder: `/account/certificates/{number}/credential.jwt`, the Open Badges
//! credential downloaded with the cookie session (the JSON API takes bearer tokens only).

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certdesk_app::AppError;
use certdesk_app::certificate_views::PublicCertificateView;
use certdesk_domain::{CertificateNumber, CertificateStatus, ErrorCode};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Path, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{Layout, chrome, html, see_other};
use crate::state::AppState;

/// The public page's facts, worded for the reader.
#[derive(Debug, Clone)]
pub(crate) struct PublicView {
    pub number: String,
    pub certification: String,
    pub code: String,
    pub holder: String,
    pub issued: String,
    pub expires: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub revoked_reason: Option<String>,
    pub revoked_at: Option<String>,
    /// What the status means, one sentence.
    pub banner: &'static str,
}

impl PublicView {
    fn new(t: T, v: &PublicCertificateView) -> PublicView {
        let name = if t.is_zh() {
            &v.certification_name_zh
        } else {
            &v.certification_name_en
        };
        PublicView {
            number: v.number.to_string(),
            certification: name.clone(),
            code: v.certification_code.clone(),
            holder: v.holder_name_masked.clone(),
            issued: t.instant(v.issued_at),
            expires: t.valid_before(&t.instant(v.expires_at)),
            status: v.status.as_str(),
            status_label: t.certificate_status(v.status),
            revoked_reason: v.revoked.as_ref().map(|(_, why)| why.clone()),
            revoked_at: v.revoked.as_ref().map(|(at, _)| t.instant(*at)),
            banner: match v.status {
                CertificateStatus::Valid => t.cert_valid_banner(),
                CertificateStatus::Expired => t.cert_expired_banner(),
                CertificateStatus::Revoked => t.cert_revoked_banner(),
            },
        }
    }
}

/// What the page shows: the certificate, or why there is none.
#[derive(Debug, Clone)]
pub(crate) enum Found {
    /// No number asked yet: the form alone.
    Nothing,
    Certificate(Box<PublicView>),
    BadNumber,
    Unknown,
}

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage {
    t: T,
    layout: Layout,
    found: Found,
    /// The number as typed, back in the form.
    typed: String,
    did: String,
    api_path: String,
}

fn page(state: &AppState, ctx: &RequestContext, found: Found, typed: &str) -> CertificatePage {
    let (t, layout) = chrome(ctx);
    let api_path = match &found {
        Found::Certificate(v) => format!("/api/v1/certificates/{}", v.number),
        _ => "/api/v1/certificates/{number}".to_owned(),
    };
    CertificatePage {
        t,
        layout,
        found,
        typed: typed.to_owned(),
        did: state.app.issuer_did(),
        api_path,
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LookupQuery {
    number: Option<String>,
}

/// `GET /certificates`: the form; with `?number=` it goes to that number's page.
pub(crate) async fn show_lookup(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Query(q): Query<LookupQuery>,
) -> WebResult<Response> {
    match q.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        // A well-formed number goes to its canonical address; a mistyped one is answered here.
        Some(typed) => match CertificateNumber::parse(typed) {
            Ok(n) => Ok(see_other(&ctx, &format!("/certificates/{n}"))),
            Err(_) => html(
                StatusCode::BAD_REQUEST,
                &page(&state, &ctx, Found::BadNumber, typed),
            ),
        },
        None => html(StatusCode::OK, &page(&state, &ctx, Found::Nothing, "")),
    }
}

/// `GET /certificates/{number}`: the public verification page (O9).
pub(crate) async fn show_certificate(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    let (status, found) = match state.app.verify_certificate(&number).await {
        Ok(v) => (
            StatusCode::OK,
            Found::Certificate(Box::new(PublicView::new(t, &v))),
        ),
        Err(e) => match e.code() {
            Some(ErrorCode::CertificateInvalid) => (StatusCode::BAD_REQUEST, Found::BadNumber),
            Some(ErrorCode::NotFound) => (StatusCode::NOT_FOUND, Found::Unknown),
            _ => return Err(e.into()),
        },
    };
    let typed = match &found {
        Found::Certificate(v) => v.number.clone(),
        _ => number,
    };
    html(status, &page(&state, &ctx, found, &typed))
}

/// `GET /account/certificates/{number}/credential.jwt`: the holder's Open Badges 3.0
/// credential, the same compact JWS as the API's, as a download.
pub(crate) async fn download_credential(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let jws = state
        .app
        .certificate_credential(who.account(), &number)
        .await
        .map_err(|e| match e.code() {
            // Not the caller's, or not a number at all: the same answer (E2).
            Some(ErrorCode::CertificateInvalid) => AppError::from(ErrorCode::NotFound),
            _ => e,
        })?;
    let name = CertificateNumber::parse(&number)
        .map_or_else(|_| "certificate".to_owned(), |n| n.to_string());
    let filename = format!("attachment; filename=\"{name}.jwt\"");
    let mut res = jws.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vc+jwt"),
    );
    if let Ok(v) = HeaderValue::from_str(&filename) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}
