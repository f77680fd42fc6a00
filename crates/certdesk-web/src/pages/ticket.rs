//! O4 for the holder: the admission ticket's printable section on `/exams/{id}` (venue,
//! address, seat, exam time, ticket number and the signed QR code the desk scans), and its
//! two downloads, `/exams/{id}/ticket.ics` and `/exams/{id}/ticket.pdf`. Only the registration's
//! person sees them (`get_my_registration`: anyone else is answered 404, E2), and only while a
//! ticket is issued and the registration live.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certdesk_app::RegistrationView;
use certdesk_domain::{ErrorCode, Locale, RegistrationId};
use jiff::Timestamp;

use crate::documents::qr::QrGrid;
use crate::documents::when::exam_time;
use crate::documents::{TicketDocument, ics, ticket_pdf};
use crate::error::{WebError, WebResult};
use crate::extract::{CurrentAccount, Path};
use crate::state::AppState;

/// The ticket section of the exam page.
#[derive(Debug, Clone)]
pub(crate) struct TicketSection {
    pub registration_id: i64,
    pub doc: TicketDocument,
    pub time_zh: String,
    pub time_en: String,
    /// The QR code as inline SVG (our own markup; its one text, the label, is escaped).
    pub qr_svg: String,
    pub checked_in: bool,
}

/// What a ticket's documents show, read for the holder: `None` without a ticket.
async fn ticket_document(
    state: &AppState,
    who: &CurrentAccount,
    view: &RegistrationView,
) -> WebResult<Option<(TicketDocument, Timestamp, bool)>> {
    let Some((ticket, code)) = &view.ticket else {
        return Ok(None);
    };
    let r = &view.registration;
    let cert = state
        .app
        .list_certifications(true)
        .await?
        .into_iter()
        .find(|c| c.data.code == r.certification_code);
    let (zh, en) = cert.map_or_else(
        || {
            let code = r.certification_code.to_string();
            (code.clone(), code)
        },
        |c| (c.data.name_zh, c.data.name_en),
    );
    let me = state.app.me(who.account()).await?;
    let doc = TicketDocument {
        holder_name: me.identity.map(|i| i.real_name).unwrap_or_default(),
        cert_code: r.certification_code.to_string(),
        cert_name_zh: zh,
        cert_name_en: en,
        number: ticket.number.to_string(),
        city: ticket.venue.city.clone(),
        venue_name: ticket.venue.name.clone(),
        venue_address: ticket.venue.address.clone(),
        seat: ticket.seat,
        starts_at: ticket.starts_at,
        ends_at: r
            .exam_ends_at
            .unwrap_or(ticket.starts_at)
            .max(ticket.starts_at),
        code: code.clone(),
    };
    Ok(Some((
        doc,
        ticket.issued_at,
        ticket.checked_in_at.is_some(),
    )))
}

/// The ticket section of registration `id` of the actor's person, if a ticket is issued.
pub(crate) async fn ticket_section(
    state: &AppState,
    who: &CurrentAccount,
    id: i64,
) -> WebResult<Option<TicketSection>> {
    let view = state
        .app
        .get_my_registration(who.account(), RegistrationId(id))
        .await?;
    let Some((doc, _, checked_in)) = ticket_document(state, who, &view).await? else {
        return Ok(None);
    };
    let qr = QrGrid::new(&doc.code).ok_or_else(|| {
        WebError::internal(anyhow::anyhow!("a ticket code too long for a QR code"))
    })?;
    Ok(Some(TicketSection {
        registration_id: id,
        time_zh: exam_time(doc.starts_at, doc.ends_at, Locale::ZhCn),
        time_en: exam_time(doc.starts_at, doc.ends_at, Locale::En),
        qr_svg: qr.svg(&format!("准考证 {} admission ticket", doc.number)),
        doc,
        checked_in,
    }))
}

/// The holder's ticket of registration `id`, or 404 (not theirs, or no ticket yet).
async fn holder_ticket(
    state: &AppState,
    who: &CurrentAccount,
    id: i64,
) -> WebResult<(TicketDocument, Timestamp)> {
    let view = state
        .app
        .get_my_registration(who.account(), RegistrationId(id))
        .await?;
    ticket_document(state, who, &view)
        .await?
        .map(|(doc, issued_at, _)| (doc, issued_at))
        .ok_or_else(|| WebError::code(ErrorCode::NotFound))
}

/// A personal download: never cached by shared caches, named for the save dialog.
pub(crate) fn download(content_type: &'static str, filename: &str, body: Vec<u8>) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// `GET /exams/{id}/ticket.ics`: the exam as a calendar event (RFC 5545).
pub(crate) async fn download_ticket_ics(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let (doc, issued_at) = holder_ticket(&state, &who, id).await?;
    let body = ics::render(&doc, issued_at);
    Ok(download(
        "text/calendar; charset=utf-8",
        &format!("admission-ticket-{}.ics", doc.number),
        body.into_bytes(),
    ))
}

/// `GET /exams/{id}/ticket.pdf`: the printable ticket with the Chinese font embedded.
pub(crate) async fn download_ticket_pdf(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let (doc, _) = holder_ticket(&state, &who, id).await?;
    let number = doc.number.clone();
    // Laying out and subsetting the font is CPU work: off the async workers.
    let pdf = tokio::task::spawn_blocking(move || ticket_pdf::render(&doc))
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)?;
    Ok(download(
        "application/pdf",
        &format!("admission-ticket-{number}.pdf"),
        pdf,
    ))
}
