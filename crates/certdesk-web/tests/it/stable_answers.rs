//! Issue 11, items 8 and 9: answers say the same thing each time and say enough. An order's
//! replay is byte for byte its first `201` (one time precision, stored and answered); every
//! ledger entry gives a reason, in the reader's language where certdesk wrote it; the exam
//! periods name their certification.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::shop::{CERT, FEE, credit, order, period, verified};
use crate::support::TestApp;

#[tokio::test]
async fn o5_a_replayed_order_is_byte_for_byte_the_first_answer() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let (token, me) = verified(&t, "li@example.com", 1).await;
    credit(&t, &admin, me, "cash", FEE).await;
    let pid = period(&t, &admin).await;
    // A wall clock reads nanoseconds; the store keeps microseconds.
    t.clock
        .set("2027-03-02T01:00:00.123456789Z".parse().unwrap());
    let body = json!({"period_id": pid, "city": "深圳"});
    let first = order(&t, &token, body.clone(), Some("stable-1")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let placed = first.json();
    assert_eq!(
        placed["order"]["paid_at"],
        "2027-03-02T09:00:00.123456+08:00"
    );
    assert_eq!(
        placed["registration"]["deadlines"]["refund_until"], "2027-03-07T09:00:00.123456+08:00",
        "deadlines from the same instant"
    );

    let replay = order(&t, &token, body, Some("stable-1")).await;
    assert_eq!(replay.status, StatusCode::CREATED, "{}", replay.body);
    assert_eq!(replay.bytes, first.bytes, "the replay is the first answer");

    let oid = placed["order"]["id"].as_i64().unwrap();
    let read = t.get(&format!("/api/v1/orders/{oid}"), Some(&token)).await;
    assert_eq!(
        read.json()["order"],
        placed["order"],
        "and so is every later read"
    );
    let rid = placed["registration"]["id"].as_i64().unwrap();
    let read = t
        .get(&format!("/api/v1/registrations/{rid}"), Some(&token))
        .await;
    assert_eq!(read.json(), placed["registration"]);
}

/// The caller's ledger in `lang`.
async fn ledger(t: &TestApp, token: &str, lang: &str) -> Vec<Value> {
    let res = t
        .call_with(
            Method::GET,
            "/api/v1/me/ledger",
            Some(token),
            None,
            &[("accept-language", lang)],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["items"].as_array().unwrap().clone()
}

/// The reasons of the entries of `kind`.
fn reasons(entries: &[Value], kind: &str) -> Vec<String> {
    entries
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| e["reason"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn o5_o10_every_ledger_entry_says_why() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let (token, me) = verified(&t, "li@example.com", 1).await;
    credit(&t, &admin, me, "cash", FEE - 10_000).await;
    credit(&t, &admin, me, "gift", 10_000).await;
    let pid = period(&t, &admin).await;
    let placed = order(&t, &token, json!({"period_id": pid, "city": "深圳"}), None).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.body);
    let oid = placed.json()["order"]["id"].as_i64().unwrap();
    let res = t
        .post(
            &format!("/api/v1/orders/{oid}/refund"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let zh = ledger(&t, &token, "zh-CN").await;
    assert_eq!(zh.len(), 6, "two credits, two debits, two refunds: {zh:?}");
    assert!(zh.iter().all(|e| !e["reason"].as_str().unwrap().is_empty()));
    assert_eq!(reasons(&zh, "operator_credit"), ["测试发放", "测试发放"]);
    let paid = format!("订单 #{oid} 报名缴费");
    assert_eq!(reasons(&zh, "order_debit"), [paid.clone(), paid]);
    let back = format!("订单 #{oid} 退款");
    assert_eq!(reasons(&zh, "refund"), [back.clone(), back]);

    let en = ledger(&t, &token, "en").await;
    assert_eq!(
        reasons(&en, "order_debit")[0],
        format!("Payment for order #{oid}")
    );
    assert_eq!(reasons(&en, "refund")[0], format!("Refund of order #{oid}"));
    assert_eq!(
        reasons(&en, "operator_credit")[0],
        "测试发放",
        "the operator's words"
    );

    // The wallet page reads the same reasons.
    let mut b = t.browser();
    let res = b
        .submit(
            "/login",
            "/login",
            &[
                ("email", "li@example.com"),
                ("password", crate::support::PASSWORD),
            ],
        )
        .await;
    assert!(res.status.is_redirection(), "{}", res.body);
    let page = b.get("/wallet").await;
    assert!(
        page.body.contains(&format!("订单 #{oid} 退款")),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn o1_exam_periods_name_their_certification() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let cert = t
        .get(&format!("/api/v1/certifications/{CERT}"), None)
        .await
        .json();
    let res = t
        .get(&format!("/api/v1/exam-periods?certification={CERT}"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let periods = res.json();
    let p = &periods[0];
    assert_eq!(p["id"], pid);
    assert_eq!(p["certification"], CERT);
    assert_eq!(p["certification_name_zh"], cert["name_zh"]);
    assert_eq!(p["certification_name_en"], cert["name_en"]);
    assert_eq!(p["fee_fen"], FEE);
    assert!(!cert["name_zh"].as_str().unwrap().is_empty());
}
