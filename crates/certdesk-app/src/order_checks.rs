//! O5: every check of an order before anything is committed, in the order the candidate
//! should hear about them (A1, O1/O2, O3, the voucher, the balances), shared by the checkout
//! page's quote and by register-and-pay; and the canonical request hash of `Idempotency-Key`.

use certdesk_domain::{
    City, ErrorCode, ExamPeriodId, Fen, IdentityId, PayFirst, PaymentPlan, Refusal, VoucherCode,
    VoucherView, Window, check_city_offered, check_real_name, check_voucher, no_seats_left,
    plan_payment, rules::check_registration, unknown_period, voucher_not_found,
};
use certdesk_store::{Account, Certification, ExamPeriod, OrderContext, Voucher, WalletBalance};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::App;
use crate::error::AppResult;
use crate::orders::OrderInput;

/// An order that passed every check at `now`, ready to commit.
#[derive(Debug, Clone)]
pub(crate) struct CheckedOrder {
    pub identity_id: IdentityId,
    pub period: ExamPeriod,
    pub certification: Certification,
    pub city: City,
    pub seats_left: u32,
    /// The voucher and the part of the price it pays.
    pub voucher: Option<(Voucher, Fen)>,
    pub pay_first: PayFirst,
    pub balance: WalletBalance,
    pub plan: PaymentPlan,
}

/// A blank voucher field (a form's empty input) means no voucher.
fn voucher_input(input: &OrderInput) -> Option<&str> {
    input
        .voucher_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// SHA-256 (hex) of the order's canonical form: period, city as parsed, voucher code as
/// parsed, `pay_first` resolved to its default. Unparseable parts enter trimmed as sent, so
/// the hash never needs the store and two spellings of one order hash alike.
pub(crate) fn request_hash(input: &OrderInput) -> String {
    let city = City::parse(&input.city)
        .map(|c| c.as_str().to_owned())
        .unwrap_or_else(|_| input.city.trim().to_owned());
    let voucher = voucher_input(input).map(|raw| {
        VoucherCode::parse(raw)
            .map(|c| c.as_str().to_owned())
            .unwrap_or_else(|_| raw.to_owned())
    });
    let canonical = serde_json::json!({
        "v": 1,
        "period_id": input.period_id,
        "city": city,
        "voucher_code": voucher,
        "pay_first": input.pay_first.unwrap_or_default(),
    });
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

impl App {
    /// O5's reads in one store call (identity, period, certification, balance), then A1: the
    /// buyer's verified identity (`real_name_required`, 403, otherwise) before anything else.
    pub(crate) async fn order_context(
        &self,
        actor: &Account,
        input: &OrderInput,
    ) -> AppResult<(IdentityId, OrderContext)> {
        let context = self
            .store
            .load_order_context(actor.id, ExamPeriodId(input.period_id))
            .await?;
        let identity = context.identity.as_ref();
        check_real_name(identity.map(|i| i.status))?;
        let identity_id = identity
            .map(|i| i.identity_id)
            .ok_or(ErrorCode::RealNameRequired)?;
        Ok((identity_id, context))
    }

    /// Every check but A1's (the caller has the identity) and A2's (the store's, atomically;
    /// the quote asks separately), at `now`, against the context `order_context` read.
    pub(crate) async fn check_order(
        &self,
        actor: &Account,
        identity_id: IdentityId,
        context: OrderContext,
        input: &OrderInput,
        now: Timestamp,
    ) -> AppResult<CheckedOrder> {
        // An unknown period (or, were it possible, one without its certification).
        let (period, certification) = context.period.ok_or_else(unknown_period)?;
        if certification.data.retired {
            // C1: a retired certification can no longer be bought.
            return Err(Refusal::new(ErrorCode::CertificationRetired)
                .rule("C1")
                .field("period_id")
                .into());
        }
        // O1/O2: the window stored with the period (derived at creation for the cloud family).
        let window = Window::new(period.registration_opens_at, period.registration_closes_at);
        check_registration(certification.data.family, window, now)?;
        // O3: a city the period offers, with a seat left (the store takes it atomically).
        let city = City::parse(&input.city)?;
        let offered: Vec<City> = period
            .cities
            .iter()
            .filter_map(|c| City::parse(&c.city).ok())
            .collect();
        check_city_offered(&offered, &city)?;
        let seats_left = period
            .cities
            .iter()
            .find(|c| c.city == city.as_str())
            .map_or(0, |c| c.seats_left());
        if seats_left == 0 {
            return Err(no_seats_left().into());
        }
        // O5: the voucher first (not the buyer's reads exactly as not found), then balances.
        let price = certification.data.fee;
        let voucher = match voucher_input(input) {
            None => None,
            Some(raw) => {
                let code = VoucherCode::parse(raw)?;
                let voucher = self
                    .store
                    .find_voucher(&code)
                    .await?
                    .ok_or_else(voucher_not_found)?;
                let view = VoucherView {
                    owner: voucher.account_id,
                    face_value: voucher.face_value,
                    min_spend: voucher.min_spend,
                    expires_at: voucher.expires_at,
                    used: voucher.used_by_order.is_some(),
                };
                let applied = check_voucher(&view, actor.id, price, now)?;
                Some((voucher, applied))
            }
        };
        let pay_first = input.pay_first.unwrap_or_default();
        let balance = context.balance;
        let applied = voucher.as_ref().map_or(Fen::ZERO, |(_, a)| *a);
        let plan = plan_payment(price, applied, balance.gift, balance.cash, pay_first)?;
        Ok(CheckedOrder {
            identity_id,
            period,
            certification,
            city,
            seats_left,
            voucher,
            pay_first,
            balance,
            plan,
        })
    }
}
