//! `/admin/certifications`: every certification (retired too) and the "add" form (C1).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::admin::cert_form::{CertForm, CertFormView};
use crate::pages::home::cert_name;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const ACTION: &str = "/admin/certifications";

#[derive(Debug, Clone)]
pub(crate) struct AdminCertRow {
    pub code: String,
    pub name: String,
    pub placement: String,
    pub fee: String,
    pub retired: bool,
}

#[derive(Template)]
#[template(path = "admin/catalogue.html")]
struct CataloguePage {
    t: T,
    layout: Layout,
    active: &'static str,
    rows: Vec<AdminCertRow>,
    cf: CertFormView,
}

#[derive(Template)]
#[template(path = "admin/cert_form.html")]
struct CertFormFragment {
    t: T,
    layout: Layout,
    cf: CertFormView,
}

async fn respond(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    cf: CertFormView,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    if ctx.htmx && cf.errors.any() {
        return html(status, &CertFormFragment { t, layout, cf });
    }
    let certs = state.app.list_certifications(true).await?;
    let rows = certs
        .iter()
        .map(|c| {
            let d = &c.data;
            let mut placement = vec![t.family(d.family)];
            placement.extend(d.track.map(|x| t.track(x)));
            placement.extend(d.level.map(|x| t.level(x)));
            AdminCertRow {
                code: d.code.as_str().to_owned(),
                name: cert_name(t, c),
                placement: placement.join(" · "),
                fee: t.fee(d.fee),
                retired: d.retired,
            }
        })
        .collect();
    html(
        status,
        &CataloguePage {
            t,
            layout,
            active: "catalogue",
            rows,
            cf,
        },
    )
}

pub(crate) async fn show_catalogue(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    let cf = CertFormView::new(
        t,
        CertForm::default(),
        FormErrors::default(),
        ACTION.to_owned(),
        true,
    );
    respond(&state, &ctx, StatusCode::OK, cf).await
}

pub(crate) async fn create_certification(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<CertForm>,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    let result = match form.to_input() {
        Ok(input) => state
            .app
            .create_certification(admin.account(), input)
            .await
            .map_err(form_refusal),
        Err(r) => Err(Ok(r)),
    };
    match result {
        Ok(_) => Ok(see_other(&ctx, ACTION)),
        Err(Err(e)) => Err(e),
        Err(Ok(r)) => {
            let cf = CertFormView::with_refusal(t, ctx.locale, form, &r, ACTION.to_owned(), true);
            respond(&state, &ctx, refusal_status(&r), cf).await
        }
    }
}
