//! `/admin/settings`: the verifier mode (A4).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Query};
use crate::i18n::T;
use crate::input::parse_verification_mode;
use crate::pages::{Layout, chrome, html, see_other};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SettingsQuery {
    saved: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SettingsForm {
    mode: String,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    t: T,
    layout: Layout,
    active: &'static str,
    mode: &'static str,
    saved: bool,
}

pub(crate) async fn show_settings(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
    Query(q): Query<SettingsQuery>,
) -> WebResult<Response> {
    let mode = state.app.verification_mode().await?;
    let (t, layout) = chrome(&ctx);
    html(
        StatusCode::OK,
        &SettingsPage {
            t,
            layout,
            active: "settings",
            mode: mode.as_str(),
            saved: q.saved.is_some(),
        },
    )
}

pub(crate) async fn update_settings(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<SettingsForm>,
) -> WebResult<Response> {
    let mode = parse_verification_mode(&form.mode)?;
    state
        .app
        .set_verification_mode(admin.account(), mode)
        .await?;
    Ok(see_other(&ctx, "/admin/settings?saved=1"))
}
