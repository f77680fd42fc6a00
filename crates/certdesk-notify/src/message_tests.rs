//! The texts of every message: both languages present, amounts and Beijing times spelt out.

use super::*;

fn cert() -> CertificationNames {
    CertificationNames {
        zh: "腾讯云架构高级工程师".into(),
        en: "Tencent Cloud Architecture Engineer – Professional".into(),
    }
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn all() -> Vec<Message> {
    vec![
        Message::Welcome,
        Message::IdentityVerified,
        Message::IdentityPending,
        Message::IdentityRejected {
            reason: "照片不清晰".into(),
        },
        Message::RegistrationConfirmed {
            certification: cert(),
            city: "深圳".into(),
            exam_starts_at: at("2027-06-12T01:00:00Z"),
            total: Fen::literal(120_000),
        },
        Message::RefundCompleted {
            certification: cert(),
            cash: Fen::literal(70_000),
            gift: Fen::literal(30_000),
            voucher_forfeited: Fen::literal(20_000),
        },
        Message::CreditReceived {
            balance: Balance::Gift,
            amount: Fen::literal(5_000),
            reason: "活动赠送".into(),
        },
        Message::VoucherReceived {
            code: VoucherCode::parse("CD-7K3M-Q9XA").unwrap(),
            face_value: Fen::literal(20_000),
            min_spend: Fen::literal(100_000),
            expires_at: at("2027-06-30T16:00:00Z"),
        },
        Message::TopUpReceived {
            amount: Fen::literal(88_800),
        },
        Message::RegistrationRescheduled {
            certification: cert(),
            from_city: "深圳".into(),
            from_starts_at: at("2027-06-12T01:00:00Z"),
            city: "北京".into(),
            exam_starts_at: at("2027-07-10T01:00:00Z"),
        },
        Message::RetakeRegistered {
            certification: cert(),
            city: "北京".into(),
            exam_starts_at: at("2027-08-10T01:00:00Z"),
        },
        Message::ResultReleased {
            certification: cert(),
            score: Some(85),
            passed: true,
        },
        Message::ResultReleased {
            certification: cert(),
            score: None,
            passed: false,
        },
        Message::SupportTicketAnswered {
            ticket_id: 12,
            subject: "发票抬头".into(),
        },
        Message::SupportTicketUpdated {
            ticket_id: 12,
            subject: "发票抬头".into(),
        },
        Message::SupportTicketOpened {
            ticket_id: 12,
            subject: "发票抬头".into(),
        },
    ]
}

#[test]
fn o11_ticket_messages_name_the_subject_and_where_to_read_it() {
    let answered = Message::SupportTicketAnswered {
        ticket_id: 12,
        subject: "发票抬头".into(),
    }
    .render();
    assert_eq!(answered.title_zh, "您的工单有新回复");
    assert_eq!(answered.title_en, "Your support ticket has a reply");
    for body in [&answered.body_zh, &answered.body_en] {
        assert!(
            body.contains("发票抬头") && body.contains("/support/12"),
            "{body}"
        );
    }
    let updated = Message::SupportTicketUpdated {
        ticket_id: 12,
        subject: "发票抬头".into(),
    }
    .render();
    for body in [&updated.body_zh, &updated.body_en] {
        assert!(body.contains("/admin/tickets/12"), "{body}");
    }
    let opened = Message::SupportTicketOpened {
        ticket_id: 12,
        subject: "发票抬头".into(),
    }
    .render();
    assert_eq!(opened.title_zh, "新工单待处理");
    assert_eq!(opened.title_en, "New support ticket");
    for body in [&opened.body_zh, &opened.body_en] {
        assert!(
            body.contains("发票抬头") && body.contains("/admin/tickets/12"),
            "{body}"
        );
    }
}

#[test]
fn o6_result_message_says_score_and_pass_or_absent() {
    let r = Message::ResultReleased {
        certification: cert(),
        score: Some(59),
        passed: false,
    }
    .render();
    assert_eq!(r.title_zh, "成绩已公布");
    assert!(
        r.body_zh.contains("成绩：59 分\n结果：未通过"),
        "{}",
        r.body_zh
    );
    assert!(
        r.body_en
            .contains("Score: 59 out of 100\nResult: not passed")
    );
    let absent = Message::ResultReleased {
        certification: cert(),
        score: None,
        passed: false,
    }
    .render();
    assert!(absent.body_zh.contains("缺考") && absent.body_en.contains("absent"));
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

#[test]
fn every_message_renders_chinese_and_english() {
    for m in all() {
        let r = m.render();
        assert!(has_cjk(&r.title_zh) && has_cjk(&r.body_zh), "{m:?}");
        assert!(!has_cjk(&r.title_en), "{m:?}");
        assert!(!r.title_en.is_empty() && !r.body_en.is_empty());
    }
}

#[test]
fn rejection_carries_the_reason_in_both_languages() {
    let r = Message::IdentityRejected {
        reason: " 姓名与证件不符 ".into(),
    }
    .render();
    assert!(
        r.body_zh.contains("原因：姓名与证件不符\n"),
        "{}",
        r.body_zh
    );
    assert!(
        r.body_en.contains("Reason: 姓名与证件不符\n"),
        "{}",
        r.body_en
    );
}

#[test]
fn o6_confirmation_names_certification_city_beijing_time_and_total() {
    let r = all()[4].render();
    assert_eq!(r.title_zh, "报名成功");
    assert!(r.body_zh.contains("腾讯云架构高级工程师"), "{}", r.body_zh);
    assert!(r.body_zh.contains("考试城市：深圳"), "{}", r.body_zh);
    assert!(
        r.body_zh.contains("2027年6月12日 09:00（北京时间）"),
        "{}",
        r.body_zh
    );
    assert!(r.body_zh.contains("¥1,200.00"), "{}", r.body_zh);
    assert!(
        r.body_en.contains("09:00, 12 June 2027 (UTC+8)"),
        "{}",
        r.body_en
    );
    assert!(
        r.body_en.contains("Order total: ¥1,200.00"),
        "{}",
        r.body_en
    );
}

#[test]
fn o10_refund_names_both_balances_and_the_forfeited_voucher() {
    let r = all()[5].render();
    assert!(r.body_zh.contains("退回现金余额：¥700.00"), "{}", r.body_zh);
    assert!(
        r.body_zh.contains("退回赠送金余额：¥300.00"),
        "{}",
        r.body_zh
    );
    assert!(
        r.body_zh.contains("代金券抵扣的 ¥200.00 不予退还"),
        "{}",
        r.body_zh
    );
    let no_voucher = Message::RefundCompleted {
        certification: cert(),
        cash: Fen::literal(1),
        gift: Fen::ZERO,
        voucher_forfeited: Fen::ZERO,
    }
    .render();
    assert!(
        !no_voucher.body_zh.contains("代金券"),
        "{}",
        no_voucher.body_zh
    );
    assert!(
        !no_voucher.body_en.contains("voucher"),
        "{}",
        no_voucher.body_en
    );
}

#[test]
fn o5_wallet_messages_spell_amounts_terms_and_expiry() {
    let credit = all()[6].render();
    assert_eq!(credit.title_zh, "余额已到账");
    assert!(
        credit.body_zh.contains("¥50.00 已存入您的赠送金余额"),
        "{}",
        credit.body_zh
    );
    assert!(
        credit.body_en.contains("your gift credit balance"),
        "{}",
        credit.body_en
    );
    let voucher = all()[7].render();
    assert_eq!(voucher.title_zh, "您收到一张代金券");
    assert!(
        voucher.body_zh.contains("面值 ¥200.00"),
        "{}",
        voucher.body_zh
    );
    assert!(
        voucher.body_zh.contains("订单满 ¥1,000.00 可用"),
        "{}",
        voucher.body_zh
    );
    assert!(
        voucher
            .body_zh
            .contains("请在 2027年7月1日 00:00（北京时间） 前使用"),
        "{}",
        voucher.body_zh
    );
    assert!(
        voucher.body_zh.contains("CD-7K3M-Q9XA"),
        "{}",
        voucher.body_zh
    );
    let free = Message::VoucherReceived {
        code: VoucherCode::parse("CD-7K3M-Q9XA").unwrap(),
        face_value: Fen::literal(100),
        min_spend: Fen::ZERO,
        expires_at: at("2027-06-30T16:00:00Z"),
    }
    .render();
    assert!(free.body_zh.contains("无最低消费"), "{}", free.body_zh);
    let top_up = all()[8].render();
    assert!(top_up.body_zh.contains("¥888.00"), "{}", top_up.body_zh);
}

#[test]
fn o7_reschedule_names_both_sittings_in_beijing_time() {
    let r = all()[9].render();
    assert_eq!(r.title_zh, "改期成功");
    assert!(
        r.body_zh
            .contains("原考试：深圳，2027年6月12日 09:00（北京时间）"),
        "{}",
        r.body_zh
    );
    assert!(
        r.body_zh
            .contains("新考试：北京，2027年7月10日 09:00（北京时间）"),
        "{}",
        r.body_zh
    );
    assert!(
        r.body_en.contains("To: 北京, 09:00, 10 July 2027 (UTC+8)"),
        "{}",
        r.body_en
    );
}
