//! `GET /api/v1/certifications` and `GET /api/v1/certifications/{code}`: the public catalogue.

use axum::extract::State;
use certdesk_domain::{ErrorCode, Refusal, Role};

use crate::dto::catalogue::{CatalogueQuery, CertificationDto};
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::{Json, MaybeAccount, Path, Query};
use crate::state::AppState;

/// The catalogue (C1), a plain array. `include_retired=true` is for operators.
#[utoipa::path(
    get, path = "/api/v1/certifications", tag = "catalogue",
    params(CatalogueQuery),
    responses(
        (status = 200, description = "Certifications on sale", body = Vec<CertificationDto>),
        (status = 401, description = "`unauthenticated`: `include_retired=true` without a token", body = ErrorBody),
        (status = 403, description = "`forbidden`: `include_retired=true` by a non-operator", body = ErrorBody),
        (status = 422, description = "`invalid_field` (include_retired: neither `true` nor `false`)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_certifications(
    State(state): State<AppState>,
    MaybeAccount(who): MaybeAccount,
    Query(q): Query<CatalogueQuery>,
) -> WebResult<Json<Vec<CertificationDto>>> {
    // A boolean as the document declares it: `true` or `false`, nothing else (issue 11).
    let include_retired = match q.include_retired.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(Refusal::new(ErrorCode::InvalidField)
                .field("include_retired")
                .into());
        }
    };
    if include_retired {
        let who = who.ok_or(WebError::code(ErrorCode::Unauthenticated))?;
        if !who.account.has_role(Role::Admin) {
            return Err(WebError::code(ErrorCode::Forbidden));
        }
    }
    let certs = state.app.list_certifications(include_retired).await?;
    Ok(Json(certs.iter().map(CertificationDto::new).collect()))
}

/// One certification (retired ones too).
#[utoipa::path(
    get, path = "/api/v1/certifications/{code}", tag = "catalogue",
    params(("code" = String, Path, description = "Certification code, e.g. TCCA-ARC-P")),
    responses(
        (status = 200, description = "The certification", body = CertificationDto),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_certification(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> WebResult<Json<CertificationDto>> {
    let cert = state.app.get_certification(&code).await?;
    Ok(Json(CertificationDto::new(&cert)))
}
