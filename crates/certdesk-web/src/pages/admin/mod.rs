//! Operator pages (role `admin`): catalogue, exam periods, venues and check-in (O4),
//! institutions and test centres (I1, I2), credits,
//! vouchers, results, promises,
//! identity review, verification mode, audit log, failed jobs. Each checks the role itself
//! (`CurrentAdmin`) as well as the use case.

pub(crate) mod audit;
pub(crate) mod catalogue;
pub(crate) mod catalogue_edit;
pub(crate) mod cert_form;
pub(crate) mod certificates;
pub(crate) mod check_in;
pub(crate) mod identities;
pub(crate) mod institutions;
pub(crate) mod jobs;
pub(crate) mod notifications;
pub(crate) mod paper;
pub(crate) mod periods;
pub(crate) mod promises;
pub(crate) mod results;
pub(crate) mod settings;
pub(crate) mod support;
pub(crate) mod venues;
pub(crate) mod wallet;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin};
use crate::i18n::T;
use crate::pages::{Layout, chrome, html};

#[derive(Template)]
#[template(path = "admin/index.html")]
struct AdminPage {
    t: T,
    layout: Layout,
    active: &'static str,
}

pub(crate) async fn show_admin(Ctx(ctx): Ctx, _admin: CurrentAdmin) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    html(
        StatusCode::OK,
        &AdminPage {
            t,
            layout,
            active: "",
        },
    )
}
