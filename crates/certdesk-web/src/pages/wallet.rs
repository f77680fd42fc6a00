//! `/wallet`: cash and gift balances, vouchers (code, face value, minimum spend, expiry,
//! used / expired), the ledger a page at a time, and the top-up form, which goes on to the
//! gateway's checkout (the sandbox's page, `pages::sandbox`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use certdesk_domain::{Fen, Refusal, VoucherState, voucher_state};
use certdesk_store::{LedgerEntry, Voucher};
use serde::Deserialize;

use crate::dto::page::PageQuery;
use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form, Query};
use crate::i18n::T;
use crate::input::parse_yuan;
use crate::middleware::context::RequestContext;
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

#[derive(Debug, Clone)]
pub(crate) struct VoucherRow {
    pub code: String,
    pub face_value: String,
    pub min_spend: String,
    pub expires: String,
    /// `usable`, `used`, `expired`.
    pub state: &'static str,
    pub state_label: &'static str,
}

impl VoucherRow {
    fn new(t: T, v: &Voucher, now: jiff::Timestamp) -> VoucherRow {
        let state = voucher_state(v.used_by_order.is_some(), v.expires_at, now);
        let state_label = match state {
            VoucherState::Usable => t.voucher_usable(),
            VoucherState::Used => t.voucher_used(),
            VoucherState::Expired => t.voucher_expired(),
        };
        VoucherRow {
            code: v.code.as_str().to_owned(),
            face_value: t.fee(v.face_value),
            min_spend: t.fee(v.min_spend),
            expires: t.before_instant(&t.instant(v.expires_at)),
            state: state.as_str(),
            state_label,
        }
    }
}

/// A signed ledger amount in yuan: `+¥100.00` / `−¥30.00`.
fn signed_yuan(fen: i64) -> String {
    let abs = Fen::new(fen.checked_abs().unwrap_or(i64::MAX)).unwrap_or(Fen::MAX);
    if fen < 0 {
        format!("−{abs}")
    } else {
        format!("+{abs}")
    }
}

#[derive(Debug, Clone)]
pub(crate) struct LedgerRow {
    pub kind: &'static str,
    pub balance: &'static str,
    pub amount: String,
    pub credit: bool,
    pub reason: String,
    pub at: String,
}

impl LedgerRow {
    fn new(t: T, e: &LedgerEntry) -> LedgerRow {
        LedgerRow {
            kind: e.kind.label(t.0),
            balance: e.balance.label(t.0),
            amount: signed_yuan(e.amount),
            credit: e.amount >= 0,
            reason: crate::dto::wallet::ledger_reason(e, t.0),
            at: t.instant(e.at),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TopUpForm {
    pub amount_yuan: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WalletQuery {
    cursor: Option<String>,
    topped_up: Option<String>,
    cancelled: Option<String>,
}

#[derive(Template)]
#[template(path = "wallet.html")]
struct WalletPage {
    t: T,
    layout: Layout,
    cash: String,
    gift: String,
    vouchers: Vec<VoucherRow>,
    ledger: Vec<LedgerRow>,
    next_cursor: Option<String>,
    topped_up: bool,
    cancelled: bool,
    /// Some gateway takes top-ups (O5); otherwise the form gives way to a note.
    top_ups: bool,
    form: TopUpForm,
    errors: FormErrors,
}

struct Banners {
    topped_up: bool,
    cancelled: bool,
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    who: &CurrentAccount,
    cursor: Option<String>,
    banners: Banners,
    form: TopUpForm,
    refusal: Option<Refusal>,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let status = refusal.as_ref().map_or(StatusCode::OK, refusal_status);
    let page = PageQuery {
        limit: Some("20".to_owned()),
        cursor,
    }
    .page_request()?;
    let wallet = state.app.wallet(who.account()).await?;
    let ledger = state.app.ledger(who.account(), page).await?;
    let now = state.app.now();
    let errors = refusal
        .map(|mut r| {
            // The API's field is in fen; the form's in yuan.
            if r.field.as_deref() == Some("amount_fen") {
                r.field = Some("amount_yuan".to_owned());
            }
            FormErrors::from_refusal(&r, ctx.locale, &["amount_yuan"])
        })
        .unwrap_or_default();
    html(
        status,
        &WalletPage {
            t,
            layout,
            cash: t.fee(wallet.balance.cash),
            gift: t.fee(wallet.balance.gift),
            vouchers: wallet
                .vouchers
                .iter()
                .map(|v| VoucherRow::new(t, v, now))
                .collect(),
            ledger: ledger.items.iter().map(|e| LedgerRow::new(t, e)).collect(),
            next_cursor: ledger.next_cursor.map(|c| c.to_string()),
            topped_up: banners.topped_up,
            cancelled: banners.cancelled,
            top_ups: state.app.top_ups_available(),
            form,
            errors,
        },
    )
}

pub(crate) async fn show_wallet(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Query(q): Query<WalletQuery>,
) -> WebResult<Response> {
    let banners = Banners {
        topped_up: q.topped_up.is_some(),
        cancelled: q.cancelled.is_some(),
    };
    render(
        &state,
        &ctx,
        &who,
        q.cursor,
        banners,
        TopUpForm::default(),
        None,
    )
    .await
}

/// Starts a top-up and sends the browser to the gateway's checkout.
pub(crate) async fn submit_top_up(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Form(form): Form<TopUpForm>,
) -> WebResult<Response> {
    let result = match parse_yuan(&form.amount_yuan, "amount_yuan") {
        Ok(amount) => match state.app.start_top_up(who.account(), amount).await {
            Ok(payment) => Ok(state.app.checkout_url(&payment).await?),
            Err(e) => Err(form_refusal(e)?),
        },
        Err(r) => Err(r),
    };
    match result {
        Ok(url) => Ok(see_other(&ctx, &url)),
        Err(r) => {
            let banners = Banners {
                topped_up: false,
                cancelled: false,
            };
            render(&state, &ctx, &who, None, banners, form, Some(r)).await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ledger_amounts_carry_their_sign() {
        assert_eq!(super::signed_yuan(-3000), "−¥30.00");
        assert_eq!(super::signed_yuan(10_000), "+¥100.00");
        // Beyond what a ledger can hold, shown at the ceiling rather than wrapped.
        assert_eq!(super::signed_yuan(i64::MIN), "−¥10,000,000,000.00");
    }
}
