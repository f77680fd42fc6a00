//! Property tests: O10's refund split and B1/B2's business-day arithmetic.

use certdesk_domain::rules::split_refund;
use certdesk_domain::{BusinessCalendar, Fen, IdNumber, Locale};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use proptest::prelude::*;

const MAX: i64 = 1_000_000_000_000;

proptest! {
    #[test]
    fn o10_split_is_exact_bounded_and_proportional(
        cash in 0..=MAX, gift in 0..=MAX, refundable in 0..=2 * MAX,
    ) {
        let refundable = refundable.min(MAX);
        let (c, g) = split_refund(Fen::new(cash).unwrap(), Fen::new(gift).unwrap(), Fen::new(refundable).unwrap());
        let total = i128::from(cash) + i128::from(gift);
        let want = i128::from(refundable).min(total);
        prop_assert_eq!(i128::from(c.get()) + i128::from(g.get()), want);
        prop_assert!(c.get() <= cash && g.get() <= gift);
        if total > 0 {
            // |c − want·cash/total| < 1 fen, in integers.
            let exact_c = want * i128::from(cash);
            prop_assert!((i128::from(c.get()) * total - exact_c).abs() < total);
            let exact_g = want * i128::from(gift);
            prop_assert!((i128::from(g.get()) * total - exact_g).abs() < total);
        }
    }

    #[test]
    fn o10_split_small_amounts(cash in 0i64..1000, gift in 0i64..1000, refundable in 0i64..2000) {
        let (c, g) = split_refund(Fen::new(cash).unwrap(), Fen::new(gift).unwrap(), Fen::new(refundable).unwrap());
        prop_assert_eq!(c.get() + g.get(), refundable.min(cash + gift));
        prop_assert!(c.get() <= cash && g.get() <= gift);
    }

    #[test]
    fn b2_nth_business_day_counts_correctly(offset in 0i64..(7 * 366), n in 0u32..40) {
        let cal = BusinessCalendar::bundled();
        let start = date(2023, 1, 1).checked_add(offset.days()).unwrap();
        let got = cal.nth_business_day_after(start, n);
        if n == 0 {
            prop_assert_eq!(got, start);
        } else {
            prop_assert!(got > start);
            prop_assert!(cal.is_business_day(got));
            let counted = days_between(start, got).filter(|d| cal.is_business_day(*d)).count();
            prop_assert_eq!(counted, n as usize);
        }
        let next = cal.nth_business_day_after(start, n + 1);
        prop_assert!(next > got);
        prop_assert_eq!(cal.next_business_day_after(got), next);
    }

    #[test]
    fn b1_previous_business_day_inverts_next(offset in 0i64..(7 * 366)) {
        let cal = BusinessCalendar::bundled();
        let d = date(2023, 1, 1).checked_add(offset.days()).unwrap();
        let prev = cal.previous_business_day(d);
        prop_assert!(prev < d && cal.is_business_day(prev));
        prop_assert!(days_between(prev, d).take_while(|x| *x < d).all(|x| !cal.is_business_day(x)));
        let back = cal.previous_business_day(cal.next_business_day_after(d));
        if cal.is_business_day(d) { prop_assert_eq!(back, d) } else { prop_assert_eq!(back, prev) }
    }

    #[test]
    fn hostile_text_never_panics(s in "\\PC{0,40}") {
        let _ = IdNumber::parse(&s, date(2026, 11, 28));
        let _ = Locale::from_accept_language(&s);
        let _ = Locale::from_tag(&s);
    }
}

/// The dates in `(from, to]`.
fn days_between(from: Date, to: Date) -> impl Iterator<Item = Date> {
    from.series(1.day()).skip(1).take_while(move |d| *d <= to)
}
