//! The official channel through the API: the whole journey with exact amounts, and the O1
//! and O10 boundaries moved across with the test clock (T3, T4).

use axum::http::StatusCode;
use serde_json::json;

use crate::shop::{
    CERT, FEE, STARTS, bought, clock, credit, order, period, period_of, refusal, verified, voucher,
    wallet,
};
use crate::support::TestApp;

#[tokio::test]
async fn journey_period_to_order_to_refund_with_exact_amounts() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (token, me) = verified(&t, "li.lei@example.com", 1).await;
    credit(&t, &admin, me, "cash", 50_000).await;
    credit(&t, &admin, me, "gift", 25_000).await;
    let code = voucher(&t, &admin, me, 10_000, 50_000).await;

    let periods = t
        .get(&format!("/api/v1/exam-periods?certification={CERT}"), None)
        .await
        .json();
    let p = &periods[0];
    assert_eq!(p["id"], pid);
    assert_eq!(p["certification"], CERT);
    assert_eq!(p["starts_at"], STARTS);
    assert_eq!(p["registration_opens_at"], "2027-01-10T09:00:00+08:00");
    assert_eq!(p["registration_closes_at"], "2027-03-31T09:00:00+08:00");
    assert_eq!(
        p["cities"],
        json!([{"city": "深圳", "capacity": 2, "seats_left": 2}, {"city": "北京", "capacity": 1, "seats_left": 1}])
    );

    let res = order(
        &t,
        &token,
        json!({"period_id": pid, "city": "深圳", "voucher_code": code.to_lowercase(), "pay_first": "gift"}),
        None,
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let placed = res.json();
    let o = &placed["order"];
    assert_eq!(
        (
            &o["total_fen"],
            &o["voucher_fen"],
            &o["gift_fen"],
            &o["cash_fen"]
        ),
        (&json!(FEE), &json!(10_000), &json!(25_000), &json!(35_000))
    );
    assert_eq!(o["paid_at"], "2027-03-02T09:00:00+08:00");
    let reg = &placed["registration"];
    assert_eq!(reg["status"], "confirmed");
    assert_eq!(reg["channel"], "official");
    assert_eq!(reg["attempt"], "first");
    assert_eq!(reg["city"], "深圳");
    assert_eq!(
        reg["deadlines"]["refund_until"],
        "2027-03-07T09:00:00+08:00"
    );
    let w = wallet(&t, &token).await;
    assert_eq!(
        (w["cash_fen"].as_i64(), w["gift_fen"].as_i64()),
        (Some(15_000), Some(0))
    );
    assert_eq!(w["vouchers"][0]["used"], true);
    let seats = t.get("/api/v1/exam-periods", None).await.json();
    assert_eq!(seats[0]["cities"][0]["seats_left"], 1);

    let regs = t.get("/api/v1/registrations", Some(&token)).await.json();
    let r = &regs["items"][0];
    assert_eq!(r["id"], reg["id"]);
    assert_eq!(r["exam_starts_at"], STARTS);
    assert_eq!(r["rescheduled"], false);
    assert_eq!(r["admission_ticket"], json!(null));
    assert_eq!(r["deadlines"]["refund_until"], "2027-03-07T09:00:00+08:00");
    assert_eq!(
        r["deadlines"]["reschedule_until"],
        "2027-03-31T09:00:00+08:00"
    );
    let one = t
        .get(
            &format!("/api/v1/registrations/{}", reg["id"]),
            Some(&token),
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["order_id"], o["id"]);

    let oid = o["id"].as_i64().unwrap();
    let preview = t
        .get(
            &format!("/api/v1/orders/{oid}/refund-preview"),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(
        preview,
        json!({"cash_fen": 35_000, "gift_fen": 25_000, "voucher_forfeited_fen": 10_000, "deadline": "2027-03-07T09:00:00+08:00"})
    );
    clock(&t, "2027-03-04T10:30:00+08:00").await;
    let res = t
        .post(
            &format!("/api/v1/orders/{oid}/refund"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let refund = &res.json()["refund"];
    assert_eq!(
        (
            &refund["cash_fen"],
            &refund["gift_fen"],
            &refund["voucher_forfeited_fen"]
        ),
        (&json!(35_000), &json!(25_000), &json!(10_000))
    );
    assert_eq!(refund["requested_at"], "2027-03-04T10:30:00+08:00");
    let w = wallet(&t, &token).await;
    assert_eq!(
        (w["cash_fen"].as_i64(), w["gift_fen"].as_i64()),
        (Some(50_000), Some(25_000))
    );
    let order_view = t
        .get(&format!("/api/v1/orders/{oid}"), Some(&token))
        .await
        .json();
    assert_eq!(order_view["order"]["status"], "refunded");
    assert_eq!(order_view["refund"]["cash_fen"], 35_000);
    let r = t
        .get(
            &format!("/api/v1/registrations/{}", reg["id"]),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(r["status"], "cancelled");
    assert_eq!(r["deadlines"], json!({}));
    let seats = t.get("/api/v1/exam-periods", None).await.json();
    assert_eq!(
        seats[0]["cities"][0]["seats_left"], 2,
        "the seat is released"
    );
    let ledger = t.get("/api/v1/me/ledger", Some(&token)).await.json();
    let kinds: Vec<&str> = ledger["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "refund").count(),
        2,
        "{ledger}"
    );
    assert_eq!(kinds.iter().filter(|k| **k == "order_debit").count(), 2);

    let admin_view = t
        .get("/api/v1/admin/exam-periods", Some(&admin))
        .await
        .json();
    assert_eq!(admin_view[0]["cities"][0]["taken"], 0);
    let promises = t.get("/api/v1/admin/promises", Some(&admin)).await;
    assert_eq!(promises.status, StatusCode::OK, "{}", promises.body);
    assert!(
        promises
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "confirmation")
    );
}

#[tokio::test]
async fn o1_window_boundaries_through_the_api() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    // Starts 10 July 2027 09:00: opens 10 April 09:00, closes 30 June 09:00 (O1).
    let pid = period_of(
        &t,
        &admin,
        CERT,
        "2027-07-10T09:00:00+08:00",
        &[("上海", 5)],
    )
    .await;
    let (_, a_id) = verified(&t, "a@example.com", 2).await;
    let (_, b_id) = verified(&t, "b@example.com", 3).await;
    credit(&t, &admin, a_id, "cash", FEE).await;
    credit(&t, &admin, b_id, "cash", FEE).await;
    let body = json!({"period_id": pid, "city": "上海"});

    clock(&t, "2027-04-10T08:59:59+08:00").await;
    // Sessions expire over months: log in again at the new time.
    let a = t.log_in("a@example.com").await;
    let res = order(&t, &a, body.clone(), None).await;
    let (status, code, deadline) = refusal(&res);
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "registration_not_open")
    );
    assert_eq!(deadline, "2027-04-10T09:00:00+08:00");
    assert_eq!(res.json()["error"]["rule"], "O1");

    clock(&t, "2027-04-10T09:00:00+08:00").await;
    assert_eq!(
        order(&t, &a, body.clone(), None).await.status,
        StatusCode::CREATED
    );

    clock(&t, "2027-06-30T08:59:59+08:00").await;
    let preview = t.get("/api/v1/exam-periods", None).await.json();
    assert_eq!(preview[0]["cities"][0]["seats_left"], 4);
    clock(&t, "2027-06-30T09:00:00+08:00").await;
    let b = t.log_in("b@example.com").await;
    let (status, code, deadline) = refusal(&order(&t, &b, body, None).await);
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "registration_closed")
    );
    assert_eq!(deadline, "2027-06-30T09:00:00+08:00");
}

#[tokio::test]
async fn o10_refund_window_boundaries_through_the_api() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (a, a_id) = verified(&t, "a@example.com", 4).await;
    let (b, b_id) = verified(&t, "b@example.com", 5).await;
    credit(&t, &admin, a_id, "cash", FEE).await;
    credit(&t, &admin, b_id, "gift", FEE).await;
    // Both paid at 2 March 09:00: refunds until 7 March 09:00 (120 h, exclusive).
    let a_order = bought(&t, &a, pid, "深圳").await["order"]["id"]
        .as_i64()
        .unwrap();
    let b_order = bought(&t, &b, pid, "深圳").await["order"]["id"]
        .as_i64()
        .unwrap();

    clock(&t, "2027-03-07T08:59:59+08:00").await;
    let res = t
        .post(
            &format!("/api/v1/orders/{a_order}/refund"),
            Some(&a),
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["refund"]["cash_fen"], FEE);
    let (status, code, _) = refusal(
        &t.post(
            &format!("/api/v1/orders/{a_order}/refund"),
            Some(&a),
            json!({}),
        )
        .await,
    );
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "already_refunded")
    );

    clock(&t, "2027-03-07T09:00:00+08:00").await;
    for path in [
        format!("/api/v1/orders/{b_order}/refund-preview"),
        format!("/api/v1/orders/{b_order}/refund"),
    ] {
        let res = if path.ends_with("preview") {
            t.get(&path, Some(&b)).await
        } else {
            t.post(&path, Some(&b), json!({})).await
        };
        let (status, code, deadline) = refusal(&res);
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::CONFLICT, "refund_window_passed")
        );
        assert_eq!(deadline, "2027-03-07T09:00:00+08:00");
    }
    let w = wallet(&t, &b).await;
    assert_eq!(w["gift_fen"], 0, "nothing refunded after the window");
}

#[tokio::test]
async fn a_period_ends_when_its_exam_does_unless_told() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    // TCCA-ARC-A's exam lasts 90 minutes: 09:00 → 10:30, not a guessed 11:00.
    let body = |ends_at: Option<&str>| {
        let mut b = json!({
            "certification": "TCCA-ARC-A",
            "starts_at": "2027-06-12T09:00:00+08:00",
            "cities": [{"city": "深圳", "capacity": 10}],
        });
        if let Some(end) = ends_at {
            b["ends_at"] = json!(end);
        }
        b
    };
    let res = t
        .post("/api/v1/admin/exam-periods", Some(&admin), body(None))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.json()["ends_at"], "2027-06-12T10:30:00+08:00");

    // A sitting shorter than its exam cannot hold it: a second short is refused, at is not.
    let short = t
        .post(
            "/api/v1/admin/exam-periods",
            Some(&admin),
            body(Some("2027-06-12T10:29:59+08:00")),
        )
        .await;
    let (status, code, _) = refusal(&short);
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_period")
    );
    assert_eq!(short.json()["error"]["field"], "ends_at");
    let exact = t
        .post(
            "/api/v1/admin/exam-periods",
            Some(&admin),
            body(Some("2027-06-12T10:30:00+08:00")),
        )
        .await;
    assert_eq!(exact.status, StatusCode::CREATED, "{}", exact.body);
}
