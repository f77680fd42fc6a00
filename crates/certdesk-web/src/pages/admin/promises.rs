//! `/admin/promises`: P1 per promise kind — kept on time, kept late, overdue now, pending —
//! and `/admin/promises/overdue?kind=`: each overdue promise, most overdue first, with the
//! registration it is owed to. The dashboard also raises O4's alert: a period's city whose
//! venues have fewer seats than the registrations waiting for a ticket.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::PromiseKind;
use certdesk_store::OverduePromise;
use jiff::Timestamp;

use crate::dto::wallet::OverdueQuery;
use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Query};
use crate::i18n::T;
use crate::input::parse_filter;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub(crate) struct PromiseRow {
    pub kind: &'static str,
    pub label: &'static str,
    pub rule: &'static str,
    pub kept_on_time: u64,
    pub kept_late: u64,
    pub overdue: u64,
    pub pending: u64,
}

/// O4: one period's city short of venue seats.
#[derive(Debug, Clone)]
pub(crate) struct SeatAlertRow {
    pub period_id: i64,
    pub certification: String,
    pub city: String,
    pub exam_starts: String,
    pub waiting: usize,
    pub missing: usize,
    pub tickets_from: String,
    /// The ticket window has opened: tickets are being held back now.
    pub now: bool,
}

#[derive(Template)]
#[template(path = "admin/promises.html")]
struct PromisesPage {
    t: T,
    layout: Layout,
    active: &'static str,
    rows: Vec<PromiseRow>,
    seat_alerts: Vec<SeatAlertRow>,
}

pub(crate) async fn show_promises(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
) -> WebResult<Response> {
    let summary = state.app.promise_summary(admin.account()).await?;
    let (t, layout) = chrome(&ctx);
    let rows = summary
        .iter()
        .map(|p| PromiseRow {
            kind: p.kind.as_str(),
            label: p.kind.label(ctx.locale),
            rule: p.kind.rule(),
            kept_on_time: p.kept_on_time,
            kept_late: p.kept_late,
            overdue: p.overdue,
            pending: p.pending,
        })
        .collect();
    let now = state.app.now();
    let seat_alerts = state
        .app
        .venue_seat_shortfalls(admin.account())
        .await?
        .into_iter()
        .map(|a| SeatAlertRow {
            period_id: a.period_id.get(),
            certification: a.certification_code,
            city: a.city,
            exam_starts: t.instant(a.starts_at),
            waiting: a.waiting,
            missing: a.missing,
            tickets_from: t.instant(a.tickets_from),
            now: now >= a.tickets_from,
        })
        .collect();
    html(
        StatusCode::OK,
        &PromisesPage {
            t,
            layout,
            active: "promises",
            rows,
            seat_alerts,
        },
    )
}

/// One overdue promise as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct OverdueRow {
    pub id: i64,
    pub label: &'static str,
    pub rule: &'static str,
    /// `—` for a promise recorded without a registration.
    pub registration: String,
    pub certification: String,
    pub city: String,
    pub exam_starts: String,
    pub due: String,
    pub overdue_for: String,
    pub status: String,
}

impl OverdueRow {
    fn new(t: T, p: &OverduePromise, now: Timestamp) -> OverdueRow {
        let none = || "—".to_owned();
        let r = p.registration.as_ref();
        OverdueRow {
            id: p.id.get(),
            label: p.kind.label(t.0),
            rule: p.kind.rule(),
            registration: r.map_or_else(none, |r| r.id.to_string()),
            certification: r.map_or_else(none, |r| r.certification_code.as_str().to_owned()),
            city: r.and_then(|r| r.city.clone()).unwrap_or_else(none),
            exam_starts: r.map_or_else(none, |r| t.sitting(r.exam_starts_at)),
            due: t.instant(p.due_at),
            overdue_for: t.overdue_for(now.duration_since(p.due_at)),
            status: r.map_or_else(none, |r| r.status.label(t.0).to_owned()),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/overdue.html")]
struct OverduePage {
    t: T,
    layout: Layout,
    active: &'static str,
    /// The kind shown (its label), or None for every kind.
    kind_label: Option<&'static str>,
    rows: Vec<OverdueRow>,
    /// The next page's URL, when there is one.
    next_page: Option<String>,
}

pub(crate) async fn show_overdue(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<OverdueQuery>,
) -> WebResult<Response> {
    let kind: Option<PromiseKind> = parse_filter(q.kind.as_deref(), "kind")?;
    let request = q.page().page_request()?;
    let page = state
        .app
        .overdue_promises(admin.account(), kind, request)
        .await?;
    let now = state.app.now();
    let (t, layout) = chrome(&ctx);
    let rows = page
        .items
        .iter()
        .map(|p| OverdueRow::new(t, p, now))
        .collect();
    // The same kind and page size, after the cursor.
    let next_page = page.next_cursor.map(|c| {
        let mut href = format!("/admin/promises/overdue?cursor={c}");
        if let Some(k) = kind {
            href += &format!("&kind={k}");
        }
        if q.limit.is_some() {
            href += &format!("&limit={}", request.limit);
        }
        href
    });
    html(
        StatusCode::OK,
        &OverduePage {
            t,
            layout,
            active: "promises",
            kind_label: kind.map(|k| k.label(ctx.locale)),
            rows,
            next_page,
        },
    )
}
