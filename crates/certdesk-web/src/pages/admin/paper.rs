//! `/admin/paper-certificates` (O9/P1): the paper copies to ship, by due time — overdue ones
//! marked, a missing address shown as such — each with a form recording its carrier and
//! tracking number (CSRF-protected, audited by the use case), and those shipped.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::CertificateId;
use certdesk_store::{PageRequest, PaperCertificate};
use jiff::Timestamp;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Path, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const PAGE: u32 = 50;

/// One paper copy as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct PaperRow {
    pub id: i64,
    pub number: String,
    pub holder: String,
    /// Recipient, phone and address on one line; None while the holder has given none.
    pub to: Option<String>,
    pub due: String,
    pub overdue: bool,
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: String,
}

impl PaperRow {
    fn new(t: T, p: &PaperCertificate, now: Timestamp) -> PaperRow {
        let s = p.shipment.as_ref();
        let to = s.map(|s| &s.address).or(p.address.as_ref()).map(|a| {
            let postcode = a.postcode.as_deref().unwrap_or("");
            format!(
                "{} {} · {}{}{} {postcode}",
                a.recipient, a.phone, a.province, a.city, a.address
            )
            .trim_end()
            .to_owned()
        });
        PaperRow {
            id: p.certificate_id.get(),
            number: p.certificate_number.to_string(),
            holder: p.holder_name.clone(),
            to,
            due: t.before_instant(&t.instant(p.due_at)),
            // T4: on time iff shipped before the due instant.
            overdue: s.is_none() && now >= p.due_at,
            carrier: s.map(|s| s.carrier.clone()).unwrap_or_default(),
            tracking_number: s.map(|s| s.tracking_number.clone()).unwrap_or_default(),
            shipped_at: s.map(|s| t.instant(s.shipped_at)).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ShipmentForm {
    pub carrier: String,
    pub tracking_number: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PaperQuery {
    cursor: Option<String>,
    shipped_cursor: Option<String>,
    shipped: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/paper.html")]
struct PaperPage {
    t: T,
    layout: Layout,
    active: &'static str,
    pending: Vec<PaperRow>,
    shipped: Vec<PaperRow>,
    pending_next: Option<String>,
    shipped_next: Option<String>,
    /// The row whose form was refused, with what was typed and why.
    failed: Option<(i64, ShipmentForm, FormErrors)>,
    /// A refusal for a row no longer in the queue (shipped meanwhile, unknown): shown on top.
    stray_error: Option<String>,
    done: bool,
}

impl PaperPage {
    /// The refused form's values and errors for row `id`, else empty ones.
    fn form_of(&self, id: &i64) -> (ShipmentForm, FormErrors) {
        match &self.failed {
            Some((failed, form, errors)) if failed == id => (form.clone(), errors.clone()),
            _ => (ShipmentForm::default(), FormErrors::default()),
        }
    }
}

fn cursor(c: Option<&String>) -> Option<i64> {
    c.and_then(|c| c.trim().parse().ok())
}

async fn respond(
    state: &AppState,
    ctx: &RequestContext,
    admin: &CurrentAdmin,
    status: StatusCode,
    q: &PaperQuery,
    failed: Option<(i64, ShipmentForm, FormErrors)>,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let now = state.app.now();
    let page = |c: Option<&String>| PageRequest {
        limit: PAGE,
        cursor: cursor(c),
    };
    let pending = state
        .app
        .paper_certificates(admin.account(), false, page(q.cursor.as_ref()))
        .await?;
    let shipped = state
        .app
        .paper_certificates(admin.account(), true, page(q.shipped_cursor.as_ref()))
        .await?;
    let keep =
        |name: &str, v: Option<&String>| v.map(|v| format!("&{name}={v}")).unwrap_or_default();
    let pending_next = pending.next_cursor.map(|c| {
        format!(
            "/admin/paper-certificates?cursor={c}{}",
            keep("shipped_cursor", q.shipped_cursor.as_ref())
        )
    });
    let shipped_next = shipped.next_cursor.map(|c| {
        format!(
            "/admin/paper-certificates?shipped_cursor={c}{}#shipped",
            keep("cursor", q.cursor.as_ref())
        )
    });
    let pending: Vec<PaperRow> = pending
        .items
        .iter()
        .map(|p| PaperRow::new(t, p, now))
        .collect();
    let stray_error = failed
        .as_ref()
        .filter(|(id, _, _)| !pending.iter().any(|p| p.id == *id))
        .and_then(|(_, _, errors)| errors.general.clone());
    let page = PaperPage {
        t,
        layout,
        active: "paper",
        pending,
        shipped: shipped
            .items
            .iter()
            .map(|p| PaperRow::new(t, p, now))
            .collect(),
        pending_next,
        shipped_next,
        failed,
        stray_error,
        done: q.shipped.is_some(),
    };
    html(status, &page)
}

/// `GET /admin/paper-certificates`.
pub(crate) async fn show_paper(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<PaperQuery>,
) -> WebResult<Response> {
    respond(&state, &ctx, &admin, StatusCode::OK, &q, None).await
}

/// `POST /admin/paper-certificates/{id}/shipment`: records the shipment (O9, P1 kept, the
/// holder told, audited), or shows the refusal in that row's form.
pub(crate) async fn submit_shipment(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Form(form): Form<ShipmentForm>,
) -> WebResult<Response> {
    match state
        .app
        .ship_paper_certificate(
            admin.account(),
            CertificateId(id),
            &form.carrier,
            &form.tracking_number,
        )
        .await
    {
        Ok(_) => Ok(see_other(&ctx, "/admin/paper-certificates?shipped=1")),
        Err(e) => {
            let r = form_refusal(e)?;
            let errors = FormErrors::from_refusal(&r, ctx.locale, &["carrier", "tracking_number"]);
            let q = PaperQuery::default();
            respond(
                &state,
                &ctx,
                &admin,
                refusal_status(&r),
                &q,
                Some((id, form, errors)),
            )
            .await
        }
    }
}
