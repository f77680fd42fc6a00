//! O7 through `POST /api/v1/registrations/{id}/reschedule` with the test clock: the move and
//! what the registration then shows (E3), the boundaries to the microsecond and second, the
//! target's public window not applying, and every refusal as E1 (code, message, field, rule
//! O7, deadline).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::shop::{CERT, FEE, bought, clock, credit, order, period, period_of, verified};
use crate::support::{Res, TestApp};

/// The default period's exam start + 3 months (T2): O7's horizon for it.
const HORIZON: &str = "2027-07-10T09:00:00+08:00";

pub async fn reschedule(t: &TestApp, token: &str, registration: i64, body: Value) -> Res {
    t.post(
        &format!("/api/v1/registrations/{registration}/reschedule"),
        Some(token),
        body,
    )
    .await
}

/// A verified candidate (`n` makes the person) with the fee, registered for `pid` in 深圳;
/// token and registration id.
pub async fn registered(t: &TestApp, admin: &str, email: &str, n: u32, pid: i64) -> (String, i64) {
    let (token, account) = verified(t, email, n).await;
    credit(t, admin, account, "cash", FEE).await;
    let placed = bought(t, &token, pid, "深圳").await;
    (token, placed["registration"]["id"].as_i64().unwrap())
}

/// `(status, code, rule, field, deadline)` of an E1 answer.
pub fn e1(res: &Res) -> (StatusCode, String, Value, Value, Value) {
    let e = &res.json()["error"];
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        res.body
    );
    (
        res.status,
        res.code(),
        e["rule"].clone(),
        e["field"].clone(),
        e["deadline"].clone(),
    )
}

/// The period a candidate moves to in these tests: the same certification, later, with
/// `seats` in 上海.
pub async fn later_period(t: &TestApp, admin: &str, seats: i64) -> i64 {
    period_of(
        t,
        admin,
        CERT,
        "2027-05-08T09:00:00+08:00",
        &[("上海", seats)],
    )
    .await
}

#[tokio::test]
async fn o7_reschedule_answers_the_registration_as_it_now_stands() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let later = later_period(&t, &admin, 3).await;
    let (token, r) = registered(&t, &admin, "he@example.com", 30, pid).await;
    let before = t
        .get(&format!("/api/v1/registrations/{r}"), Some(&token))
        .await;
    assert_eq!(
        before.json()["deadlines"]["reschedule_until"],
        "2027-03-31T09:00:00+08:00"
    );

    let res = reschedule(&t, &token, r, json!({"period_id": later, "city": "上海"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let moved = res.json();
    assert_eq!(moved["id"], r);
    assert_eq!(moved["period_id"], later);
    assert_eq!(moved["city"], "上海");
    assert_eq!(moved["exam_starts_at"], "2027-05-08T09:00:00+08:00");
    assert_eq!(moved["rescheduled"], true);
    assert_eq!(moved["status"], "confirmed");
    assert!(
        moved["deadlines"].get("reschedule_until").is_none(),
        "E3: absent once used: {moved}"
    );
    assert!(moved["deadlines"]["refund_until"].is_string());
    let got = t
        .get(&format!("/api/v1/registrations/{r}"), Some(&token))
        .await;
    assert_eq!(got.json(), moved, "the same DTO as GET");

    let inbox = t.get("/api/v1/me/messages", Some(&token)).await.json();
    let newest = &inbox["items"][0];
    assert_eq!(newest["kind"], "registration_rescheduled");
    assert_eq!(newest["title"], "改期成功");

    // O7: once. In English on request.
    let res = t
        .call_with(
            Method::POST,
            &format!("/api/v1/registrations/{r}/reschedule"),
            Some(&token),
            Some(json!({"period_id": pid, "city": "深圳"})),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "reschedule_used".into(),
            json!("O7"),
            Value::Null,
            Value::Null
        )
    );
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already been rescheduled"),
        "{}",
        res.body
    );
}

#[tokio::test]
async fn o7_too_late_at_exactly_current_start_minus_10_days() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let later = period_of(
        &t,
        &admin,
        CERT,
        "2027-05-08T09:00:00+08:00",
        &[("深圳", 3)],
    )
    .await;
    let (token, r) = registered(&t, &admin, "hu@example.com", 31, pid).await;
    let to = json!({"period_id": later, "city": "深圳"});

    clock(&t, "2027-03-31T09:00:00+08:00").await;
    let res = reschedule(&t, &token, r, to.clone()).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "reschedule_too_late".into(),
            json!("O7"),
            Value::Null,
            json!("2027-03-31T09:00:00+08:00")
        )
    );
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2027年3月31日 09:00（北京时间）")
    );
    clock(&t, "2027-03-31T08:59:59.999999+08:00").await;
    let res = reschedule(&t, &token, r, to).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "one microsecond before: {}",
        res.body
    );
}

#[tokio::test]
async fn o7_target_no_later_than_3_months_after_the_original_start() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let edge = period_of(&t, &admin, CERT, HORIZON, &[("深圳", 3)]).await;
    let beyond = period_of(
        &t,
        &admin,
        CERT,
        "2027-07-10T09:00:01+08:00",
        &[("深圳", 3)],
    )
    .await;
    let (token, r) = registered(&t, &admin, "jia@example.com", 32, pid).await;

    let res = reschedule(&t, &token, r, json!({"period_id": beyond, "city": "深圳"})).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "reschedule_target_out_of_range".into(),
            json!("O7"),
            json!("period_id"),
            Value::Null
        )
    );
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2027年7月10日 09:00（北京时间）")
    );
    let res = reschedule(&t, &token, r, json!({"period_id": edge, "city": "深圳"})).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "exactly 3 months after: {}",
        res.body
    );
    assert_eq!(res.json()["exam_starts_at"], HORIZON);
}

#[tokio::test]
async fn o7_target_exactly_10_days_away_is_out_of_range() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let near = period_of(
        &t,
        &admin,
        CERT,
        "2027-03-30T09:00:00+08:00",
        &[("深圳", 3)],
    )
    .await;
    let (token, r) = registered(&t, &admin, "kong@example.com", 33, pid).await;
    let to = json!({"period_id": near, "city": "深圳"});

    clock(&t, "2027-03-20T09:00:00+08:00").await;
    let res = reschedule(&t, &token, r, to.clone()).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "reschedule_target_out_of_range".into(),
            json!("O7"),
            json!("period_id"),
            json!("2027-03-20T09:00:00+08:00")
        )
    );
    clock(&t, "2027-03-20T08:59:59+08:00").await;
    let res = reschedule(&t, &token, r, to).await;
    assert_eq!(res.status, StatusCode::OK, "a second earlier: {}", res.body);
}

#[tokio::test]
async fn o7_target_public_window_does_not_apply() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    // Specialty (O2): the target's own window closed on 5 March; buying it is refused.
    let specialty = |starts: &str, closes: &str| {
        let start: jiff::Timestamp = starts.parse().unwrap();
        json!({
            "certification": "TCCS-ML",
            "starts_at": starts,
            "ends_at": (start + jiff::SignedDuration::from_hours(2)).to_string(),
            "registration_opens_at": "2027-02-01T09:00:00+08:00",
            "registration_closes_at": closes,
            "cities": [{"city": "深圳", "capacity": 5}],
        })
    };
    let mut ids = Vec::new();
    for body in [
        specialty("2027-04-10T09:00:00+08:00", "2027-03-31T09:00:00+08:00"),
        specialty("2027-05-20T09:00:00+08:00", "2027-03-05T09:00:00+08:00"),
    ] {
        let res = t
            .post("/api/v1/admin/exam-periods", Some(&admin), body)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        ids.push(res.json()["id"].as_i64().unwrap());
    }
    let (first, closed) = (ids[0], ids[1]);
    let (token, account) = verified(&t, "lu@example.com", 34).await;
    credit(&t, &admin, account, "cash", 160_000).await;
    let r = bought(&t, &token, first, "深圳").await["registration"]["id"]
        .as_i64()
        .unwrap();
    clock(&t, "2027-03-06T09:00:00+08:00").await;
    let (other, other_id) = verified(&t, "luo@example.com", 35).await;
    credit(&t, &admin, other_id, "cash", 160_000).await;
    let res = order(
        &t,
        &other,
        json!({"period_id": closed, "city": "深圳"}),
        None,
    )
    .await;
    assert_eq!(res.code(), "registration_closed");
    let res = reschedule(&t, &token, r, json!({"period_id": closed, "city": "深圳"})).await;
    assert_eq!(
        res.status,
        StatusCode::OK,
        "the seat is moved, not sold: {}",
        res.body
    );

    // Cloud (O1): a target not open yet (opens at its start − 3 months).
    let pid = period(&t, &admin).await;
    let not_open = period_of(
        &t,
        &admin,
        CERT,
        "2027-07-08T09:00:00+08:00",
        &[("深圳", 3)],
    )
    .await;
    let (token, r) = registered(&t, &admin, "ma@example.com", 36, pid).await;
    let res = order(
        &t,
        &token,
        json!({"period_id": not_open, "city": "深圳"}),
        None,
    )
    .await;
    assert_eq!(res.code(), "registration_not_open");
    let res = reschedule(
        &t,
        &token,
        r,
        json!({"period_id": not_open, "city": "深圳"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}
