//! `/admin/exam-periods`: every period with seats taken / capacity per city (O3), and the
//! "add" form: certification, start and end in Beijing time (`datetime-local`), one
//! "城市:考位数" per line, and the window for the specialty family (O2).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::PeriodInput;
use certdesk_domain::{CityDraft, ErrorCode, LocalizedText, Refusal};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Query};
use crate::i18n::T;
use crate::input::{parse_local, parse_local_opt};
use crate::middleware::context::RequestContext;
use crate::pages::home::cert_name;
use crate::pages::periods::exam_time;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const FIELDS: &[&str] = &[
    "certification",
    "starts_at",
    "ends_at",
    "cities",
    "registration_opens_at",
    "registration_closes_at",
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PeriodForm {
    pub certification: String,
    pub starts_at: String,
    pub ends_at: String,
    pub cities: String,
    pub registration_opens_at: String,
    pub registration_closes_at: String,
}

/// `深圳:200` per line (a full-width colon too); blank lines are skipped.
fn parse_cities(text: &str) -> Result<Vec<CityDraft>, Refusal> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = || {
            Refusal::new(ErrorCode::InvalidField)
                .field("cities")
                .detail(LocalizedText::new(
                    format!("第 {} 行应为“城市:考位数”，如“深圳:200”。", i + 1),
                    format!(
                        "Line {} should read “city:seats”, e.g. “Shenzhen:200”.",
                        i + 1
                    ),
                ))
        };
        let (city, seats) = line.split_once([':', '：']).ok_or_else(bad)?;
        let capacity = seats.trim().parse::<i64>().map_err(|_| bad())?;
        out.push(CityDraft {
            city: city.trim().to_owned(),
            capacity,
        });
    }
    Ok(out)
}

impl PeriodForm {
    fn to_input(&self) -> Result<PeriodInput, Refusal> {
        Ok(PeriodInput {
            certification: self.certification.trim().to_owned(),
            starts_at: parse_local(&self.starts_at, "starts_at")?,
            ends_at: parse_local_opt(&self.ends_at, "ends_at")?,
            cities: parse_cities(&self.cities)?,
            registration_opens_at: parse_local_opt(
                &self.registration_opens_at,
                "registration_opens_at",
            )?,
            registration_closes_at: parse_local_opt(
                &self.registration_closes_at,
                "registration_closes_at",
            )?,
        })
    }
}

/// An `<option>` of the certification select.
#[derive(Debug, Clone)]
pub(crate) struct CertOpt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct CityRow {
    pub city: String,
    pub taken: u32,
    pub capacity: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct PeriodRow {
    pub id: i64,
    pub cert: String,
    pub exam_time: String,
    pub opens: String,
    pub closes: String,
    pub cities: Vec<CityRow>,
}

#[derive(Template)]
#[template(path = "admin/periods.html")]
struct PeriodsPage {
    t: T,
    layout: Layout,
    active: &'static str,
    rows: Vec<PeriodRow>,
    certs: Vec<CertOpt>,
    form: PeriodForm,
    errors: FormErrors,
    created: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PeriodsQuery {
    created: Option<String>,
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    admin: &CurrentAdmin,
    status: StatusCode,
    form: PeriodForm,
    errors: FormErrors,
    created: bool,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let periods = state.app.seats_overview(admin.account()).await?;
    let certs = state.app.list_certifications(false).await?;
    let rows = periods
        .iter()
        .rev()
        .map(|p| PeriodRow {
            id: p.id.get(),
            cert: p.certification_code.as_str().to_owned(),
            exam_time: exam_time(t, p.starts_at, p.ends_at),
            opens: t.instant(p.registration_opens_at),
            closes: t.instant(p.registration_closes_at),
            cities: p
                .cities
                .iter()
                .map(|c| CityRow {
                    city: c.city.clone(),
                    taken: c.taken,
                    capacity: c.capacity,
                })
                .collect(),
        })
        .collect();
    let certs = certs
        .iter()
        .map(|c| CertOpt {
            value: c.data.code.as_str().to_owned(),
            label: format!("{} {}", c.data.code.as_str(), cert_name(t, c)),
            selected: form.certification == c.data.code.as_str(),
        })
        .collect();
    html(
        status,
        &PeriodsPage {
            t,
            layout,
            active: "periods",
            rows,
            certs,
            form,
            errors,
            created,
        },
    )
}

pub(crate) async fn show_periods(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Query(q): Query<PeriodsQuery>,
) -> WebResult<Response> {
    let created = q.created.is_some();
    render(
        &state,
        &ctx,
        &admin,
        StatusCode::OK,
        PeriodForm::default(),
        FormErrors::default(),
        created,
    )
    .await
}

pub(crate) async fn create_period(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<PeriodForm>,
) -> WebResult<Response> {
    let result = match form.to_input() {
        Ok(input) => state
            .app
            .create_exam_period(admin.account(), input)
            .await
            .map_err(form_refusal),
        Err(r) => Err(Ok(r)),
    };
    match result {
        Ok(_) => Ok(see_other(&ctx, "/admin/exam-periods?created=1")),
        Err(Err(e)) => Err(e),
        Err(Ok(r)) => {
            let errors = FormErrors::from_refusal(&r, ctx.locale, FIELDS);
            render(
                &state,
                &ctx,
                &admin,
                refusal_status(&r),
                form,
                errors,
                false,
            )
            .await
        }
    }
}
