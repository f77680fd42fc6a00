//! `/admin/certifications/{code}/edit`, `…/retire`, `…/unretire` (C1).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Path};
use crate::i18n::T;
use crate::pages::admin::cert_form::{CertForm, CertFormView};
use crate::pages::{
    FormErrors, Layout, chrome, encode_component, form_refusal, html, refusal_status, see_other,
};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/edit.html")]
struct EditPage {
    t: T,
    layout: Layout,
    active: &'static str,
    code: String,
    cf: CertFormView,
}

#[derive(Template)]
#[template(path = "admin/cert_form.html")]
struct CertFormFragment {
    t: T,
    layout: Layout,
    cf: CertFormView,
}

fn action(code: &str) -> String {
    format!("/admin/certifications/{}/edit", encode_component(code))
}

pub(crate) async fn show_edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let cert = state.app.get_certification(&code).await?;
    let (t, layout) = chrome(&ctx);
    let code = cert.data.code.as_str().to_owned();
    let cf = CertFormView::new(
        t,
        CertForm::from_cert(&cert),
        FormErrors::default(),
        action(&code),
        false,
    );
    html(
        StatusCode::OK,
        &EditPage {
            t,
            layout,
            active: "catalogue",
            code,
            cf,
        },
    )
}

pub(crate) async fn submit_edit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(code): Path<String>,
    Form(form): Form<CertForm>,
) -> WebResult<Response> {
    // The code is not editable: the path names the certification.
    let form = CertForm {
        code: code.clone(),
        ..form
    };
    let result = match form.to_input() {
        Ok(input) => state
            .app
            .update_certification(admin.account(), &code, input)
            .await
            .map_err(form_refusal),
        Err(r) => Err(Ok(r)),
    };
    match result {
        Ok(_) => Ok(see_other(&ctx, "/admin/certifications")),
        Err(Err(e)) => Err(e),
        Err(Ok(r)) => {
            let (t, layout) = chrome(&ctx);
            let cf = CertFormView::with_refusal(t, ctx.locale, form, &r, action(&code), false);
            if ctx.htmx {
                html(refusal_status(&r), &CertFormFragment { t, layout, cf })
            } else {
                html(
                    refusal_status(&r),
                    &EditPage {
                        t,
                        layout,
                        active: "catalogue",
                        code,
                        cf,
                    },
                )
            }
        }
    }
}

pub(crate) async fn retire(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(code): Path<String>,
) -> WebResult<Response> {
    state
        .app
        .retire_certification(admin.account(), &code)
        .await?;
    Ok(see_other(&ctx, "/admin/certifications"))
}

pub(crate) async fn unretire(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(code): Path<String>,
) -> WebResult<Response> {
    state
        .app
        .unretire_certification(admin.account(), &code)
        .await?;
    Ok(see_other(&ctx, "/admin/certifications"))
}
