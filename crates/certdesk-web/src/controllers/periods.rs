//! `GET /api/v1/exam-periods`: upcoming exam periods with their cities and seats left (O1–O3).

use axum::extract::State;

use crate::dto::periods::{PeriodDto, PeriodQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{Json, Query};
use crate::state::AppState;

/// Periods whose exam is still ahead, by start, each naming its certification (code, zh/en
/// names, fee); `?certification=CODE` for one certification. Public: no login needed.
#[utoipa::path(
    get, path = "/api/v1/exam-periods", tag = "official",
    params(PeriodQuery),
    responses(
        (status = 200, description = "Upcoming periods", body = Vec<PeriodDto>),
        (status = 422, description = "`invalid_input`", body = ErrorBody),
    ),
)]
pub(crate) async fn list_exam_periods(
    State(state): State<AppState>,
    Query(q): Query<PeriodQuery>,
) -> WebResult<Json<Vec<PeriodDto>>> {
    let code = q
        .certification
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let periods = state.app.list_exam_period_listings(code, false).await?;
    Ok(Json(periods.iter().map(PeriodDto::new).collect()))
}
