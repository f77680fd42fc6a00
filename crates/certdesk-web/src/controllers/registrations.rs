//! `GET /api/v1/registrations` and `GET /api/v1/registrations/{id}`: the person's
//! registrations (A2: every account verified as that person sees them) with their deadlines
//! (E3); `POST /api/v1/registrations/{id}/reschedule` moves one to another sitting (O7).

use axum::extract::State;
use certdesk_app::RegistrationView;
use certdesk_domain::{ExamPeriodId, RegistrationId};

use crate::dto::institution::InstitutionRegistrationDto;
use crate::dto::orders::{AdmissionTicketDto, RegistrationAnswer, RegistrationDto, RescheduleBody};
use crate::dto::page::{PageDto, PageQuery};
use crate::error::WebError;
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAccount, Json, ManageToken, MaybeAccount, Path, Query};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use certdesk_domain::ErrorCode;

pub(crate) fn dto(v: &RegistrationView) -> RegistrationDto {
    RegistrationDto {
        admission_ticket: v
            .ticket
            .as_ref()
            .map(|(ticket, code)| AdmissionTicketDto::new(ticket, code)),
        ..RegistrationDto::new(&v.registration, &v.deadlines)
    }
}

/// The caller's registrations, newest first, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/registrations", tag = "official",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of registrations", body = PageDto<RegistrationDto>),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 422, description = "`invalid_field` (limit, cursor)", body = ErrorBody),
    ),
)]
pub(crate) async fn list_registrations(
    State(state): State<AppState>,
    who: CurrentAccount,
    Query(q): Query<PageQuery>,
) -> WebResult<Json<PageDto<RegistrationDto>>> {
    let page = q.page_request()?;
    let mut views = state.app.list_my_registrations(who.account()).await?;
    views.sort_by_key(|v| std::cmp::Reverse(v.registration.id));
    let after = |v: &RegistrationView| page.cursor.is_none_or(|c| v.registration.id.get() < c);
    let mut items: Vec<RegistrationDto> = views
        .iter()
        .filter(|v| after(v))
        .take(page.limit as usize + 1)
        .map(dto)
        .collect();
    let next_cursor = if items.len() > page.limit as usize {
        items.truncate(page.limit as usize);
        items.last().map(|r| r.id.to_string())
    } else {
        None
    };
    Ok(Json(PageDto { items, next_cursor }))
}

/// One of the caller's registrations; anyone else's is `not_found`. An institution
/// candidate calls with their management token as the bearer token (I1): the registration
/// it was issued for or the retake that followed, with its appointment and what was paid.
#[utoipa::path(
    get, path = "/api/v1/registrations/{id}", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The registration (through a management token: an `InstitutionRegistrationDto`)", body = RegistrationAnswer),
        (status = 401, description = "`unauthenticated` (also a forged management token); `link_expired` (rule I1, with `deadline`)", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_registration(
    State(state): State<AppState>,
    who: MaybeAccount,
    manage: ManageToken,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let id = RegistrationId(id);
    if let Some(auth) = who.0 {
        let view = state.app.get_my_registration(&auth.account, id).await?;
        return Ok(Json(dto(&view)).into_response());
    }
    let token = manage.0.ok_or(WebError::code(ErrorCode::Unauthenticated))?;
    let r = state.app.managed_registration(&token, id).await?;
    let deadlines = state.app.institution_deadlines(&r);
    Ok(Json(InstitutionRegistrationDto::new(&r, &deadlines)).into_response())
}

/// O7: moves the registration to another exam period of the same certification, once: asked
/// before the current exam start − 10 days, the target starting no later than 3 months after
/// the sitting first bought and more than 10 days from now, with a seat in `city`. The
/// target's public registration window does not apply. The seat, the sitting and the
/// admission-ticket and score promises move together; the inbox confirms it.
#[utoipa::path(
    post, path = "/api/v1/registrations/{id}/reschedule", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    request_body = RescheduleBody,
    responses(
        (status = 200, description = "Rescheduled: the registration as it now stands (`rescheduled: true`, `deadlines.reschedule_until` gone once used)", body = RegistrationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`: not the caller's registration, or (field `period_id` / `city`) an unknown period or a city it does not offer", body = ErrorBody),
        (status = 409, description = "Rule O7: `reschedule_used`, `reschedule_too_late` (with `deadline`), `reschedule_target_out_of_range` (field `period_id`; with `deadline` when the target is 10 days away or less), `retake_not_reschedulable`, `registration_not_live`, `no_seats_left` (field `city`)", body = ErrorBody),
        (status = 422, description = "`invalid_json`, `invalid_field` (city)", body = ErrorBody),
    ),
)]
pub(crate) async fn reschedule_registration(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Json(body): Json<RescheduleBody>,
) -> WebResult<Json<RegistrationDto>> {
    let view = state
        .app
        .reschedule(
            who.account(),
            RegistrationId(id),
            ExamPeriodId(body.period_id),
            &body.city,
        )
        .await?;
    Ok(Json(dto(&view)))
}
