//! Accounts and sessions: sign-up, duplicates, log-in, throttle, log-out.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{PASSWORD, TestApp};

#[tokio::test]
async fn sign_up_log_in_and_read_me() {
    let t = TestApp::new().await;
    let res = t
        .post(
            "/api/v1/accounts",
            None,
            json!({"email": "li.lei@example.com", "password": PASSWORD, "phone": "13800000000"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let body = res.json();
    assert_eq!(body["email"], "li.lei@example.com");
    let id = body["id"].as_i64().unwrap();

    let res = t
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "li.lei@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let session = res.json();
    assert_eq!(session["account_id"], id);
    assert!(session["expires_at"].as_str().unwrap().ends_with("+08:00"));
    let token = session["token"].as_str().unwrap();

    let me = t.get("/api/v1/me", Some(token)).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["id"], id);
    assert_eq!(me["email"], "li.lei@example.com");
    assert_eq!(me["phone"], "+8613800000000");
    assert_eq!(me["roles"], json!(["candidate"]));
    assert!(me["identity"].is_null());
    assert!(!me.to_string().contains("argon2"), "no password hash: {me}");
}

#[tokio::test]
async fn duplicate_email_is_email_taken() {
    let t = TestApp::new().await;
    t.sign_up("han.meimei@example.com").await;
    let res = t
        .post(
            "/api/v1/accounts",
            None,
            json!({"email": "Han.Meimei@EXAMPLE.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(res.code(), "email_taken");
    assert_eq!(res.json()["error"]["field"], "email");
}

#[tokio::test]
async fn bad_sign_up_input_names_the_field() {
    let t = TestApp::new().await;
    let res = t
        .post(
            "/api/v1/accounts",
            None,
            json!({"email": "not-an-email", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_email")
    );
    assert_eq!(res.json()["error"]["field"], "email");
    let res = t
        .post(
            "/api/v1/accounts",
            None,
            json!({"email": "a@example.com", "password": "short"}),
        )
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_password")
    );
    let res = t
        .post(
            "/api/v1/accounts",
            None,
            json!({"email": "a@example.com", "password": PASSWORD, "phone": "12345"}),
        )
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_phone")
    );
    assert_eq!(res.json()["error"]["field"], "phone");
}

#[tokio::test]
async fn wrong_password_is_invalid_credentials() {
    let t = TestApp::new().await;
    t.sign_up("wang@example.com").await;
    let res = t
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "wang@example.com", "password": "wrong password"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_credentials");
    let res = t
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "nobody@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.code(), "invalid_credentials");
}

#[tokio::test]
async fn sixth_failure_is_throttled_with_a_deadline() {
    let t = TestApp::new().await;
    t.sign_up("zhao@example.com").await;
    let wrong = json!({"email": "zhao@example.com", "password": "wrong password"});
    for _ in 0..4 {
        let res = t.post("/api/v1/sessions", None, wrong.clone()).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let fifth = t.post("/api/v1/sessions", None, wrong.clone()).await;
    assert!(matches!(
        fifth.status,
        StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
    ));
    let sixth = t.post("/api/v1/sessions", None, wrong).await;
    assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(sixth.code(), "too_many_attempts");
    let deadline = sixth.json()["error"]["deadline"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(deadline.ends_with("+08:00"), "{deadline}");
    let deadline: jiff::Timestamp = deadline.parse().unwrap();
    assert!(deadline > t.app.now());
    assert!(sixth.header("retry-after").is_some());
    // Even the right password waits for the lock to lift.
    let right = t
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "zhao@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(right.code(), "too_many_attempts");
}

#[tokio::test]
async fn log_out_invalidates_the_token() {
    let t = TestApp::new().await;
    let token = t.candidate("qian@example.com").await;
    assert_eq!(
        t.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::OK
    );
    let res = t
        .call(Method::DELETE, "/api/v1/sessions", Some(&token), None)
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let res = t.get("/api/v1/me", Some(&token)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "unauthenticated");
    // Logging out without a token is itself unauthenticated.
    assert_eq!(
        t.call(Method::DELETE, "/api/v1/sessions", None, None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn garbage_tokens_are_unauthenticated() {
    let t = TestApp::new().await;
    for token in ["nonsense", "", &"x".repeat(5000)] {
        let res = t.get("/api/v1/me", Some(token)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{token:.20}");
    }
    let res = t
        .call_with(
            Method::GET,
            "/api/v1/me",
            None,
            None,
            &[("authorization", "Basic Zm9vOmJhcg==")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}
