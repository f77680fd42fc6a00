//! O7's refusals through `POST /api/v1/registrations/{id}/reschedule`, each as E1: 404 for
//! another person's registration or an unknown target (naming the field), 401, 422, and every
//! O7 code with rule, field and deadline.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::reschedule_api::{e1, later_period, registered, reschedule};
use crate::shop::{clock, period, period_of};
use crate::support::TestApp;

#[tokio::test]
async fn o7_every_refusal_code() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let later = later_period(&t, &admin, 1).await;
    let other_cert = period_of(
        &t,
        &admin,
        "TCCA-OPS-A",
        "2027-05-08T09:00:00+08:00",
        &[("上海", 5)],
    )
    .await;
    let (token, r) = registered(&t, &admin, "na@example.com", 37, pid).await;
    let (stranger, theirs) = registered(&t, &admin, "ning@example.com", 38, pid).await;
    let to = |p: i64, city: &str| json!({"period_id": p, "city": city});

    // Not yours, or none (E2): 404 alike.
    for (who, id) in [(&stranger, r), (&token, 9_999)] {
        let res = reschedule(&t, who, id, to(later, "上海")).await;
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );
    }
    let res = reschedule(&t, &token, r, to(9_999, "上海")).await;
    assert_eq!(
        (res.status, e1(&res).3),
        (StatusCode::NOT_FOUND, json!("period_id"))
    );
    let res = reschedule(&t, &token, r, to(later, "广州")).await;
    assert_eq!(
        (res.status, e1(&res).3),
        (StatusCode::NOT_FOUND, json!("city"))
    );
    // Malformed: 422, nothing moved; unauthenticated: 401.
    let res = reschedule(&t, &token, r, json!({"period_id": later})).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json")
    );
    let res = t
        .call(
            Method::POST,
            &format!("/api/v1/registrations/{r}/reschedule"),
            None,
            Some(to(later, "上海")),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);

    // Another certification's period, or the period it is on: out of range.
    for target in [to(other_cert, "上海"), to(pid, "北京")] {
        let res = reschedule(&t, &token, r, target).await;
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
    }
    // The last seat goes to the stranger; then none is left for us.
    let res = reschedule(&t, &stranger, theirs, to(later, "上海")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = reschedule(&t, &token, r, to(later, "上海")).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "no_seats_left".into(),
            json!("O7"),
            json!("city"),
            Value::Null
        )
    );
    // Used.
    let res = reschedule(&t, &stranger, theirs, to(pid, "深圳")).await;
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
    // A retake (made by hand here; `retake_api` takes one through O8's use case).
    t.store
        .execute_for_test(&format!(
            "UPDATE registrations SET attempt = 'retake' WHERE id = {theirs}"
        ))
        .await
        .unwrap();
    let res = reschedule(&t, &stranger, theirs, to(pid, "深圳")).await;
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
    // Refunded: not live.
    let order_id = t
        .get(&format!("/api/v1/registrations/{r}"), Some(&token))
        .await
        .json()["order_id"]
        .as_i64()
        .unwrap();
    let res = t
        .post(
            &format!("/api/v1/orders/{order_id}/refund"),
            Some(&token),
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = reschedule(&t, &token, r, to(later, "上海")).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "registration_not_live".into(),
            json!("O7"),
            Value::Null,
            Value::Null
        )
    );
    // Too late, with its deadline (a second after it; the bearer token lives 30 days).
    let (late, lr) = registered(&t, &admin, "niu@example.com", 39, pid).await;
    clock(&t, "2027-03-31T09:00:01+08:00").await;
    let res = reschedule(&t, &late, lr, to(later, "上海")).await;
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
}
