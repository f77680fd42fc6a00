//! O10: the self-service refund window and how a refund splits between cash and gift credit.

use crate::money::Fen;
use crate::policy::Policy;
use crate::refusal::{ErrorCode, Refusal};
use crate::time::saturating_add;
use jiff::Timestamp;

/// O10: the end (exclusive) of the self-service refund window: paid_at + 120 h.
pub fn refund_deadline(paid_at: Timestamp, policy: &Policy) -> Timestamp {
    saturating_add(paid_at, policy.refund_window())
}

/// O10: whether a refund may be made. `first_request_at` is when the *first* refund request
/// for this order was submitted (now, for a first request): a request made inside the window
/// stays good however late processing ends. `Ok(deadline)` or `refund_window_passed`.
pub fn check_refund_window(
    paid_at: Timestamp,
    first_request_at: Timestamp,
    policy: &Policy,
) -> Result<Timestamp, Refusal> {
    let deadline = refund_deadline(paid_at, policy);
    if super::before_deadline(first_request_at, deadline) {
        Ok(deadline)
    } else {
        Err(Refusal::new(ErrorCode::RefundWindowPassed)
            .rule("O10")
            .deadline(deadline))
    }
}

/// O10: splits `refundable` (the non-voucher part) between cash and gift credit in the
/// proportion they paid, exact to the fen: each share is rounded down and the leftover fen
/// (at most one) goes to the larger remainder, cash on a tie. Never more than a method paid;
/// `refundable` beyond what was paid is capped at the total paid.
pub fn split_refund(paid_cash: Fen, paid_gift: Fen, refundable: Fen) -> (Fen, Fen) {
    let cash = i128::from(paid_cash.get());
    let gift = i128::from(paid_gift.get());
    let total = cash + gift;
    if total == 0 {
        return (Fen::ZERO, Fen::ZERO);
    }
    let refund = i128::from(refundable.get()).min(total);
    // i128: amounts up to 10^12 fen squared still fit.
    let (mut cash_share, cash_rem) = ((refund * cash) / total, (refund * cash) % total);
    let (mut gift_share, gift_rem) = ((refund * gift) / total, (refund * gift) % total);
    if cash_share + gift_share < refund {
        if cash_rem >= gift_rem {
            cash_share += 1;
        } else {
            gift_share += 1;
        }
    }
    let fen = |v: i128| Fen::new(i64::try_from(v).unwrap_or(0)).unwrap_or(Fen::ZERO);
    (fen(cash_share), fen(gift_share))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: i64) -> Fen {
        Fen::new(v).unwrap()
    }

    #[test]
    fn o10_split_examples() {
        assert_eq!(split_refund(f(100), f(200), f(300)), (f(100), f(200)));
        assert_eq!(split_refund(f(1), f(1), f(1)), (f(1), f(0)));
        assert_eq!(split_refund(f(1), f(2), f(1)), (f(0), f(1)));
        assert_eq!(split_refund(f(0), f(500), f(300)), (f(0), f(300)));
        assert_eq!(split_refund(f(0), f(0), f(300)), (f(0), f(0)));
        assert_eq!(split_refund(f(100), f(200), f(1000)), (f(100), f(200)));
        // 800 yuan paid 333.33 cash + 466.67 gift, 500 yuan refundable.
        assert_eq!(
            split_refund(f(33_333), f(46_667), f(50_000)),
            (f(20_833), f(29_167))
        );
        assert_eq!(
            split_refund(Fen::MAX, Fen::MAX, Fen::MAX),
            (f(500_000_000_000), f(500_000_000_000))
        );
    }
}
