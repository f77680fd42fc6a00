//! The management page's content: each attempt (status, certification, appointment with the
//! centre's address and the time spelled out in Beijing time, I5's change deadline and I6's
//! retake horizon from `institution_deadlines`, E3), the institution's hotline and email in
//! place of any refund button (I8, I9), the slot picker (I3/I5) and, after a failed first
//! attempt, the free retake at the same centre (I6). Refusals of the forms are shown beside
//! them with their E1 message (deadline included).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{Attempt, Refusal, RegistrationStatus, TestCentreId, before_deadline};
use certdesk_store::{InstitutionRegistration, TestCentre};
use jiff::Timestamp;

use super::views::{
    AppointmentView, CentreView, ContactView, SLOT_WEEKS, SlotRow, coming_dates, slot_rows,
};
use crate::error::WebResult;
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::FormErrors;
use crate::pages::account_certificates::{AddressForm, CertificatesSection};
use crate::pages::exams::{ResultView, cert_names};
use crate::pages::{Layout, chrome, html, refusal_status};
use crate::state::AppState;

/// What a request adds to the page: the centre chosen, a banner, a form's refusal.
#[derive(Debug, Default)]
pub(crate) struct ManageExtras {
    pub centre: Option<i64>,
    pub banner: Option<&'static str>,
    /// The slot picker's refusal.
    pub error: Option<Refusal>,
    /// The retake form's refusal.
    pub retake_error: Option<Refusal>,
    /// The mailing-address form as typed, with its refusal's field errors (O9).
    pub address: Option<(AddressForm, FormErrors, Refusal)>,
}

/// One attempt (the first, or the retake that followed).
#[derive(Debug, Clone)]
pub(crate) struct AttemptView {
    pub id: i64,
    pub attempt: &'static str,
    pub is_retake: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub cert_name: String,
    pub cert_code: String,
    pub appointment: Option<AppointmentView>,
    /// I5 (E3): change it yourself before this (Beijing time).
    pub change_until: Option<String>,
    /// I6 (E3): the retake must start before this.
    pub retake_until: Option<String>,
    pub result: Option<ResultView>,
}

/// The slot picker of the live attempt (I3: book; I5: move).
#[derive(Debug, Clone)]
pub(crate) struct Picker {
    pub registration_id: i64,
    pub moving: bool,
    /// A retake stays at its centre (I6): no centre choice.
    pub locked: bool,
    pub centres: Vec<CentreView>,
    pub selected: Option<CentreView>,
    pub slots: Vec<SlotRow>,
    /// I5's deadline has passed: no self-service change.
    pub closed: bool,
}

/// I6: the free retake's form.
#[derive(Debug, Clone)]
pub(crate) struct RetakeOffer {
    pub centre: CentreView,
    pub until: String,
    pub slots: Vec<SlotRow>,
}

#[derive(Template)]
#[template(path = "institution/manage.html")]
struct ManagePage {
    t: T,
    layout: Layout,
    token: String,
    real_name: String,
    contact: ContactView,
    attempts: Vec<AttemptView>,
    pay_first: bool,
    picker: Option<Picker>,
    span_hint: String,
    retake: Option<RetakeOffer>,
    banner: Option<&'static str>,
    /// (message, code) of the picker's refusal.
    error: Option<(String, &'static str)>,
    retake_error: Option<(String, &'static str)>,
    /// O9: once a certificate is earned, where its paper copy goes
    /// (`partials/mailing_address.html`, posting to `address_action`).
    address: Option<CertificatesSection>,
    address_action: String,
}

fn attempt_view(
    state: &AppState,
    t: T,
    r: &InstitutionRegistration,
    centres: &[TestCentre],
    names: &std::collections::HashMap<String, String>,
) -> AttemptView {
    let reg = &r.registration;
    let deadlines = state.app.institution_deadlines(r);
    let code = reg.certification_code.as_str().to_owned();
    AttemptView {
        id: reg.id.get(),
        attempt: reg.attempt.label(t.0),
        is_retake: reg.attempt == Attempt::Retake,
        status: reg.status.as_str(),
        status_label: reg.status.label(t.0),
        cert_name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
        cert_code: code,
        appointment: AppointmentView::new(t, r, centres),
        change_until: deadlines.reschedule_until.map(|d| t.instant(d)),
        retake_until: deadlines.retake_apply_until.map(|d| t.instant(d)),
        result: reg.result.as_ref().map(|x| ResultView::new(t, x)),
    }
}

/// The picker for the attempt that can still be booked or moved, if one can.
async fn picker(
    state: &AppState,
    t: T,
    now: Timestamp,
    r: &InstitutionRegistration,
    centres: &[TestCentre],
    chosen: Option<i64>,
) -> WebResult<Option<Picker>> {
    let status = r.registration.status;
    if !(status.is_live() || status == RegistrationStatus::AwaitingPayment) {
        return Ok(None);
    }
    let current = r.slot.as_ref();
    let locked = r.registration.attempt == Attempt::Retake;
    let moving = current.is_some();
    // I5, T4: the candidate may change it while now < the deadline the use case enforces.
    let closed = moving
        && !state
            .app
            .institution_deadlines(r)
            .reschedule_until
            .is_some_and(|until| before_deadline(now, until));
    let selectable: Vec<&TestCentre> = centres
        .iter()
        .filter(|c| !locked || current.is_some_and(|s| s.test_centre_id == c.id))
        .collect();
    let selected = chosen
        .and_then(|id| selectable.iter().find(|c| c.id == TestCentreId(id)))
        .or_else(|| current.and_then(|s| selectable.iter().find(|c| c.id == s.test_centre_id)))
        .or_else(|| (selectable.len() == 1).then(|| &selectable[0]))
        .copied();
    let mut slots = Vec::new();
    if let (Some(centre), false, Some((from, to))) = (selected, closed, coming_dates(now, None)) {
        let listed = state.app.list_slots(centre.id, from, to).await?;
        slots = slot_rows(t, &listed, now, state.app.calendar(), current.map(|s| s.id));
    }
    Ok(Some(Picker {
        registration_id: r.registration.id.get(),
        moving,
        locked,
        centres: selectable.iter().map(|c| CentreView::new(c)).collect(),
        selected: selected.map(CentreView::new),
        slots,
        closed,
    }))
}

/// I6: the retake offer of a failed first attempt that has not taken it, while its horizon
/// (the use case's `retake_apply_until`) is ahead; slots of the first attempt's centre only,
/// starting before the horizon.
async fn retake_offer(
    state: &AppState,
    t: T,
    now: Timestamp,
    first: &InstitutionRegistration,
    centres: &[TestCentre],
) -> WebResult<Option<RetakeOffer>> {
    let until = state.app.institution_deadlines(first).retake_apply_until;
    let (Some(until), Some(slot), None) = (until, &first.slot, first.registration.retake_id) else {
        return Ok(None);
    };
    let Some(centre) = centres.iter().find(|c| c.id == slot.test_centre_id) else {
        return Ok(None);
    };
    let mut slots = Vec::new();
    if let Some((from, to)) = coming_dates(now, Some(until)) {
        let listed = state.app.list_slots(centre.id, from, to).await?;
        let within: Vec<_> = listed
            .into_iter()
            .filter(|s| before_deadline(s.starts_at, until))
            .collect();
        slots = slot_rows(t, &within, now, state.app.calendar(), None);
    }
    Ok(Some(RetakeOffer {
        centre: CentreView::new(centre),
        until: t.instant(until),
        slots,
    }))
}

/// Renders the page for the registration `first` that `token` opened.
pub(crate) async fn render_manage(
    state: &AppState,
    ctx: &RequestContext,
    token: &str,
    first: InstitutionRegistration,
    extras: ManageExtras,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let now = state.app.now();
    let institution = state
        .app
        .get_institution(first.enrolment.institution_id)
        .await?;
    let centres: Vec<TestCentre> = state
        .app
        .list_test_centres(None)
        .await?
        .into_iter()
        .filter(|c| c.institution_id == institution.id)
        .collect();
    let retake = match first.registration.retake_id {
        Some(id) => Some(state.app.managed_registration(token, id).await?),
        None => None,
    };
    let names = cert_names(state, t).await?;
    let live = retake.as_ref().unwrap_or(&first);
    let mut attempts = vec![attempt_view(state, t, &first, &centres, &names)];
    if let Some(r) = &retake {
        attempts.push(attempt_view(state, t, r, &centres, &names));
    }
    let address = address_block(state, &first, retake.as_ref(), extras.address.clone()).await?;
    let address_refusal = extras.address.as_ref().map(|(_, _, r)| r.clone());
    let status = [&extras.error, &extras.retake_error, &address_refusal]
        .into_iter()
        .flatten()
        .map(refusal_status)
        .next()
        .unwrap_or(StatusCode::OK);
    let say = |r: &Refusal| (r.message(t.0), r.code.as_str());
    let page = ManagePage {
        t,
        layout,
        token: token.to_owned(),
        real_name: first.real_name.clone(),
        contact: ContactView::new(&institution),
        pay_first: first.registration.status == RegistrationStatus::AwaitingPayment,
        picker: picker(state, t, now, live, &centres, extras.centre).await?,
        span_hint: t.slots_span(SLOT_WEEKS),
        retake: retake_offer(state, t, now, &first, &centres).await?,
        attempts,
        banner: extras.banner,
        error: extras.error.as_ref().map(say),
        retake_error: extras.retake_error.as_ref().map(say),
        address,
        address_action: format!("/manage/{token}/mailing-address"),
    };
    html(status, &page)
}

/// O9/I7: the mailing-address form, once either attempt passed (its certificate has a paper
/// copy to ship): the contact's saved address, or the form as typed after a refusal.
async fn address_block(
    state: &AppState,
    first: &InstitutionRegistration,
    retake: Option<&InstitutionRegistration>,
    typed: Option<(AddressForm, FormErrors, Refusal)>,
) -> WebResult<Option<CertificatesSection>> {
    let passed = std::iter::once(first)
        .chain(retake)
        .any(|r| r.registration.status == RegistrationStatus::Passed);
    if !passed {
        return Ok(None);
    }
    let (form, errors) = match typed {
        Some((form, errors, _)) => (form, errors),
        None => {
            let contact = state
                .app
                .store()
                .get_account(first.registration.account_id)
                .await
                .map_err(certdesk_app::AppError::from)?;
            let saved = state.app.my_mailing_address(&contact).await?;
            (
                saved
                    .as_ref()
                    .map(AddressForm::from_saved)
                    .unwrap_or_default(),
                FormErrors::default(),
            )
        }
    };
    Ok(Some(CertificatesSection {
        form,
        errors,
        ..CertificatesSection::default()
    }))
}
