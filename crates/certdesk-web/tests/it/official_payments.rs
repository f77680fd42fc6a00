//! Top-ups (O5): the sandbox gateway's signed, idempotent callback, the test route that makes
//! it report, and the callback's refusals (no session, no CSRF: the signature decides).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use certdesk_app::{SandboxGateway, SecretKey};
use certdesk_domain::PaymentId;
use certdesk_store::WalletStore;
use serde_json::json;

use crate::shop::wallet;
use crate::support::{Res, TEST_SECRET_KEY, TestApp};

async fn top_up(t: &TestApp, token: &str, fen: i64) -> i64 {
    let res = t
        .post(
            "/api/v1/me/top-ups",
            Some(token),
            json!({ "amount_fen": fen }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let p = &res.json()["payment"];
    assert_eq!(
        (&p["status"], &p["amount_fen"]),
        (&json!("pending"), &json!(fen))
    );
    let id = p["id"].as_i64().unwrap();
    assert_eq!(
        res.json()["checkout_url"],
        format!("/sandbox/payments/{id}")
    );
    id
}

async fn callback(t: &TestApp, gateway: &str, headers: &[(String, String)], body: Vec<u8>) -> Res {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/payments/{gateway}/callback"))
        .header("content-type", "application/json");
    for (k, v) in headers {
        b = b.header(k, v);
    }
    t.send(b.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn top_up_then_the_test_route_reports_it_paid_once() {
    let t = TestApp::new().await;
    let token = t.candidate("payer@example.com").await;
    let id = top_up(&t, &token, 50_000).await;
    assert_eq!(
        wallet(&t, &token).await["cash_fen"],
        0,
        "not before the gateway reports"
    );
    let path = format!("/api/v1/test/payments/{id}/succeed");
    let res = t.post(&path, None, json!({})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["credited"], true);
    assert_eq!(res.json()["payment"]["status"], "succeeded");
    assert_eq!(wallet(&t, &token).await["cash_fen"], 50_000);
    let res = t.post(&path, None, json!({})).await;
    assert_eq!(res.json()["credited"], false, "a repeat credits nothing");
    assert_eq!(wallet(&t, &token).await["cash_fen"], 50_000);
    let ledger = t.get("/api/v1/me/ledger", Some(&token)).await.json();
    assert_eq!(ledger["items"][0]["kind"], "top_up");
    assert_eq!(ledger["items"][0]["amount_fen"], 50_000);
    assert_eq!(ledger["items"][0]["payment_id"], id);
    let res = t
        .post("/api/v1/test/payments/999999/succeed", None, json!({}))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_test_payment_route_is_absent_without_the_flag() {
    let t = TestApp::without_test_clock().await;
    let token = t.candidate("payer@example.com").await;
    let id = top_up(&t, &token, 100).await;
    let res = t
        .post(
            &format!("/api/v1/test/payments/{id}/succeed"),
            None,
            json!({}),
        )
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    assert_eq!(wallet(&t, &token).await["cash_fen"], 0);
}

#[tokio::test]
async fn signed_callbacks_credit_once_and_unsigned_ones_are_refused() {
    let t = TestApp::new().await;
    let token = t.candidate("payer@example.com").await;
    let id = top_up(&t, &token, 12_345).await;
    let payment = t.store.get_payment(PaymentId(id)).await.unwrap();
    let sandbox = SandboxGateway::new(&SecretKey::from_encoded(TEST_SECRET_KEY).unwrap());
    let (headers, body) = sandbox.callback_for(&payment, true);

    // No signature, a wrong one, a signature of other bytes: 401, nothing credited.
    let res = callback(&t, "sandbox", &[], body.clone()).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    let forged = vec![(headers[0].0.clone(), "t=1,v1=00ff".to_owned())];
    assert_eq!(
        callback(&t, "sandbox", &forged, body.clone()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut tampered = body.clone();
    let pos = tampered.len() - 2;
    tampered[pos] ^= 1;
    assert_eq!(
        callback(&t, "sandbox", &headers, tampered).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(wallet(&t, &token).await["cash_fen"], 0);
    // An unknown gateway.
    assert_eq!(
        callback(&t, "paypal", &headers, body.clone()).await.status,
        StatusCode::NOT_FOUND
    );

    // The same signed callback twice: credited once.
    let first = callback(&t, "sandbox", &headers, body.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["credited"], true);
    let second = callback(&t, "sandbox", &headers, body).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.json()["credited"], false);
    assert_eq!(wallet(&t, &token).await["cash_fen"], 12_345);
}

#[tokio::test]
async fn bad_amounts_and_ids_are_4xx_with_codes() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let (token, me) = crate::shop::verified(&t, "a@example.com", 50).await;
    let pid = crate::shop::period(&t, &admin).await;
    let huge = "99999999999999999999";
    for raw in [
        "-1",
        "0",
        "1e30",
        huge,
        "12.5",
        "-9223372036854775809",
        "5000001",
    ] {
        let body = format!(r#"{{"amount_fen": {raw}}}"#);
        let res = raw_post(&t, "/api/v1/me/top-ups", &token, &body).await;
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_amount"),
            "top-up {raw}"
        );
        assert_eq!(res.json()["error"]["field"], "amount_fen");
        if raw == "5000001" {
            continue; // a credit may exceed a top-up's cap
        }
        let body = format!(r#"{{"kind": "cash", "amount_fen": {raw}, "reason": "x"}}"#);
        let res = raw_post(
            &t,
            &format!("/api/v1/admin/accounts/{me}/credits"),
            &admin,
            &body,
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "credit {raw}: {}",
            res.body
        );
        assert_eq!(res.code(), "invalid_amount");
        let body = format!(
            r#"{{"account_id": {me}, "face_value_fen": {raw}, "min_spend_fen": 0, "expires_at": "2027-12-31T00:00:00+08:00"}}"#
        );
        let res = raw_post(&t, "/api/v1/admin/vouchers", &admin, &body).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "voucher {raw}: {}",
            res.body
        );
    }
    let res = raw_post(&t, "/api/v1/me/top-ups", &token, r#"{"amount_fen": "100"}"#).await;
    assert_eq!(res.code(), "invalid_json");
    let cases = [
        (
            json!({"period_id": 999_999, "city": "深圳"}),
            "unknown_period",
        ),
        (
            json!({"period_id": pid, "city": "火星"}),
            "city_not_offered",
        ),
        (json!({"period_id": pid, "city": ""}), ""),
        (
            json!({"period_id": pid, "city": "深圳", "pay_first": "bitcoin"}),
            "invalid_field",
        ),
        (json!({"period_id": "1", "city": "深圳"}), "invalid_json"),
        (json!({"city": "深圳"}), "invalid_json"),
    ];
    for (body, code) in cases {
        let res = crate::shop::order(&t, &token, body.clone(), None).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.body
        );
        if !code.is_empty() {
            assert_eq!(res.code(), code, "{body}");
        }
    }
    let res = raw_post(
        &t,
        "/api/v1/orders",
        &token,
        r#"{"period_id": 1e30, "city": "深圳"}"#,
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Operators: an unknown account, bad instants and capacities.
    let res = t
        .post(
            "/api/v1/admin/accounts/999999/credits",
            Some(&admin),
            json!({"kind": "gift", "amount_fen": 1, "reason": "x"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = t
        .post(
            "/api/v1/admin/accounts/1/credits",
            Some(&admin),
            json!({"kind": "bitcoin", "amount_fen": 1, "reason": "x"}),
        )
        .await;
    assert_eq!(
        (res.status, res.json()["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("kind"))
    );
    let res = t
        .post("/api/v1/admin/vouchers", Some(&admin), json!({"account_id": me, "face_value_fen": 100, "min_spend_fen": 0, "expires_at": "2020-01-01T00:00:00+08:00"}))
        .await;
    assert_eq!(
        (res.status, res.json()["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("expires_at"))
    );
    let period = |starts: &str, capacity: i64| json!({"certification": "TCCA-DEV-A", "starts_at": starts, "ends_at": "2027-08-01T11:00:00+08:00", "cities": [{"city": "深圳", "capacity": capacity}]});
    for (body, field) in [
        (period("next week", 10), "starts_at"),
        (period("2027-08-01T09:00:00+08:00", 0), "cities"),
        (period("2027-08-01T12:00:00+08:00", 10), "ends_at"),
    ] {
        let res = t
            .post("/api/v1/admin/exam-periods", Some(&admin), body)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(res.json()["error"]["field"], field);
    }
    let mut unknown = period("2027-08-01T09:00:00+08:00", 10);
    unknown["certification"] = json!("NOPE-NOPE");
    let res = t
        .post("/api/v1/admin/exam-periods", Some(&admin), unknown)
        .await;
    assert!(res.status.is_client_error(), "{}", res.body);
    let res = t
        .post(
            "/api/v1/admin/exam-periods",
            Some(&token),
            period("2027-08-01T09:00:00+08:00", 1),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

async fn raw_post(t: &TestApp, path: &str, token: &str, body: &str) -> Res {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    t.send(req).await
}

/// Without `--sandbox-payments` (nor the demo or the test clock) nobody can "pay" a top-up
/// with one click: no top-up starts, the sandbox's checkout and callback do not exist, and the
/// wallet page says how to add funds instead of offering a form.
#[tokio::test]
async fn production_has_no_sandbox_gateway() {
    let t = TestApp::production_like().await;
    let token = t.candidate("payer@example.com").await;
    let res = t
        .post(
            "/api/v1/me/top-ups",
            Some(&token),
            json!({ "amount_fen": 50_000 }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(res.json()["error"]["code"], "top_up_unavailable");
    assert_eq!(
        res.json()["error"]["message"],
        "暂不支持在线充值，请联系客服。"
    );
    assert_eq!(wallet(&t, &token).await["cash_fen"], 0);

    // A callback signed with the sandbox's key finds no such gateway.
    let sandbox = SandboxGateway::new(&SecretKey::from_encoded(TEST_SECRET_KEY).unwrap());
    let payment = certdesk_store::Payment {
        id: PaymentId(1),
        account_id: certdesk_domain::AccountId(1),
        gateway: "sandbox".to_owned(),
        amount: certdesk_domain::Fen::new(50_000).unwrap(),
        status: certdesk_domain::PaymentStatus::Pending,
        gateway_ref: None,
        created_at: t.app.now(),
        completed_at: None,
    };
    let (headers, body) = sandbox.callback_for(&payment, true);
    let res = callback(&t, "sandbox", &headers, body).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);

    let mut b = crate::official_pages::signed_in(&t, "payer@example.com").await;
    let page = b.get("/wallet").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"data-testid="topup-unavailable""#));
    assert!(page.body.contains("暂不支持在线充值"));
    assert!(!page.body.contains(r#"data-testid="topup-form""#));
    assert_eq!(
        b.get("/sandbox/payments/1").await.status,
        StatusCode::NOT_FOUND
    );
}
