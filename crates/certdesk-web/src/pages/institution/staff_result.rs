//! `POST /institution/registrations/{id}/result`: staff record their candidate's result (I7)
//! through the same import operators use (`import_results`, one line): a score of 0–100, or
//! absent. The use case's refusals (the exam has not ended, a result is there already, a bad
//! score) come back beside the form. `POST /institution/registrations/{id}/check-in`: I3,
//! the candidate checked in at the centre (refused outside the check-in window).

use axum::extract::State;
use axum::response::Response;
use certdesk_app::ResultsUpload;
use serde::Deserialize;
use serde_json::json;

use super::staff_registration::{Extras, render};
use crate::error::WebResult;
use crate::extract::{Ctx, CurrentStaff, Form, Path};
use crate::pages::{FormErrors, form_refusal, refusal_status, see_other};
use crate::state::AppState;

/// The result form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ResultForm {
    pub score: String,
    /// `true` when ticked.
    pub absent: String,
}

impl ResultForm {
    /// The import line: the score as a number when it is one (anything else goes as typed,
    /// for the import to refuse by its own rule).
    fn line(&self, id: i64) -> serde_json::Value {
        let absent = self.absent == "true";
        let score = self.score.trim();
        let mut line = json!({ "registration_id": id, "absent": absent });
        if !score.is_empty() {
            line["score"] = score
                .parse::<i64>()
                .map_or_else(|_| json!(score), |n| json!(n));
        }
        line
    }
}

pub(crate) async fn submit_result(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<ResultForm>,
) -> WebResult<Response> {
    // The registration is the staff member's own, or the use case's `not_found` page.
    state
        .app
        .staff_registration(staff.account(), certdesk_domain::RegistrationId(id))
        .await?;
    let outcome = state
        .app
        .import_results(staff.account(), ResultsUpload::Json(vec![form.line(id)]))
        .await;
    let refusal = match outcome {
        Ok(o) if o.rejected.is_empty() => {
            let to = format!("/institution/registrations/{id}?resulted=1");
            return Ok(see_other(&ctx, &to));
        }
        Ok(o) => o.rejected[0].refusal.clone(),
        Err(e) => form_refusal(e)?,
    };
    let x = Extras {
        result_errors: FormErrors::from_refusal(&refusal, ctx.locale, &["score", "absent"]),
        result_form: form,
        status: Some(refusal_status(&refusal)),
        ..Extras::default()
    };
    render(&state, &ctx, &staff, id, x).await
}

/// `POST /institution/registrations/{id}/check-in`.
pub(crate) async fn submit_check_in(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let refusal = match state
        .app
        .staff_check_in(staff.account(), certdesk_domain::RegistrationId(id))
        .await
    {
        Ok(_) => {
            let to = format!("/institution/registrations/{id}?checked_in=1");
            return Ok(see_other(&ctx, &to));
        }
        Err(e) => form_refusal(e)?,
    };
    let x = Extras {
        check_in_errors: FormErrors::from_refusal(&refusal, ctx.locale, &[]),
        status: Some(refusal_status(&refusal)),
        ..Extras::default()
    };
    render(&state, &ctx, &staff, id, x).await
}
