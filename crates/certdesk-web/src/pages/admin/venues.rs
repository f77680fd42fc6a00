//! `/admin/venues` (O4): the venues of each city with their seats, in the order tickets fill
//! them, and the form that adds one (`create_venue`: checked and audited by the use case).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::VenueInput;
use certdesk_store::Venue;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Query};
use crate::i18n::T;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VenueForm {
    pub city: String,
    pub name: String,
    pub address: String,
    pub seats: String,
}

/// One city's venues and their seats in all.
#[derive(Debug, Clone)]
pub(crate) struct CityVenues {
    pub city: String,
    pub venues: Vec<Venue>,
    pub seats: u64,
}

/// Venues grouped by city, keeping the store's order (cities by their first venue).
fn by_city(venues: Vec<Venue>) -> Vec<CityVenues> {
    let mut cities: Vec<CityVenues> = Vec::new();
    for v in venues {
        match cities.iter_mut().find(|c| c.city == v.city) {
            Some(c) => {
                c.seats += u64::from(v.seats);
                c.venues.push(v);
            }
            None => cities.push(CityVenues {
                city: v.city.clone(),
                seats: u64::from(v.seats),
                venues: vec![v],
            }),
        }
    }
    cities
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/venues.html")]
struct VenuesPage {
    t: T,
    layout: Layout,
    active: &'static str,
    cities: Vec<CityVenues>,
    form: VenueForm,
    errors: FormErrors,
    done: bool,
}

const FIELDS: [&str; 4] = ["city", "name", "address", "seats"];

pub(crate) async fn show_venues(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let venues = state.app.list_venues(admin.account(), None).await?;
    let page = VenuesPage {
        t,
        layout,
        active: "venues",
        cities: by_city(venues),
        form: VenueForm::default(),
        errors: FormErrors::default(),
        done: q.done.is_some(),
    };
    html(StatusCode::OK, &page)
}

pub(crate) async fn submit_venue(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<VenueForm>,
) -> WebResult<Response> {
    // A seats field that is not a whole number is the use case's own refusal (field `seats`).
    let seats = form.seats.trim().parse::<i64>().unwrap_or(-1);
    let input = VenueInput {
        city: form.city.clone(),
        name: form.name.clone(),
        address: form.address.clone(),
        seats,
    };
    let r = match state.app.create_venue(admin.account(), input).await {
        Ok(_) => return Ok(see_other(&ctx, "/admin/venues?done=1")),
        Err(e) => form_refusal(e)?,
    };
    let (t, layout) = chrome(&ctx);
    let venues = state.app.list_venues(admin.account(), None).await?;
    let page = VenuesPage {
        t,
        layout,
        active: "venues",
        cities: by_city(venues),
        errors: FormErrors::from_refusal(&r, ctx.locale, &FIELDS),
        form,
        done: false,
    };
    html(refusal_status(&r), &page)
}
