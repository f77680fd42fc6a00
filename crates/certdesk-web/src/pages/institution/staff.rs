//! `/institution`: the staff portal (role `institution_staff`, own institution only — the
//! extractor checks the role, the use cases the institution): the institution's candidates
//! (name, masked phone, certification, status, appointment) each linking to its page
//! (`staff_registration.rs`), the coming slots of each centre with the seats taken, and the
//! form that publishes a slot (I3: business days only, in the future, capacity 1–500).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::institution::SlotInput;
use certdesk_domain::Attempt;
use certdesk_store::{InstitutionRegistration, TestCentre};
use serde::Deserialize;

use super::views::{AppointmentView, CentreView, ContactView, SlotRow, coming_dates, slot_rows};
use crate::error::WebResult;
use crate::extract::{Ctx, CurrentStaff, Form, Query};
use crate::i18n::T;
use crate::input::parse_form_id;
use crate::middleware::context::RequestContext;
use crate::pages::exams::cert_names;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

const FIELDS: [&str; 4] = ["centre_id", "date", "starts_at", "capacity"];

/// A candidate in the list.
#[derive(Debug, Clone)]
pub(crate) struct StaffRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub cert_name: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub is_retake: bool,
    pub appointment: Option<AppointmentView>,
}

impl StaffRow {
    pub(crate) fn new(
        t: T,
        r: &InstitutionRegistration,
        centres: &[TestCentre],
        names: &HashMap<String, String>,
    ) -> StaffRow {
        let reg = &r.registration;
        let code = reg.certification_code.as_str();
        StaffRow {
            id: reg.id.get(),
            name: r.real_name.clone(),
            // A list shows no more of a person than it needs: the phone masked, as ID numbers are.
            phone: r
                .phone
                .as_ref()
                .map_or_else(|| t.not_given().to_owned(), |p| p.masked()),
            cert_name: names.get(code).cloned().unwrap_or_else(|| code.to_owned()),
            status: reg.status.as_str(),
            status_label: reg.status.label(t.0),
            is_retake: reg.attempt == Attempt::Retake,
            appointment: AppointmentView::new(t, r, centres),
        }
    }
}

/// O12: an official-channel application as the desk lists it.
#[derive(Debug, Clone)]
pub(crate) struct ApplicationRow {
    pub registration_id: i64,
    pub kind: &'static str,
    pub holder: String,
    pub cert_name: String,
    pub from: String,
    pub to: String,
    pub applied: String,
    pub rule: &'static str,
    pub allowed: bool,
    /// What the rule decided on: "before …; no later than …".
    pub inputs: String,
}

impl ApplicationRow {
    fn new(
        t: T,
        v: &certdesk_app::institution::ApplicationView,
        names: &HashMap<String, String>,
    ) -> ApplicationRow {
        let a = &v.application;
        let code = a.certification_code.as_str();
        ApplicationRow {
            registration_id: a.registration_id.get(),
            kind: if a.kind == "retake" {
                t.staff_o12_retake()
            } else {
                t.staff_o12_reschedule()
            },
            holder: a.holder_name.clone(),
            cert_name: names.get(code).cloned().unwrap_or_else(|| code.to_owned()),
            from: format!("{} {}", a.from_city, t.instant(a.from_starts_at)),
            to: format!("{} {}", a.to_city, t.instant(a.to_starts_at)),
            applied: t.instant(a.at),
            rule: v.rule,
            allowed: v.allowed,
            inputs: t.staff_o12_inputs(&t.instant(v.apply_before), &t.instant(v.latest_start)),
        }
    }
}

/// A centre's coming slots.
#[derive(Debug, Clone)]
pub(crate) struct CentreSlots {
    pub centre: CentreView,
    pub slots: Vec<SlotRow>,
}

/// The publish form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SlotForm {
    pub centre_id: String,
    pub date: String,
    pub starts_at: String,
    pub capacity: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    published: Option<String>,
}

#[derive(Template)]
#[template(path = "institution/staff.html")]
struct StaffPage {
    t: T,
    layout: Layout,
    contact: ContactView,
    rows: Vec<StaffRow>,
    /// O12: the official channel's applications this desk operates.
    applications: Vec<ApplicationRow>,
    upcoming: Vec<CentreSlots>,
    form: SlotForm,
    errors: FormErrors,
    published: bool,
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    staff: &CurrentStaff,
    status: StatusCode,
    form: SlotForm,
    errors: FormErrors,
    published: bool,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let actor = staff.account();
    let institution = state.app.get_institution(staff.institution).await?;
    let centres = state.app.staff_test_centres(actor).await?;
    let names = cert_names(state, t).await?;
    let rows = state
        .app
        .staff_registrations(actor, None)
        .await?
        .iter()
        .map(|r| StaffRow::new(t, r, &centres, &names))
        .collect();
    let applications = state
        .app
        .official_applications(actor)
        .await?
        .iter()
        .map(|v| ApplicationRow::new(t, v, &names))
        .collect();
    let now = state.app.now();
    let mut upcoming = Vec::new();
    for c in &centres {
        let mut slots = Vec::new();
        if let Some((from, to)) = coming_dates(now, None) {
            let listed = state.app.list_slots(c.id, from, to).await?;
            slots = slot_rows(t, &listed, now, state.app.calendar(), None);
        }
        upcoming.push(CentreSlots {
            centre: CentreView::new(c),
            slots,
        });
    }
    let page = StaffPage {
        t,
        layout,
        contact: ContactView::new(&institution),
        rows,
        applications,
        upcoming,
        form,
        errors,
        published,
    };
    html(status, &page)
}

/// `GET /institution`.
pub(crate) async fn show_staff(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    staff: CurrentStaff,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let published = q.published.is_some();
    let form = SlotForm {
        capacity: "10".to_owned(),
        ..SlotForm::default()
    };
    let errors = FormErrors::default();
    render(
        &state,
        &ctx,
        &staff,
        StatusCode::OK,
        form,
        errors,
        published,
    )
    .await
}

/// `POST /institution/slots`: I3. Another institution's centre is `not_found` (the error
/// page), as the use case says.
pub(crate) async fn submit_slot(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    staff: CurrentStaff,
    Form(form): Form<SlotForm>,
) -> WebResult<Response> {
    let result = match parse_form_id(&form.centre_id, "centre_id") {
        Ok(centre_id) => {
            let input = SlotInput {
                centre_id,
                date: form.date.clone(),
                starts_at: form.starts_at.clone(),
                // Not a whole number: the use case's own refusal (field `capacity`).
                capacity: form.capacity.trim().parse().unwrap_or(-1),
            };
            state
                .app
                .publish_slot(staff.account(), input)
                .await
                .map(|_| ())
        }
        Err(r) => Err(r.into()),
    };
    let refusal = match result {
        Ok(()) => return Ok(see_other(&ctx, "/institution?published=1#slots")),
        Err(e) => form_refusal(e)?,
    };
    let errors = FormErrors::from_refusal(&refusal, ctx.locale, &FIELDS);
    let status = refusal_status(&refusal);
    render(&state, &ctx, &staff, status, form, errors, false).await
}
