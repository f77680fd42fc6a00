//! The wallet (O5): balances, the ledger, vouchers, top-ups and operators' credits.

use certdesk_domain::{LedgerReference, Locale, RawAmount, voucher_expired};
use certdesk_store::{LedgerEntry, OverduePromise, Payment, Voucher};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rfc3339;

/// A voucher (代金券) as its owner sees it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VoucherDto {
    #[schema(example = "CD-7K3M-Q9XA")]
    pub code: String,
    pub face_value_fen: i64,
    pub min_spend_fen: i64,
    /// Exclusive (T4): usable while now < expires_at.
    #[schema(format = DateTime)]
    pub expires_at: String,
    pub used: bool,
    /// now ≥ expires_at (O5, T4), whether used or not.
    pub expired: bool,
}

impl VoucherDto {
    pub(crate) fn new(v: &Voucher, now: jiff::Timestamp) -> VoucherDto {
        VoucherDto {
            code: v.code.as_str().to_owned(),
            face_value_fen: v.face_value.get(),
            min_spend_fen: v.min_spend.get(),
            expires_at: rfc3339(v.expires_at),
            used: v.used_by_order.is_some(),
            expired: voucher_expired(v.expires_at, now),
        }
    }
}

/// `GET /api/v1/me/wallet`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WalletDto {
    pub cash_fen: i64,
    pub gift_fen: i64,
    pub vouchers: Vec<VoucherDto>,
}

/// One ledger entry; `amount_fen` is signed (credits positive, debits negative).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LedgerEntryDto {
    pub id: i64,
    /// `cash` or `gift`.
    pub balance: String,
    /// `top_up`, `operator_credit`, `order_debit`, `refund`.
    pub kind: String,
    pub amount_fen: i64,
    /// Never empty: an operator's credit gives the operator's words; an order's payment, its
    /// refund and a top-up name the order or payment, in the request's language.
    #[schema(example = "订单 #12 报名缴费")]
    pub reason: String,
    pub order_id: Option<i64>,
    pub payment_id: Option<i64>,
    #[schema(format = DateTime)]
    pub at: String,
}

/// O5: why `e` moved its balance, in `locale` (`LedgerEntryKind::reason`); the API and the
/// wallet page both say it so.
pub(crate) fn ledger_reason(e: &LedgerEntry, locale: Locale) -> String {
    let reference = match e.kind.reference() {
        LedgerReference::Order => e.order_id.map(|o| o.get()),
        LedgerReference::Payment => e.payment_id.map(|p| p.get()),
        LedgerReference::Operator => None,
    };
    e.kind.reason(&e.reason, reference).get(locale).to_owned()
}

impl LedgerEntryDto {
    pub(crate) fn new(e: &LedgerEntry, locale: Locale) -> LedgerEntryDto {
        LedgerEntryDto {
            id: e.id,
            balance: e.balance.as_str().to_owned(),
            kind: e.kind.as_str().to_owned(),
            amount_fen: e.amount,
            reason: ledger_reason(e, locale),
            order_id: e.order_id.map(|o| o.get()),
            payment_id: e.payment_id.map(|p| p.get()),
            at: rfc3339(e.at),
        }
    }
}

/// `POST /api/v1/me/top-ups`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct TopUpBody {
    #[schema(schema_with = crate::openapi::constraints::top_up_amount)]
    pub amount_fen: RawAmount,
}

/// A gateway payment (a cash top-up).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PaymentDto {
    pub id: i64,
    pub amount_fen: i64,
    /// `pending`, `succeeded`, `cancelled`.
    pub status: String,
    pub gateway: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub completed_at: Option<String>,
}

impl PaymentDto {
    pub(crate) fn new(p: &Payment) -> PaymentDto {
        PaymentDto {
            id: p.id.get(),
            amount_fen: p.amount.get(),
            status: p.status.as_str().to_owned(),
            gateway: p.gateway.clone(),
            created_at: rfc3339(p.created_at),
            completed_at: p.completed_at.map(rfc3339),
        }
    }
}

/// `201` of `POST /api/v1/me/top-ups`: pay at `checkout_url`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TopUpDto {
    pub payment: PaymentDto,
    /// Where the candidate completes the payment (the sandbox gateway's page).
    pub checkout_url: String,
}

/// What a gateway report did: `credited` is false for a repeat.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PaymentOutcomeDto {
    pub payment: PaymentDto,
    pub credited: bool,
}

/// `POST /api/v1/admin/accounts/{id}/credits`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CreditBody {
    /// `cash` or `gift`.
    #[schema(example = "gift")]
    pub kind: String,
    #[schema(schema_with = crate::openapi::constraints::positive_amount)]
    pub amount_fen: RawAmount,
    #[schema(schema_with = crate::openapi::constraints::credit_reason)]
    pub reason: String,
}

/// `POST /api/v1/admin/vouchers`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct VoucherBody {
    pub account_id: i64,
    #[schema(schema_with = crate::openapi::constraints::positive_amount)]
    pub face_value_fen: RawAmount,
    #[schema(schema_with = crate::openapi::constraints::amount)]
    pub min_spend_fen: RawAmount,
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// `201` of `POST /api/v1/admin/vouchers`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IssuedVoucherDto {
    pub code: String,
    pub account_id: i64,
    pub face_value_fen: i64,
    pub min_spend_fen: i64,
    #[schema(format = DateTime)]
    pub expires_at: String,
}

impl IssuedVoucherDto {
    pub(crate) fn new(v: &Voucher) -> IssuedVoucherDto {
        IssuedVoucherDto {
            code: v.code.as_str().to_owned(),
            account_id: v.account_id.get(),
            face_value_fen: v.face_value.get(),
            min_spend_fen: v.min_spend.get(),
            expires_at: rfc3339(v.expires_at),
        }
    }
}

/// P1: per promise kind.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PromiseSummaryDto {
    /// `confirmation`, `admission_ticket`, `score`, `e_certificate`, `paper_certificate`,
    /// `institution_confirmation`.
    pub kind: String,
    pub kept_on_time: u64,
    pub kept_late: u64,
    pub overdue: u64,
    pub pending: u64,
}

/// `?kind=&limit=&cursor=` of the overdue promises.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct OverdueQuery {
    /// One promise kind (`confirmation`, `admission_ticket`, …); all kinds when absent.
    pub kind: Option<String>,
    #[param(schema_with = crate::openapi::constraints::page_limit)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

impl OverdueQuery {
    pub(crate) fn page(&self) -> super::page::PageQuery {
        super::page::PageQuery {
            limit: self.limit.clone(),
            cursor: self.cursor.clone(),
        }
    }
}

/// P1: a promise not kept by its due time, with the registration it is owed to (the
/// registration's fields are null only for a promise recorded without one).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OverduePromiseDto {
    pub id: i64,
    /// `confirmation`, `admission_ticket`, `score`, `e_certificate`, `paper_certificate`,
    /// `institution_confirmation`.
    pub kind: String,
    /// The SPEC rule that makes the promise (`O4`, `O6`, `O9`, `I4`).
    pub rule: String,
    /// Overdue since this instant (T4: due at it).
    #[schema(format = DateTime)]
    pub due_at: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub registration_id: Option<i64>,
    /// The account that bought the registration.
    pub account_id: Option<i64>,
    /// The certification's code.
    pub certification: Option<String>,
    pub city: Option<String>,
    #[schema(format = DateTime)]
    pub exam_starts_at: Option<String>,
    /// The registration's status (`confirmed`, `ticket_issued`, …).
    pub registration_status: Option<String>,
}

impl OverduePromiseDto {
    pub(crate) fn new(p: OverduePromise) -> OverduePromiseDto {
        let r = p.registration;
        OverduePromiseDto {
            id: p.id.get(),
            kind: p.kind.as_str().to_owned(),
            rule: p.kind.rule().to_owned(),
            due_at: rfc3339(p.due_at),
            created_at: rfc3339(p.created_at),
            registration_id: r.as_ref().map(|r| r.id.get()),
            account_id: r.as_ref().map(|r| r.account_id.get()),
            certification: r.as_ref().map(|r| r.certification_code.as_str().to_owned()),
            city: r.as_ref().and_then(|r| r.city.clone()),
            exam_starts_at: r.as_ref().and_then(|r| r.exam_starts_at.map(rfc3339)),
            registration_status: r.as_ref().map(|r| r.status.as_str().to_owned()),
        }
    }
}
