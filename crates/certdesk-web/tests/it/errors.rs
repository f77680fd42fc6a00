//! SPEC E1: the error shape, its language, and bad input of every kind.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn e1_shape_in_zh_cn_by_default_and_english_on_request() {
    let t = TestApp::new().await;
    let zh = t
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "x@example.com", "password": "whatever1"}),
        )
        .await;
    assert_eq!(zh.status, StatusCode::UNAUTHORIZED);
    assert!(
        zh.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let e = &zh.json()["error"];
    for key in ["code", "message", "field", "rule", "deadline"] {
        assert!(e.get(key).is_some(), "{key} missing in {e}");
    }
    assert_eq!(e["code"], "invalid_credentials");
    assert_eq!(e["message"], "账号或密码错误。");
    assert_eq!(zh.header("content-language"), Some("zh-CN"));

    let en = t
        .call_with(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "x@example.com", "password": "whatever1"})),
            &[("accept-language", "en-US,en;q=0.9")],
        )
        .await;
    assert_eq!(
        en.json()["error"]["message"],
        "The email address or password is wrong."
    );
    assert_eq!(en.header("content-language"), Some("en"));
}

#[tokio::test]
async fn malformed_json_is_422_naming_the_field() {
    let t = TestApp::new().await;
    let send = |body: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/accounts")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let res = t.send(send(r#"{"email": "#)).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json")
    );
    let res = t.send(send(r#"{"email": 5, "password": "x"}"#)).await;
    assert_eq!(res.code(), "invalid_json");
    assert_eq!(res.json()["error"]["field"], "email");
    let res = t.send(send(r#"{"email": "a@example.com"}"#)).await;
    assert_eq!(res.json()["error"]["field"], "password");
    let res = t.send(send(r#"[1, 2, 3]"#)).await;
    assert_eq!(res.code(), "invalid_json");
    let res = t.send(send("\u{0}\u{1}not json at all")).await;
    assert_eq!(res.code(), "invalid_json");
    let res = t
        .send(send(
            r#"{"email":"a@example.com","password":"long enough"} trailing"#,
        ))
        .await;
    assert_eq!(res.code(), "invalid_json");

    // Wrong or missing content type.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let res = t.send(req).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json")
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .body(Body::empty())
        .unwrap();
    assert_eq!(t.send(req).await.code(), "invalid_json");
}

#[tokio::test]
async fn unknown_api_routes_are_404_json() {
    let t = TestApp::new().await;
    for path in [
        "/api/v1/nope",
        "/api/v2/me",
        "/api",
        "/api/v1/certifications/A/B/C",
    ] {
        let res = t.get(path, None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(res.code(), "not_found", "{path}");
    }
    let res = t.call(Method::PATCH, "/api/v1/me", None, None).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.json()["error"]["code"].is_string());
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let t = TestApp::new().await;
    let big = format!(
        r#"{{"email":"a@example.com","password":"{}"}}"#,
        "x".repeat(100 * 1024)
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(big.clone()))
        .unwrap();
    let res = t.send(req).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );

    // Declared length too large, and a streamed body without a length.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, big.len().to_string())
        .body(Body::from(big.clone()))
        .unwrap();
    assert_eq!(t.send(req).await.code(), "payload_too_large");
    let stream = futures_like_stream(big.into_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/accounts")
        .header(header::CONTENT_TYPE, "application/json")
        .body(stream)
        .unwrap();
    assert_eq!(t.send(req).await.code(), "payload_too_large");
}

/// A body that arrives in chunks, without a declared length.
fn futures_like_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> = bytes
        .chunks(8 * 1024)
        .map(|c| Ok(axum::body::Bytes::copy_from_slice(c)))
        .collect();
    Body::from_stream(futures::stream::iter(chunks))
}

#[tokio::test]
async fn bad_query_values_name_their_field() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    for (path, field) in [
        ("/api/v1/admin/audit?limit=0", "limit"),
        ("/api/v1/admin/audit?limit=100000", "limit"),
        ("/api/v1/admin/audit?cursor=%27%20OR%201%3D1", "cursor"),
        (
            "/api/v1/certifications?include_retired=maybe",
            "include_retired",
        ),
    ] {
        let res = t.get(path, Some(&admin)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(res.json()["error"]["field"], field, "{path}");
    }
}
