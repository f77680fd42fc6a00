//! `/institution/registrations/{id}`: one of the institution's registrations for its staff —
//! the candidate, the appointment, what was paid and refunded; the form that moves the
//! appointment with a reason (I5: staff may, any time before the exam), the refund form
//! (I8: an amount in yuan, converted exactly to fen, of at most what remains, and a reason)
//! and the refunds made. Another institution's registration is `not_found`, as the use cases
//! say.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{
    Attempt, Refusal, RegistrationId, RegistrationStatus, SlotId, before_deadline,
};
use serde::Deserialize;

use super::staff::StaffRow;
use super::views::{CentreView, coming_dates, slot_rows};
use crate::error::WebResult;
use crate::extract::{Ctx, CurrentStaff, Form, Path, Query};
use crate::i18n::T;
use crate::input::{parse_form_id, parse_yuan};
use crate::middleware::context::RequestContext;
use crate::pages::exams::cert_names;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

/// The move form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct MoveForm {
    pub slot_id: String,
    pub reason: String,
}

/// The refund form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RefundForm {
    pub amount_yuan: String,
    pub reason: String,
}

/// A refund made.
#[derive(Debug, Clone)]
pub(crate) struct RefundRow {
    pub id: i64,
    pub amount: String,
    pub reason: String,
    pub at: String,
    pub cancelled: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    moved: Option<String>,
    refunded: Option<String>,
    resulted: Option<String>,
    checked_in: Option<String>,
}

/// What a request adds: the forms as typed and their refusals, a banner (the result form's
/// are set by `staff_result.rs`).
#[derive(Debug, Default)]
pub(crate) struct Extras {
    pub(super) banner: Option<&'static str>,
    pub(super) move_form: MoveForm,
    pub(super) move_errors: FormErrors,
    pub(super) refund_form: RefundForm,
    pub(super) refund_errors: FormErrors,
    pub(super) result_form: super::staff_result::ResultForm,
    pub(super) result_errors: FormErrors,
    pub(super) check_in_errors: FormErrors,
    pub(super) status: Option<StatusCode>,
}

#[derive(Template)]
#[template(path = "institution/staff_registration.html")]
struct StaffRegistrationPage {
    t: T,
    layout: Layout,
    row: StaffRow,
    email: String,
    paid: String,
    refunded: String,
    remaining: String,
    can_move: bool,
    /// Slots to move to: (id, label).
    targets: Vec<(i64, String)>,
    can_refund: bool,
    /// I7: a live registration with an appointment awaits its result.
    can_record: bool,
    /// I3: when the candidate was checked in, spelled out; or None.
    checked_in: Option<String>,
    refunds: Vec<RefundRow>,
    x: Extras,
}

pub(super) async fn render(
    state: &AppState,
    ctx: &RequestContext,
    staff: &CurrentStaff,
    id: i64,
    x: Extras,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let actor = staff.account();
    let r = state
        .app
        .staff_registration(actor, RegistrationId(id))
        .await?;
    let centres = state.app.staff_test_centres(actor).await?;
    let names = cert_names(state, t).await?;
    let now = state.app.now();
    let reg = &r.registration;
    // I5: staff may move it before the exam starts; I6: a retake stays at its centre.
    let can_move = reg.status.is_live()
        && r.slot
            .as_ref()
            .is_none_or(|s| before_deadline(now, s.starts_at));
    let mut targets = Vec::new();
    let span = coming_dates(now, None).filter(|_| can_move);
    let current = r.slot.as_ref();
    for c in centres.iter().filter(|c| {
        reg.attempt == Attempt::First || current.is_some_and(|s| s.test_centre_id == c.id)
    }) {
        let Some((from, to)) = span else { break };
        let label = CentreView::new(c).label();
        let listed = state.app.list_slots(c.id, from, to).await?;
        let rows = slot_rows(t, &listed, now, state.app.calendar(), current.map(|s| s.id));
        for s in rows.into_iter().filter(|s| !s.full && !s.current) {
            let seats = format!("{} {}", t.manage_seats_left(), s.seats_left);
            targets.push((s.id, format!("{label} · {} {} · {seats}", s.day, s.time)));
        }
    }
    let remaining = r.enrolment.paid.saturating_sub(r.enrolment.refunded);
    let refunds = state
        .app
        .staff_refunds(actor, RegistrationId(id))
        .await?
        .iter()
        .map(|f| RefundRow {
            id: f.id,
            amount: t.fee(f.amount),
            reason: f.reason.clone(),
            at: t.instant(f.at),
            cancelled: f.cancelled,
        })
        .collect();
    let page = StaffRegistrationPage {
        t,
        layout,
        row: StaffRow::new(t, &r, &centres, &names),
        email: r.email.masked(),
        paid: t.fee(r.enrolment.paid),
        refunded: t.fee(r.enrolment.refunded),
        remaining: t.fee(remaining),
        can_move,
        targets,
        can_refund: reg.status != RegistrationStatus::AwaitingPayment && !remaining.is_zero(),
        can_record: reg.status.is_live() && r.slot.is_some(),
        checked_in: r.checked_in_at.map(|at| t.instant(at)),
        refunds,
        x,
    };
    html(page.x.status.unwrap_or(StatusCode::OK), &page)
}

/// `GET /institution/registrations/{id}`.
pub(crate) async fn show_registration(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    let banner = if q.moved.is_some() {
        Some(t.staff_moved())
    } else if q.refunded.is_some() {
        Some(t.staff_refund_done())
    } else if q.resulted.is_some() {
        Some(t.staff_resulted())
    } else if q.checked_in.is_some() {
        Some(t.staff_checked_in())
    } else {
        None
    };
    let x = Extras {
        banner,
        ..Extras::default()
    };
    render(&state, &ctx, &staff, id, x).await
}

/// `POST /institution/registrations/{id}/appointment`: I5 by staff, with a reason.
pub(crate) async fn submit_move(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<MoveForm>,
) -> WebResult<Response> {
    let result = match parse_form_id(&form.slot_id, "slot_id") {
        Ok(slot) => state
            .app
            .staff_move_appointment(
                staff.account(),
                RegistrationId(id),
                SlotId(slot),
                &form.reason,
            )
            .await
            .map(|_| ()),
        Err(r) => Err(r.into()),
    };
    let refusal = match result {
        Ok(()) => {
            let to = format!("/institution/registrations/{id}?moved=1");
            return Ok(see_other(&ctx, &to));
        }
        Err(e) => form_refusal(e)?,
    };
    let x = Extras {
        move_errors: FormErrors::from_refusal(&refusal, ctx.locale, &["slot_id", "reason"]),
        move_form: form,
        status: Some(refusal_status(&refusal)),
        ..Extras::default()
    };
    render(&state, &ctx, &staff, id, x).await
}

/// `POST /institution/registrations/{id}/refund`: I8. The amount is typed in yuan and turned
/// into fen exactly (`parse_yuan`); the use case's refusals of it name `amount_fen`, shown
/// beside the yuan field.
pub(crate) async fn submit_refund(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<RefundForm>,
) -> WebResult<Response> {
    let result = match parse_yuan(&form.amount_yuan, "amount_yuan") {
        Ok(amount) => state
            .app
            .staff_refund(staff.account(), RegistrationId(id), amount, &form.reason)
            .await
            .map(|_| ()),
        Err(r) => Err(r.into()),
    };
    let mut refusal: Refusal = match result {
        Ok(()) => {
            let to = format!("/institution/registrations/{id}?refunded=1");
            return Ok(see_other(&ctx, &to));
        }
        Err(e) => form_refusal(e)?,
    };
    if refusal.field.as_deref() == Some("amount_fen") {
        refusal.field = Some("amount_yuan".to_owned());
    }
    let x = Extras {
        refund_errors: FormErrors::from_refusal(&refusal, ctx.locale, &["amount_yuan", "reason"]),
        refund_form: form,
        status: Some(refusal_status(&refusal)),
        ..Extras::default()
    };
    render(&state, &ctx, &staff, id, x).await
}
