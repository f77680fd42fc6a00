//! What the checkout page shows (O5): the order's summary, the candidate's usable vouchers,
//! the pay-first choice and the payment plan the app quotes for them — or the refusal the
//! quote met, next to its field.

use certdesk_app::Quote;
use certdesk_domain::{
    ErrorCode, ExamPeriodId, Fen, PayFirst, Refusal, VoucherCode, VoucherView, check_voucher,
};
use certdesk_store::{Account, ExamPeriod, Voucher};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::i18n::T;
use crate::input::{order_input, parse_pay_first, parse_period_id};
use crate::middleware::context::RequestContext;
use crate::pages::home::cert_name;
use crate::pages::periods::exam_time;
use crate::pages::{FormErrors, form_refusal};
use crate::state::AppState;

/// The fields the plan's errors may sit next to.
const FIELDS: &[&str] = &["voucher_code", "pay_first"];

/// The candidate's choices, from the query (`GET /checkout`) or the form (`POST /checkout`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Choice {
    pub period: String,
    pub city: String,
    pub voucher_code: String,
    pub pay_first: String,
}

/// An `<option>` of the voucher select.
#[derive(Debug, Clone)]
pub(crate) struct VoucherOpt {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// The swappable part: plan, errors, the refund promise and the pay button.
#[derive(Debug, Clone)]
pub(crate) struct PlanView {
    pub total: String,
    pub voucher: String,
    pub gift: String,
    pub cash: String,
    pub refund_until: String,
    /// A plan was computed (perhaps without the refused voucher).
    pub has_plan: bool,
    pub can_pay: bool,
    pub short_of_money: bool,
    pub errors: FormErrors,
}

#[derive(Debug, Clone)]
pub(crate) struct CheckoutView {
    pub period_id: i64,
    pub city: String,
    pub cert_name: String,
    pub cert_code: String,
    pub exam_time: String,
    pub price: String,
    pub closes: String,
    pub seats_left: u32,
    pub cash: String,
    pub gift: String,
    pub vouchers: Vec<VoucherOpt>,
    pub pay_first_cash: bool,
    pub plan: PlanView,
}

/// What the page can show.
#[derive(Debug)]
pub(crate) enum Built {
    /// A1: the candidate must verify their identity first.
    NeedIdentity,
    Ready(Box<CheckoutView>),
}

fn usable(v: &Voucher, buyer: &Account, price: Fen, now: jiff::Timestamp) -> bool {
    let view = VoucherView {
        owner: v.account_id,
        face_value: v.face_value,
        min_spend: v.min_spend,
        expires_at: v.expires_at,
        used: v.used_by_order.is_some(),
    };
    check_voucher(&view, buyer.id, price, now).is_ok()
}

fn plan_view(t: T, q: &Quote, errors: FormErrors, can_pay: bool) -> PlanView {
    PlanView {
        total: t.fee(q.plan.total()),
        voucher: t.fee(q.plan.voucher()),
        gift: t.fee(q.plan.gift()),
        cash: t.fee(q.plan.cash()),
        refund_until: t.instant(q.refund_until_if_paid_now),
        has_plan: true,
        can_pay: can_pay && !errors.any(),
        short_of_money: false,
        errors,
    }
}

fn no_plan(errors: FormErrors, short_of_money: bool) -> PlanView {
    PlanView {
        total: String::new(),
        voucher: String::new(),
        gift: String::new(),
        cash: String::new(),
        refund_until: String::new(),
        has_plan: false,
        can_pay: false,
        short_of_money,
        errors,
    }
}

async fn period_of(state: &AppState, choice: &Choice) -> WebResult<ExamPeriod> {
    let id = parse_period_id(&choice.period)?;
    Ok(state.app.get_exam_period(ExamPeriodId(id)).await?)
}

/// Builds the page for `choice`; `post_error` (a refused payment) wins over the quote's.
pub(crate) async fn build(
    state: &AppState,
    ctx: &RequestContext,
    buyer: &Account,
    choice: &Choice,
    post_error: Option<Refusal>,
) -> WebResult<Built> {
    let t = T(ctx.locale);
    let period = period_of(state, choice).await?;
    let cert = state
        .app
        .get_certification(period.certification_code.as_str())
        .await?;
    let wallet = state.app.wallet(buyer).await?;
    let now = state.app.now();
    let price = cert.data.fee;
    let pay_first = parse_pay_first(Some(&choice.pay_first));
    let mut input = order_input(
        period.id.get(),
        &choice.city,
        Some(&choice.voucher_code),
        pay_first.clone().unwrap_or(None),
    );
    let voucher_code = input.voucher_code.clone();
    let quote = match state.app.quote_order(buyer, &input).await {
        Ok(q) => Ok(q),
        Err(e) if e.code() == Some(ErrorCode::RealNameRequired) => return Ok(Built::NeedIdentity),
        Err(e) => Err(form_refusal(e)?),
    };
    let refusal = post_error
        .or_else(|| pay_first.clone().err())
        .or_else(|| quote.as_ref().err().cloned());
    let errors = refusal
        .as_ref()
        .map(|r| FormErrors::from_refusal(r, ctx.locale, FIELDS))
        .unwrap_or_default();
    let plan = match &quote {
        Ok(q) => plan_view(t, q, errors, true),
        Err(r) if r.field.as_deref() == Some("voucher_code") => {
            // Show what paying without the refused voucher would do.
            input.voucher_code = None;
            match state.app.quote_order(buyer, &input).await {
                Ok(q) => plan_view(t, &q, errors, false),
                Err(_) => no_plan(errors, false),
            }
        }
        Err(r) => no_plan(errors, r.code == ErrorCode::InsufficientBalance),
    };
    let chosen = voucher_code
        .as_deref()
        .map(|c| VoucherCode::parse(c).map_or_else(|_| c.to_owned(), |c| c.as_str().to_owned()));
    let mut vouchers: Vec<VoucherOpt> = wallet
        .vouchers
        .iter()
        .filter(|v| usable(v, buyer, price, now))
        .map(|v| VoucherOpt {
            code: v.code.as_str().to_owned(),
            label: format!(
                "{} · {} {}",
                v.code.as_str(),
                t.fee(v.face_value),
                t.before_expiry(&t.instant(v.expires_at))
            ),
            selected: chosen.as_deref() == Some(v.code.as_str()),
        })
        .collect();
    if let Some(c) = chosen.filter(|c| !vouchers.iter().any(|v| &v.code == c)) {
        // Keep a refused choice visible, next to its error.
        vouchers.push(VoucherOpt {
            label: c.clone(),
            code: c,
            selected: true,
        });
    }
    let city_seats = period
        .cities
        .iter()
        .find(|c| c.city == choice.city.trim())
        .map_or(0, |c| c.seats_left());
    Ok(Built::Ready(Box::new(CheckoutView {
        period_id: period.id.get(),
        city: choice.city.trim().to_owned(),
        cert_name: cert_name(t, &cert),
        cert_code: cert.data.code.as_str().to_owned(),
        exam_time: exam_time(t, period.starts_at, period.ends_at),
        price: t.fee(price),
        closes: t.instant(period.registration_closes_at),
        seats_left: city_seats,
        cash: t.fee(wallet.balance.cash),
        gift: t.fee(wallet.balance.gift),
        vouchers,
        pay_first_cash: matches!(pay_first, Ok(Some(PayFirst::Cash))),
        plan,
    })))
}

/// The refusal a `Built::NeedIdentity` means where a page cannot say it in place.
pub(crate) fn real_name_required() -> WebError {
    WebError::from(Refusal::new(ErrorCode::RealNameRequired).rule("A1"))
}
