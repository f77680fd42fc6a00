//! O9: operators revoke certificates and ship paper copies.

use axum::extract::State;
use certdesk_domain::CertificateId;

use crate::dto::admin::StatusQuery;
use crate::dto::certificates::{
    MyCertificateDto, PaperCertificateDto, RevocationBody, ShipmentBody,
};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Path, Query};
use crate::state::AppState;

/// Revokes a certificate with a reason (audited); its public page then says so.
#[utoipa::path(
    post, path = "/api/v1/admin/certificates/{number}/revocation", tag = "operators",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    request_body = RevocationBody,
    responses(
        (status = 200, description = "Revoked", body = MyCertificateDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`certificate_already_revoked`", body = ErrorBody),
        (status = 422, description = "`certificate_invalid`, `invalid_field` (reason)", body = ErrorBody),
    ),
)]
pub(crate) async fn revoke_certificate(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(number): Path<String>,
    Json(body): Json<RevocationBody>,
) -> WebResult<Json<MyCertificateDto>> {
    let revoked = state
        .app
        .revoke_certificate(admin.account(), &number, &body.reason)
        .await?;
    Ok(Json(MyCertificateDto::new(&revoked)))
}

/// Paper certificates still to ship (`?status=pending`, the default) or shipped; a plain
/// array as API.md gives it, the next page's cursor in `x-next-cursor`.
#[utoipa::path(
    get, path = "/api/v1/admin/paper-certificates", tag = "operators",
    security(("bearer" = [])),
    params(StatusQuery),
    responses(
        (status = 200, description = "Paper certificates, by certificate", body = Vec<PaperCertificateDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (status, limit, cursor)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_paper_certificates(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Query(q): Query<StatusQuery>,
) -> WebResult<impl axum::response::IntoResponse> {
    let shipped = match q.status.as_deref().map(str::trim) {
        None | Some("" | "pending") => false,
        Some("shipped") => true,
        Some(_) => {
            return Err(
                certdesk_domain::Refusal::new(certdesk_domain::ErrorCode::InvalidField)
                    .field("status")
                    .into(),
            );
        }
    };
    let page = state
        .app
        .paper_certificates(admin.account(), shipped, q.page().page_request()?)
        .await?;
    let mut headers = axum::http::HeaderMap::new();
    if let Some(cursor) = page.next_cursor {
        headers.insert("x-next-cursor", axum::http::HeaderValue::from(cursor));
    }
    let items: Vec<PaperCertificateDto> = page.items.iter().map(PaperCertificateDto::new).collect();
    Ok((headers, Json(items)))
}

/// Records a paper certificate's shipment: it goes to the holder's address as it is now, the
/// holder is told (audited).
#[utoipa::path(
    post, path = "/api/v1/admin/paper-certificates/{id}/shipment", tag = "operators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Certificate id")),
    request_body = ShipmentBody,
    responses(
        (status = 200, description = "Shipped", body = PaperCertificateDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 409, description = "`mailing_address_missing`, `already_shipped`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (carrier, tracking_number), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn ship_paper_certificate(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Json(body): Json<ShipmentBody>,
) -> WebResult<Json<PaperCertificateDto>> {
    let shipped = state
        .app
        .ship_paper_certificate(
            admin.account(),
            CertificateId(id),
            &body.carrier,
            &body.tracking_number,
        )
        .await?;
    Ok(Json(PaperCertificateDto::new(&shipped)))
}
