//! Helpers for the official channel's tests: verified candidates, periods, credits, vouchers
//! and orders through the API, and the sandbox gateway's signed callbacks.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Res, TestApp, id_number};

/// A cloud certification (associate: ¥700.00).
pub const CERT: &str = "TCCA-DEV-A";
pub const FEE: i64 = 70_000;
/// A period of `CERT` open at `support::START` (2 March 2027): its window is
/// [10 January, 31 March 2027 09:00) (O1).
pub const STARTS: &str = "2027-04-10T09:00:00+08:00";

/// A candidate with a verified identity (`n` makes the person unique); token and id.
pub async fn verified(t: &TestApp, email: &str, n: u32) -> (String, i64) {
    let id = t.sign_up(email).await;
    let token = t.log_in(email).await;
    let number = id_number(&format!("11010519900101{n:03}"));
    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": "李雷", "id_number": number}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "verified");
    (token, id)
}

/// Creates a period of `cert` starting at `starts` (two hours long) in `cities`; its id.
pub async fn period_of(
    t: &TestApp,
    admin: &str,
    cert: &str,
    starts: &str,
    cities: &[(&str, i64)],
) -> i64 {
    let start: jiff::Timestamp = starts.parse().unwrap();
    let end = start + jiff::SignedDuration::from_hours(2);
    let res = t
        .post(
            "/api/v1/admin/exam-periods",
            Some(admin),
            json!({
                "certification": cert,
                "starts_at": starts,
                "ends_at": end.to_string(),
                "cities": cities.iter().map(|(c, n)| json!({"city": c, "capacity": n})).collect::<Vec<_>>(),
            }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()["id"].as_i64().unwrap()
}

/// The default period: `CERT` at `STARTS` in 深圳 (2 seats) and 北京 (1 seat).
pub async fn period(t: &TestApp, admin: &str) -> i64 {
    period_of(t, admin, CERT, STARTS, &[("深圳", 2), ("北京", 1)]).await
}

pub async fn credit(t: &TestApp, admin: &str, account: i64, kind: &str, fen: i64) {
    let res = t
        .post(
            &format!("/api/v1/admin/accounts/{account}/credits"),
            Some(admin),
            json!({"kind": kind, "amount_fen": fen, "reason": "测试发放"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
}

/// Issues a voucher; its code.
pub async fn voucher(t: &TestApp, admin: &str, account: i64, face: i64, min: i64) -> String {
    voucher_until(t, admin, account, face, min, "2027-12-31T00:00:00+08:00").await
}

pub async fn voucher_until(
    t: &TestApp,
    admin: &str,
    account: i64,
    face: i64,
    min: i64,
    expires: &str,
) -> String {
    let res = t
        .post(
            "/api/v1/admin/vouchers",
            Some(admin),
            json!({"account_id": account, "face_value_fen": face, "min_spend_fen": min, "expires_at": expires}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()["code"].as_str().unwrap().to_owned()
}

/// `POST /api/v1/orders` with an optional `Idempotency-Key`.
pub async fn order(t: &TestApp, token: &str, body: Value, key: Option<&str>) -> Res {
    let headers: Vec<(&str, &str)> = key.map(|k| ("idempotency-key", k)).into_iter().collect();
    t.call_with(
        Method::POST,
        "/api/v1/orders",
        Some(token),
        Some(body),
        &headers,
    )
    .await
}

/// Orders `period` in `city` and expects 201; the answer's JSON.
pub async fn bought(t: &TestApp, token: &str, period: i64, city: &str) -> Value {
    let res = order(t, token, json!({"period_id": period, "city": city}), None).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()
}

pub async fn wallet(t: &TestApp, token: &str) -> Value {
    let res = t.get("/api/v1/me/wallet", Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// `instant` ± seconds, as RFC 3339 in UTC+8 (a boundary's second before or after).
pub fn shifted(instant: &str, secs: i64) -> String {
    let at: jiff::Timestamp = instant.parse().unwrap();
    let zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    (at + jiff::SignedDuration::from_secs(secs))
        .to_zoned(zone)
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// Sets the test clock (and runs the jobs due).
pub async fn clock(t: &TestApp, now: &str) {
    let res = t
        .put("/api/v1/test/clock", None, json!({ "now": now }))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

/// `(status, code, deadline)` of an error answer.
pub fn refusal(res: &Res) -> (StatusCode, String, Value) {
    (
        res.status,
        res.code(),
        res.json()["error"]["deadline"].clone(),
    )
}
