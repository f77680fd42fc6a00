//! The reschedule section of `/exams/{id}` (O7, E3): the last moment to reschedule, the
//! periods and cities O7 allows now with their seats left — one small form per city, so every
//! input is named as the API names it (`period_id`, `city`) — or why rescheduling is not
//! possible; and `POST /exams/{id}/reschedule`, which answers with the exam page again, the
//! success or the refusal shown next to the forms.

use axum::extract::State;
use axum::response::Response;
use certdesk_app::RescheduleOptions;
use certdesk_domain::{ErrorCode, ExamPeriodId, RegistrationId};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form, Path};
use crate::i18n::T;
use crate::input::parse_period_id;
use crate::pages::exams::{ExamExtras, render_exam};
use crate::pages::{form_refusal, see_other};
use crate::state::AppState;

/// A city of a target period with its seats left.
#[derive(Debug, Clone)]
pub(crate) struct TargetCity {
    pub name: String,
    pub seats_left: u32,
}

impl TargetCity {
    /// The cities a reschedule or retake section offers (O7, O8).
    pub(crate) fn list(cities: &[certdesk_store::PeriodCity]) -> Vec<TargetCity> {
        cities
            .iter()
            .map(|c| TargetCity {
                name: c.city.clone(),
                seats_left: c.seats_left(),
            })
            .collect()
    }
}

/// A period O7 allows moving to.
#[derive(Debug, Clone)]
pub(crate) struct TargetView {
    pub id: i64,
    pub starts: String,
    pub cities: Vec<TargetCity>,
}

/// What the section shows.
#[derive(Debug, Clone)]
pub(crate) struct RescheduleSection {
    pub registration_id: i64,
    /// E3: the last moment to reschedule, Beijing time (T4: "… 之前").
    pub deadline: Option<String>,
    /// Why it is not possible (a sentence), and its code for `data-reason`:
    /// `reschedule_used`, `reschedule_too_late`, `retake_not_reschedulable`,
    /// `registration_not_live`, or `no_eligible_period`.
    pub why_not: Option<(String, &'static str)>,
    pub targets: Vec<TargetView>,
    /// The horizon and the distance rule, as the hint above the targets says them.
    pub rules_hint: String,
}

impl RescheduleSection {
    /// `None` when there is nothing to reschedule on the official channel (no sitting).
    pub(crate) fn new(t: T, id: i64, o: &RescheduleOptions) -> Option<RescheduleSection> {
        if o.refusal
            .as_ref()
            .is_some_and(|r| r.code == ErrorCode::NotFound)
        {
            return None;
        }
        let latest = t.instant(o.latest_start);
        let rules_hint = t.reschedule_rules(&latest, o.min_days_ahead);
        let why_not = match &o.refusal {
            Some(r) => Some((r.message(t.0), r.code.as_str())),
            None if o.targets.is_empty() => Some((rules_hint.clone(), "no_eligible_period")),
            None => None,
        };
        Some(RescheduleSection {
            registration_id: id,
            deadline: o.deadline.map(|d| t.instant(d)),
            why_not,
            targets: o
                .targets
                .iter()
                .map(|target| TargetView {
                    id: target.period.id.get(),
                    starts: t.instant(target.period.starts_at),
                    cities: TargetCity::list(&target.cities),
                })
                .collect(),
            rules_hint,
        })
    }

    /// The state for `data-state`: `open` with targets, else the reason.
    pub(crate) fn state(&self) -> &'static str {
        self.why_not.as_ref().map_or("open", |(_, code)| code)
    }
}

/// One city's form: the target as the API names it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RescheduleForm {
    period_id: String,
    city: String,
}

/// Moves the registration (O7); on success back to the page with the success message, on a
/// refusal the page again with the refusal next to the forms.
pub(crate) async fn submit_reschedule(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Form(form): Form<RescheduleForm>,
) -> WebResult<Response> {
    let result = match parse_period_id(&form.period_id) {
        Ok(period) => state
            .app
            .reschedule(
                who.account(),
                RegistrationId(id),
                ExamPeriodId(period),
                &form.city,
            )
            .await
            .map(|_| ()),
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(()) => Ok(see_other(
            &ctx,
            &format!("/exams/{id}?rescheduled=1#reschedule"),
        )),
        Err(err) => {
            let refusal = form_refusal(err)?;
            let extras = ExamExtras {
                reschedule_error: Some(refusal),
                ..ExamExtras::default()
            };
            render_exam(&state, &ctx, &who, id, extras).await
        }
    }
}
