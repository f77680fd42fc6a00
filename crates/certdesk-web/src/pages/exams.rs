//! 我的考试: `/exams` lists the person's registrations with status, city, exam start, the
//! deadlines that limit them (E3: refund, reschedule) and what was paid; `/exams/{id}` shows
//! one, with the way to a refund while it is allowed, its admission ticket once issued (O4,
//! `pages/ticket.rs`), its reschedule section (O7, `pages/reschedule.rs`) and, once failed,
//! its retake section (O8, `pages/retake.rs`); `/exams/{id}/confirmation` is the page a
//! successful payment lands on.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::RegistrationView;
use certdesk_domain::{Locale, Refusal, RegistrationId};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Path, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::reschedule::RescheduleSection;
use crate::pages::retake::RetakeSection;
use crate::pages::ticket::{TicketSection, ticket_section};
use crate::pages::{Layout, chrome, html, refusal_status};
use crate::state::AppState;

/// One registration as the pages show it.
#[derive(Debug, Clone)]
pub(crate) struct ExamView {
    pub id: i64,
    pub cert_name: String,
    pub cert_code: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub city: String,
    pub exam_starts: String,
    pub rescheduled: bool,
    /// O8: a retake registration.
    pub is_retake: bool,
    pub refund_until: Option<String>,
    /// The refund right is there and not yet past (T4).
    pub can_refund: bool,
    pub reschedule_until: Option<String>,
    pub order: Option<OrderView>,
    pub refund: Option<RefundView>,
    /// O6: the released result.
    pub result: Option<ResultView>,
}

#[derive(Debug, Clone)]
pub(crate) struct ResultView {
    /// `passed`, `failed` or `absent` (a style and a test hook).
    pub state: &'static str,
    pub label: &'static str,
    /// `85 分` / `85 out of 100`; empty when absent.
    pub score: String,
    pub released_at: String,
}

impl ResultView {
    pub(crate) fn new(t: T, r: &certdesk_store::ExamResult) -> ResultView {
        let (state, label) = match (r.absent, r.passed) {
            (true, _) => ("absent", t.result_absent()),
            (false, true) => ("passed", t.result_passed()),
            (false, false) => ("failed", t.result_failed()),
        };
        ResultView {
            state,
            label,
            score: r.score.map(|s| t.score_points(s.get())).unwrap_or_default(),
            released_at: t.instant(r.released_at),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct OrderView {
    pub id: i64,
    pub total: String,
    pub voucher: String,
    pub gift: String,
    pub cash: String,
    pub paid_at: String,
}

#[derive(Debug, Clone)]
pub(crate) struct RefundView {
    pub cash: String,
    pub gift: String,
    pub voucher_forfeited: String,
    pub requested_at: String,
}

impl ExamView {
    pub(crate) fn new(
        t: T,
        v: &RegistrationView,
        names: &HashMap<String, String>,
        now: jiff::Timestamp,
    ) -> ExamView {
        let r = &v.registration;
        let code = r.certification_code.as_str().to_owned();
        ExamView {
            id: r.id.get(),
            cert_name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
            cert_code: code,
            status: r.status.as_str(),
            status_label: r.status.label(t.0),
            city: r.city.clone().unwrap_or_default(),
            exam_starts: t.sitting(r.exam_starts_at),
            rescheduled: r.reschedules_used > 0,
            is_retake: r.attempt == certdesk_domain::Attempt::Retake,
            refund_until: v.deadlines.refund_until.map(|d| t.instant(d)),
            can_refund: v.deadlines.refund_open(now),
            reschedule_until: v.deadlines.reschedule_until.map(|d| t.instant(d)),
            order: v.order.as_ref().map(|o| OrderView {
                id: o.id.get(),
                total: t.fee(o.total),
                voucher: t.fee(o.voucher),
                gift: t.fee(o.gift),
                cash: t.fee(o.cash),
                paid_at: t.instant(o.paid_at),
            }),
            refund: v.refund.as_ref().map(|f| RefundView {
                cash: t.fee(f.cash),
                gift: t.fee(f.gift),
                voucher_forfeited: t.fee(f.voucher_forfeited),
                requested_at: t.instant(f.requested_at),
            }),
            result: r.result.as_ref().map(|x| ResultView::new(t, x)),
        }
    }
}

/// Certification code → name in the reader's language (retired ones too).
pub(crate) async fn cert_names(state: &AppState, t: T) -> WebResult<HashMap<String, String>> {
    Ok(state
        .app
        .list_certifications(true)
        .await?
        .iter()
        .map(|c| {
            (
                c.data.code.as_str().to_owned(),
                crate::pages::home::cert_name(t, c),
            )
        })
        .collect())
}

/// One of the actor's registrations, ready to show.
pub(crate) async fn exam_view(
    state: &AppState,
    t: T,
    who: &CurrentAccount,
    id: i64,
) -> WebResult<ExamView> {
    let v = state
        .app
        .get_my_registration(who.account(), RegistrationId(id))
        .await?;
    let names = cert_names(state, t).await?;
    Ok(ExamView::new(t, &v, &names, state.app.now()))
}

#[derive(Template)]
#[template(path = "exams.html")]
struct ExamsPage {
    t: T,
    layout: Layout,
    exams: Vec<ExamView>,
}

#[derive(Template)]
#[template(path = "exam.html")]
struct ExamPage {
    t: T,
    layout: Layout,
    e: ExamView,
    refunded: bool,
    /// O7: the reschedule section; `None` without a sitting to move.
    r: Option<RescheduleSection>,
    /// The move just succeeded.
    rescheduled: bool,
    /// A refused move, in the reader's language.
    reschedule_error: Option<String>,
    /// O8: the retake section; `None` unless the registration failed (or was absent).
    k: Option<RetakeSection>,
    /// This is the retake just registered.
    retaken: bool,
    /// A refused retake, in the reader's language.
    retake_error: Option<String>,
    /// O4: the admission ticket, once issued (printable, both languages).
    ticket: Option<TicketSection>,
    zh: T,
    en: T,
}

/// What a request adds to the exam page: the banners after a refund or a move, a refusal.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExamExtras {
    pub refunded: bool,
    pub rescheduled: bool,
    pub reschedule_error: Option<Refusal>,
    pub retaken: bool,
    pub retake_error: Option<Refusal>,
}

/// The exam page of one of the actor's registrations; a refusal answers with its status.
pub(crate) async fn render_exam(
    state: &AppState,
    ctx: &RequestContext,
    who: &CurrentAccount,
    id: i64,
    extras: ExamExtras,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let e = exam_view(state, t, who, id).await?;
    let options = state
        .app
        .reschedule_options(who.account(), RegistrationId(id))
        .await?;
    let retake = state
        .app
        .retake_options(who.account(), RegistrationId(id))
        .await?;
    let ticket = ticket_section(state, who, id).await?;
    let status = extras
        .reschedule_error
        .as_ref()
        .or(extras.retake_error.as_ref())
        .map_or(StatusCode::OK, refusal_status);
    html(
        status,
        &ExamPage {
            t,
            layout,
            r: RescheduleSection::new(t, id, &options),
            k: RetakeSection::new(t, id, e.status, &retake),
            e,
            refunded: extras.refunded,
            rescheduled: extras.rescheduled,
            reschedule_error: extras.reschedule_error.map(|r| r.message(ctx.locale)),
            retaken: extras.retaken,
            retake_error: extras.retake_error.map(|r| r.message(ctx.locale)),
            ticket,
            zh: T(Locale::ZhCn),
            en: T(Locale::En),
        },
    )
}

#[derive(Template)]
#[template(path = "confirmation.html")]
struct ConfirmationPage {
    t: T,
    layout: Layout,
    e: ExamView,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ExamQuery {
    refunded: Option<String>,
    rescheduled: Option<String>,
    retaken: Option<String>,
}

pub(crate) async fn show_exams(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let views = state.app.list_my_registrations(who.account()).await?;
    let names = cert_names(&state, t).await?;
    let now = state.app.now();
    let exams = views
        .iter()
        .map(|v| ExamView::new(t, v, &names, now))
        .collect();
    html(StatusCode::OK, &ExamsPage { t, layout, exams })
}

pub(crate) async fn show_exam(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Query(q): Query<ExamQuery>,
) -> WebResult<Response> {
    let extras = ExamExtras {
        refunded: q.refunded.is_some(),
        rescheduled: q.rescheduled.is_some(),
        retaken: q.retaken.is_some(),
        ..ExamExtras::default()
    };
    render_exam(&state, &ctx, &who, id, extras).await
}

pub(crate) async fn show_confirmation(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let e = exam_view(&state, t, &who, id).await?;
    html(StatusCode::OK, &ConfirmationPage { t, layout, e })
}
