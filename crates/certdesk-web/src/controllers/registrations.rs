//! `GET /api/v1/registrations` and `GET /api/v1/registrations/{id}`: the person's
//! registrations (A2: every account verified as that person sees them) with their deadlines
//! (E3).

use axum::extract::State;
use certdesk_app::RegistrationView;
use certdesk_domain::RegistrationId;

use crate::dto::orders::{AdmissionTicketDto, RegistrationDto};
use crate::dto::page::{PageDto, PageQuery};
use crate::error::{ErrorBody, WebResult};
use crate::extract::{CurrentAccount, Json, Path, Query};
use crate::state::AppState;

fn dto(v: &RegistrationView) -> RegistrationDto {
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

/// One of the caller's registrations; anyone else's is `not_found`.
#[utoipa::path(
    get, path = "/api/v1/registrations/{id}", tag = "official",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The registration", body = RegistrationDto),
        (status = 401, description = "`unauthenticated`", body = ErrorBody),
        (status = 404, description = "`not_found`", body = ErrorBody),
    ),
)]
pub(crate) async fn get_registration(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Json<RegistrationDto>> {
    let view = state
        .app
        .get_my_registration(who.account(), RegistrationId(id))
        .await?;
    Ok(Json(dto(&view)))
}
