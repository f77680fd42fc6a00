//! O8's refusals through `POST /api/v1/registrations/{id}/retake`, each as E1 (code, message,
//! rule, field, deadline), with the test clock at the boundaries: the second before, at and
//! after the apply deadlines (the target's start − 10 days, and the first start + 3 months −
//! 10 days) and the 3-month range of the target's start; eligibility (a pass, no result yet, a
//! no-show per policy), A2, seats and not-yours.

use axum::http::{Method, StatusCode};
use certdesk_domain::Policy;
use serde_json::{Value, json};

use crate::reschedule_api::e1;
use crate::retake_api::{
    APPLY_UNTIL, HORIZON, RETAKE_APPLY_UNTIL, RETAKE_STARTS, fail, registration, resulted, retake,
    seats_left, to,
};
use crate::shop::{CERT, FEE, bought, clock, credit, period_of, shifted};
use crate::support::TestApp;

/// Sets the clock, then every candidate `sat{i}` logs in again (sessions expire).
async fn at(t: &TestApp, now: &str, i: usize) -> String {
    clock(t, now).await;
    t.log_in(&format!("sat{i}@example.com")).await
}

fn too_late(deadline: &str) -> (StatusCode, String, Value, Value, Value) {
    (
        StatusCode::CONFLICT,
        "retake_too_late".into(),
        json!("O8"),
        Value::Null,
        json!(deadline),
    )
}

#[tokio::test]
async fn o8_retake_applied_for_before_its_start_minus_10_days() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[fail(), fail(), fail()]).await;
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 5)]).await;
    for (i, secs) in [-1, 0, 1].into_iter().enumerate() {
        let token = at(&t, &shifted(RETAKE_APPLY_UNTIL, secs), i).await;
        let first = regs[i].1;
        assert_eq!(registration(&t, &token, first).await["status"], "failed");
        let res = retake(&t, &token, first, to(target, "上海")).await;
        if secs < 0 {
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        } else {
            assert_eq!(e1(&res), too_late(RETAKE_APPLY_UNTIL), "at {secs}s");
        }
    }
    assert_eq!(seats_left(&t, target, "上海").await, 4);
}

#[tokio::test]
async fn o8_no_retake_from_first_start_plus_3_months_minus_10_days() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[fail(), fail(), fail()]).await;
    // The last sitting that can qualify starts at the horizon: its deadline is the same instant.
    let last = period_of(&t, &admin, CERT, HORIZON, &[("上海", 5)]).await;
    assert_eq!(
        registration(&t, &regs[0].0, regs[0].1).await["deadlines"]["retake_apply_until"],
        APPLY_UNTIL
    );
    for (i, secs) in [-1, 0, 1].into_iter().enumerate() {
        let token = at(&t, &shifted(APPLY_UNTIL, secs), i).await;
        let res = retake(&t, &token, regs[i].1, to(last, "上海")).await;
        if secs < 0 {
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        } else {
            assert_eq!(e1(&res), too_late(APPLY_UNTIL), "at {secs}s");
        }
    }
}

#[tokio::test]
async fn o8_retake_starts_no_later_than_3_months_after_the_first_start() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[fail(), fail(), fail()]).await;
    let other_cert = period_of(&t, &admin, "TCCA-OPS-A", RETAKE_STARTS, &[("上海", 5)]).await;
    for (i, secs) in [-1, 0, 1].into_iter().enumerate() {
        let pid = period_of(&t, &admin, CERT, &shifted(HORIZON, secs), &[("上海", 5)]).await;
        let res = retake(&t, &regs[i].0, regs[i].1, to(pid, "上海")).await;
        if secs <= 0 {
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
            assert_eq!(res.json()["exam_starts_at"], shifted(HORIZON, secs));
        } else {
            let (status, code, rule, field, _) = e1(&res);
            assert_eq!(
                (status, code.as_str(), rule, field),
                (
                    StatusCode::CONFLICT,
                    "retake_target_out_of_range",
                    json!("O8"),
                    json!("period_id")
                ),
                "{}",
                res.body
            );
            // Another certification's period is out of range too.
            let res = retake(&t, &regs[i].0, regs[i].1, to(other_cert, "上海")).await;
            assert_eq!(res.code(), "retake_target_out_of_range");
        }
    }
}

#[tokio::test]
async fn o8_only_a_failed_first_attempt_gives_a_retake() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[json!({"score": 95}), json!({"absent": true})]).await;
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 5)]).await;
    // A pass, and a no-show (the default policy forfeits it): not eligible, no deadline shown.
    for (token, id) in &regs {
        let res = retake(&t, token, *id, to(target, "上海")).await;
        assert_eq!(
            e1(&res),
            (
                StatusCode::CONFLICT,
                "retake_not_eligible".into(),
                json!("O8"),
                Value::Null,
                Value::Null
            ),
            "{}",
            res.body
        );
        let r = registration(&t, token, *id).await;
        assert_eq!(r["deadlines"].get("retake_apply_until"), None);
    }
    // No result yet: a registration of the target period itself.
    let (token, me) = crate::shop::verified(&t, "wait@example.com", 90).await;
    credit(&t, &admin, me, "cash", FEE).await;
    let live = bought(&t, &token, target, "上海").await["registration"]["id"]
        .as_i64()
        .unwrap();
    let res = retake(&t, &token, live, to(target, "上海")).await;
    assert_eq!(res.code(), "retake_not_eligible");
    assert_eq!(seats_left(&t, target, "上海").await, 4);
}

#[tokio::test]
async fn o8_a_no_show_keeps_the_retake_when_the_policy_says_so() {
    let t = TestApp::with_policy(Policy {
        no_show_forfeits_retake: false,
        ..Policy::default()
    })
    .await;
    let (admin, regs) = resulted(&t, &[json!({"absent": true})]).await;
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 5)]).await;
    let (token, id) = &regs[0];
    assert_eq!(
        registration(&t, token, *id).await["deadlines"]["retake_apply_until"],
        APPLY_UNTIL
    );
    let res = retake(&t, token, *id, to(target, "上海")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
}

#[tokio::test]
async fn o8_not_yours_unknown_targets_seats_and_a2() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[fail(), fail(), fail()]).await;
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 1)]).await;
    let (token, first) = regs[0].clone();
    // Another person's registration, or none (E2): 404 alike; unauthenticated 401.
    for (who, id) in [(&regs[1].0, first), (&token, 9_999)] {
        let res = retake(&t, who, id, to(target, "上海")).await;
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );
    }
    let res = t
        .call(
            Method::POST,
            &format!("/api/v1/registrations/{first}/retake"),
            None,
            Some(to(target, "上海")),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    // Unknown period or city: 404 naming the field; malformed: 422.
    let res = retake(&t, &token, first, to(9_999, "上海")).await;
    assert_eq!(
        (res.status, e1(&res).3),
        (StatusCode::NOT_FOUND, json!("period_id"))
    );
    let res = retake(&t, &token, first, to(target, "广州")).await;
    assert_eq!(
        (res.status, e1(&res).3),
        (StatusCode::NOT_FOUND, json!("city"))
    );
    let res = retake(&t, &token, first, json!({"period_id": target})).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The last seat goes to one; the next finds none.
    let res = retake(&t, &regs[1].0, regs[1].1, to(target, "上海")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let res = retake(&t, &token, first, to(target, "上海")).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "no_seats_left".into(),
            json!("O8"),
            json!("city"),
            Value::Null
        )
    );
    // A2: the person bought a new first attempt meanwhile.
    let (token3, first3) = regs[2].clone();
    let again = period_of(
        &t,
        &admin,
        CERT,
        "2027-06-12T09:00:00+08:00",
        &[("上海", 5)],
    )
    .await;
    let me = t.get("/api/v1/me", Some(&token3)).await.json()["id"]
        .as_i64()
        .unwrap();
    credit(&t, &admin, me, "cash", FEE).await;
    bought(&t, &token3, again, "上海").await;
    let open = period_of(
        &t,
        &admin,
        CERT,
        "2027-06-05T09:00:00+08:00",
        &[("上海", 5)],
    )
    .await;
    let res = retake(&t, &token3, first3, to(open, "上海")).await;
    assert_eq!(
        e1(&res),
        (
            StatusCode::CONFLICT,
            "already_registered".into(),
            json!("A2"),
            Value::Null,
            Value::Null
        )
    );
    assert_eq!(seats_left(&t, open, "上海").await, 5);
}
