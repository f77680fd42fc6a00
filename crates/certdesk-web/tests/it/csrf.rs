//! CSRF: every unsafe page request needs the token bound to the browser's cookie.

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
