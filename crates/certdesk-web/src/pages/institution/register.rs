//! `/institutions/{id}/register` (I1), no log-in: the institution's current agreement with an
//! "I have read and accept" box (the version read is sent back as a hidden field, so a newer
//! version published meanwhile is refused with `agreement_outdated` and the form comes back
//! with the new text), the certification, legal name, ID number, phone and email. A refusal
//! shows the form again next to its field — the ID number never written back into it. Success
//! goes to the payment step of the new registration (`payment.rs`), by its management link.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::institution::InstitutionRegistrationInput;
use certdesk_domain::{ErrorCode, InstitutionId, Locale, LocalizedText, Refusal};
use certdesk_store::{Agreement, Institution};
use serde::Deserialize;

use super::views::ContactView;
use crate::error::WebResult;
use crate::extract::{Ctx, Form, Path};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

/// The fields a refusal may name on this form (the agreement version goes on top).
const FIELDS: [&str; 6] = [
    "accept",
    "certification",
    "real_name",
    "id_number",
    "phone",
    "email",
];

/// The form as typed. The ID number is read, never shown again.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct RegisterForm {
    pub agreement_version: String,
    pub accept: String,
    pub certification: String,
    pub real_name: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
}

#[derive(Template)]
#[template(path = "institution/register.html")]
struct RegisterPage {
    t: T,
    layout: Layout,
    institution: ContactView,
    agreement_version: u32,
    agreement_version_label: String,
    agreement_text: String,
    /// Certifications on sale: (code, "name · fee").
    certifications: Vec<(String, String)>,
    form: RegisterForm,
    /// The box stays ticked only for the version the page shows.
    accepted: bool,
    errors: FormErrors,
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    institution: &Institution,
    agreement: &Agreement,
    form: RegisterForm,
    errors: FormErrors,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let certifications = state
        .app
        .list_certifications(false)
        .await?
        .iter()
        .map(|c| {
            let name = crate::pages::home::cert_name(t, c);
            (
                c.data.code.as_str().to_owned(),
                format!("{name} · {}", t.fee(c.data.fee)),
            )
        })
        .collect();
    let accepted =
        is_ticked(&form.accept) && form.agreement_version.trim() == agreement.version.to_string();
    let page = RegisterPage {
        t,
        layout,
        institution: ContactView::new(institution),
        agreement_version: agreement.version,
        agreement_version_label: t.agreement_version(&agreement.version),
        agreement_text: agreement.text.clone(),
        certifications,
        form: RegisterForm {
            // A2: the ID number is never echoed back into the page.
            id_number: String::new(),
            ..form
        },
        accepted,
        errors,
    };
    html(status, &page)
}

fn is_ticked(value: &str) -> bool {
    matches!(value.trim(), "on" | "yes" | "true" | "1")
}

/// `GET /institutions/{id}/register`.
pub(crate) async fn show_register(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let institution = state.app.get_institution(InstitutionId(id)).await?;
    let agreement = state.app.current_agreement(institution.id).await?;
    render(
        &state,
        &ctx,
        StatusCode::OK,
        &institution,
        &agreement,
        RegisterForm::default(),
        FormErrors::default(),
    )
    .await
}

/// I1: the box must be ticked; said in both languages by the page's own words.
fn not_accepted() -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .rule("I1")
        .field("accept")
        .detail(LocalizedText::new(
            T(Locale::ZhCn).inst_accept_required(),
            T(Locale::En).inst_accept_required(),
        ))
}

/// `POST /institutions/{id}/register`: registers (awaiting payment) and goes to the payment
/// step, or shows the form again with the refusal.
pub(crate) async fn submit_register(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RegisterForm>,
) -> WebResult<Response> {
    let institution = state.app.get_institution(InstitutionId(id)).await?;
    let refusal = if is_ticked(&form.accept) {
        let input = InstitutionRegistrationInput {
            institution_id: id,
            certification: form.certification.clone(),
            // Not a number is no version at all: the use case says `agreement_outdated`.
            agreement_version: form.agreement_version.trim().parse().unwrap_or(0),
            real_name: form.real_name.clone(),
            id_number: form.id_number.clone(),
            phone: form.phone.clone(),
            email: form.email.clone(),
        };
        match state.app.register_with_institution(input, ctx.locale).await {
            Ok(made) => {
                let to = format!("/manage/{}/payment", made.manage_token);
                return Ok(see_other(&ctx, &to));
            }
            Err(e) => form_refusal(e)?,
        }
    } else {
        not_accepted()
    };
    // Shown with the agreement as it is now: after `agreement_outdated`, the new version.
    let agreement = state.app.current_agreement(institution.id).await?;
    let errors = FormErrors::from_refusal(&refusal, ctx.locale, &FIELDS);
    render(
        &state,
        &ctx,
        refusal_status(&refusal),
        &institution,
        &agreement,
        form,
        errors,
    )
    .await
}
