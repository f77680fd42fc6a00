//! O5: the wallet — operators' credits, top-ups, the ledger and its balances; E2's amounts.

use certdesk_domain::{
    Balance, CreditRequest, ErrorCode, Fen, LedgerEntryKind, LedgerReference, Locale, RawAmount,
    TopUpAmount, balance_after, balance_from_ledger,
};

fn f(v: i64) -> Fen {
    Fen::new(v).unwrap()
}

#[track_caller]
fn invalid_amount<T: std::fmt::Debug>(
    r: Result<T, certdesk_domain::Refusal>,
    field: &str,
) -> String {
    let r = r.unwrap_err();
    assert_eq!(r.code, ErrorCode::InvalidAmount, "{r}");
    assert_eq!(r.field.as_deref(), Some(field));
    r.detail.expect("a detail").en.into_owned()
}

#[test]
fn o5_credit_amount_zero_negative_and_too_large_are_refused_each_with_its_reason() {
    let zero = invalid_amount(CreditRequest::parse("cash", 0, "补偿"), "amount_fen");
    let negative = invalid_amount(CreditRequest::parse("cash", -1, "补偿"), "amount_fen");
    let huge = invalid_amount(CreditRequest::parse("gift", i64::MAX, "补偿"), "amount_fen");
    let just_over = invalid_amount(
        CreditRequest::parse("gift", Fen::MAX.get() + 1, "补偿"),
        "amount_fen",
    );
    assert!(zero.contains("greater than zero"), "{zero}");
    assert!(negative.contains("negative"), "{negative}");
    assert!(huge.contains("exceed"), "{huge}");
    assert_eq!(huge, just_over);
    assert_eq!(
        CreditRequest::parse("gift", Fen::MAX.get(), "x")
            .unwrap()
            .amount(),
        Fen::MAX
    );
    let c = CreditRequest::parse(" cash ", 1, "  考试系统故障补偿  ").unwrap();
    assert_eq!(
        (c.balance(), c.amount(), c.reason()),
        (Balance::Cash, f(1), "考试系统故障补偿")
    );
    assert_eq!(c.entry_kind(), LedgerEntryKind::OperatorCredit);
}

#[test]
fn o5_credit_kind_and_reason_are_checked() {
    let r = CreditRequest::parse("voucher", 100, "x").unwrap_err();
    assert_eq!(
        (r.code, r.field.as_deref()),
        (ErrorCode::InvalidField, Some("kind"))
    );
    let r = CreditRequest::parse("Cash", 100, "x").unwrap_err();
    assert_eq!(r.field.as_deref(), Some("kind"));
    for bad in ["", "   ", &"因".repeat(201), "a\u{0}b"] {
        let r = CreditRequest::parse("gift", 100, bad).unwrap_err();
        assert_eq!(
            (r.code, r.field.as_deref()),
            (ErrorCode::InvalidField, Some("reason")),
            "{bad:?}"
        );
    }
    assert!(CreditRequest::parse("gift", 100, &"因".repeat(200)).is_ok());
    assert!(CreditRequest::parse("gift", 100, "第一行\r\n第二行").is_ok());
}

#[test]
fn amounts_past_i64_and_fractions_are_invalid_amount_not_a_crash() {
    for json in [
        "1e30",
        "-1e30",
        "9223372036854775808",
        "18446744073709551615",
    ] {
        let raw: RawAmount = serde_json::from_str(json).unwrap();
        invalid_amount(CreditRequest::parse("cash", raw, "x"), "amount_fen");
        invalid_amount(TopUpAmount::parse(raw), "amount_fen");
    }
    let neg: RawAmount = serde_json::from_str("-9223372036854775809").unwrap();
    let detail = invalid_amount(TopUpAmount::parse(neg), "amount_fen");
    assert!(detail.contains("negative"));
    let frac: RawAmount = serde_json::from_str("12.5").unwrap();
    assert_eq!(frac, RawAmount::Fraction);
    let detail = invalid_amount(TopUpAmount::parse(frac), "amount_fen");
    assert!(detail.contains("whole"));
    let whole: RawAmount = serde_json::from_str("100.0").unwrap();
    assert_eq!(TopUpAmount::parse(whole).unwrap().get(), f(100));
    assert!(serde_json::from_str::<RawAmount>("\"100\"").is_err());
    assert!(serde_json::from_str::<RawAmount>("null").is_err());
}

#[test]
fn o5_top_up_is_1_fen_to_50000_yuan() {
    assert_eq!(TopUpAmount::parse(1).unwrap().get(), f(1));
    assert_eq!(
        TopUpAmount::parse(5_000_000).unwrap().get(),
        TopUpAmount::MAX
    );
    invalid_amount(TopUpAmount::parse(0), "amount_fen");
    let over = invalid_amount(TopUpAmount::parse(5_000_001), "amount_fen");
    assert!(over.contains("¥50,000.00"), "{over}");
}

#[test]
fn o5_balance_never_goes_negative() {
    assert_eq!(balance_after(f(100), -100), Ok(Fen::ZERO));
    assert_eq!(balance_after(f(100), 50), Ok(f(150)));
    let r = balance_after(f(100), -101).unwrap_err();
    assert_eq!(r.code, ErrorCode::InsufficientBalance);
    assert_eq!(r.rule, Some("O5"));
    assert!(r.message(Locale::ZhCn).contains("还差 ¥0.01"), "{r}");
    assert!(balance_after(Fen::ZERO, i64::MIN).is_err());
    let r = balance_after(Fen::MAX, 1).unwrap_err();
    assert_eq!(r.code, ErrorCode::InvalidAmount);
    assert!(balance_after(Fen::MAX, i64::MAX).is_err());
}

#[test]
fn o5_balances_derive_from_the_ledger() {
    use LedgerEntryKind::*;
    let ledger = [
        (TopUp, f(50_000)),
        (OperatorCredit, f(1_000)),
        (OrderDebit, f(48_000)),
        (Refund, f(48_000)),
    ];
    assert_eq!(balance_from_ledger(ledger), Ok(f(51_000)));
    assert_eq!(balance_from_ledger([]), Ok(Fen::ZERO));
    // A debit before the credit that would cover it: the ledger is corrupt.
    let r = balance_from_ledger([(OrderDebit, f(1)), (TopUp, f(1))]).unwrap_err();
    assert_eq!(r.code, ErrorCode::InsufficientBalance);
}

#[test]
fn o5_ledger_kinds_have_signs_references_and_stable_names() {
    use LedgerEntryKind::*;
    assert_eq!(TopUp.delta(f(5)), 5);
    assert_eq!(OperatorCredit.delta(f(5)), 5);
    assert_eq!(Refund.delta(f(5)), 5);
    assert_eq!(OrderDebit.delta(f(5)), -5);
    assert!(TopUp.applies_to(Balance::Cash) && !TopUp.applies_to(Balance::Gift));
    assert!(Refund.applies_to(Balance::Gift) && OrderDebit.applies_to(Balance::Gift));
    assert_eq!(TopUp.reference(), LedgerReference::Payment);
    assert_eq!(OperatorCredit.reference(), LedgerReference::Operator);
    assert_eq!(Refund.reference(), LedgerReference::Order);
    let names: Vec<&str> = LedgerEntryKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        ["top_up", "operator_credit", "order_debit", "refund"]
    );
    for k in LedgerEntryKind::ALL {
        assert_eq!(serde_json::to_string(k).unwrap(), format!("\"{k}\""));
        assert_eq!(k.as_str().parse::<LedgerEntryKind>(), Ok(*k));
    }
    for b in Balance::ALL {
        assert_eq!(serde_json::to_string(b).unwrap(), format!("\"{b}\""));
        assert_eq!(b.as_str().parse::<Balance>(), Ok(*b));
    }
    assert_eq!(Balance::Gift.label(Locale::ZhCn), "赠送金");
}

#[test]
fn o5_every_ledger_entry_has_a_reason_in_both_languages() {
    use LedgerEntryKind::*;
    let r = |kind: LedgerEntryKind, written: &str, id: Option<i64>| {
        let text = kind.reason(written, id);
        (
            text.get(Locale::ZhCn).to_owned(),
            text.get(Locale::En).to_owned(),
        )
    };
    assert_eq!(
        r(OrderDebit, "", Some(12)),
        ("订单 #12 报名缴费".into(), "Payment for order #12".into())
    );
    assert_eq!(
        r(Refund, "", Some(12)),
        ("订单 #12 退款".into(), "Refund of order #12".into())
    );
    assert_eq!(
        r(TopUp, "", Some(5)),
        ("在线充值（支付单 #5）".into(), "Top-up (payment #5)".into())
    );
    // An operator's words are theirs, in whatever language they wrote them.
    assert_eq!(
        r(OperatorCredit, " 考试补偿 ", None),
        ("考试补偿".into(), "考试补偿".into())
    );
    // Never empty, even without a reference to name.
    for kind in LedgerEntryKind::ALL {
        let (zh, en) = r(*kind, "  ", None);
        assert!(!zh.is_empty() && !en.is_empty(), "{kind}");
    }
}
