//! The official channel's candidate pages in zh-CN: period list, checkout (with the htmx plan
//! and double-click protection), confirmation, my exams, refund, wallet and the sandbox.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::shop::{CERT, FEE, clock, credit, period, verified, voucher, voucher_until, wallet};
use crate::support::{Browser, PASSWORD, TestApp, csrf_token};

/// A browser signed in as `email`.
pub async fn signed_in<'a>(t: &'a TestApp, email: &str) -> Browser<'a> {
    let mut b = t.browser();
    let res = b
        .submit(
            "/login",
            "/login",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    b
}

fn testid(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"data-testid="{id}""#))
}

/// The text inside the element with `data-testid=id` (up to its first tag).
fn text_of<'a>(body: &'a str, id: &str) -> &'a str {
    let marker = format!(r#"data-testid="{id}""#);
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {id} in {body}"));
    let rest = &body[at..];
    let start = rest.find('>').unwrap() + 1;
    let len = rest[start..].find('<').unwrap();
    &rest[start..start + len]
}

#[tokio::test]
async fn candidate_buys_and_refunds_through_the_pages() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (token, me) = verified(&t, "wang@example.com", 60).await;
    credit(&t, &admin, me, "cash", 50_000).await;
    credit(&t, &admin, me, "gift", 25_000).await;
    let code = voucher(&t, &admin, me, 10_000, 0).await;
    let mut b = signed_in(&t, "wang@example.com").await;

    let page = b.get(&format!("/certifications/{CERT}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for id in [
        format!("period-{pid}"),
        "city-深圳".into(),
        format!("register-{pid}-深圳"),
        "nav-exams".into(),
        "nav-wallet".into(),
    ] {
        assert!(testid(&page.body, &id), "{id}");
    }
    assert!(
        page.body.contains("2027年3月31日 09:00（北京时间）之前"),
        "window end in Beijing time"
    );
    assert!(page.body.contains("2027年4月10日 09:00（北京时间）"));

    let url = format!("/checkout?period={pid}&city=%E6%B7%B1%E5%9C%B3");
    let page = b.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for id in [
        "checkout-plan",
        "plan-voucher",
        "plan-gift",
        "plan-cash",
        "voucher-select",
        "pay-first-gift",
        "pay-first-cash",
        "pay-button",
    ] {
        assert!(testid(&page.body, id), "{id}");
    }
    assert_eq!(text_of(&page.body, "plan-voucher"), "¥0.00");
    assert_eq!(text_of(&page.body, "plan-gift"), "¥250.00");
    assert_eq!(text_of(&page.body, "plan-cash"), "¥450.00");
    assert_eq!(text_of(&page.body, "checkout-price"), "¥700.00");
    assert!(
        page.body
            .contains("可在 2027年3月7日 09:00（北京时间） 之前无理由退款")
    );
    assert!(page.body.contains(&format!(r#"<option value="{code}""#)));

    // htmx: the plan alone for other choices.
    let fragment = b
        .request(
            Method::GET,
            &format!("/checkout/plan?period={pid}&city=%E6%B7%B1%E5%9C%B3&voucher_code={code}&pay_first=cash"),
            None,
            &[("hx-request", "true")],
        )
        .await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(!fragment.body.contains("<html"));
    assert_eq!(text_of(&fragment.body, "plan-voucher"), "¥100.00");
    assert_eq!(text_of(&fragment.body, "plan-cash"), "¥500.00");
    assert_eq!(text_of(&fragment.body, "plan-gift"), "¥100.00");

    // One click, then a double click with the same per-render key: one order.
    let key = page
        .body
        .split(r#"name="idempotency_key" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let token_field = csrf_token(&page.body);
    let fields = [
        ("csrf_token", token_field.as_str()),
        ("idempotency_key", key.as_str()),
        ("period", &pid.to_string()),
        ("city", "深圳"),
        ("voucher_code", code.as_str()),
        ("pay_first", "gift"),
    ];
    let first = b
        .request(Method::POST, "/checkout", Some(&fields), &[])
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = b
        .request(Method::POST, "/checkout", Some(&fields), &[])
        .await;
    assert_eq!(second.header("location"), first.header("location"));
    let w = wallet(&t, &token).await;
    assert_eq!(
        (w["cash_fen"].as_i64(), w["gift_fen"].as_i64()),
        (Some(15_000), Some(0))
    );
    let location = first.header("location").unwrap().to_owned();
    let rid: i64 = location
        .trim_start_matches("/exams/")
        .trim_end_matches("/confirmation")
        .parse()
        .unwrap();

    let page = b.get(&location).await;
    assert!(testid(&page.body, "registration-confirmed"));
    let page = b.get("/exams").await;
    assert!(testid(&page.body, &format!("exam-{rid}")));
    assert_eq!(
        text_of(&page.body, "refund-until"),
        "2027年3月7日 09:00（北京时间）之前"
    );
    assert_eq!(
        text_of(&page.body, "reschedule-until"),
        "2027年3月31日 09:00（北京时间）之前"
    );
    assert!(page.body.contains("¥700.00") && page.body.contains("报名成功"));

    let page = b.get(&format!("/exams/{rid}/refund")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(text_of(&page.body, "refund-cash"), "¥350.00");
    assert_eq!(text_of(&page.body, "refund-gift"), "¥250.00");
    assert_eq!(text_of(&page.body, "refund-voucher-forfeited"), "¥100.00");
    assert!(testid(&page.body, "refund-confirm"));
    let res = b
        .submit(
            &format!("/exams/{rid}/refund"),
            &format!("/exams/{rid}/refund"),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = b.get(res.header("location").unwrap()).await;
    assert!(testid(&page.body, "refunded-banner") && page.body.contains("已取消"));
    assert!(testid(&page.body, "refund-result"));
    let page = b.get(&format!("/exams/{rid}/refund")).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("已申请退款") && !testid(&page.body, "refund-confirm"));
}

#[tokio::test]
async fn checkout_refusals_are_shown_in_place() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let url = format!("/checkout?period={pid}&city=%E6%B7%B1%E5%9C%B3");

    // Not verified: the period list links to /identity; checkout says so.
    t.sign_up("new@example.com").await;
    let mut b = signed_in(&t, "new@example.com").await;
    let page = b.get(&format!("/certifications/{CERT}")).await;
    assert!(testid(&page.body, "verify-first") && !page.body.contains("register-"));
    let page = b.get(&url).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains(r#"href="/identity""#));
    // Anonymous: a log-in link instead.
    let page = t.browser().get(&format!("/certifications/{CERT}")).await;
    assert!(testid(&page.body, "log-in-first"));

    let (_, me) = verified(&t, "poor@example.com", 61).await;
    let code = voucher(&t, &admin, me, 1_000, FEE + 100).await;
    let mut b = signed_in(&t, "poor@example.com").await;
    let page = b.get(&url).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("账户余额不足") && page.body.contains(r#"href="/wallet#topup""#));
    assert!(page.body.contains(r#"data-testid="pay-button" disabled"#));
    assert!(
        !page.body.contains(&format!(r#"<option value="{code}""#)),
        "below its minimum spend: not offered"
    );
    let page = b.get(&format!("{url}&voucher_code={code}")).await;
    assert!(testid(&page.body, "voucher_code-error"), "{}", page.body);
    let page = b.get(&format!("{url}&pay_first=bitcoin")).await;
    assert!(testid(&page.body, "pay_first-error"));
    // Paying anyway: refused in place, with the refusal's status.
    let res = b
        .submit(
            &url,
            "/checkout",
            &[
                ("period", &pid.to_string()),
                ("city", "深圳"),
                ("pay_first", "gift"),
                ("idempotency_key", "k1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("账户余额不足"));
    assert_eq!(
        b.get("/checkout?period=999999&city=x").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        b.get("/checkout?period=abc&city=x").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn wallet_top_up_through_the_sandbox_page() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let id = t.sign_up("payer@example.com").await;
    credit(&t, &admin, id, "gift", 2_000).await;
    let code = voucher(&t, &admin, id, 500, 0).await;
    let mut b = signed_in(&t, "payer@example.com").await;
    let page = b.get("/wallet").await;
    for tid in [
        "wallet-cash",
        "wallet-gift",
        "ledger-entry",
        &format!("voucher-{code}"),
        "topup-amount",
        "topup-submit",
    ] {
        assert!(testid(&page.body, tid), "{tid}");
    }
    assert_eq!(text_of(&page.body, "wallet-gift"), "¥20.00");
    assert!(page.body.contains("运营发放") && page.body.contains("+¥20.00"));

    for bad in ["-5", "abc", "1.234", "0", "99999999999999999999999"] {
        let res = b
            .submit("/wallet", "/wallet/top-ups", &[("amount_yuan", bad)])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(testid(&res.body, "amount_yuan-error"), "{bad}");
    }
    let res = b
        .submit("/wallet", "/wallet/top-ups", &[("amount_yuan", "88.50")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let sandbox = res.header("location").unwrap().to_owned();
    assert!(sandbox.starts_with("/sandbox/payments/"));
    let page = b.get(&sandbox).await;
    assert!(testid(&page.body, "sandbox-pay") && testid(&page.body, "sandbox-cancel"));
    assert_eq!(text_of(&page.body, "sandbox-amount"), "¥88.50");
    // Nobody else's.
    t.sign_up("other@example.com").await;
    let mut other = signed_in(&t, "other@example.com").await;
    assert_eq!(other.get(&sandbox).await.status, StatusCode::NOT_FOUND);
    let res = other
        .submit("/wallet", &format!("{sandbox}/pay"), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    let res = b.submit(&sandbox, &format!("{sandbox}/pay"), &[]).await;
    assert_eq!(res.header("location"), Some("/wallet?topped_up=1"));
    let page = b.get("/wallet?topped_up=1").await;
    assert_eq!(text_of(&page.body, "wallet-cash"), "¥88.50");
    assert!(testid(&page.body, "topped-up-banner"));

    let res = b
        .submit("/wallet", "/wallet/top-ups", &[("amount_yuan", "10")])
        .await;
    let sandbox = res.header("location").unwrap().to_owned();
    let res = b.submit(&sandbox, &format!("{sandbox}/cancel"), &[]).await;
    assert_eq!(res.header("location"), Some("/wallet?cancelled=1"));
    let page = b.get(&sandbox).await;
    assert!(page.body.contains(r#"data-status="cancelled""#) && !testid(&page.body, "sandbox-pay"));
    let page = b.get("/wallet").await;
    assert_eq!(text_of(&page.body, "wallet-cash"), "¥88.50");
    let api = t.log_in("payer@example.com").await;
    assert_eq!(wallet(&t, &api).await["cash_fen"], 8_850);
}

#[tokio::test]
async fn o5_wallet_shows_a_voucher_expired_from_its_expiry_instant() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let id = t.sign_up("holder@example.com").await;
    let expires = "2027-03-03T09:00:00+08:00";
    let code = voucher_until(&t, &admin, id, 500, 0, expires).await;
    let api = t.log_in("holder@example.com").await;
    let mut b = signed_in(&t, "holder@example.com").await;
    // T4: usable a microsecond before, expired at the instant and after — on both faces.
    for (now, expired, state) in [
        ("2027-03-03T08:59:59.999999+08:00", false, "usable"),
        (expires, true, "expired"),
        ("2027-03-03T09:00:01+08:00", true, "expired"),
    ] {
        clock(&t, now).await;
        let v = &wallet(&t, &api).await["vouchers"][0];
        assert_eq!(
            (&v["expired"], &v["used"]),
            (&json!(expired), &json!(false)),
            "{now}"
        );
        assert_eq!(v["expires_at"], expires);
        let page = b.get("/wallet").await;
        let row = format!(r#"data-testid="voucher-{code}" data-state="{state}""#);
        assert!(page.body.contains(&row), "{now}: {}", page.body);
    }
}
