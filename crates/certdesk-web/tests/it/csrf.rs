//! CSRF: every unsafe page request needs the token bound to the browser's session, or before
//! any session to its pre-session cookie.

use axum::http::{Method, StatusCode};

use crate::support::{PASSWORD, TestApp, csrf_token, id_number};

#[tokio::test]
async fn log_in_form_without_token_is_refused_and_with_it_succeeds() {
    let t = TestApp::new().await;
    t.sign_up("csrf@example.com").await;
    let mut b = t.browser();
    b.get("/login").await;
    let res = b
        .request(
            Method::POST,
            "/login",
            Some(&[("email", "csrf@example.com"), ("password", PASSWORD)]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("csrf_failed"));
    assert!(!b.cookies.contains_key("certdesk_session"));

    let res = b
        .submit(
            "/login",
            "/login",
            &[("email", "csrf@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/account"));
    assert!(b.cookies.contains_key("certdesk_session"));
}

#[tokio::test]
async fn cookie_authenticated_posts_need_the_token() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    b.sign_up("victim@example.com").await;
    let number = id_number("11010519491231002");
    let fields = [("real_name", "王小丫"), ("id_number", number.as_str())];

    // A forged post: the session cookie rides along, but no token.
    let res = b
        .request(Method::POST, "/identity", Some(&fields), &[])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A token from another browser does not fit this cookie.
    let mut other = t.browser();
    let foreign = csrf_token(&other.get("/signup").await.body);
    let with_foreign: Vec<(&str, &str)> = [("csrf_token", foreign.as_str())]
        .into_iter()
        .chain(fields)
        .collect();
    assert_eq!(
        b.request(Method::POST, "/identity", Some(&with_foreign), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // No cookie at all.
    let mut fresh = t.browser();
    assert_eq!(
        fresh
            .request(Method::POST, "/logout", Some(&[]), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // htmx sends the header instead of the field.
    let token = csrf_token(&b.get("/identity").await.body);
    let res = b
        .request(
            Method::POST,
            "/identity",
            Some(&fields),
            &[("x-csrf-token", &token), ("hx-request", "true")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    assert_eq!(res.header("hx-redirect"), Some("/identity"));
    let page = b.get("/identity").await;
    assert!(page.body.contains(r#"data-status="verified""#));
}

#[tokio::test]
async fn json_posts_to_pages_without_token_are_refused() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    b.get("/signup").await;
    let res = b
        .request(
            Method::POST,
            "/signup",
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn htmx_csrf_failures_land_in_the_flash_area() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    b.get("/login").await;
    let res = b
        .request(
            Method::POST,
            "/login",
            Some(&[("email", "a@example.com")]),
            &[("hx-request", "true"), ("x-csrf-token", "forged")],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(res.header("hx-retarget"), Some("#flash"));
    assert!(!res.body.contains("<html"));
    assert!(res.body.contains("页面已过期"));
}

/// The victim's phone number, read over the API.
async fn phone_of(t: &TestApp, email: &str) -> serde_json::Value {
    let token = t.log_in(email).await;
    t.get("/api/v1/me", Some(&token)).await.json()["phone"].clone()
}

/// Issue 11: whoever can plant cookies on the domain pairs the victim's session with their
/// own CSRF cookie and its token. The token follows the session, so that pair is refused.
#[tokio::test]
async fn a_planted_csrf_cookie_does_not_open_the_victims_session() {
    let t = TestApp::new().await;
    let mut victim = t.browser();
    victim.sign_up("victim@example.com").await;
    let before = phone_of(&t, "victim@example.com").await;

    // The attacker's own pre-session pair, and the token of their own signed-in session.
    let mut attacker = t.browser();
    let pre_session_token = csrf_token(&attacker.get("/login").await.body);
    let attacker_cookie = attacker.cookies["certdesk_csrf"].clone();
    attacker.sign_up("attacker@example.com").await;
    let attacker_session_token = csrf_token(&attacker.get("/account").await.body);

    // Planted: the victim's browser now holds the attacker's CSRF cookie beside its session.
    victim
        .cookies
        .insert("certdesk_csrf".to_owned(), attacker_cookie);
    for (what, token) in [
        ("the planted cookie's token", &pre_session_token),
        ("the attacker's session token", &attacker_session_token),
    ] {
        let res = victim
            .request(
                Method::POST,
                "/account/contacts",
                Some(&[("csrf_token", token.as_str()), ("phone", "13900000666")]),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{what}: {}", res.body);
        assert!(res.body.contains("csrf_failed"), "{what}");
        let res = victim
            .request(
                Method::POST,
                "/account/contacts",
                Some(&[("phone", "13900000666")]),
                &[("x-csrf-token", token.as_str()), ("hx-request", "true")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{what} (htmx)");
    }
    assert_eq!(
        phone_of(&t, "victim@example.com").await,
        before,
        "nothing changed"
    );

    // The victim's own form still works, the planted cookie notwithstanding.
    let res = victim
        .submit("/account", "/account/contacts", &[("phone", "13900000777")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        phone_of(&t, "victim@example.com").await,
        serde_json::json!("+8613900000777")
    );
}

/// A token is bound to what the browser was when the form was rendered: the log-in page's
/// pre-session token does not carry over into the session it opens, and a session's token
/// dies with it.
#[tokio::test]
async fn tokens_change_at_log_in_and_log_out() {
    let t = TestApp::new().await;
    t.sign_up("switch@example.com").await;
    let mut b = t.browser();
    let pre = csrf_token(&b.get("/login").await.body);
    let res = b
        .request(
            Method::POST,
            "/login",
            Some(&[
                ("csrf_token", pre.as_str()),
                ("email", "switch@example.com"),
                ("password", PASSWORD),
            ]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let in_session = csrf_token(&b.get("/account").await.body);
    assert_ne!(pre, in_session);
    let res = b
        .request(
            Method::POST,
            "/logout",
            Some(&[("csrf_token", pre.as_str())]),
            &[],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "a pre-session token in a session"
    );
    let res = b
        .request(
            Method::POST,
            "/logout",
            Some(&[("csrf_token", in_session.as_str())]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!b.cookies.contains_key("certdesk_session"));
    // Signed out, the old session's token opens nothing; the pre-session one is back.
    let res = b
        .request(
            Method::POST,
            "/login",
            Some(&[
                ("csrf_token", in_session.as_str()),
                ("email", "switch@example.com"),
                ("password", PASSWORD),
            ]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(csrf_token(&b.get("/login").await.body), pre);
}
