//! Probes and metrics.

use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn healthz_readyz_and_metrics() {
    let t = TestApp::new().await;
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(t.get("/readyz", None).await.status, StatusCode::OK);
    t.get("/api/v1/certifications", None).await;
    t.get("/api/v1/nope", None).await;
    let res = t.get("/metrics", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.header("content-type")
            .unwrap()
            .contains("openmetrics-text")
    );
    assert!(
        res.body.contains("certdesk_http_requests_total"),
        "{}",
        res.body
    );
    assert!(
        res.body.contains(r#"route="/api/v1/certifications""#),
        "{}",
        res.body
    );
    assert!(res.body.contains(r#"status="200""#));
    assert!(
        res.body
            .contains("certdesk_http_request_duration_seconds_bucket")
    );
    assert!(
        !res.body.contains("/api/v1/nope"),
        "raw paths are never labels"
    );
}

#[tokio::test]
async fn readyz_is_503_when_the_database_is_unreachable() {
    let t = TestApp::new().await;
    t.store.close().await;
    let req = axum::http::Request::builder()
        .uri("/readyz")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = t.send_allowing_5xx(req).await;
    assert_eq!(res.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        t.get("/healthz", None).await.status,
        StatusCode::OK,
        "the process is still up"
    );
}

/// With a metrics token configured, `/metrics` answers only its bearer; the probes stay open
/// (load balancers call them without credentials).
#[tokio::test]
async fn metrics_token_guards_metrics_only() {
    let mut t = TestApp::new().await;
    t.router = certdesk_web::router(
        t.app.clone(),
        certdesk_web::WebConfig {
            metrics_token: Some("scrape-secret-1".to_owned().into()),
            ..certdesk_web::WebConfig::default()
        },
    );
    for token in [None, Some("scrape-secret-2"), Some("scrape-secret-")] {
        let res = t.get("/metrics", token).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{token:?}");
        assert!(res.header("www-authenticate").is_some());
        assert!(!res.body.contains("certdesk_http_requests_total"));
    }
    let res = t.get("/metrics", Some("scrape-secret-1")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("certdesk_http_requests_total"));
    assert_eq!(t.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(t.get("/readyz", None).await.status, StatusCode::OK);
}
