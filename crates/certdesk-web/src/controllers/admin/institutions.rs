//! Operators add institutions (with version 1 of their agreement), publish new agreement
//! versions (I1) and open test centres (I2).

use axum::extract::State;
use axum::http::StatusCode;
use certdesk_domain::InstitutionId;

use crate::dto::institution::{
    AgreementBody, AgreementDto, InstitutionBody, InstitutionDto, TestCentreBody, TestCentreDto,
};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json, Path};
use crate::state::AppState;

/// Adds an authorised institution with version 1 of its agreement. Audited.
#[utoipa::path(
    post, path = "/api/v1/admin/institutions", tag = "operators",
    security(("bearer" = [])),
    request_body = InstitutionBody,
    responses(
        (status = 201, description = "Created (`id`, `agreement_version`: 1)", body = InstitutionDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (name, hotline, agreement_text), `invalid_email`, `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_institution(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<InstitutionBody>,
) -> WebResult<(StatusCode, Json<InstitutionDto>)> {
    let created = state
        .app
        .create_institution(admin.account(), body.into_input())
        .await?;
    Ok((StatusCode::CREATED, Json(InstitutionDto::new(&created))))
}

/// I1: publishes the next version of an institution's agreement; from now on only it is
/// accepted (`agreement_outdated` for any other). Audited.
#[utoipa::path(
    put, path = "/api/v1/admin/institutions/{id}/agreement", tag = "operators",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Institution id")),
    request_body = AgreementBody,
    responses(
        (status = 201, description = "The new version", body = AgreementDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (text), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn publish_agreement(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Json(body): Json<AgreementBody>,
) -> WebResult<(StatusCode, Json<AgreementDto>)> {
    let agreement = state
        .app
        .publish_agreement(admin.account(), InstitutionId(id), &body.text)
        .await?;
    Ok((StatusCode::CREATED, Json(AgreementDto::new(&agreement))))
}

/// I2: opens a test centre of an institution. Audited.
#[utoipa::path(
    post, path = "/api/v1/admin/test-centres", tag = "operators",
    security(("bearer" = [])),
    request_body = TestCentreBody,
    responses(
        (status = 201, description = "Created", body = TestCentreDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 404, description = "`not_found` (institution_id)", body = ErrorBody),
        (status = 422, description = "`invalid_field` (name, city, address, contact_name, contact_phone), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_test_centre(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<TestCentreBody>,
) -> WebResult<(StatusCode, Json<TestCentreDto>)> {
    let centre = state
        .app
        .create_test_centre(admin.account(), body.into_input())
        .await?;
    Ok((StatusCode::CREATED, Json(TestCentreDto::new(&centre))))
}
