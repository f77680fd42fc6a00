//! Cookies and HSTS for a deployment behind TLS: with an `https://` public URL (or a trusted
//! proxy's `X-Forwarded-Proto: https`) every cookie is `Secure` with the `__Host-` prefix and
//! every answer carries HSTS; over plain HTTP none of that.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::{Res, TestApp};

const HSTS: &str = "max-age=31536000; includeSubDomains";

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::builder().uri(path);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).unwrap()
}

/// Every `Set-Cookie` is `__Host-` named, `Secure`, `Path=/` and names no `Domain` (what the
/// prefix requires of it).
fn assert_host_cookies(res: &Res) {
    let cookies = res.set_cookies();
    assert!(!cookies.is_empty(), "no cookie set");
    for c in cookies {
        assert!(c.starts_with("__Host-"), "{c}");
        let attrs: Vec<&str> = c.split(';').map(str::trim).collect();
        assert!(attrs.contains(&"Secure"), "{c}");
        assert!(attrs.contains(&"Path=/"), "{c}");
        assert!(
            attrs.contains(&"HttpOnly") && attrs.contains(&"SameSite=Lax"),
            "{c}"
        );
        assert!(!c.to_ascii_lowercase().contains("domain="), "{c}");
    }
}

#[tokio::test]
async fn an_https_public_url_makes_every_cookie_secure_and_host_prefixed_with_hsts() {
    let t = TestApp::over_https().await;
    for path in [
        "/",
        "/api/v1/certifications",
        "/api/v1/nope",
        "/no-such-page",
        "/healthz",
    ] {
        let res = t.get(path, None).await;
        assert_eq!(
            res.header("strict-transport-security"),
            Some(HSTS),
            "{path}"
        );
    }
    let mut b = t.browser();
    // The pre-session CSRF cookie, then the session cookie, then the language cookie.
    assert_host_cookies(&b.get("/login").await);
    let res = b.sign_up("tls@example.com").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_host_cookies(&res);
    assert!(b.cookies.contains_key("__Host-certdesk_session"));
    let account = b.get("/account").await;
    assert_eq!(
        account.status,
        StatusCode::OK,
        "the prefixed session is read back"
    );
    assert_host_cookies(&b.get("/lang/en?next=/account").await);
    let res = b.submit("/account", "/logout", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_host_cookies(&res);
    assert!(
        !b.cookies.contains_key("__Host-certdesk_session"),
        "cleared"
    );
}

/// Over HTTPS only the prefixed name counts: a session value under the plain name — which
/// anyone who can set cookies on the domain could plant — opens nothing.
#[tokio::test]
async fn over_https_the_plain_cookie_names_are_not_read() {
    let t = TestApp::over_https().await;
    let mut b = t.browser();
    b.sign_up("plain@example.com").await;
    let session = b.cookies.remove("__Host-certdesk_session").unwrap();
    b.cookies.insert("certdesk_session".to_owned(), session);
    let res = b.get("/account").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").unwrap().starts_with("/login"));
}

#[tokio::test]
async fn over_plain_http_cookies_are_plain_and_there_is_no_hsts() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    let res = b.sign_up("plain.http@example.com").await;
    assert!(b.cookies.contains_key("certdesk_session"));
    for c in res.set_cookies() {
        assert!(!c.starts_with("__Host-"), "{c}");
        assert!(!c.contains("Secure"), "{c}");
    }
    assert_eq!(res.header("strict-transport-security"), None);
    assert_eq!(
        t.get("/", None).await.header("strict-transport-security"),
        None
    );
}

/// `X-Forwarded-Proto: https` counts from a trusted proxy (loopback by default) and from no
/// one else.
#[tokio::test]
async fn forwarded_https_is_believed_from_a_trusted_proxy_only() {
    let t = TestApp::new().await;
    let forwarded = [("x-forwarded-proto", "https")];
    let res = t
        .send_from("127.0.0.1:40000", get("/login", &forwarded))
        .await;
    assert_eq!(res.header("strict-transport-security"), Some(HSTS));
    assert_host_cookies(&res);

    for peer in ["198.51.100.7:40000", "[2001:db8::7]:40000"] {
        let res = t.send_from(peer, get("/login", &forwarded)).await;
        assert_eq!(res.header("strict-transport-security"), None, "{peer}");
        for c in res.set_cookies() {
            assert!(
                c.starts_with("certdesk_csrf=") && !c.contains("Secure"),
                "{c}"
            );
        }
    }
    // From the proxy, but plain HTTP: nothing changes.
    let res = t
        .send_from(
            "127.0.0.1:40000",
            get("/login", &[("x-forwarded-proto", "http")]),
        )
        .await;
    assert_eq!(res.header("strict-transport-security"), None);
}
