//! `/certifications/{code}`: one certification's details (C1) and its upcoming exam periods
//! with cities, seats left and the registration window (O1–O3, E3).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::error::WebResult;
use crate::extract::{Ctx, MaybeAccount, Path};
use crate::i18n::T;
use crate::pages::home::cert_name;
use crate::pages::periods::{Buyer, PeriodView};
use crate::pages::{Layout, chrome, encode_component, html};
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
    periods: Vec<PeriodView>,
    /// `anonymous`, `unverified`, `verified`.
    buyer: &'static str,
    login_url: String,
}

pub(crate) async fn show_certification(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    MaybeAccount(who): MaybeAccount,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let cert = state.app.get_certification(&code).await?;
    let (t, layout) = chrome(&ctx);
    let d = &cert.data;
    let identity = match &who {
        Some(a) => state.app.me(&a.account).await?.identity.map(|i| i.status),
        None => None,
    };
    let buyer = Buyer::new(who.is_some(), identity);
    let periods = if d.retired {
        Vec::new()
    } else {
        state
            .app
            .list_exam_periods(Some(d.code.as_str()), false)
            .await?
    };
    let now = state.app.now();
    let page = CertificationPage {
        t,
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
        periods: periods
            .iter()
            .map(|p| PeriodView::new(t, p, now, buyer))
            .collect(),
        buyer: match buyer {
            Buyer::Anonymous => "anonymous",
            Buyer::Unverified => "unverified",
            Buyer::Verified => "verified",
        },
        login_url: format!(
            "/login?next={}",
            encode_component(&format!("/certifications/{}", d.code.as_str()))
        ),
        layout,
    };
    html(StatusCode::OK, &page)
}
