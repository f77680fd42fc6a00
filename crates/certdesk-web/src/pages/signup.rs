//! `/signup`: create a candidate account, then sign in at once.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::SignUpInput;
use certdesk_store::SessionKind;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, Form};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::login::set_session_cookie;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const FIELDS: &[&str] = &["email", "password", "phone"];

/// What the form posts; the password is never sent back.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SignUpForm {
    pub email: String,
    #[serde(skip_serializing)]
    pub password: String,
    pub phone: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    t: T,
    layout: Layout,
    form: SignUpForm,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "forms/signup.html")]
struct SignUpFragment {
    t: T,
    layout: Layout,
    form: SignUpForm,
    errors: FormErrors,
}

fn respond(
    ctx: &RequestContext,
    status: StatusCode,
    form: SignUpForm,
    errors: FormErrors,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let form = SignUpForm {
        password: String::new(),
        ..form
    };
    if ctx.htmx {
        html(
            status,
            &SignUpFragment {
                t,
                layout,
                form,
                errors,
            },
        )
    } else {
        html(
            status,
            &SignUpPage {
                t,
                layout,
                form,
                errors,
            },
        )
    }
}

pub(crate) async fn show_signup(Ctx(ctx): Ctx) -> WebResult<Response> {
    respond(
        &ctx,
        StatusCode::OK,
        SignUpForm::default(),
        FormErrors::default(),
    )
}

pub(crate) async fn submit_signup(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(form): Form<SignUpForm>,
) -> WebResult<Response> {
    let phone = Some(form.phone.clone()).filter(|p| !p.trim().is_empty());
    let input = SignUpInput {
        email: form.email.clone(),
        password: form.password.clone(),
        phone,
    };
    if let Err(e) = state.app.sign_up(input).await {
        let r = form_refusal(e)?;
        return respond(
            &ctx,
            refusal_status(&r),
            form,
            FormErrors::from_refusal(&r, ctx.locale, FIELDS),
        );
    }
    // Signed up: sign in straight away and continue to the account page.
    let logged_in = state
        .app
        .log_in(&form.email, &form.password, SessionKind::Web, ctx.client)
        .await?;
    let mut res = see_other(&ctx, "/account?welcome=1");
    set_session_cookie(&mut res, &state, &ctx, &logged_in);
    Ok(res)
}
