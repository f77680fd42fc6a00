//! SPEC T3: `PUT /api/v1/test/clock` sets the frozen test clock and runs every job due by
//! then before answering. The route exists only when the server runs with a test clock.

use axum::extract::State;
use certdesk_domain::ErrorCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::rfc3339;
use crate::error::{ErrorBody, WebError, WebResult};
use crate::extract::Json;
use crate::input::parse_instant;
use crate::state::AppState;

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub(crate) struct ClockBody {
    /// The instant to stand at, RFC 3339 with offset.
    #[schema(format = DateTime, example = "2027-03-10T09:00:00+08:00")]
    pub now: String,
}

/// Sets the test clock; every job due by `now` has run when this answers.
#[utoipa::path(
    put, path = "/api/v1/test/clock", tag = "test",
    request_body = ClockBody,
    responses(
        (status = 200, description = "The clock stands at `now`", body = ClockBody),
        (status = 422, description = "`invalid_date`", body = ErrorBody),
    ),
)]
pub(crate) async fn set_test_clock(
    State(state): State<AppState>,
    Json(body): Json<ClockBody>,
) -> WebResult<Json<ClockBody>> {
    let Some(clock) = state.config.test_clock.as_ref() else {
        return Err(WebError::code(ErrorCode::NotFound));
    };
    let now = parse_instant(&body.now, "now").map_err(|r| r.rule("T3"))?;
    clock.set(now);
    run_due_jobs(&state).await?;
    Ok(Json(ClockBody { now: rfc3339(now) }))
}

/// Runs every due job here, then waits for any job another worker (the background runner of
/// `serve`) is still running: a job it claimed just before is due too (T3). Bounded, so a
/// worker that died mid-job cannot hang the call; its lease expiry hands the job back later.
async fn run_due_jobs(state: &AppState) -> WebResult<()> {
    let runner = state.app.job_runner();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        runner.run_until_idle().await.map_err(WebError::internal)?;
        let running = state
            .app
            .store()
            .list_jobs(
                Some(certdesk_store::JobStatus::Running),
                certdesk_store::PageRequest::first(1),
            )
            .await
            .map_err(WebError::internal)?;
        if running.items.is_empty() || std::time::Instant::now() >= deadline {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}
