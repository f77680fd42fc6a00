//! The OpenAPI document lists every API route the router serves.

use axum::http::StatusCode;
use certdesk_web::api_routes;

use crate::support::TestApp;

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let t = TestApp::new().await;
    let res = t.get("/api/v1/openapi.json", None).await;
    assert_eq!(res.status, StatusCode::OK);
    let doc = res.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let routes = api_routes(true);
    assert!(routes.len() >= 20);
    for r in &routes {
        // The API, and the issuer's DID document where did:web requires it (O9).
        assert!(
            r.path.starts_with("/api/v1/") || r.path == "/.well-known/did.json",
            "{r:?}"
        );
        let op = &doc["paths"][r.path][r.method.to_ascii_lowercase()];
        assert!(
            op.is_object(),
            "{} {} is not in the OpenAPI document",
            r.method,
            r.path
        );
    }
    // …and the document lists nothing the router does not serve.
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            assert!(
                routes
                    .iter()
                    .any(|r| r.path == path && r.method.eq_ignore_ascii_case(method)),
                "{method} {path} is documented but not routed"
            );
        }
    }
    // Routed for real: no listed route answers the unknown-route 404.
    for r in &routes {
        if r.path.contains('{') {
            continue;
        }
        let method = r.method.parse().unwrap();
        let res = t.call(method, r.path, None, None).await;
        assert!(
            res.status != StatusCode::NOT_FOUND || r.path == "/api/v1/test/clock",
            "{} {} → {}",
            r.method,
            r.path,
            res.body
        );
    }
}

/// T3: the test-clock routes are documented exactly when they exist.
#[tokio::test]
async fn the_test_clock_routes_are_documented_only_with_the_flag() {
    for (t, clock) in [
        (TestApp::new().await, true),
        (TestApp::without_test_clock().await, false),
    ] {
        let doc = t.get("/api/v1/openapi.json", None).await.json();
        let served = api_routes(clock);
        let documented: Vec<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, ops)| {
                ops.as_object()
                    .unwrap()
                    .keys()
                    .map(move |m| (m.to_ascii_uppercase(), path.clone()))
            })
            .collect();
        let mut expected: Vec<(String, String)> = served
            .iter()
            .map(|r| (r.method.to_owned(), r.path.to_owned()))
            .collect();
        let mut documented = documented;
        documented.sort();
        expected.sort();
        assert_eq!(documented, expected);
        let test_tag = doc["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|tag| tag["name"] == "test");
        assert_eq!(test_tag, clock);
    }
}

/// Issue 11: the bounds the server enforces are the ones the document declares.
#[tokio::test]
async fn declared_bounds_are_the_servers() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    let schemas = &doc["components"]["schemas"];
    let op = |method: &str, path: &str| doc["paths"][path][method].clone();
    let orders = op("post", "/api/v1/orders");
    // API.md: `idempotency_key_reused` is 422, the request unprocessable under that key.
    assert!(
        orders["responses"]["422"]["description"]
            .as_str()
            .unwrap()
            .contains("`idempotency_key_reused`")
    );
    assert!(
        !orders["responses"]["409"]["description"]
            .as_str()
            .unwrap()
            .contains("idempotency")
    );
    let key = &orders["parameters"][0];
    assert_eq!(
        (key["name"].as_str(), key["in"].as_str()),
        (Some("Idempotency-Key"), Some("header"))
    );
    assert_eq!(
        (
            key["schema"]["minLength"].as_u64(),
            key["schema"]["maxLength"].as_u64()
        ),
        (Some(1), Some(255))
    );
    let limit = op("get", "/api/v1/me/ledger")["parameters"][0].clone();
    assert_eq!(limit["name"], "limit");
    assert_eq!(
        (
            limit["schema"]["minimum"].as_u64(),
            limit["schema"]["maximum"].as_u64()
        ),
        (Some(1), Some(200))
    );
    let password = &schemas["SignUpBody"]["properties"]["password"];
    assert_eq!(
        (
            password["minLength"].as_u64(),
            password["maxLength"].as_u64()
        ),
        (Some(8), Some(128))
    );
    assert_eq!(
        schemas["TopUpBody"]["properties"]["amount_fen"]["maximum"],
        5_000_000
    );
    let reason = &schemas["CreditBody"]["properties"]["reason"];
    assert_eq!(reason["minLength"], 1);
    assert!(
        schemas["CreditBody"]["required"]
            .as_array()
            .unwrap()
            .contains(&"reason".into())
    );
    let id_number = &schemas["IdentityBody"]["properties"]["id_number"];
    assert_eq!(
        (
            id_number["minLength"].as_u64(),
            id_number["maxLength"].as_u64()
        ),
        (Some(18), Some(18))
    );
    // Refusals every operation of a shape can answer: `POST /sessions` without a body, a
    // repeated query parameter.
    let sessions = op("post", "/api/v1/sessions");
    assert!(
        sessions["responses"]["422"]["description"]
            .as_str()
            .unwrap()
            .contains("`invalid_json`")
    );
    let ledger = op("get", "/api/v1/me/ledger");
    assert!(
        ledger["responses"]["422"]["description"]
            .as_str()
            .unwrap()
            .contains("`invalid_input`")
    );

    // …and the server holds them: an empty `limit=` is refused like `limit=0`, a repeated one
    // too, a password of 8 characters is taken.
    let token = t.candidate("bounds@example.com").await;
    for query in ["limit=", "limit=0", "limit=201", "limit=5&limit=6"] {
        let res = t
            .get(&format!("/api/v1/me/ledger?{query}"), Some(&token))
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            res.body
        );
    }
    let res = t.get("/api/v1/me/ledger?limit=200", Some(&token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = t
        .post(
            "/api/v1/accounts",
            None,
            serde_json::json!({"email": "eight@example.com", "password": "12345678"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let res = t
        .call(axum::http::Method::POST, "/api/v1/sessions", None, None)
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json")
    );
}
