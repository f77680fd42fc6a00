//! The log-in throttle over HTTP: per email and per client address, the address being the
//! TCP peer, or what a trusted proxy (loopback by default) names in `X-Forwarded-For`.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;

use crate::support::{PASSWORD, Res, TestApp};

fn log_in(email: &str, password: &str, forwarded_for: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/sessions")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(f) = forwarded_for {
        b = b.header("x-forwarded-for", f);
    }
    b.body(Body::from(
        json!({"email": email, "password": password}).to_string(),
    ))
    .unwrap()
}

/// Nineteen wrong guesses at nineteen emails from `peer` (and `forwarded_for`): each one
/// `invalid_credentials`.
async fn nineteen_failures(t: &TestApp, peer: &str, forwarded_for: Option<&str>) {
    for i in 0..19 {
        let res = t
            .send_from(
                peer,
                log_in(&format!("n{i}@example.com"), "guess123", forwarded_for),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "failure {}", i + 1);
        assert_eq!(res.code(), "invalid_credentials");
    }
}

fn assert_address_locked(res: &Res) {
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
    assert_eq!(res.code(), "too_many_attempts");
    assert!(res.json()["error"]["deadline"].is_string());
    assert_eq!(res.header("retry-after"), Some("900"));
}

#[tokio::test]
async fn the_twentieth_failure_from_one_address_locks_it() {
    let t = TestApp::new().await;
    t.sign_up("owner@example.com").await;
    let guesser = "203.0.113.50:41000";
    nineteen_failures(&t, guesser, None).await;
    let res = t
        .send_from(guesser, log_in("n19@example.com", "guess123", None))
        .await;
    assert_address_locked(&res);
    // The right password of an untouched account is refused from there …
    let res = t
        .send_from(
            "203.0.113.50:41001",
            log_in("owner@example.com", PASSWORD, None),
        )
        .await;
    assert_address_locked(&res);
    // … and accepted from anywhere else.
    let res = t
        .send_from(
            "203.0.113.51:41000",
            log_in("owner@example.com", PASSWORD, None),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // The log-in page says it too, in the form.
    let mut b = t.browser();
    b.peer = guesser.to_owned();
    let res = b
        .submit(
            "/login",
            "/login",
            &[("email", "owner@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.body.contains("网络"), "{}", res.body);
}

/// Behind a trusted proxy each client is counted apart by `X-Forwarded-For`; an untrusted
/// peer's header is ignored, so forging it buys no fresh count.
#[tokio::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    let t = TestApp::new().await;
    t.sign_up("owner@example.com").await;
    let proxy = "127.0.0.1:50000";
    nineteen_failures(&t, proxy, Some("198.51.100.77")).await;
    let res = t
        .send_from(
            proxy,
            log_in("n19@example.com", "guess123", Some("198.51.100.77")),
        )
        .await;
    assert_address_locked(&res);
    // Another client behind the same proxy is not locked.
    let res = t
        .send_from(
            proxy,
            log_in("owner@example.com", PASSWORD, Some("198.51.100.78")),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // A direct peer naming a new address at every guess is still one address.
    let direct = "192.0.2.99:40000";
    for i in 0..19 {
        let forged = format!("10.0.0.{i}");
        let res = t
            .send_from(
                direct,
                log_in(&format!("m{i}@example.com"), "guess123", Some(&forged)),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "failure {}", i + 1);
    }
    let res = t
        .send_from(
            direct,
            log_in("m19@example.com", "guess123", Some("10.0.0.99")),
        )
        .await;
    assert_address_locked(&res);
}
