//! Every refusal of the official channel through HTTP (E1): A1, O3, A2, O5 (balance,
//! vouchers), `Idempotency-Key` replay and reuse, and another candidate's things (404, E2).

use axum::http::StatusCode;
use serde_json::json;

use crate::shop::{
    FEE, bought, clock, credit, order, period, refusal, verified, voucher, voucher_until, wallet,
};
use crate::support::TestApp;

#[tokio::test]
async fn buyer_refusals() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;

    // A1: an unverified account.
    let unverified = t.candidate("anon@example.com").await;
    let res = order(
        &t,
        &unverified,
        json!({"period_id": pid, "city": "北京"}),
        None,
    )
    .await;
    assert_eq!(refusal(&res).0, StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "real_name_required");

    let (a, a_id) = verified(&t, "a@example.com", 10).await;
    let (b, b_id) = verified(&t, "b@example.com", 11).await;
    credit(&t, &admin, a_id, "cash", 3 * FEE).await;
    credit(&t, &admin, b_id, "gift", FEE).await;

    // O5: not enough money.
    let (poor, _) = verified(&t, "poor@example.com", 12).await;
    let res = order(&t, &poor, json!({"period_id": pid, "city": "北京"}), None).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::CONFLICT, "insufficient_balance")
    );

    // O3: the last seat in 北京 goes to A; B finds none.
    bought(&t, &a, pid, "北京").await;
    let res = order(&t, &b, json!({"period_id": pid, "city": "北京"}), None).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::CONFLICT, "no_seats_left")
    );
    assert_eq!(res.json()["error"]["field"], "city");
    // A2: one live registration per person and certification, any city.
    let res = order(&t, &a, json!({"period_id": pid, "city": "深圳"}), None).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::CONFLICT, "already_registered")
    );
    assert_eq!(wallet(&t, &a).await["cash_fen"], 2 * FEE, "charged once");
    assert_eq!(wallet(&t, &b).await["gift_fen"], FEE, "B was not charged");
}

#[tokio::test]
async fn voucher_refusals() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (a, a_id) = verified(&t, "a@example.com", 20).await;
    let (_, b_id) = verified(&t, "b@example.com", 21).await;
    credit(&t, &admin, a_id, "cash", 3 * FEE).await;
    let above_min = voucher(&t, &admin, a_id, 5_000, FEE + 1).await;
    let soon = voucher_until(&t, &admin, a_id, 5_000, 0, "2027-03-03T09:00:00+08:00").await;
    let theirs = voucher(&t, &admin, b_id, 5_000, 0).await;
    let mine = voucher(&t, &admin, a_id, 5_000, 0).await;

    let try_with = |code: String| json!({"period_id": pid, "city": "深圳", "voucher_code": code});
    for (code, why) in [
        (above_min, "最低消费"),
        (theirs, "未找到"),
        ("CD-0000-0000".to_owned(), "未找到"),
        ("'; DROP TABLE vouchers; --".to_owned(), "未找到"),
    ] {
        let res = order(&t, &a, try_with(code.clone()), None).await;
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::CONFLICT, "voucher_invalid"),
            "{code}"
        );
        assert_eq!(res.json()["error"]["field"], "voucher_code");
        assert!(
            res.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(why),
            "{}",
            res.body
        );
    }
    clock(&t, "2027-03-03T09:00:00+08:00").await;
    let a = t.log_in("a@example.com").await;
    let res = order(&t, &a, try_with(soon), None).await;
    let (status, code, deadline) = refusal(&res);
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "voucher_invalid")
    );
    assert_eq!(
        deadline, "2027-03-03T09:00:00+08:00",
        "expired at its instant (T4)"
    );

    // Used: spent on an order, then refunded — the voucher stays used (O10).
    let res = order(&t, &a, try_with(mine.clone()), None).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let oid = res.json()["order"]["id"].as_i64().unwrap();
    let refund = t
        .post(&format!("/api/v1/orders/{oid}/refund"), Some(&a), json!({}))
        .await;
    assert_eq!(refund.status, StatusCode::OK);
    let res = order(&t, &a, try_with(mine), None).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::CONFLICT, "voucher_invalid")
    );
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("已使用")
    );
    // The cash part came back in full; the voucher part is forfeited, not owed.
    assert_eq!(wallet(&t, &a).await["cash_fen"], 3 * FEE);
}

#[tokio::test]
async fn idempotency_key_replays_and_refuses_reuse() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (a, a_id) = verified(&t, "a@example.com", 30).await;
    credit(&t, &admin, a_id, "cash", 2 * FEE).await;
    let body = json!({"period_id": pid, "city": "深圳", "pay_first": "cash"});

    let first = order(&t, &a, body.clone(), Some("click-1")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = order(&t, &a, body.clone(), Some("click-1")).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(again.json(), first.json(), "the same answer");
    assert_eq!(wallet(&t, &a).await["cash_fen"], FEE, "charged once");

    let other = json!({"period_id": pid, "city": "北京"});
    let res = order(&t, &a, other, Some("click-1")).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );
    let res = order(&t, &a, body, Some("has space")).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field")
    );
    assert_eq!(res.json()["error"]["field"], "Idempotency-Key");
}

#[tokio::test]
async fn another_candidates_things_are_not_found() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (a, a_id) = verified(&t, "a@example.com", 40).await;
    let (b, _) = verified(&t, "b@example.com", 41).await;
    credit(&t, &admin, a_id, "cash", FEE).await;
    let placed = bought(&t, &a, pid, "深圳").await;
    let oid = placed["order"]["id"].as_i64().unwrap();
    let rid = placed["registration"]["id"].as_i64().unwrap();

    for path in [
        format!("/api/v1/orders/{oid}"),
        format!("/api/v1/orders/{oid}/refund-preview"),
        format!("/api/v1/registrations/{rid}"),
        "/api/v1/orders/999999".to_owned(),
        "/api/v1/registrations/999999".to_owned(),
        "/api/v1/orders/not-a-number".to_owned(),
    ] {
        let res = t.get(&path, Some(&b)).await;
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
        assert!(!res.body.contains("深圳"), "no leak: {}", res.body);
    }
    let res = t
        .post(&format!("/api/v1/orders/{oid}/refund"), Some(&b), json!({}))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(
        t.get("/api/v1/registrations", Some(&b)).await.json()["items"],
        json!([])
    );
    // …and the owner's order is untouched.
    let mine = t
        .get(&format!("/api/v1/orders/{oid}"), Some(&a))
        .await
        .json();
    assert_eq!(mine["order"]["status"], "paid");
    assert_eq!(
        t.get(&format!("/api/v1/orders/{oid}"), None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

/// O10 with O2: a specialty period may sell up to its start, so the 5-day refund window can
/// outlast the exam; once the result is out there is nothing left to cancel.
#[tokio::test]
async fn o10_no_refund_once_the_result_is_out() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let res = t
        .post(
            "/api/v1/admin/exam-periods",
            Some(&admin),
            json!({
                "certification": "TCCS-BIGDATA",
                "starts_at": "2027-03-04T09:00:00+08:00",
                "ends_at": "2027-03-04T11:00:00+08:00",
                "registration_opens_at": "2027-02-01T09:00:00+08:00",
                "registration_closes_at": "2027-03-04T09:00:00+08:00",
                "cities": [{"city": "深圳", "capacity": 5}],
            }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let period = res.json()["id"].as_i64().unwrap();
    let (token, account) = verified(&t, "late@example.com", 61).await;
    credit(&t, &admin, account, "cash", 160_000).await;
    let placed = bought(&t, &token, period, "深圳").await;
    let (order, registration) = (
        placed["order"]["id"].as_i64().unwrap(),
        placed["registration"]["id"].as_i64().unwrap(),
    );
    clock(&t, "2027-03-05T09:00:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    let csv = format!("registration_id,score,absent\n{registration},90,false\n");
    let res = crate::results_support::upload(&t, Some(&admin), "text/csv", csv.into_bytes()).await;
    assert_eq!(res.json()["accepted"], 1, "{}", res.body);

    let token = t.log_in("late@example.com").await;
    for path in [
        format!("/api/v1/orders/{order}/refund-preview"),
        format!("/api/v1/orders/{order}/refund"),
    ] {
        let res = if path.ends_with("preview") {
            t.get(&path, Some(&token)).await
        } else {
            t.post(&path, Some(&token), json!({})).await
        };
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::CONFLICT, "registration_not_live".into()),
            "{path}: {}",
            res.body
        );
        assert_eq!(res.json()["error"]["rule"], "O10");
    }
    let wallet = t.get("/api/v1/me/wallet", Some(&token)).await.json();
    assert_eq!(wallet["cash_fen"], 0, "nothing went back");
}
