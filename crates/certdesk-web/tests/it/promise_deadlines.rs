//! P1 at its deadlines through the API (T4: a promise kept at `due_at` is late): O6's score
//! promise, due 7 days after the exam's end, and O9's e-certificate promise, due at the end of
//! the first business day after the exam date (B2). `shop::STARTS` is Saturday 10 April 2027
//! 09:00–11:00, so the score is due Saturday 17 April 11:00 and the e-certificate by Monday
//! 12 April 24:00, i.e. 13 April 00:00.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::certificates_api::{my_certificates, promise};
use crate::results_support::{after_exam, sat, upload};
use crate::shop::{clock, shifted};
use crate::support::TestApp;

const SCORE_DUE: &str = "2027-04-17T11:00:00+08:00";
const E_CERTIFICATE_DUE: &str = "2027-04-13T00:00:00+08:00";

fn one_second_before(instant: &str) -> String {
    shifted(instant, -1)
}

/// Imports one result at the clock's `now` (set first; the due jobs run), as the operator.
async fn result_at(t: &TestApp, now: &str, item: Value) {
    clock(t, now).await;
    let admin = t.log_in("ops@example.com").await;
    let body = json!({ "results": [item] }).to_string().into_bytes();
    let res = upload(t, Some(&admin), "application/json", body).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["accepted"], 1, "{}", res.body);
}

/// (kept on time, kept late, overdue, pending) of one promise kind.
async fn counts(t: &TestApp, kind: &str) -> (i64, i64, i64, i64) {
    let admin = t.log_in("ops@example.com").await;
    let p = promise(t, &admin, kind).await;
    let n = |k: &str| p[k].as_i64().unwrap();
    (
        n("kept_on_time"),
        n("kept_late"),
        n("overdue"),
        n("pending"),
    )
}

#[tokio::test]
async fn o6_p1_a_score_released_at_its_deadline_is_late() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 2).await;
    let (_, regs) = after_exam(&t, &regs).await;
    assert_eq!(counts(&t, "score").await, (0, 0, 0, 2));

    result_at(
        &t,
        &one_second_before(SCORE_DUE),
        json!({"registration_id": regs[0].1, "score": 75}),
    )
    .await;
    assert_eq!(counts(&t, "score").await, (1, 0, 0, 1));
    // At the deadline the other is overdue; released then, it is kept late.
    clock(&t, SCORE_DUE).await;
    assert_eq!(counts(&t, "score").await, (1, 0, 1, 0));
    result_at(
        &t,
        SCORE_DUE,
        json!({"registration_id": regs[1].1, "score": 30}),
    )
    .await;
    assert_eq!(counts(&t, "score").await, (1, 1, 0, 0));
}

#[tokio::test]
async fn o9_p1_an_e_certificate_issued_at_its_deadline_is_late() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 2).await;
    let (_, regs) = after_exam(&t, &regs).await;

    // Released two seconds before the deadline; the issuing job runs on the next tick, a
    // second before it: on time.
    let early = shifted(E_CERTIFICATE_DUE, -2);
    result_at(
        &t,
        &early,
        json!({"registration_id": regs[0].1, "score": 90}),
    )
    .await;
    clock(&t, &one_second_before(E_CERTIFICATE_DUE)).await;
    let token = t.log_in("sat0@example.com").await;
    let mine = my_certificates(&t, &token).await;
    assert_eq!(mine[0]["issued_at"], one_second_before(E_CERTIFICATE_DUE));
    assert_eq!(counts(&t, "e_certificate").await, (1, 0, 0, 0));

    // Released a second before; issued at the deadline: late (T4).
    result_at(
        &t,
        &one_second_before(E_CERTIFICATE_DUE),
        json!({"registration_id": regs[1].1, "score": 90}),
    )
    .await;
    assert_eq!(counts(&t, "e_certificate").await, (1, 0, 0, 1));
    clock(&t, E_CERTIFICATE_DUE).await;
    let token = t.log_in("sat1@example.com").await;
    let mine = my_certificates(&t, &token).await;
    assert_eq!(mine[0]["issued_at"], E_CERTIFICATE_DUE);
    assert_eq!(counts(&t, "e_certificate").await, (1, 1, 0, 0));
}
