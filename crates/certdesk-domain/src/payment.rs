//! O5: how an order is paid (voucher, then gift credit and cash in the candidate's order);
//! O10: how a paid order is refunded; O5: what a gateway's report does to a top-up.

use crate::money::Fen;
use crate::named_enum::named_enum;
use crate::order::{OrderStatus, PaymentStatus};
use crate::policy::Policy;
use crate::refusal::{ErrorCode, Refusal};
use crate::rules::{check_refund_window, split_refund};
use crate::wallet::shortfall_text;
use jiff::Timestamp;

named_enum! {
    /// O5: which balance pays first after the voucher (API: `pay_first`, default gift).
    PayFirst {
        Gift => "gift", "赠送金优先", "Gift credit first";
        Cash => "cash", "现金优先", "Cash first";
    }
}

impl Default for PayFirst {
    /// O5: gift credit first.
    fn default() -> PayFirst {
        PayFirst::Gift
    }
}

/// O5: how an order's price is paid. Always `voucher + gift + cash == total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PaymentPlan {
    #[serde(rename = "total_fen")]
    total: Fen,
    #[serde(rename = "voucher_fen")]
    voucher: Fen,
    #[serde(rename = "gift_fen")]
    gift: Fen,
    #[serde(rename = "cash_fen")]
    cash: Fen,
}

impl PaymentPlan {
    /// An order as stored; `None` unless the parts sum to the total.
    pub fn from_parts(total: Fen, voucher: Fen, gift: Fen, cash: Fen) -> Option<PaymentPlan> {
        let sum = voucher.checked_add(gift)?.checked_add(cash)?;
        (sum == total).then_some(PaymentPlan {
            total,
            voucher,
            gift,
            cash,
        })
    }

    pub fn total(&self) -> Fen {
        self.total
    }

    pub fn voucher(&self) -> Fen {
        self.voucher
    }

    pub fn gift(&self) -> Fen {
        self.gift
    }

    pub fn cash(&self) -> Fen {
        self.cash
    }

    /// What the balances paid: total − voucher (O10's refundable part).
    pub fn from_balances(&self) -> Fen {
        self.total.saturating_sub(self.voucher)
    }
}

/// O5: the plan for paying `price`: the voucher's `voucher_applied` first (capped at the
/// price; [`check_voucher`](crate::voucher::check_voucher) already returns min(face, price)),
/// then the `pay_first` balance as far as it goes, then the other. `insufficient_balance`
/// (rule O5, the shortfall in yuan as detail) when gift + cash cannot cover the rest.
pub fn plan_payment(
    price: Fen,
    voucher_applied: Fen,
    gift_balance: Fen,
    cash_balance: Fen,
    pay_first: PayFirst,
) -> Result<PaymentPlan, Refusal> {
    let voucher = voucher_applied.min(price);
    let rest = price.saturating_sub(voucher);
    let (first, second) = match pay_first {
        PayFirst::Gift => (gift_balance, cash_balance),
        PayFirst::Cash => (cash_balance, gift_balance),
    };
    let from_first = first.min(rest);
    let left = rest.saturating_sub(from_first);
    let from_second = second.min(left);
    let short = left.saturating_sub(from_second);
    if !short.is_zero() {
        return Err(Refusal::new(ErrorCode::InsufficientBalance)
            .rule("O5")
            .detail(shortfall_text(short)));
    }
    let (gift, cash) = match pay_first {
        PayFirst::Gift => (from_first, from_second),
        PayFirst::Cash => (from_second, from_first),
    };
    Ok(PaymentPlan {
        total: price,
        voucher,
        gift,
        cash,
    })
}

/// O10: what a refund gives back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct RefundPlan {
    /// Back to the cash balance.
    #[serde(rename = "cash_fen")]
    pub cash: Fen,
    /// Back to the gift balance.
    #[serde(rename = "gift_fen")]
    pub gift: Fen,
    /// The voucher's part: not refunded, and the voucher stays used.
    #[serde(rename = "voucher_forfeited_fen")]
    pub voucher_forfeited: Fen,
    /// The refund window's end (exclusive) that the first request beat.
    pub deadline: Timestamp,
}

/// O10: the refund of an order `paid` at `paid_at`, its first refund request submitted at
/// `first_request_at` (that time anchors the window, however late processing runs):
/// `already_refunded` when the order is refunded; `refund_window_passed` (deadline =
/// paid_at + 120 h) via [`check_refund_window`]; otherwise total − voucher split between cash
/// and gift in the proportion they paid ([`split_refund`]: exact, largest remainder, never
/// more than a method paid), the voucher part forfeited. Releasing the seat and cancelling
/// the registration are the store's, in the same transaction.
///
/// Arguments follow `check_refund_window`'s order: `paid_at`, then `first_request_at`.
pub fn plan_refund(
    paid: &PaymentPlan,
    status: OrderStatus,
    paid_at: Timestamp,
    first_request_at: Timestamp,
    policy: &Policy,
) -> Result<RefundPlan, Refusal> {
    if status == OrderStatus::Refunded {
        return Err(Refusal::new(ErrorCode::AlreadyRefunded).rule("O10"));
    }
    let deadline = check_refund_window(paid_at, first_request_at, policy)?;
    let (cash, gift) = split_refund(paid.cash, paid.gift, paid.from_balances());
    Ok(RefundPlan {
        cash,
        gift,
        voucher_forfeited: paid.voucher,
        deadline,
    })
}

/// O5: what a (signature-checked) gateway report does to a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GatewayEffect {
    /// Credit the payment's amount to the cash balance — exactly once per payment.
    Credit,
    /// Nothing to do: a repeat, or news that changes nothing.
    NoChange,
}

impl PaymentStatus {
    /// O5: idempotent handling of a gateway report that the payment `paid` (or failed):
    /// - pending + paid → succeeded, credit; pending + failed → cancelled;
    /// - succeeded + anything → unchanged (a repeat, or a late failure that cannot undo money
    ///   received);
    /// - cancelled + paid → succeeded, credit: the gateway took the money, so crediting it is
    ///   the only outcome that loses nothing (E2); cancelled + failed → unchanged.
    pub fn on_gateway_report(self, paid: bool) -> (PaymentStatus, GatewayEffect) {
        match (self, paid) {
            (PaymentStatus::Pending | PaymentStatus::Cancelled, true) => {
                (PaymentStatus::Succeeded, GatewayEffect::Credit)
            }
            (PaymentStatus::Pending, false) => (PaymentStatus::Cancelled, GatewayEffect::NoChange),
            (status, _) => (status, GatewayEffect::NoChange),
        }
    }
}
