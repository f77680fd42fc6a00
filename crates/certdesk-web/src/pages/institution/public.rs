//! `/institutions` (I2, I9), no log-in: every authorised institution with its hotline and
//! email and the way to register through it, and the public list of test centres by city
//! with their address, contact person and phone.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use super::views::{CentreView, ContactView};
use crate::error::WebResult;
use crate::extract::Ctx;
use crate::i18n::T;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

/// A centre in the public list, with its institution's name.
#[derive(Debug, Clone)]
pub(crate) struct PublicCentre {
    pub centre: CentreView,
    pub institution: String,
}

/// One city's centres.
#[derive(Debug, Clone)]
pub(crate) struct CityCentres {
    pub city: String,
    pub centres: Vec<PublicCentre>,
}

#[derive(Template)]
#[template(path = "institution/list.html")]
struct InstitutionsPage {
    t: T,
    layout: Layout,
    institutions: Vec<ContactView>,
    cities: Vec<CityCentres>,
}

/// `GET /institutions`.
pub(crate) async fn show_institutions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let institutions = state.app.list_institutions().await?;
    let mut cities: Vec<CityCentres> = Vec::new();
    for c in state.app.list_test_centres(None).await? {
        let row = PublicCentre {
            centre: CentreView::new(&c),
            institution: institutions
                .iter()
                .find(|i| i.id == c.institution_id)
                .map(|i| i.name.clone())
                .unwrap_or_default(),
        };
        match cities.iter_mut().find(|x| x.city == c.city) {
            Some(city) => city.centres.push(row),
            None => cities.push(CityCentres {
                city: c.city.clone(),
                centres: vec![row],
            }),
        }
    }
    let page = InstitutionsPage {
        t,
        layout,
        institutions: institutions.iter().map(ContactView::new).collect(),
        cities,
    };
    html(StatusCode::OK, &page)
}
