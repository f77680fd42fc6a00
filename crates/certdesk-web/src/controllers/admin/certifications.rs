//! Operators create, edit, retire and un-retire certifications (C1); every change audited.

use axum::extract::State;
use axum::http::StatusCode;

use crate::dto::catalogue::{CertificationBody, CertificationDto};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Path};
use crate::state::AppState;

/// Adds a certification (on sale at once).
#[utoipa::path(
    post, path = "/api/v1/admin/certifications", tag = "operators",
    security(("bearer" = [])),
    request_body = CertificationBody,
    responses(
        (status = 201, description = "Created", body = CertificationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 409, description = "`cert_code_taken`", body = ErrorBody),
        (status = 422, description = "`invalid_cert_code`, `invalid_field`, `invalid_amount`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_certification(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<CertificationBody>,
) -> WebResult<(StatusCode, Json<CertificationDto>)> {
    let code = body.code.clone().unwrap_or_default();
    let cert = state
        .app
        .create_certification(admin.account(), body.into_input(code))
        .await?;
    Ok((StatusCode::CREATED, Json(CertificationDto::new(&cert))))
}

/// Edits every field but the code; the retired flag is kept.
#[utoipa::path(
    put, path = "/api/v1/admin/certifications/{code}", tag = "operators",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Certification code")),
    request_body = CertificationBody,
    responses(
        (status = 200, description = "Updated", body = CertificationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`invalid_cert_code`, `invalid_field`, `invalid_amount`", body = ErrorBody),
    ),
)]
pub(crate) async fn update_certification(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(code): Path<String>,
    Json(body): Json<CertificationBody>,
) -> WebResult<Json<CertificationDto>> {
    let body_code = body.code.clone().unwrap_or_else(|| code.clone());
    let cert = state
        .app
        .update_certification(admin.account(), &code, body.into_input(body_code))
        .await?;
    Ok(Json(CertificationDto::new(&cert)))
}

/// C1: retires a certification: no longer on sale, its certificates stay valid.
#[utoipa::path(
    post, path = "/api/v1/admin/certifications/{code}/retire", tag = "operators",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Certification code")),
    responses(
        (status = 200, description = "Retired", body = CertificationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn retire_certification(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(code): Path<String>,
) -> WebResult<Json<CertificationDto>> {
    let cert = state
        .app
        .retire_certification(admin.account(), &code)
        .await?;
    Ok(Json(CertificationDto::new(&cert)))
}

/// Puts a retired certification back on sale.
#[utoipa::path(
    post, path = "/api/v1/admin/certifications/{code}/unretire", tag = "operators",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Certification code")),
    responses(
        (status = 200, description = "On sale again", body = CertificationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn unretire_certification(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(code): Path<String>,
) -> WebResult<Json<CertificationDto>> {
    let cert = state
        .app
        .unretire_certification(admin.account(), &code)
        .await?;
    Ok(Json(CertificationDto::new(&cert)))
}
