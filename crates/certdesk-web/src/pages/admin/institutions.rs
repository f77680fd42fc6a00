//! `/admin/institutions` and `/admin/test-centres` (I1, I2): the authorised institutions with
//! their contacts and current agreement version, the form that adds one (with version 1 of
//! its agreement) and the one that publishes a new version; the test centres and the form
//! that opens one. Checked and audited by the use cases (`create_institution`,
//! `publish_agreement`, `create_test_centre`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_app::institution::{InstitutionInput, TestCentreInput};
use certdesk_domain::InstitutionId;
use certdesk_store::Institution;
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAdmin, Form, Query};
use crate::i18n::T;
use crate::input::parse_form_id;
use crate::middleware::context::RequestContext;
use crate::pages::institution::views::CentreView;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

/// The new institution, as typed (the API's field names).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct InstitutionForm {
    pub name: String,
    pub hotline: String,
    pub email: String,
    pub agreement_text: String,
}

/// A new agreement version, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AgreementForm {
    pub institution_id: String,
    pub text: String,
}

/// The new test centre, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CentreForm {
    pub institution_id: String,
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    created: Option<String>,
    published: Option<u32>,
}

#[derive(Template)]
#[template(path = "admin/institutions.html")]
struct InstitutionsAdminPage {
    t: T,
    layout: Layout,
    active: &'static str,
    institutions: Vec<Institution>,
    done: Option<String>,
    form: InstitutionForm,
    errors: FormErrors,
    agreement: AgreementForm,
    agreement_errors: FormErrors,
}

#[derive(Template)]
#[template(path = "admin/test_centres.html")]
struct CentresAdminPage {
    t: T,
    layout: Layout,
    active: &'static str,
    institutions: Vec<Institution>,
    /// Each centre with its institution's name.
    centres: Vec<(CentreView, String)>,
    created: bool,
    form: CentreForm,
    /// The form's text inputs: (field, label, value, max length).
    text_fields: Vec<(&'static str, &'static str, String, u32)>,
    errors: FormErrors,
}

/// Renders the institutions page with the forms as given.
async fn institutions_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    done: Option<String>,
    forms: (InstitutionForm, FormErrors, AgreementForm, FormErrors),
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let (form, errors, agreement, agreement_errors) = forms;
    let page = InstitutionsAdminPage {
        t,
        layout,
        active: "institutions",
        institutions: state.app.list_institutions().await?,
        done,
        form,
        errors,
        agreement,
        agreement_errors,
    };
    html(status, &page)
}

/// `GET /admin/institutions`.
pub(crate) async fn show_institutions(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let t = T(ctx.locale);
    let done = match (q.created, q.published) {
        (Some(_), _) => Some(t.inst_admin_created().to_owned()),
        (None, Some(v)) => Some(t.agreement_published(v)),
        (None, None) => None,
    };
    let forms = Default::default();
    institutions_page(&state, &ctx, StatusCode::OK, done, forms).await
}

/// `POST /admin/institutions`: adds one with version 1 of its agreement.
pub(crate) async fn submit_institution(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<InstitutionForm>,
) -> WebResult<Response> {
    let input = InstitutionInput {
        name: form.name.clone(),
        hotline: form.hotline.clone(),
        email: form.email.clone(),
        agreement_text: form.agreement_text.clone(),
    };
    let r = match state.app.create_institution(admin.account(), input).await {
        Ok(_) => return Ok(see_other(&ctx, "/admin/institutions?created=1")),
        Err(e) => form_refusal(e)?,
    };
    let fields = ["name", "hotline", "email", "agreement_text"];
    let errors = FormErrors::from_refusal(&r, ctx.locale, &fields);
    let forms = (
        form,
        errors,
        AgreementForm::default(),
        FormErrors::default(),
    );
    institutions_page(&state, &ctx, refusal_status(&r), None, forms).await
}

/// `POST /admin/institutions/agreement`: I1, the next version; from then on only it is
/// accepted.
pub(crate) async fn submit_agreement(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<AgreementForm>,
) -> WebResult<Response> {
    let result = match parse_form_id(&form.institution_id, "institution_id") {
        Ok(id) => {
            state
                .app
                .publish_agreement(admin.account(), InstitutionId(id), &form.text)
                .await
        }
        Err(r) => Err(r.into()),
    };
    let r = match result {
        Ok(a) => {
            let to = format!("/admin/institutions?published={}", a.version);
            return Ok(see_other(&ctx, &to));
        }
        Err(e) => form_refusal(e)?,
    };
    let errors = FormErrors::from_refusal(&r, ctx.locale, &["institution_id", "text"]);
    let forms = (
        InstitutionForm::default(),
        FormErrors::default(),
        form,
        errors,
    );
    institutions_page(&state, &ctx, refusal_status(&r), None, forms).await
}

async fn centres_page(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    created: bool,
    form: CentreForm,
    errors: FormErrors,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let institutions = state.app.list_institutions().await?;
    let centres = state
        .app
        .list_test_centres(None)
        .await?
        .iter()
        .map(|c| {
            let owner = institutions
                .iter()
                .find(|i| i.id == c.institution_id)
                .map(|i| i.name.clone())
                .unwrap_or_default();
            (CentreView::new(c), owner)
        })
        .collect();
    let text_fields = vec![
        ("name", t.centre_field_name(), form.name.clone(), 100),
        ("city", t.field_city(), form.city.clone(), 40),
        ("address", t.field_address(), form.address.clone(), 200),
        (
            "contact_name",
            t.inst_col_contact(),
            form.contact_name.clone(),
            40,
        ),
        (
            "contact_phone",
            t.inst_col_phone(),
            form.contact_phone.clone(),
            40,
        ),
    ];
    let page = CentresAdminPage {
        t,
        layout,
        active: "test_centres",
        institutions,
        centres,
        created,
        form,
        text_fields,
        errors,
    };
    html(status, &page)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CreatedQuery {
    created: Option<String>,
}

/// `GET /admin/test-centres`.
pub(crate) async fn show_centres(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
    Query(q): Query<CreatedQuery>,
) -> WebResult<Response> {
    let created = q.created.is_some();
    let (form, errors) = Default::default();
    centres_page(&state, &ctx, StatusCode::OK, created, form, errors).await
}

/// `POST /admin/test-centres`: I2, a public test centre of an institution.
pub(crate) async fn submit_centre(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<CentreForm>,
) -> WebResult<Response> {
    let result = match parse_form_id(&form.institution_id, "institution_id") {
        Ok(institution_id) => {
            let input = TestCentreInput {
                institution_id,
                name: form.name.clone(),
                city: form.city.clone(),
                address: form.address.clone(),
                contact_name: form.contact_name.clone(),
                contact_phone: form.contact_phone.clone(),
            };
            state
                .app
                .create_test_centre(admin.account(), input)
                .await
                .map(|_| ())
        }
        Err(r) => Err(r.into()),
    };
    let r = match result {
        Ok(()) => return Ok(see_other(&ctx, "/admin/test-centres?created=1")),
        Err(e) => form_refusal(e)?,
    };
    let fields = [
        "institution_id",
        "name",
        "city",
        "address",
        "contact_name",
        "contact_phone",
    ];
    let errors = FormErrors::from_refusal(&r, ctx.locale, &fields);
    centres_page(&state, &ctx, refusal_status(&r), false, form, errors).await
}
