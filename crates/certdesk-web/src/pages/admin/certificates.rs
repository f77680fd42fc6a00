//! `/admin/certificates` (O9): an operator looks a certificate up by its number and revokes
//! it with a reason (a CSRF-protected form; the use case audits it as the API does). The
//! public verification page then shows the revocation and its reason.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::certificate_views::HolderCertificate;
use certdesk_domain::{ErrorCode, Refusal};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{
    FormErrors, Layout, chrome, encode_component, form_refusal, html, refusal_status, see_other,
};
use crate::state::AppState;

/// A certificate as operators see it (the full name; never an ID number).
#[derive(Debug, Clone)]
pub(crate) struct FoundView {
    pub number: String,
    pub holder: String,
    pub certification: String,
    pub code: String,
    pub issued: String,
    pub expires: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub revoked: Option<(String, String)>,
    /// Paper copy: `pending`, `shipped` or none.
    pub paper: &'static str,
}

impl FoundView {
    fn new(t: T, h: &HolderCertificate) -> FoundView {
        let c = &h.view.certificate;
        FoundView {
            number: c.number.to_string(),
            holder: c.holder_name.clone(),
            certification: if t.is_zh() {
                c.certification_name_zh.clone()
            } else {
                c.certification_name_en.clone()
            },
            code: c.certification_code.to_string(),
            issued: t.instant(c.issued_at),
            expires: t.valid_before(&t.instant(c.expires_at)),
            status: h.view.status.as_str(),
            status_label: t.certificate_status(h.view.status),
            revoked: c
                .revoked
                .as_ref()
                .map(|(at, why)| (t.instant(*at), why.clone())),
            paper: match &h.paper {
                Some(p) if p.shipment.is_some() => "shipped",
                Some(_) => "pending",
                None => "",
            },
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RevokeForm {
    pub number: String,
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LookupQuery {
    number: Option<String>,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/certificates.html")]
struct CertificatesPage {
    t: T,
    layout: Layout,
    active: &'static str,
    /// The number looked up, as typed.
    number: String,
    found: Option<FoundView>,
    reason: String,
    errors: FormErrors,
    revoked: bool,
}

async fn respond(
    state: &AppState,
    ctx: &RequestContext,
    admin: &CurrentAdmin,
    status: StatusCode,
    form: RevokeForm,
    mut errors: FormErrors,
    revoked: bool,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let mut status = status;
    let found = if form.number.trim().is_empty() {
        None
    } else {
        match state
            .app
            .certificate_for_operator(admin.account(), &form.number)
            .await
        {
            Ok(h) => Some(FoundView::new(t, &h)),
            Err(e) => {
                let r = match e.code() {
                    Some(ErrorCode::NotFound) => Refusal::new(ErrorCode::NotFound).field("number"),
                    _ => form_refusal(e)?,
                };
                if !errors.any() {
                    errors = FormErrors::from_refusal(&r, ctx.locale, &["number"]);
                    status = refusal_status(&r);
                }
                None
            }
        }
    };
    let page = CertificatesPage {
        t,
        layout,
        active: "certificates",
        number: form.number,
        found,
        reason: form.reason,
        errors,
        revoked,
    };
    html(status, &page)
}

/// `GET /admin/certificates?number=…`.
pub(crate) async fn show_certificates(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<LookupQuery>,
) -> WebResult<Response> {
    let form = RevokeForm {
        number: q.number.unwrap_or_default(),
        reason: String::new(),
    };
    let revoked = q.revoked.is_some();
    respond(
        &state,
        &ctx,
        &admin,
        StatusCode::OK,
        form,
        FormErrors::default(),
        revoked,
    )
    .await
}

/// `POST /admin/certificates/revocation`: revokes with the reason given (O9, audited).
pub(crate) async fn submit_revocation(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<RevokeForm>,
) -> WebResult<Response> {
    match state
        .app
        .revoke_certificate(admin.account(), &form.number, &form.reason)
        .await
    {
        Ok(v) => {
            let to = format!(
                "/admin/certificates?number={}&revoked=1",
                encode_component(v.certificate.number.as_str())
            );
            Ok(see_other(&ctx, &to))
        }
        Err(e) => {
            let r = match e.code() {
                Some(ErrorCode::NotFound) => Refusal::new(ErrorCode::NotFound).field("number"),
                _ => form_refusal(e)?,
            };
            let errors = FormErrors::from_refusal(&r, ctx.locale, &["number", "reason"]);
            respond(
                &state,
                &ctx,
                &admin,
                refusal_status(&r),
                form,
                errors,
                false,
            )
            .await
        }
    }
}
