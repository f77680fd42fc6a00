//! O8 through `POST /api/v1/registrations/{id}/retake` with the test clock: a failed first
//! attempt takes its free retake (201, `attempt: "retake"`, the seat taken, no order), the
//! first attempt then shows the retake and no more `retake_apply_until`; the retake cannot be
//! rescheduled, and a failed retake offers nothing further.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::reschedule_api::{e1, reschedule};
use crate::results_support::{after_exam, sat, upload};
use crate::shop::{CERT, clock, period_of};
use crate::support::{Res, TestApp};

/// The first exam (`shop::STARTS`) + 3 months (T2): O8's horizon (inclusive).
pub const HORIZON: &str = "2027-07-10T09:00:00+08:00";
/// The horizon − 10 days: the first attempt's `retake_apply_until` (exclusive, T4).
pub const APPLY_UNTIL: &str = "2027-06-30T09:00:00+08:00";
/// A retake period well inside the range, and its own apply deadline (start − 10 days).
pub const RETAKE_STARTS: &str = "2027-05-20T09:00:00+08:00";
pub const RETAKE_APPLY_UNTIL: &str = "2027-05-10T09:00:00+08:00";

pub async fn retake(t: &TestApp, token: &str, registration: i64, body: Value) -> Res {
    t.post(
        &format!("/api/v1/registrations/{registration}/retake"),
        Some(token),
        body,
    )
    .await
}

pub fn to(period: i64, city: &str) -> Value {
    json!({"period_id": period, "city": city})
}

pub async fn registration(t: &TestApp, token: &str, id: i64) -> Value {
    let res = t
        .get(&format!("/api/v1/registrations/{id}"), Some(token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// Imports `results` (JSON items) as the operator; all accepted.
pub async fn import(t: &TestApp, admin: &str, results: Vec<Value>) {
    let n = results.len();
    let body = json!({ "results": results }).to_string().into_bytes();
    let res = upload(t, Some(admin), "application/json", body).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["accepted"], n, "{}", res.body);
}

/// One candidate per item of `outcomes` (`{"score": 40}`, `{"absent": true}`, …) who sat
/// `shop::STARTS` in 深圳 and got it; the clock just after that exam. The operator's token and
/// the candidates' (token, registration id).
pub async fn resulted(t: &TestApp, outcomes: &[Value]) -> (String, Vec<(String, i64)>) {
    let admin = t.admin("ops@example.com").await;
    let regs = sat(t, &admin, outcomes.len() as u32).await;
    let (admin, regs) = after_exam(t, &regs).await;
    let items = regs
        .iter()
        .zip(outcomes)
        .map(|((_, id), o)| {
            let mut item = o.clone();
            item["registration_id"] = json!(id);
            item
        })
        .collect();
    import(t, &admin, items).await;
    (admin, regs)
}

/// A failed first attempt: `{"score": 40}` (the pass mark is higher).
pub fn fail() -> Value {
    json!({"score": 40})
}

/// The seats left in `city` of `period`.
pub async fn seats_left(t: &TestApp, period: i64, city: &str) -> i64 {
    let res = t
        .get(&format!("/api/v1/exam-periods?certification={CERT}"), None)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let periods = res.json();
    let p = periods
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == period)
        .unwrap_or_else(|| panic!("period {period} listed"))
        .clone();
    p["cities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["city"] == city)
        .unwrap()["seats_left"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn o8_fail_then_retake_takes_a_seat_and_uses_the_right() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[fail()]).await;
    let (token, first) = regs[0].clone();
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 3)]).await;
    let before = registration(&t, &token, first).await;
    assert_eq!(before["status"], "failed");
    assert_eq!(before["deadlines"]["retake_apply_until"], APPLY_UNTIL);
    assert_eq!(before.get("retake_id"), None);

    let res = retake(&t, &token, first, to(target, "上海")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let r = res.json();
    assert_eq!(r["attempt"], "retake");
    assert_eq!(r["status"], "confirmed");
    assert_eq!(r["channel"], "official");
    assert_eq!(r["certification"], CERT);
    assert_eq!(r["period_id"], target);
    assert_eq!(r["city"], "上海");
    assert_eq!(r["exam_starts_at"], RETAKE_STARTS);
    assert_eq!(r["order_id"], Value::Null, "a free retake has no order");
    assert_eq!(r["retake_of"], first);
    assert_eq!(
        r["deadlines"],
        json!({}),
        "no refund, no reschedule, no further retake"
    );
    let retake_id = r["id"].as_i64().unwrap();
    assert_eq!(registration(&t, &token, retake_id).await, r);
    assert_eq!(seats_left(&t, target, "上海").await, 2, "the seat is taken");

    // The first attempt: the retake used, no more deadline.
    let after = registration(&t, &token, first).await;
    assert_eq!(after["retake_id"], retake_id);
    assert_eq!(after["deadlines"].get("retake_apply_until"), None);
    // The inbox confirms it.
    let inbox = t.get("/api/v1/me/messages", Some(&token)).await.json();
    let kinds: Vec<&str> = inbox["items"]
        .as_array()
        .or(inbox.as_array())
        .unwrap()
        .iter()
        .filter_map(|m| m["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"retake_registered"), "{inbox}");
    // Listed with the person's registrations.
    let list = t.get("/api/v1/registrations", Some(&token)).await.json();
    assert_eq!(list["items"][0]["id"], retake_id);

    // O8: one retake only (before A2's already_registered: the retake is live).
    let res = retake(&t, &token, first, to(target, "上海")).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "retake_used".into(),
            json!("O8"),
            Value::Null,
            Value::Null
        )
    );
    // O7/O8: a retake cannot be rescheduled.
    let later = period_of(
        &t,
        &admin,
        CERT,
        "2027-06-10T09:00:00+08:00",
        &[("上海", 3)],
    )
    .await;
    let res = reschedule(&t, &token, retake_id, to(later, "上海")).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "retake_not_reschedulable".into(),
            json!("O7"),
            Value::Null,
            Value::Null
        )
    );
    assert_eq!(seats_left(&t, target, "上海").await, 2);
}

#[tokio::test]
async fn o8_a_failed_retake_offers_no_further_retake() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[fail()]).await;
    let (token, first) = regs[0].clone();
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 3)]).await;
    let later = period_of(
        &t,
        &admin,
        CERT,
        "2027-06-20T09:00:00+08:00",
        &[("上海", 3)],
    )
    .await;
    let res = retake(&t, &token, first, to(target, "上海")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let retake_id = res.json()["id"].as_i64().unwrap();

    // The retake's exam is over; it fails too.
    clock(&t, "2027-05-20T12:00:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    let token = t.log_in("sat0@example.com").await;
    import(
        &t,
        &admin,
        vec![json!({"registration_id": retake_id, "score": 30})],
    )
    .await;
    let failed_retake = registration(&t, &token, retake_id).await;
    assert_eq!(failed_retake["status"], "failed");
    assert_eq!(failed_retake["attempt"], "retake");
    assert_eq!(failed_retake["deadlines"], json!({}), "nothing further");
    for id in [retake_id, first] {
        let res = retake(&t, &token, id, to(later, "上海")).await;
        let want = if id == first {
            "retake_used"
        } else {
            "retake_not_eligible"
        };
        assert_eq!(
            e1(&res),
            (
                StatusCode::CONFLICT,
                want.into(),
                json!("O8"),
                Value::Null,
                Value::Null
            ),
            "{}",
            res.body
        );
    }
    assert_eq!(seats_left(&t, later, "上海").await, 3);
}

#[tokio::test]
async fn o8_retake_is_in_the_openapi_document() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    let op = &doc["paths"]["/api/v1/registrations/{id}/retake"]["post"];
    assert!(op["responses"]["201"].is_object(), "{op}");
    assert!(op["responses"]["409"].is_object(), "{op}");
    assert!(
        certdesk_web::api_routes(true)
            .iter()
            .any(|r| r.method == "POST" && r.path == "/api/v1/registrations/{id}/retake")
    );
}
