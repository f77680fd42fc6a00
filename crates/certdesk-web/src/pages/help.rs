//! `/help` (帮助与联系, O11): the programme's contact emails, and the way to a support ticket.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::WebResult;
use crate::extract::Ctx;
use crate::i18n::T;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "help.html")]
struct HelpPage {
    t: T,
    layout: Layout,
    exams_email: String,
    certificates_email: String,
}

/// `GET /help`: open to everyone.
pub(crate) async fn show_help(State(state): State<AppState>, Ctx(ctx): Ctx) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let contact = &state.config.contact;
    let page = HelpPage {
        t,
        layout,
        exams_email: contact.exams.clone(),
        certificates_email: contact.certificates.clone(),
    };
    html(StatusCode::OK, &page)
}
