//! `GET /api/v1/me`, contacts and the inbox.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{PASSWORD, TestApp, id_number};

#[tokio::test]
async fn me_needs_a_token() {
    let t = TestApp::new().await;
    let res = t.get("/api/v1/me", None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "unauthenticated");
}

#[tokio::test]
async fn identity_is_null_then_verified_and_only_ever_masked() {
    let t = TestApp::new().await;
    let token = t.candidate("sun@example.com").await;
    let number = id_number("11010519491231002");
    let mut bodies = Vec::new();

    let me = t.get("/api/v1/me", Some(&token)).await;
    assert!(me.json()["identity"].is_null());
    bodies.push(me.body);

    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": "孙悟空", "id_number": number}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "verified");
    bodies.push(res.body);

    let me = t.get("/api/v1/me", Some(&token)).await;
    let identity = &me.json()["identity"];
    assert_eq!(identity["status"], "verified");
    assert_eq!(identity["real_name"], "孙悟空");
    let masked = identity["id_number_masked"].as_str().unwrap().to_owned();
    assert!(
        masked.starts_with("110105") && masked.contains('*'),
        "{masked}"
    );
    bodies.push(me.body);

    // The account page and identity page too.
    let mut b = t.browser();
    let res = b
        .submit(
            "/login",
            "/login",
            &[("email", "sun@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    for page in ["/identity", "/account"] {
        let res = b.get(page).await;
        assert_eq!(res.status, StatusCode::OK);
        if page == "/identity" {
            assert!(res.body.contains(&masked), "{page} shows the masked number");
        }
        bodies.push(res.body);
    }
    for body in &bodies {
        assert!(!body.contains(&number), "the full ID number leaked: {body}");
    }
}

#[tokio::test]
async fn contacts_are_replaced() {
    let t = TestApp::new().await;
    let token = t.candidate("zhou@example.com").await;
    let res = t
        .put(
            "/api/v1/me/contacts",
            Some(&token),
            json!({"phone": "13912345678", "opted_out": ["sms"]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["phone"], "+8613912345678");
    assert_eq!(res.json()["opted_out"], json!(["sms"]));
    let res = t
        .put(
            "/api/v1/me/contacts",
            Some(&token),
            json!({"phone": "nope"}),
        )
        .await;
    assert_eq!(res.code(), "invalid_phone");
    let res = t
        .put(
            "/api/v1/me/contacts",
            Some(&token),
            json!({"opted_out": ["inbox"]}),
        )
        .await;
    assert_eq!(
        (res.status, res.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("opted_out"))
    );
}

#[tokio::test]
async fn inbox_lists_and_marks_read_only_ones_own() {
    let t = TestApp::new().await;
    let token = t.candidate("wu@example.com").await;
    let other = t.candidate("zheng@example.com").await;
    t.app.job_runner().run_until_idle().await.unwrap();

    let res = t.get("/api/v1/me/messages", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK);
    let page = res.json();
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty(), "the welcome message: {page}");
    assert!(page.get("next_cursor").is_some());
    let first = &items[0];
    assert_eq!(first["read"], false);
    assert!(first["created_at"].as_str().unwrap().ends_with("+08:00"));
    let id = first["id"].as_i64().unwrap();

    let res = t
        .call(
            Method::POST,
            &format!("/api/v1/me/messages/{id}/read"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = t
        .call(
            Method::POST,
            &format!("/api/v1/me/messages/{id}/read"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let page = t
        .get("/api/v1/me/messages?limit=1", Some(&token))
        .await
        .json();
    assert_eq!(page["items"][0]["read"], true);

    let res = t.get("/api/v1/me/messages?limit=abc", Some(&token)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["error"]["field"], "limit");
    let res = t
        .call(
            Method::POST,
            "/api/v1/me/messages/not-a-number/read",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}
