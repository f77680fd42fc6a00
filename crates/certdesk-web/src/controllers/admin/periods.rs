//! Operators create exam periods (O1–O3) and watch the seats taken per city.

use axum::extract::State;
use axum::http::StatusCode;

use crate::dto::periods::{AdminPeriodDto, PeriodBody};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAdmin, Json};
use crate::state::AppState;

/// Creates an exam period with its cities and seat capacities. Cloud-family windows follow
/// from the start (O1); specialty periods carry their own (O2).
#[utoipa::path(
    post, path = "/api/v1/admin/exam-periods", tag = "operators",
    security(("bearer" = [])),
    request_body = PeriodBody,
    responses(
        (status = 201, description = "Created", body = AdminPeriodDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 409, description = "`certification_retired`", body = ErrorBody),
        (status = 422, description = "`invalid_period`, `invalid_field` (`certification`: no such certification; a city or its capacity), `invalid_date`, `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn create_exam_period(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Json(body): Json<PeriodBody>,
) -> WebResult<(StatusCode, Json<AdminPeriodDto>)> {
    let period = state
        .app
        .create_exam_period(admin.account(), body.into_input()?)
        .await?;
    Ok((StatusCode::CREATED, Json(AdminPeriodDto::new(&period))))
}

/// Every period still ahead with its seats taken and left per city.
#[utoipa::path(
    get, path = "/api/v1/admin/exam-periods", tag = "operators",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Periods with seats taken", body = Vec<AdminPeriodDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_exam_periods(
    State(state): State<AppState>,
    admin: CurrentAdmin,
) -> WebResult<Json<Vec<AdminPeriodDto>>> {
    let periods = state.app.seats_overview(admin.account()).await?;
    Ok(Json(periods.iter().map(AdminPeriodDto::new).collect()))
}
