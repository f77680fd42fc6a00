//! O5 (vouchers, payment plans, gateway reports) and O10 (refund plans), walked at their
//! boundaries.

use super::{MICROSECOND, SECOND, around, assert_refused, at};
use certdesk_domain::rules::refund_deadline;
use certdesk_domain::{
    AccountId, ErrorCode, Fen, GatewayEffect, Locale, OrderStatus, PayFirst, PaymentPlan,
    PaymentStatus, Policy, VoucherCode, VoucherState, VoucherTerms, VoucherView, check_voucher,
    plan_payment, plan_refund, voucher_expired, voucher_not_found, voucher_state,
};

fn f(v: i64) -> Fen {
    Fen::new(v).unwrap()
}

const ME: AccountId = AccountId(7);

fn voucher() -> VoucherView {
    VoucherView {
        owner: ME,
        face_value: f(10_000),
        min_spend: f(50_000),
        expires_at: at("2027-04-01 00:00"),
        used: false,
    }
}

#[test]
fn o5_voucher_usable_until_the_second_before_it_expires() {
    let v = voucher();
    let [before, on, after] = around(v.expires_at);
    assert_eq!(check_voucher(&v, ME, f(80_000), before), Ok(f(10_000)));
    for now in [on, after] {
        assert_refused(
            check_voucher(&v, ME, f(80_000), now),
            "voucher_invalid",
            "O5",
            Some(v.expires_at),
        );
    }
    let r = check_voucher(&v, ME, f(80_000), on).unwrap_err();
    assert_eq!(r.field.as_deref(), Some("voucher_code"));
    assert!(r.message(Locale::ZhCn).contains("已过期"), "{r}");
    assert!(
        r.message(Locale::En)
            .ends_with("Deadline: before 00:00, 1 April 2027 (UTC+8)."),
        "{r}"
    );
}

#[test]
fn o5_voucher_usable_a_microsecond_and_a_second_before_expiry() {
    let expires_at = voucher().expires_at;
    for now in [expires_at - MICROSECOND, expires_at - SECOND] {
        assert!(!voucher_expired(expires_at, now), "{now}");
        assert_eq!(voucher_state(false, expires_at, now), VoucherState::Usable);
    }
}

#[test]
fn o5_voucher_expired_at_exactly_its_expiry() {
    let expires_at = voucher().expires_at;
    assert!(voucher_expired(expires_at, expires_at));
    assert_eq!(
        voucher_state(false, expires_at, expires_at),
        VoucherState::Expired
    );
    assert_eq!(VoucherState::Expired.as_str(), "expired");
}

#[test]
fn o5_voucher_expired_a_microsecond_and_a_second_after_expiry() {
    let expires_at = voucher().expires_at;
    for now in [expires_at + MICROSECOND, expires_at + SECOND] {
        assert!(voucher_expired(expires_at, now), "{now}");
        assert_eq!(voucher_state(false, expires_at, now), VoucherState::Expired);
    }
}

#[test]
fn o5_voucher_used_stays_used_after_its_expiry() {
    let expires_at = voucher().expires_at;
    for now in [expires_at - SECOND, expires_at, expires_at + SECOND] {
        assert_eq!(voucher_state(true, expires_at, now), VoucherState::Used);
    }
    assert_eq!(VoucherState::Used.as_str(), "used");
    assert_eq!(VoucherState::Usable.as_str(), "usable");
}

#[test]
fn o5_voucher_shown_expired_exactly_when_payment_refuses_it() {
    // E3: the wallet's "expired" and the payment's refusal are one rule (T4).
    let v = voucher();
    for now in [
        v.expires_at - SECOND,
        v.expires_at - MICROSECOND,
        v.expires_at,
        v.expires_at + MICROSECOND,
        v.expires_at + SECOND,
    ] {
        let refused = check_voucher(&v, ME, f(80_000), now).is_err();
        assert_eq!(refused, voucher_expired(v.expires_at, now), "{now}");
        assert_eq!(
            refused,
            voucher_state(v.used, v.expires_at, now) == VoucherState::Expired,
            "{now}"
        );
    }
}

#[test]
fn o5_voucher_minimum_spend_is_inclusive() {
    let v = voucher();
    let now = at("2027-03-01 10:00");
    assert_eq!(check_voucher(&v, ME, f(50_000), now), Ok(f(10_000)));
    let r = check_voucher(&v, ME, f(49_999), now).unwrap_err();
    assert_eq!(r.code, ErrorCode::VoucherInvalid);
    assert!(r.message(Locale::ZhCn).contains("最低消费 ¥500.00"), "{r}");
    assert!(
        r.message(Locale::En).contains("minimum spend of ¥500.00"),
        "{r}"
    );
}

#[test]
fn o5_voucher_applies_at_most_the_price() {
    let v = VoucherView {
        min_spend: Fen::ZERO,
        ..voucher()
    };
    let now = at("2027-03-01 10:00");
    assert_eq!(check_voucher(&v, ME, f(6_000), now), Ok(f(6_000)));
    assert_eq!(check_voucher(&v, ME, Fen::ZERO, now), Ok(Fen::ZERO));
}

#[test]
fn o5_voucher_used_or_not_yours() {
    let now = at("2027-03-01 10:00");
    let used = VoucherView {
        used: true,
        ..voucher()
    };
    let r = check_voucher(&used, ME, f(80_000), now).unwrap_err();
    assert_eq!((r.code, r.rule), (ErrorCode::VoucherInvalid, Some("O5")));
    assert!(r.message(Locale::En).contains("already been used"));
    // Someone else's voucher — even used, expired or out of reach — reads exactly as a code
    // that matches nothing.
    let expired_elsewhere = VoucherView {
        used: true,
        ..voucher()
    };
    for v in [voucher(), expired_elsewhere] {
        let r = check_voucher(&v, AccountId(8), f(1), at("2028-01-01 00:00")).unwrap_err();
        assert_eq!(r, voucher_not_found());
    }
    assert_eq!(
        VoucherCode::parse("nonsense").unwrap_err(),
        voucher_not_found()
    );
}

#[test]
fn o5_voucher_codes_are_crockford_and_case_insensitive() {
    let code = VoucherCode::from_random_bytes(&[0; 10]);
    assert_eq!(code.as_str(), "CD-0000-0000");
    let code = VoucherCode::from_random_bytes(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0]);
    assert_eq!(code.as_str(), "CD-ZZZZ-ZZZZ");
    let code = VoucherCode::from_random_bytes(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert_eq!(VoucherCode::parse(code.as_str()), Ok(code.clone()));
    assert_eq!(code.as_str().len(), 12);
    for typed in [
        "cd-7k3m-q9xa",
        " CD7K3MQ9XA ",
        "cd 7k3m q9xa",
        "CD-7K3M-Q9XA",
    ] {
        assert_eq!(VoucherCode::parse(typed).unwrap().as_str(), "CD-7K3M-Q9XA");
    }
    // Crockford reads the look-alikes: O → 0, I and L → 1.
    assert_eq!(
        VoucherCode::parse("CD-OOIL-0011").unwrap().as_str(),
        "CD-0011-0011"
    );
    for bad in [
        "",
        "CD-7K3M-Q9X",
        "CD-7K3M-Q9XAB",
        "XX-7K3M-Q9XA",
        "CD-7K3M-Q9XU",
        "CD-7K3M-Q9X€",
    ] {
        assert_eq!(VoucherCode::parse(bad), Err(voucher_not_found()), "{bad}");
    }
    assert!(VoucherCode::parse(&"C".repeat(10_000)).is_err());
    let json: VoucherCode = serde_json::from_str("\"cd-7k3m-q9xa\"").unwrap();
    assert_eq!(serde_json::to_string(&json).unwrap(), "\"CD-7K3M-Q9XA\"");
}

#[test]
fn o5_voucher_terms_are_checked() {
    let now = at("2027-03-01 10:00");
    let later = at("2028-01-01 00:00");
    let t = VoucherTerms::parse(5_000, 0, later, now).unwrap();
    assert_eq!(
        (t.face_value(), t.min_spend(), t.expires_at()),
        (f(5_000), Fen::ZERO, later)
    );
    for (face, min, field) in [
        (0, 0, "face_value_fen"),
        (-1, 0, "face_value_fen"),
        (i64::MAX, 0, "face_value_fen"),
        (100, -1, "min_spend_fen"),
        (100, Fen::MAX.get() + 1, "min_spend_fen"),
    ] {
        let r = VoucherTerms::parse(face, min, later, now).unwrap_err();
        assert_eq!(
            (r.code, r.field.as_deref()),
            (ErrorCode::InvalidAmount, Some(field))
        );
    }
    assert!(VoucherTerms::parse(100, 0, now + SECOND, now).is_ok());
    let r = VoucherTerms::parse(100, 0, now, now).unwrap_err();
    assert_eq!(r.field.as_deref(), Some("expires_at"));
}

#[test]
fn o5_plan_payment_gift_first_by_default_and_cash_first_on_request() {
    assert_eq!(PayFirst::default(), PayFirst::Gift);
    let gift_first =
        plan_payment(f(80_000), f(10_000), f(30_000), f(100_000), PayFirst::Gift).unwrap();
    assert_eq!(
        (
            gift_first.total(),
            gift_first.voucher(),
            gift_first.gift(),
            gift_first.cash()
        ),
        (f(80_000), f(10_000), f(30_000), f(40_000))
    );
    let cash_first =
        plan_payment(f(80_000), f(10_000), f(30_000), f(100_000), PayFirst::Cash).unwrap();
    assert_eq!(
        (cash_first.voucher(), cash_first.gift(), cash_first.cash()),
        (f(10_000), Fen::ZERO, f(70_000))
    );
    let json = serde_json::to_value(gift_first).unwrap();
    assert_eq!(json["total_fen"], 80_000);
    assert_eq!(json["cash_fen"], 40_000);
    assert_eq!(
        serde_json::from_str::<PayFirst>("\"cash\"").unwrap(),
        PayFirst::Cash
    );
    assert!(serde_json::from_str::<PayFirst>("\"voucher\"").is_err());
}

#[test]
fn o5_plan_payment_exact_cover_and_one_fen_short() {
    for pay_first in PayFirst::ALL {
        let exact = plan_payment(f(80_000), f(10_000), f(30_000), f(40_000), *pay_first).unwrap();
        assert_eq!((exact.gift(), exact.cash()), (f(30_000), f(40_000)));
        let r = plan_payment(f(80_000), f(10_000), f(30_000), f(39_999), *pay_first).unwrap_err();
        assert_eq!(
            (r.code, r.rule),
            (ErrorCode::InsufficientBalance, Some("O5"))
        );
        assert!(r.message(Locale::ZhCn).contains("还差 ¥0.01"), "{r}");
        assert!(r.message(Locale::En).contains("¥0.01 short"), "{r}");
    }
    // A voucher that covers everything needs no balance at all.
    let free = plan_payment(f(5_000), f(10_000), Fen::ZERO, Fen::ZERO, PayFirst::Gift).unwrap();
    assert_eq!(
        (free.voucher(), free.gift(), free.cash()),
        (f(5_000), Fen::ZERO, Fen::ZERO)
    );
}

#[test]
fn o10_refund_plan_at_120_hours_after_payment() {
    let p = Policy::default();
    let paid_at = at("2027-03-01 20:30");
    let paid = PaymentPlan::from_parts(f(80_000), f(10_000), f(30_000), f(40_000)).unwrap();
    let deadline = refund_deadline(paid_at, &p);
    assert_eq!(deadline, at("2027-03-06 20:30"));
    let [before, on, after] = around(deadline);
    let plan = plan_refund(&paid, OrderStatus::Paid, paid_at, before, &p).unwrap();
    assert_eq!(
        (plan.cash, plan.gift, plan.voucher_forfeited, plan.deadline),
        (f(40_000), f(30_000), f(10_000), deadline)
    );
    for first_request in [on, after] {
        assert_refused(
            plan_refund(&paid, OrderStatus::Paid, paid_at, first_request, &p),
            "refund_window_passed",
            "O10",
            Some(deadline),
        );
    }
}

#[test]
fn o10_second_refund_is_already_refunded() {
    let p = Policy::default();
    let paid_at = at("2027-03-01 20:30");
    let paid = PaymentPlan::from_parts(f(80_000), Fen::ZERO, f(80_000), Fen::ZERO).unwrap();
    for first_request in [paid_at + SECOND, at("2027-04-01 00:00")] {
        assert_refused(
            plan_refund(&paid, OrderStatus::Refunded, paid_at, first_request, &p),
            "already_refunded",
            "O10",
            None,
        );
    }
    assert_eq!(PaymentPlan::from_parts(f(3), f(1), f(1), f(0)), None);
}

#[test]
fn o5_gateway_reports_are_idempotent() {
    use GatewayEffect::*;
    use PaymentStatus::*;
    assert_eq!(Pending.on_gateway_report(true), (Succeeded, Credit));
    assert_eq!(Succeeded.on_gateway_report(true), (Succeeded, NoChange));
    assert_eq!(Succeeded.on_gateway_report(false), (Succeeded, NoChange));
    assert_eq!(Pending.on_gateway_report(false), (Cancelled, NoChange));
    assert_eq!(Cancelled.on_gateway_report(false), (Cancelled, NoChange));
    assert_eq!(Cancelled.on_gateway_report(true), (Succeeded, Credit));
}
