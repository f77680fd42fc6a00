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
        // The DID document sits where did:web puts it (O9), beside the API.
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
