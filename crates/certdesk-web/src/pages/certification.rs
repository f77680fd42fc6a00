//! `/certifications/{code}`: one certification's details (C1).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::WebResult;
use crate::extract::{Ctx, Path};
use crate::i18n::T;
use crate::pages::home::cert_name;
use crate::pages::{Layout, chrome, html};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "certification.html")]
struct CertificationPage {
    t: T,
    layout: Layout,
    code: String,
    name: String,
    other_name: String,
    family: &'static str,
    track: Option<&'static str>,
    level: Option<&'static str>,
    fee: String,
    duration: String,
    pass_mark: String,
    validity: String,
    retired: bool,
}

pub(crate) async fn show_certification(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let cert = state.app.get_certification(&code).await?;
    let (t, layout) = chrome(&ctx);
    let d = &cert.data;
    let page = CertificationPage {
        t,
        layout,
        code: d.code.as_str().to_owned(),
        name: cert_name(t, &cert),
        other_name: if t.is_zh() {
            d.name_en.clone()
        } else {
            d.name_zh.clone()
        },
        family: t.family(d.family),
        track: d.track.map(|x| t.track(x)),
        level: d.level.map(|x| t.level(x)),
        fee: t.fee(d.fee),
        duration: t.minutes(d.duration_minutes),
        pass_mark: t.points(d.pass_mark),
        validity: t.months(d.validity_months),
        retired: d.retired,
    };
    html(StatusCode::OK, &page)
}
