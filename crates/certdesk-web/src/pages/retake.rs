//! The retake section of `/exams/{id}` (O8, E3): shown on a failed (or absent) registration —
//! the last moment some retake can be applied for, the periods and cities O8 allows now with
//! their seats left and each period's own apply deadline — one small form per city, named as
//! the API names it (`period_id`, `city`) — or why no retake can be taken; and
//! `POST /exams/{id}/retake`, which lands on the new retake's page, or answers with the exam
//! page again, the refusal shown next to the forms.

use axum::extract::State;
use axum::response::Response;
use certdesk_app::RetakeOptions;
use certdesk_domain::{ErrorCode, ExamPeriodId, RegistrationId};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form, Path};
use crate::i18n::T;
use crate::input::parse_period_id;
use crate::pages::exams::{ExamExtras, render_exam};
use crate::pages::reschedule::TargetCity;
use crate::pages::{form_refusal, see_other};
use crate::state::AppState;

/// A period O8 allows the retake on.
#[derive(Debug, Clone)]
pub(crate) struct RetakeTargetView {
    pub id: i64,
    pub starts: String,
    /// O8: apply for this period before its start − 10 days (Beijing time).
    pub apply_until: String,
    pub cities: Vec<TargetCity>,
}

/// What the section shows.
#[derive(Debug, Clone)]
pub(crate) struct RetakeSection {
    pub registration_id: i64,
    /// E3: the last moment some retake can be applied for, Beijing time (T4: "… 之前").
    pub deadline: Option<String>,
    /// Why it is not possible (a sentence), and its code for `data-reason`:
    /// `retake_not_eligible`, `retake_used`, `retake_too_late` or `no_eligible_period`.
    pub why_not: Option<(String, &'static str)>,
    /// The retake taken, to link to.
    pub retake: Option<i64>,
    pub targets: Vec<RetakeTargetView>,
    /// The horizon and the distance rule, as the hint above the targets says them.
    pub rules_hint: String,
}

impl RetakeSection {
    /// `None` unless the registration is a failed or absent sitting of the official channel
    /// (a live, passed or cancelled registration has no retake to speak of).
    pub(crate) fn new(t: T, id: i64, status: &str, o: &RetakeOptions) -> Option<RetakeSection> {
        let not_official = o
            .refusal
            .as_ref()
            .is_some_and(|r| r.code == ErrorCode::NotFound);
        if not_official || !matches!(status, "failed" | "absent") {
            return None;
        }
        let latest = t.instant(o.latest_start);
        let rules_hint = t.retake_rules(&latest, o.min_days_ahead);
        let why_not = match &o.refusal {
            Some(r) => Some((r.message(t.0), r.code.as_str())),
            None if o.targets.is_empty() => Some((rules_hint.clone(), "no_eligible_period")),
            None => None,
        };
        Some(RetakeSection {
            registration_id: id,
            deadline: o.deadline.map(|d| t.instant(d)),
            why_not,
            retake: o.retake.map(|r| r.get()),
            targets: o
                .targets
                .iter()
                .map(|target| RetakeTargetView {
                    id: target.period.id.get(),
                    starts: t.instant(target.period.starts_at),
                    apply_until: t.instant(target.apply_until),
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
pub(crate) struct RetakeForm {
    period_id: String,
    city: String,
}

/// Registers the retake (O8); on success to the retake's own page with the success message,
/// on a refusal the first attempt's page again with the refusal next to the forms.
pub(crate) async fn submit_retake(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Path(id): Path<i64>,
    Form(form): Form<RetakeForm>,
) -> WebResult<Response> {
    let result = match parse_period_id(&form.period_id) {
        Ok(period) => state
            .app
            .retake(
                who.account(),
                RegistrationId(id),
                ExamPeriodId(period),
                &form.city,
            )
            .await
            .map(|v| v.registration.id),
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(retake) => Ok(see_other(&ctx, &format!("/exams/{retake}?retaken=1"))),
        Err(err) => {
            let refusal = form_refusal(err)?;
            let extras = ExamExtras {
                retake_error: Some(refusal),
                ..ExamExtras::default()
            };
            render_exam(&state, &ctx, &who, id, extras).await
        }
    }
}
