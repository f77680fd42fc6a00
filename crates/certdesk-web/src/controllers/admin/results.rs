//! `POST /api/v1/admin/results`: operators import exam results (O6, P1), as JSON or CSV.

use axum::extract::State;

use crate::dto::results::{ImportDto, ResultsBody};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{Ctx, CurrentAccount, CurrentAdmin, Json, Upload};
use crate::state::AppState;

/// Imports a results file, all or nothing: every line stored, or none and every bad line
/// listed with its number. CSV: UTF-8 (BOM or not) or GB18030, CRLF or LF, header
/// `registration_id` (or `ticket_number`), `score`, `absent` (`true`/`false`; score empty
/// when absent). Each released result keeps the registration's score promise (P1) and tells
/// the candidate in the inbox.
#[utoipa::path(
    post, path = "/api/v1/admin/results", tag = "operators",
    security(("bearer" = [])),
    // Routed with the upload body limit (router.rs); the document states that limit.
    extensions(("x-upload" = json!(true))),
    request_body(
        description = "`application/json` (`{\"results\": [...]}`) or `text/csv` (`text/csv; charset=…` too)",
        content(
            (ResultsBody = "application/json"),
            (String = "text/csv", example = "registration_id,score,absent\n1024,85,false\n1025,,true\n"),
        ),
    ),
    responses(
        (status = 200, description = "A well-formed upload: `accepted` stored and `rejected` empty, or `accepted` 0 and every bad line (nothing stored)", body = ImportDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 422, description = "Not an upload: `invalid_input` (Content-Type), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn import_results(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Upload(upload): Upload,
) -> WebResult<Json<ImportDto>> {
    let outcome = state.app.import_results(admin.account(), upload).await?;
    Ok(Json(ImportDto::new(&outcome, ctx.locale)))
}

/// I7: institution staff record their own candidates' results, as operators import them
/// (JSON or CSV, all or nothing, by `registration_id`); a line naming a registration of
/// another institution or of the official channel is `unknown_registration`.
#[utoipa::path(
    post, path = "/api/v1/institution/results", tag = "institution staff",
    security(("bearer" = [])),
    extensions(("x-upload" = json!(true))),
    request_body(
        description = "`application/json` (`{\"results\": [...]}`) or `text/csv`",
        content(
            (ResultsBody = "application/json"),
            (String = "text/csv", example = "registration_id,score,absent\n1024,85,false\n"),
        ),
    ),
    responses(
        (status = 200, description = "As `POST /api/v1/admin/results`", body = ImportDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 403, description = "`forbidden`: not institution staff", body = ErrorBody),
        (status = 413, description = "`payload_too_large`", body = ErrorBody),
        (status = 422, description = "Not an upload: `invalid_input` (Content-Type), `invalid_json`", body = ErrorBody),
    ),
)]
pub(crate) async fn record_institution_results(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Upload(upload): Upload,
) -> WebResult<Json<ImportDto>> {
    let outcome = state.app.import_results(who.account(), upload).await?;
    Ok(Json(ImportDto::new(&outcome, ctx.locale)))
}
