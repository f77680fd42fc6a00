//! Security headers, request ids, cookies, and the separation of API tokens and page cookies.

use axum::http::{Method, StatusCode};

use crate::support::{PASSWORD, TestApp};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

#[tokio::test]
async fn security_headers_on_pages_api_errors_and_static_files() {
    let t = TestApp::new().await;
    for path in [
        "/",
        "/api/v1/certifications",
        "/api/v1/nope",
        "/no-such-page",
        "/static/site.css",
        "/healthz",
    ] {
        let res = t.get(path, None).await;
        assert_eq!(res.header("content-security-policy"), Some(CSP), "{path}");
        assert_eq!(res.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(res.header("referrer-policy"), Some("same-origin"), "{path}");
    }
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    b.sign_up("csp@example.com").await;
    for path in ["/", "/signup", "/login", "/identity", "/account"] {
        let body = b.get(path).await.body;
        assert!(!body.contains("<style"), "{path}");
        assert!(!body.contains(" style="), "{path}");
        for (i, _) in body.match_indices("<script") {
            let tag = &body[i..body[i..].find('>').map_or(body.len(), |e| i + e)];
            assert!(
                tag.contains("src=\"/static/"),
                "{path}: inline script {tag}"
            );
        }
        assert!(!body.contains("onclick"), "{path}");
        assert!(body.contains(r#""includeIndicatorStyles":false"#), "{path}");
    }
}

#[tokio::test]
async fn request_ids_are_generated_kept_and_echoed() {
    let t = TestApp::new().await;
    let res = t.get("/api/v1/certifications", None).await;
    let id = res.header("x-request-id").unwrap();
    assert!(id.len() >= 16);
    let res = t
        .call_with(Method::GET, "/", None, None, &[("x-request-id", "abc-123")])
        .await;
    assert_eq!(res.header("x-request-id"), Some("abc-123"));
    let res = t
        .call_with(
            Method::GET,
            "/",
            None,
            None,
            &[("x-request-id", "<bad id>")],
        )
        .await;
    assert_ne!(res.header("x-request-id"), Some("<bad id>"));
}

#[tokio::test]
async fn session_cookie_is_http_only_and_lax_and_secure_when_configured() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    let res = b.sign_up("cookie@example.com").await;
    let session = res
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("certdesk_session="))
        .expect("a session cookie");
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Secure"));

    let t = TestApp::over_https().await;
    let mut b = t.browser();
    let res = b.sign_up("cookie@example.com").await;
    for c in res.set_cookies() {
        assert!(c.contains("Secure"), "{c}");
    }
}

#[tokio::test]
async fn api_ignores_cookies_and_pages_ignore_bearer_tokens() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    b.sign_up("split@example.com").await;
    assert!(b.cookies.contains_key("certdesk_session"));
    let res = b.get("/api/v1/me").await;
    assert_eq!(
        res.status,
        StatusCode::UNAUTHORIZED,
        "a cookie must not authenticate the API"
    );

    let token = t.log_in("split@example.com").await;
    let res = t.get("/account", Some(&token)).await;
    assert_eq!(
        res.status,
        StatusCode::SEE_OTHER,
        "a bearer token must not open pages"
    );
    let _ = PASSWORD;
}
