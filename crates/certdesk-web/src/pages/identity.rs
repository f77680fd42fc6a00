//! `/identity`: real-name verification (A2, A4). Shows the status (verified / pending /
//! rejected with the reason) and the ID number only masked; the form while not verified.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::IdentityStatus;
use certdesk_store::IdentityRecord;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const FIELDS: &[&str] = &["real_name", "id_number"];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct IdentityForm {
    pub real_name: String,
    pub id_number: String,
}

/// An identity as its holder sees it.
#[derive(Debug, Clone)]
pub(crate) struct IdentityView {
    /// `verified`, `pending`, `rejected`.
    pub status: &'static str,
    pub status_label: &'static str,
    pub real_name: String,
    pub masked: String,
    pub reason: Option<String>,
}

impl IdentityView {
    pub(crate) fn new(t: T, r: &IdentityRecord) -> IdentityView {
        IdentityView {
            status: r.status.as_str(),
            status_label: t.identity_status(r.status),
            real_name: r.real_name.clone(),
            masked: r.id_number_masked.clone(),
            reason: r.reason.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "identity.html")]
struct IdentityPage {
    t: T,
    layout: Layout,
    identity: Option<IdentityView>,
    show_form: bool,
    form: IdentityForm,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "forms/identity.html")]
struct IdentityFragment {
    t: T,
    layout: Layout,
    form: IdentityForm,
    errors: FormErrors,
}

async fn respond(
    state: &AppState,
    ctx: &RequestContext,
    who: &CurrentAccount,
    status: StatusCode,
    form: IdentityForm,
    errors: FormErrors,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    if ctx.htmx && errors.any() {
        return html(
            status,
            &IdentityFragment {
                t,
                layout,
                form,
                errors,
            },
        );
    }
    let me = state.app.me(who.account()).await?;
    let identity = me.identity.as_ref().map(|r| IdentityView::new(t, r));
    let show_form = me
        .identity
        .as_ref()
        .is_none_or(|r| r.status != IdentityStatus::Verified);
    html(
        status,
        &IdentityPage {
            t,
            layout,
            identity,
            show_form,
            form,
            errors,
        },
    )
}

pub(crate) async fn show_identity(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
) -> WebResult<Response> {
    respond(
        &state,
        &ctx,
        &who,
        StatusCode::OK,
        IdentityForm::default(),
        FormErrors::default(),
    )
    .await
}

pub(crate) async fn submit_identity(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Form(form): Form<IdentityForm>,
) -> WebResult<Response> {
    match state
        .app
        .submit_identity(who.account(), &form.real_name, &form.id_number)
        .await
    {
        Ok(_) => Ok(see_other(&ctx, "/identity")),
        Err(e) => {
            let r = form_refusal(e)?;
            let errors = FormErrors::from_refusal(&r, ctx.locale, FIELDS);
            // A2: an ID number is shown only masked, never echoed, even a refused one (the
            // page would carry it into the browser's history and any cache): the name is
            // kept, the number is typed again.
            let form = IdentityForm {
                id_number: String::new(),
                ..form
            };
            respond(&state, &ctx, &who, refusal_status(&r), form, errors).await
        }
    }
}
