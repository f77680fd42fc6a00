//! `/admin/results`: operators import exam results (O6, P1) — a CSV file chosen or pasted —
//! and see what was stored, or every wrong line (nothing stored: a file is all or nothing).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::ResultsUpload;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, UploadForm};
use crate::i18n::T;
use crate::pages::{Layout, chrome, form_refusal, html};
use crate::state::AppState;

/// At most this many wrong lines are listed on the page (the API lists them all).
const SHOWN: usize = 500;

#[derive(Debug, Clone)]
pub(crate) struct RejectedView {
    pub line: usize,
    pub code: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "admin/results.html")]
struct ResultsPage {
    t: T,
    layout: Layout,
    active: &'static str,
    accepted: Option<usize>,
    accepted_text: String,
    rejected: Vec<RejectedView>,
    more_text: Option<String>,
    general: Option<String>,
    /// Pasted text, kept when the file was refused so it can be corrected.
    csv: String,
}

impl ResultsPage {
    fn new(t: T, layout: Layout) -> ResultsPage {
        ResultsPage {
            t,
            layout,
            active: "results",
            accepted: None,
            accepted_text: String::new(),
            rejected: Vec::new(),
            more_text: None,
            general: None,
            csv: String::new(),
        }
    }
}

pub(crate) async fn show_results(Ctx(ctx): Ctx, _admin: CurrentAdmin) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    html(StatusCode::OK, &ResultsPage::new(t, layout))
}

pub(crate) async fn submit_results(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    form: UploadForm,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let mut page = ResultsPage::new(t, layout);
    let bytes = match form.file {
        Some(file) => file,
        None => form.csv.clone().into_bytes(),
    };
    match state
        .app
        .import_results(admin.account(), ResultsUpload::Csv(bytes))
        .await
    {
        Ok(outcome) if outcome.rejected.is_empty() => {
            page.accepted = Some(outcome.accepted);
            page.accepted_text = t.results_accepted(outcome.accepted);
            html(StatusCode::OK, &page)
        }
        Ok(outcome) => {
            let more = outcome.rejected.len().saturating_sub(SHOWN);
            page.more_text = (more > 0).then(|| t.results_more(more));
            page.rejected = outcome
                .rejected
                .iter()
                .take(SHOWN)
                .map(|e| RejectedView {
                    line: e.line,
                    code: e.refusal.code.as_str(),
                    message: e.refusal.message(ctx.locale),
                })
                .collect();
            page.csv = form.csv;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => {
            let r = form_refusal(e)?;
            page.general = Some(r.message(ctx.locale));
            page.csv = form.csv;
            html(crate::pages::refusal_status(&r), &page)
        }
    }
}
