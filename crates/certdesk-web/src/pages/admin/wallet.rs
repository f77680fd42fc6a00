//! `/admin/credits` (credit an account's cash or gift balance, amounts in yuan, with a
//! reason) and `/admin/vouchers` (issue a voucher): O5's operator side. An account is named
//! by its id or its email.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{AccountId, Email, ErrorCode, LocalizedText, Refusal};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::extract::{Ctx, CurrentAdmin, Form, Query};
use crate::i18n::T;
use crate::input::{parse_local, parse_yuan};
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

fn no_such_account() -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .field("account")
        .detail(LocalizedText::fixed(
            "未找到该账号，请填写账号编号或注册邮箱。",
            "No such account: enter its id or its email address.",
        ))
}

/// An account id, or the account whose email it is.
async fn resolve_account(
    state: &AppState,
    admin: &CurrentAdmin,
    input: &str,
) -> Result<AccountId, Refusal> {
    let input = input.trim();
    if let Ok(id) = input.parse::<i64>() {
        return Ok(AccountId(id));
    }
    let email = Email::parse(input).map_err(|_| no_such_account())?;
    match state
        .app
        .find_account_by_email(admin.account(), &email)
        .await
    {
        Ok(Some(account)) => Ok(account.id),
        _ => Err(no_such_account()),
    }
}

/// Why a form post failed: a refusal shown in the form, or anything else (error page).
enum Fail {
    Refused(Refusal),
    Web(WebError),
}

impl From<Refusal> for Fail {
    fn from(r: Refusal) -> Fail {
        Fail::Refused(r)
    }
}

/// A use case's error for a form: an unknown account goes next to the account field.
fn fail_of(e: certdesk_app::AppError) -> Fail {
    if e.code() == Some(ErrorCode::NotFound) {
        return Fail::Refused(no_such_account());
    }
    match form_refusal(e) {
        Ok(r) => Fail::Refused(r),
        Err(e) => Fail::Web(e),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CreditForm {
    pub account: String,
    pub kind: String,
    pub amount_yuan: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct VoucherForm {
    pub account: String,
    pub face_value_yuan: String,
    pub min_spend_yuan: String,
    pub expires_at: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
    code: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/credits.html")]
struct CreditsPage {
    t: T,
    layout: Layout,
    active: &'static str,
    form: CreditForm,
    errors: FormErrors,
    done: bool,
}

#[derive(Template)]
#[template(path = "admin/vouchers.html")]
struct VouchersPage {
    t: T,
    layout: Layout,
    active: &'static str,
    form: VoucherForm,
    errors: FormErrors,
    issued: Option<String>,
}

/// The form's field for a use case's field (fen in the API, yuan here).
fn errors_for(mut r: Refusal, locale: certdesk_domain::Locale, fields: &[&str]) -> FormErrors {
    let renamed = match r.field.as_deref() {
        Some("amount_fen") => Some("amount_yuan"),
        Some("face_value_fen") => Some("face_value_yuan"),
        Some("min_spend_fen") => Some("min_spend_yuan"),
        _ => None,
    };
    if let Some(f) = renamed {
        r.field = Some(f.to_owned());
    }
    FormErrors::from_refusal(&r, locale, fields)
}

pub(crate) async fn show_credits(
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let form = CreditForm {
        kind: "gift".to_owned(),
        ..CreditForm::default()
    };
    let page = CreditsPage {
        t,
        layout,
        active: "credits",
        form,
        errors: FormErrors::default(),
        done: q.done.is_some(),
    };
    html(StatusCode::OK, &page)
}

async fn credit(state: &AppState, admin: &CurrentAdmin, form: &CreditForm) -> Result<(), Fail> {
    let account = resolve_account(state, admin, &form.account).await?;
    let amount = parse_yuan(&form.amount_yuan, "amount_yuan")?;
    state
        .app
        .credit_account(admin.account(), account, &form.kind, amount, &form.reason)
        .await
        .map_err(fail_of)?;
    Ok(())
}

pub(crate) async fn submit_credit(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<CreditForm>,
) -> WebResult<Response> {
    let r = match credit(&state, &admin, &form).await {
        Ok(()) => return Ok(see_other(&ctx, "/admin/credits?done=1")),
        Err(Fail::Web(e)) => return Err(e),
        Err(Fail::Refused(r)) => r,
    };
    let (t, layout) = chrome(&ctx);
    let fields = ["account", "kind", "amount_yuan", "reason"];
    let page = CreditsPage {
        t,
        layout,
        active: "credits",
        errors: errors_for(r.clone(), ctx.locale, &fields),
        form,
        done: false,
    };
    html(refusal_status(&r), &page)
}

pub(crate) async fn show_vouchers(
    Ctx(ctx): Ctx,
    _admin: CurrentAdmin,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    let (t, layout) = chrome(&ctx);
    let form = VoucherForm {
        min_spend_yuan: "0".to_owned(),
        ..VoucherForm::default()
    };
    let page = VouchersPage {
        t,
        layout,
        active: "vouchers",
        form,
        errors: FormErrors::default(),
        issued: q.code,
    };
    html(StatusCode::OK, &page)
}

async fn issue(
    state: &AppState,
    admin: &CurrentAdmin,
    form: &VoucherForm,
) -> Result<certdesk_store::Voucher, Fail> {
    let account = resolve_account(state, admin, &form.account).await?;
    let face = parse_yuan(&form.face_value_yuan, "face_value_yuan")?;
    let min = parse_yuan(&form.min_spend_yuan, "min_spend_yuan")?;
    let expires_at = parse_local(&form.expires_at, "expires_at")?;
    state
        .app
        .issue_voucher(admin.account(), account, face, min, expires_at)
        .await
        .map_err(fail_of)
}

pub(crate) async fn submit_voucher(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    admin: CurrentAdmin,
    Form(form): Form<VoucherForm>,
) -> WebResult<Response> {
    let r = match issue(&state, &admin, &form).await {
        Ok(v) => {
            let to = format!("/admin/vouchers?code={}", v.code.as_str());
            return Ok(see_other(&ctx, &to));
        }
        Err(Fail::Web(e)) => return Err(e),
        Err(Fail::Refused(r)) => r,
    };
    let (t, layout) = chrome(&ctx);
    let fields = ["account", "face_value_yuan", "min_spend_yuan", "expires_at"];
    let page = VouchersPage {
        t,
        layout,
        active: "vouchers",
        errors: errors_for(r.clone(), ctx.locale, &fields),
        form,
        issued: None,
    };
    html(refusal_status(&r), &page)
}
