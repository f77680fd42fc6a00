//! `/admin/check-in` (O4): the venue desk. One input takes a scanned QR code (its signed text,
//! as a hand scanner types it followed by Enter) or a typed ticket number, for the period
//! chosen above it; the use case (`check_in`) checks the signature or the check digit, the
//! period and the registration, records presence once and audits it. The page answers with
//! what happened — checked in, already checked in (harmless), or the refusal in the reader's
//! language — and the input, empty and focused, for the next candidate.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::ExamPeriodId;
use certdesk_store::ExamPeriod;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{Layout, chrome, form_refusal, html, refusal_status};
use crate::state::AppState;

/// Periods still worth a desk: those that end after this long ago.
const RECENT: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CheckInForm {
    pub period_id: String,
    pub code: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PeriodQuery {
    period: Option<i64>,
}

/// A period in the selector.
#[derive(Debug, Clone)]
pub(crate) struct PeriodOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

/// What the last scan did.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    /// `ok`, `again` or `refused` (a style and a test hook).
    pub state: &'static str,
    pub message: String,
    /// The refusal's code, for a refused scan.
    pub code: Option<&'static str>,
    pub number: Option<String>,
    pub venue: Option<String>,
    pub seat: Option<u32>,
    pub checked_in_at: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/check_in.html")]
struct CheckInPage {
    t: T,
    layout: Layout,
    active: &'static str,
    periods: Vec<PeriodOption>,
    outcome: Option<Outcome>,
}

/// The periods of the selector, soonest first, with `chosen` selected (else the first that has
/// not ended: the one the desk is most likely working).
async fn period_options(
    state: &AppState,
    admin: &CurrentAdmin,
    t: T,
    chosen: Option<i64>,
) -> WebResult<Vec<PeriodOption>> {
    let now = state.app.now();
    let mut periods: Vec<ExamPeriod> = state
        .app
        .seats_overview(admin.account())
        .await?
        .into_iter()
        .filter(|p| p.ends_at > now - RECENT || Some(p.id.get()) == chosen)
        .collect();
    periods.sort_by_key(|p| (p.starts_at, p.id.get()));
    let selected = chosen
        .filter(|c| periods.iter().any(|p| p.id.get() == *c))
        .or_else(|| {
            periods
                .iter()
                .find(|p| p.ends_at > now)
                .or(periods.first())
                .map(|p| p.id.get())
        });
    Ok(periods
        .iter()
        .map(|p| PeriodOption {
            id: p.id.get(),
            label: format!(
                "#{} {} · {}",
                p.id.get(),
                p.certification_code,
                t.instant(p.starts_at)
            ),
            selected: Some(p.id.get()) == selected,
        })
        .collect())
}

fn page(ctx: &RequestContext, periods: Vec<PeriodOption>, outcome: Option<Outcome>) -> CheckInPage {
    let (t, layout) = chrome(ctx);
    CheckInPage {
        t,
        layout,
        active: "check_in",
        periods,
        outcome,
    }
}

pub(crate) async fn show_check_in(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<PeriodQuery>,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    let periods = period_options(&state, &admin, t, q.period).await?;
    html(StatusCode::OK, &page(&ctx, periods, None))
}

pub(crate) async fn submit_check_in(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<CheckInForm>,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    let period = form.period_id.trim().parse::<i64>().ok();
    let periods = period_options(&state, &admin, t, period).await?;
    let result = state
        .app
        .check_in(
            admin.account(),
            ExamPeriodId(period.unwrap_or(0)),
            &form.code,
        )
        .await;
    let (status, outcome) = match result {
        Ok(done) => {
            let ticket = &done.ticket;
            let outcome = Outcome {
                state: if done.first { "ok" } else { "again" },
                message: if done.first {
                    t.check_in_ok()
                } else {
                    t.check_in_again()
                }
                .to_owned(),
                code: None,
                number: Some(ticket.number.to_string()),
                venue: Some(format!("{} {}", ticket.venue.city, ticket.venue.name)),
                seat: Some(ticket.seat),
                checked_in_at: ticket.checked_in_at.map(|at| t.instant(at)),
            };
            (StatusCode::OK, outcome)
        }
        Err(e) => {
            let r = form_refusal(e)?;
            let outcome = Outcome {
                state: "refused",
                message: r.message(ctx.locale),
                code: Some(r.code.as_str()),
                number: None,
                venue: None,
                seat: None,
                checked_in_at: None,
            };
            (refusal_status(&r), outcome)
        }
    };
    html(status, &page(&ctx, periods, Some(outcome)))
}
