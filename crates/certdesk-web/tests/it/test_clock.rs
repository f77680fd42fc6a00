//! SPEC T3: the test-clock route exists only with the flag, and runs due jobs before answering.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn absent_without_the_flag() {
    let t = TestApp::without_test_clock().await;
    let res = t
        .put(
            "/api/v1/test/clock",
            None,
            json!({"now": "2027-04-01T09:00:00+08:00"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
}

#[tokio::test]
async fn sets_the_clock_and_runs_due_jobs() {
    let t = TestApp::new().await;
    let token = t.candidate("clock@example.com").await;
    let res = t
        .put(
            "/api/v1/test/clock",
            None,
            json!({"now": "2027-03-05T09:00:00+08:00"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["now"], "2027-03-05T09:00:00+08:00");
    assert_eq!(
        certdesk_domain::Clock::now(&t.clock),
        "2027-03-05T01:00:00Z".parse::<jiff::Timestamp>().unwrap()
    );
    assert_eq!(t.app.now(), certdesk_domain::Clock::now(&t.clock));
    // The welcome message was delivered before the answer.
    let inbox = t.get("/api/v1/me/messages", Some(&token)).await.json();
    assert!(!inbox["items"].as_array().unwrap().is_empty(), "{inbox}");

    let res = t
        .put("/api/v1/test/clock", None, json!({"now": "next tuesday"}))
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_date")
    );
}
