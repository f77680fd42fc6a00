//! O9/A3: `GET /certificates/{number}/certificate.pdf` — the holder's certificate as a PDF
//! (name, certification, number, dates, status, and a QR code of the public verification
//! link). Only the holder's person gets it: any other account, or a number nobody holds, is
//! answered 404 alike (E2: a number reveals nothing).

use axum::extract::State;
use axum::response::Response;
use certdesk_domain::ErrorCode;

use crate::documents::{CertificateDocument, certificate_pdf};
use crate::error::{WebError, WebResult};
use crate::extract::{CurrentAccount, Path};
use crate::pages::ticket::download;
use crate::state::AppState;

pub(crate) async fn download_certificate_pdf(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let view = state
        .app
        .my_certificates(who.account())
        .await?
        .into_iter()
        .find(|v| v.certificate.number.as_str() == number.trim())
        .ok_or_else(|| WebError::code(ErrorCode::NotFound))?;
    let c = view.certificate;
    let doc = CertificateDocument {
        holder_name: c.holder_name,
        cert_code: c.certification_code.to_string(),
        cert_name_zh: c.certification_name_zh,
        cert_name_en: c.certification_name_en,
        number: c.number.to_string(),
        issued_at: c.issued_at,
        expires_at: c.expires_at,
        status: view.status,
        verify_url: view.verify_url,
    };
    let number = doc.number.clone();
    let pdf = tokio::task::spawn_blocking(move || certificate_pdf::render(&doc))
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)?;
    Ok(download(
        "application/pdf",
        &format!("certificate-{number}.pdf"),
        pdf,
    ))
}
