//! Property tests: O5's payment plan and voucher codes, O10's refund plan, E2 for the parsers.

use certdesk_domain::{Fen, OrderStatus, PayFirst, PaymentPlan, Policy, plan_payment, plan_refund};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

const MAX: i64 = 1_000_000_000_000;

fn fen(v: i64) -> Fen {
    Fen::new(v).unwrap()
}

fn pay_first() -> impl Strategy<Value = PayFirst> {
    prop_oneof![Just(PayFirst::Gift), Just(PayFirst::Cash)]
}

proptest! {
    #[test]
    fn o5_plan_payment_sums_exactly_and_never_overspends(
        price in 0..=MAX, voucher in 0..=MAX, gift in 0..=MAX, cash in 0..=MAX, first in pay_first(),
    ) {
        let rest = price - voucher.min(price);
        match plan_payment(fen(price), fen(voucher), fen(gift), fen(cash), first) {
            Ok(plan) => {
                prop_assert_eq!(plan.total().get(), price);
                prop_assert_eq!(plan.voucher().get() + plan.gift().get() + plan.cash().get(), price);
                prop_assert_eq!(plan.voucher().get(), voucher.min(price));
                prop_assert!(plan.gift().get() <= gift && plan.cash().get() <= cash);
                // The preferred balance is used up before the other is touched.
                match first {
                    PayFirst::Gift => prop_assert!(plan.cash().is_zero() || plan.gift().get() == gift),
                    PayFirst::Cash => prop_assert!(plan.gift().is_zero() || plan.cash().get() == cash),
                }
                prop_assert!(gift + cash >= rest);
            }
            Err(r) => {
                prop_assert_eq!(r.code.as_str(), "insufficient_balance");
                prop_assert!(gift + cash < rest);
            }
        }
    }

    #[test]
    fn o10_plan_refund_gives_back_what_balances_paid_inside_the_window(
        voucher in 0..=MAX / 3, gift in 0..=MAX / 3, cash in 0..=MAX / 3,
        paid_secs in 1_700_000_000i64..1_900_000_000, after_secs in 0i64..(10 * 24 * 3600),
    ) {
        let total = voucher + gift + cash;
        let paid = PaymentPlan::from_parts(fen(total), fen(voucher), fen(gift), fen(cash)).unwrap();
        let paid_at = Timestamp::from_second(paid_secs).unwrap();
        let request = paid_at + SignedDuration::from_secs(after_secs);
        let p = Policy::default();
        match plan_refund(&paid, OrderStatus::Paid, paid_at, request, &p) {
            Ok(r) => {
                prop_assert!(after_secs < 120 * 3600);
                prop_assert!(r.cash.get() <= cash && r.gift.get() <= gift);
                prop_assert_eq!(r.cash.get() + r.gift.get(), total - voucher);
                prop_assert_eq!(r.voucher_forfeited.get(), voucher);
            }
            Err(e) => {
                prop_assert!(after_secs >= 120 * 3600);
                prop_assert_eq!(e.code.as_str(), "refund_window_passed");
            }
        }
        prop_assert!(plan_refund(&paid, OrderStatus::Refunded, paid_at, request, &p).is_err());
    }
}

proptest! {
    #[test]
    fn e2_hostile_text_never_panics_the_official_channel_parsers(s in "\\PC{0,80}", n in any::<i64>()) {
        use certdesk_domain::{City, CreditRequest, IdempotencyKey, TopUpAmount, VoucherCode};
        let _ = City::parse(&s);
        let _ = IdempotencyKey::parse(&s);
        let _ = CreditRequest::parse(&s, n, &s);
        let _ = TopUpAmount::parse(n);
        if let Ok(code) = VoucherCode::parse(&s) {
            prop_assert_eq!(VoucherCode::parse(code.as_str()), Ok(code.clone()));
            prop_assert_eq!(code.as_str().len(), 12);
        }
    }

    #[test]
    fn o5_voucher_codes_round_trip(bytes in any::<[u8; 10]>()) {
        use certdesk_domain::VoucherCode;
        let code = VoucherCode::from_random_bytes(&bytes);
        prop_assert_eq!(VoucherCode::parse(&code.as_str().to_lowercase()), Ok(code.clone()));
        prop_assert!(!code.as_str()[3..].contains(['I', 'L', 'O', 'U']));
    }
}
