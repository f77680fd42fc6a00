//! O5: the wallet — cash and gift-credit balances derived from an append-only ledger, never
//! negative; operators' credits; cash top-ups; and how typed amounts become money (E1/E2).

use crate::money::Fen;
use crate::named_enum::named_enum;
use crate::refusal::{ErrorCode, LocalizedText, Refusal};
use std::fmt;

/// An amount as the client typed it, before it is money: any JSON number, even one past i64
/// (E2: `1e30`, `-9223372036854775809` and `12.5` are refused with `invalid_amount`, not a
/// parse failure). Build from an `i64` or deserialize from JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawAmount {
    /// A whole number (saturated to the i128 range, which keeps "too large" too large).
    Whole(i128),
    /// A number with a fractional part: fen are whole.
    Fraction,
}

impl From<i64> for RawAmount {
    fn from(v: i64) -> RawAmount {
        RawAmount::Whole(i128::from(v))
    }
}

impl From<i32> for RawAmount {
    fn from(v: i32) -> RawAmount {
        RawAmount::Whole(i128::from(v))
    }
}

impl From<u64> for RawAmount {
    fn from(v: u64) -> RawAmount {
        RawAmount::Whole(i128::from(v))
    }
}

impl From<i128> for RawAmount {
    fn from(v: i128) -> RawAmount {
        RawAmount::Whole(v)
    }
}

impl From<Fen> for RawAmount {
    fn from(v: Fen) -> RawAmount {
        RawAmount::from(v.get())
    }
}

impl<'de> serde::Deserialize<'de> for RawAmount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RawAmount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount in fen (a whole number)")
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawAmount, E> {
                Ok(RawAmount::from(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawAmount, E> {
                Ok(RawAmount::Whole(i128::from(v)))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawAmount, E> {
                Ok(RawAmount::Whole(v))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawAmount, E> {
                Ok(RawAmount::Whole(i128::try_from(v).unwrap_or(i128::MAX)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawAmount, E> {
                // `as` saturates: 1e300 stays "too large", -1e300 stays "negative".
                if v.is_finite() && v.fract() == 0.0 {
                    Ok(RawAmount::Whole(v as i128))
                } else {
                    Ok(RawAmount::Fraction)
                }
            }
        }
        d.deserialize_any(V)
    }
}

fn amount_refusal(field: &str, zh: String, en: String) -> Refusal {
    Refusal::new(ErrorCode::InvalidAmount)
        .field(field)
        .detail(LocalizedText::new(zh, en))
}

/// An amount in `[min, max]` fen, or `invalid_amount` naming `field` and saying what is wrong:
/// not whole, zero (when `min` is 1), negative, or above `max`.
fn amount_in(raw: RawAmount, min: Fen, max: Fen, field: &str) -> Result<Fen, Refusal> {
    let v = match raw {
        RawAmount::Whole(v) => v,
        RawAmount::Fraction => {
            return Err(amount_refusal(
                field,
                "金额须为整数（单位：分）。".into(),
                "The amount must be a whole number of fen.".into(),
            ));
        }
    };
    if v < 0 {
        return Err(amount_refusal(
            field,
            "金额不能为负数。".into(),
            "The amount must not be negative.".into(),
        ));
    }
    if v == 0 && !min.is_zero() {
        return Err(amount_refusal(
            field,
            "金额必须大于 0。".into(),
            "The amount must be greater than zero.".into(),
        ));
    }
    if v > i128::from(max.get()) {
        return Err(amount_refusal(
            field,
            format!("金额不能超过 {max}。"),
            format!("The amount must not exceed {max}."),
        ));
    }
    if v < i128::from(min.get()) {
        return Err(amount_refusal(
            field,
            format!("金额不能低于 {min}。"),
            format!("The amount must be at least {min}."),
        ));
    }
    Ok(Fen::new(i64::try_from(v).unwrap_or(i64::MAX)).unwrap_or(Fen::MAX))
}

/// A strictly positive amount (credits, face values, prices): 1 fen ..= `Fen::MAX`.
pub fn parse_positive_amount(raw: impl Into<RawAmount>, field: &str) -> Result<Fen, Refusal> {
    amount_in(raw.into(), Fen::literal(1), Fen::MAX, field)
}

/// A non-negative amount (a voucher's minimum spend): 0 ..= `Fen::MAX`.
pub fn parse_amount(raw: impl Into<RawAmount>, field: &str) -> Result<Fen, Refusal> {
    amount_in(raw.into(), Fen::ZERO, Fen::MAX, field)
}

named_enum! {
    /// O5: the two balances of an account (现金 / 赠送金); vouchers are not a balance.
    Balance {
        Cash => "cash", "现金", "Cash";
        Gift => "gift", "赠送金", "Gift credit";
    }
}

named_enum! {
    /// O5: why a ledger entry moved a balance. An entry stores a positive amount; the kind
    /// gives its sign ([`LedgerEntryKind::delta`]). The ledger is append-only: a mistake is
    /// corrected by a new entry, never by editing one.
    LedgerEntryKind {
        /// Cash paid in through the payment gateway (cash only).
        TopUp => "top_up", "充值", "Top-up";
        /// An operator's credit, with a reason.
        OperatorCredit => "operator_credit", "运营发放", "Credit by staff";
        /// Paying an order.
        OrderDebit => "order_debit", "订单支付", "Order payment";
        /// O10: an order's refund, back to the balance that paid.
        Refund => "refund", "退款", "Refund";
    }
}

/// What a ledger entry must point at, besides its time and amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LedgerReference {
    /// The gateway payment (`PaymentId`) that paid the top-up in.
    Payment,
    /// The operator (`AccountId`) who credited it; the entry carries their reason.
    Operator,
    /// The order (`OrderId`) paid or refunded.
    Order,
}

impl LedgerEntryKind {
    /// +1 for a credit, −1 for a debit.
    pub fn sign(self) -> i64 {
        match self {
            LedgerEntryKind::OrderDebit => -1,
            LedgerEntryKind::TopUp | LedgerEntryKind::OperatorCredit | LedgerEntryKind::Refund => 1,
        }
    }

    /// The signed change an entry of this kind and `amount` makes to its balance.
    pub fn delta(self, amount: Fen) -> i64 {
        self.sign() * amount.get()
    }

    /// Whether this kind of entry may move `balance`: gift credit is never topped up.
    pub fn applies_to(self, balance: Balance) -> bool {
        !(self == LedgerEntryKind::TopUp && balance == Balance::Gift)
    }

    pub fn reference(self) -> LedgerReference {
        match self {
            LedgerEntryKind::TopUp => LedgerReference::Payment,
            LedgerEntryKind::OperatorCredit => LedgerReference::Operator,
            LedgerEntryKind::OrderDebit | LedgerEntryKind::Refund => LedgerReference::Order,
        }
    }

    /// Why an entry moved a balance, as its owner reads it: an operator's credit gives the
    /// operator's own words (`written`); an entry certdesk writes itself (an order paid, its
    /// refund, a top-up) names what it was for by its reference (`reference_id`: the order or
    /// the payment). Derived when read, so every entry has one, those written before too.
    pub fn reason(self, written: &str, reference_id: Option<i64>) -> LocalizedText {
        let written = written.trim();
        if !written.is_empty() {
            return LocalizedText::new(written.to_owned(), written.to_owned());
        }
        match (self, reference_id) {
            (LedgerEntryKind::OrderDebit, Some(id)) => LocalizedText::new(
                format!("订单 #{id} 报名缴费"),
                format!("Payment for order #{id}"),
            ),
            (LedgerEntryKind::Refund, Some(id)) => {
                LocalizedText::new(format!("订单 #{id} 退款"), format!("Refund of order #{id}"))
            }
            (LedgerEntryKind::TopUp, Some(id)) => LocalizedText::new(
                format!("在线充值（支付单 #{id}）"),
                format!("Top-up (payment #{id})"),
            ),
            (kind, _) => LocalizedText::fixed(
                kind.label(crate::Locale::ZhCn),
                kind.label(crate::Locale::En),
            ),
        }
    }
}

/// O5: a balance after a signed change. Never negative (`insufficient_balance`, rule O5, the
/// shortfall in yuan as detail) and never above `Fen::MAX` (`invalid_amount`).
pub fn balance_after(current: Fen, delta: i64) -> Result<Fen, Refusal> {
    let next = i128::from(current.get()) + i128::from(delta);
    if next < 0 {
        let short = Fen::new(i64::try_from(-next).unwrap_or(i64::MAX)).unwrap_or(Fen::MAX);
        return Err(Refusal::new(ErrorCode::InsufficientBalance)
            .rule("O5")
            .detail(shortfall_text(short)));
    }
    if next > i128::from(Fen::MAX.get()) {
        return Err(amount_refusal(
            "amount_fen",
            format!("余额不能超过 {}。", Fen::MAX),
            format!("A balance cannot exceed {}.", Fen::MAX),
        ));
    }
    Ok(Fen::new(i64::try_from(next).unwrap_or(i64::MAX)).unwrap_or(Fen::MAX))
}

/// "还差 ¥12.34。": how much is missing.
pub(crate) fn shortfall_text(short: Fen) -> LocalizedText {
    LocalizedText::new(format!("还差 {short}。"), format!("You are {short} short."))
}

/// O5: a balance derived from its ledger, entries in the order they were written; refused
/// where any prefix would go negative (a corrupt ledger), so a derived balance is never < 0.
pub fn balance_from_ledger(
    entries: impl IntoIterator<Item = (LedgerEntryKind, Fen)>,
) -> Result<Fen, Refusal> {
    entries
        .into_iter()
        .try_fold(Fen::ZERO, |b, (kind, amount)| {
            balance_after(b, kind.delta(amount))
        })
}

/// An operator's reason: trimmed, 1–200 characters, no control characters but line breaks
/// and tabs (browsers send CRLF from a textarea).
fn parse_reason(input: &str) -> Result<String, Refusal> {
    let reason = input.trim();
    let bad = |zh: &'static str, en: &'static str| {
        Refusal::new(ErrorCode::InvalidField)
            .field("reason")
            .detail(LocalizedText::fixed(zh, en))
    };
    let n = reason.chars().count();
    if n == 0 {
        return Err(bad("请填写原因。", "A reason is required."));
    }
    if n > CreditRequest::MAX_REASON_CHARS {
        return Err(bad(
            "原因最多 200 个字符。",
            "The reason has at most 200 characters.",
        ));
    }
    if reason
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(bad(
            "原因含有控制字符。",
            "The reason contains control characters.",
        ));
    }
    Ok(reason.to_owned())
}

/// O5: an operator's credit to an account (`{kind: "cash"|"gift", amount_fen, reason}`),
/// parsed: kind a [`Balance`] (`invalid_field`, field `kind`), amount 1 fen ..= `Fen::MAX`
/// (`invalid_amount`, field `amount_fen`), reason 1–200 characters (`invalid_field`, `reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditRequest {
    balance: Balance,
    amount: Fen,
    reason: String,
}

impl CreditRequest {
    pub const MAX_REASON_CHARS: usize = 200;

    pub fn parse(
        kind: &str,
        amount_fen: impl Into<RawAmount>,
        reason: &str,
    ) -> Result<CreditRequest, Refusal> {
        let balance = kind.trim().parse::<Balance>().map_err(|_| {
            Refusal::new(ErrorCode::InvalidField)
                .field("kind")
                .detail(LocalizedText::fixed(
                    "类型须为 cash（现金）或 gift（赠送金）。",
                    "The kind must be \"cash\" or \"gift\".",
                ))
        })?;
        let amount = parse_positive_amount(amount_fen, "amount_fen")?;
        let reason = parse_reason(reason)?;
        Ok(CreditRequest {
            balance,
            amount,
            reason,
        })
    }

    pub fn balance(&self) -> Balance {
        self.balance
    }

    pub fn amount(&self) -> Fen {
        self.amount
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The ledger entry kind a credit writes.
    pub fn entry_kind(&self) -> LedgerEntryKind {
        LedgerEntryKind::OperatorCredit
    }
}

/// O5: one cash top-up through the gateway: 1 fen ..= 50,000 yuan (`invalid_amount`, field
/// `amount_fen`). The cap is our decision: the dearest certification costs a few thousand yuan,
/// so a larger single top-up is a typo, and it stays under common gateway per-payment limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct TopUpAmount(Fen);

impl TopUpAmount {
    /// 50,000 yuan.
    pub const MAX: Fen = Fen::literal(5_000_000);

    pub fn parse(amount_fen: impl Into<RawAmount>) -> Result<TopUpAmount, Refusal> {
        amount_in(amount_fen.into(), Fen::literal(1), Self::MAX, "amount_fen").map(TopUpAmount)
    }

    pub fn get(self) -> Fen {
        self.0
    }
}
