//! `/login`: the log-in form, and the session cookie it sets (HttpOnly, SameSite=Lax;
//! `Secure` and `__Host-` named over HTTPS, see `cookies`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::LoggedIn;
use certdesk_store::SessionKind;
use secrecy::ExposeSecret;
use serde::Deserialize;

use crate::cookies::OurCookie;
use crate::error::WebResult;
use crate::extract::{Ctx, Form, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{
    FormErrors, Layout, chrome, encode_component, form_refusal, html, local_path, refusal_status,
    see_other,
};
use crate::state::AppState;

const FIELDS: &[&str] = &["email", "password"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct LogInForm {
    pub email: String,
    pub password: String,
    /// Where to go afterwards (a local path).
    pub next: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct LogInQuery {
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LogInPage {
    t: T,
    layout: Layout,
    form: LogInForm,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "forms/login.html")]
struct LogInFragment {
    t: T,
    layout: Layout,
    form: LogInForm,
    errors: FormErrors,
}

/// `next=` for the log-in page: the given path, percent-encoded, if it is local.
pub(crate) fn next_param(path: &str) -> String {
    encode_component(local_path(path).unwrap_or("/account"))
}

/// Sets the browser session cookie for a web log-in.
pub(crate) fn set_session_cookie(
    res: &mut Response,
    state: &AppState,
    ctx: &RequestContext,
    logged_in: &LoggedIn,
) {
    let max_age = logged_in
        .expires_at
        .duration_since(state.app.now())
        .as_secs();
    OurCookie::Session.set(
        res,
        ctx.https,
        logged_in.token.expose_secret(),
        Some(max_age),
    );
}

/// Removes the session cookie.
pub(crate) fn clear_session_cookie(res: &mut Response, ctx: &RequestContext) {
    OurCookie::Session.set(res, ctx.https, "", Some(0));
}

fn respond(
    ctx: &RequestContext,
    status: StatusCode,
    form: LogInForm,
    errors: FormErrors,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let form = LogInForm {
        password: String::new(),
        ..form
    };
    if ctx.htmx {
        html(
            status,
            &LogInFragment {
                t,
                layout,
                form,
                errors,
            },
        )
    } else {
        html(
            status,
            &LogInPage {
                t,
                layout,
                form,
                errors,
            },
        )
    }
}

pub(crate) async fn show_login(Ctx(ctx): Ctx, Query(q): Query<LogInQuery>) -> WebResult<Response> {
    let next = q
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or("")
        .to_owned();
    respond(
        &ctx,
        StatusCode::OK,
        LogInForm {
            next,
            ..LogInForm::default()
        },
        FormErrors::default(),
    )
}

pub(crate) async fn submit_login(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Form(form): Form<LogInForm>,
) -> WebResult<Response> {
    match state
        .app
        .log_in(&form.email, &form.password, SessionKind::Web, ctx.client)
        .await
    {
        Ok(logged_in) => {
            let to = local_path(&form.next)
                .filter(|p| !p.starts_with("/login"))
                .unwrap_or("/account");
            let mut res = see_other(&ctx, to);
            set_session_cookie(&mut res, &state, &ctx, &logged_in);
            Ok(res)
        }
        Err(e) => {
            let r = form_refusal(e)?;
            respond(
                &ctx,
                refusal_status(&r),
                form,
                FormErrors::from_refusal(&r, ctx.locale, FIELDS),
            )
        }
    }
}
