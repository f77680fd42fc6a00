//! The web pages: language, catalogue, sign-up → identity → account, operators.

use axum::http::{Method, StatusCode};

use crate::support::{PASSWORD, TestApp, id_number};

#[tokio::test]
async fn home_is_zh_cn_by_default_and_english_by_cookie_or_header() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(home.body.contains(r#"<html lang="zh-CN">"#));
    assert!(home.body.contains("认证服务中心"));
    assert!(home.body.contains("云计算技术认证") && home.body.contains("专项认证"));
    assert!(
        home.body
            .contains(r#"data-testid="catalogue-family-cloud""#)
    );
    assert!(
        home.body
            .contains(r#"data-testid="catalogue-track-architecture""#)
    );
    assert!(home.body.contains("¥"), "fees in yuan");
    assert!(home.body.contains(r#"id="lang-switch""#));

    let res = b.get("/lang/en?next=/certifications").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/certifications"));
    assert_eq!(b.cookies.get("lang").map(String::as_str), Some("en"));
    let home = b.get("/").await;
    assert!(home.body.contains(r#"<html lang="en">"#));
    assert!(home.body.contains("Certification Centre"));
    assert!(home.body.contains("Cloud computing"));

    let res = t
        .call_with(
            Method::GET,
            "/",
            None,
            None,
            &[("accept-language", "en-GB,en;q=0.8")],
        )
        .await;
    assert!(res.body.contains("Certification Centre"));

    // The switch never sends a browser elsewhere.
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/%5Cevil.example",
    ] {
        let res = b.get(&format!("/lang/zh-CN?next={next}")).await;
        let location = res.header("location").unwrap();
        assert!(
            location.starts_with('/') && !location.starts_with("//"),
            "{next} → {location}"
        );
    }
    assert_eq!(b.get("/lang/fr").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn certification_page_and_unknown_pages() {
    let t = TestApp::new().await;
    let code = t.get("/api/v1/certifications", None).await.json()[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t.get(&format!("/certifications/{code}"), None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(r#"data-testid="certification-fee""#));
    let res = t.get("/certifications/NOPE-NOPE", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.header("content-type").unwrap().starts_with("text/html"));
    assert!(res.body.contains("页面不存在"));
    let res = t.get("/no/such/page", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.body.contains(r#"data-code="not_found""#));
}

#[tokio::test]
async fn sign_up_identity_account_journey() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    let form = b.get("/signup").await;
    for id in [
        "signup-form",
        "signup-email",
        "signup-password",
        "signup-phone",
        "signup-submit",
    ] {
        assert!(
            form.body.contains(&format!(r#"data-testid="{id}""#)),
            "{id}"
        );
    }
    assert!(form.body.contains(r#"<label for="email">"#));

    let res = b
        .submit(
            "/signup",
            "/signup",
            &[
                ("email", "journey@example.com"),
                ("password", PASSWORD),
                ("phone", "13800000000"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), Some("/account?welcome=1"));

    let account = b.get("/account?welcome=1").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.body.contains("journey@example.com"));
    assert!(account.body.contains("+8613800000000"));
    assert!(account.body.contains(r#"data-testid="welcome-banner""#));
    assert!(account.body.contains(r#"data-status="none""#));

    let identity = b.get("/identity").await;
    assert!(identity.body.contains(r#"data-testid="identity-status""#));
    // A wrong ID number is shown next to its field, the name kept.
    let res = b
        .submit(
            "/identity",
            "/identity",
            &[("real_name", "张三丰"), ("id_number", "123")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="id_number-error""#));
    assert!(res.body.contains("身份证号码应为 18 位"));
    assert!(res.body.contains(r#"value="张三丰""#));

    let number = id_number("11010519491231002");
    let res = b
        .submit(
            "/identity",
            "/identity",
            &[("real_name", "张三丰"), ("id_number", &number)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let identity = b.get("/identity").await;
    assert!(identity.body.contains(r#"data-status="verified""#));
    assert!(identity.body.contains("已认证"));
    assert!(!identity.body.contains(&number));
    assert!(
        !identity.body.contains(r#"id="identity-form""#),
        "no form once verified"
    );

    let account = b.get("/account").await;
    assert!(
        account
            .body
            .contains(r#"data-testid="account-identity-status" data-status="verified""#)
    );

    // The inbox, after the jobs ran.
    t.app.job_runner().run_until_idle().await.unwrap();
    let account = b.get("/account").await;
    assert!(
        account.body.contains(r#"data-testid="message""#),
        "{}",
        account.body
    );
    assert!(!account.body.contains(r#"data-count="0""#));
    let id_start = account.body.find("/account/messages/").unwrap() + "/account/messages/".len();
    let id: String = account.body[id_start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let res = b
        .submit("/account", &format!("/account/messages/{id}/read"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);

    // Log out.
    let res = b.submit("/account", "/logout", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!b.cookies.contains_key("certdesk_session"));
    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_up_errors_are_shown_next_to_the_field_in_the_users_language() {
    let t = TestApp::new().await;
    t.sign_up("taken@example.com").await;
    let mut b = t.browser();
    let res = b
        .submit(
            "/signup",
            "/signup",
            &[
                ("email", "taken@example.com"),
                ("password", PASSWORD),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains(r#"id="email-error""#));
    assert!(res.body.contains("该邮箱已被注册"));
    assert!(
        res.body.contains(r#"value="taken@example.com""#),
        "value kept"
    );
    assert!(!res.body.contains(PASSWORD), "the password is never echoed");

    b.get("/lang/en").await;
    let res = b
        .submit(
            "/signup",
            "/signup",
            &[
                ("email", "new@example.com"),
                ("password", PASSWORD),
                ("phone", "12"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="phone-error""#));
    assert!(res.body.contains("The mobile number is not valid."));

    // htmx gets the form fragment alone.
    let token = crate::support::csrf_token(&b.get("/signup").await.body);
    let res = b
        .request(
            Method::POST,
            "/signup",
            Some(&[
                ("csrf_token", &token),
                ("email", "bad"),
                ("password", PASSWORD),
            ]),
            &[("hx-request", "true")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.trim_start().starts_with("<form"));
    assert!(!res.body.contains("<html"));
}

#[tokio::test]
async fn log_in_page_errors_and_next() {
    let t = TestApp::new().await;
    t.sign_up("login@example.com").await;
    let mut b = t.browser();
    let res = b.get("/account").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.header("location"), Some("/login?next=/account"));
    let form = b.get("/login?next=/identity").await;
    for id in [
        "login-form",
        "login-email",
        "login-password",
        "login-submit",
    ] {
        assert!(
            form.body.contains(&format!(r#"data-testid="{id}""#)),
            "{id}"
        );
    }
    let res = b
        .submit(
            "/login?next=/identity",
            "/login",
            &[
                ("email", "login@example.com"),
                ("password", "wrong password"),
                ("next", "/identity"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(res.body.contains("账号或密码错误"));
    let res = b
        .submit(
            "/login",
            "/login",
            &[
                ("email", "login@example.com"),
                ("password", PASSWORD),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), Some("/account"));
    let res = b
        .submit(
            "/login",
            "/login",
            &[
                ("email", "login@example.com"),
                ("password", PASSWORD),
                ("next", "/identity"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), Some("/identity"));
}

#[tokio::test]
async fn static_assets_are_served_with_a_long_cache_life() {
    let t = TestApp::new().await;
    let js = t.get("/static/htmx.min.js", None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(
        js.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(
        js.header("cache-control")
            .unwrap()
            .contains("max-age=31536000")
    );
    assert!(js.body.contains("htmx"));
    let css = t.get("/static/site.css", None).await;
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert_eq!(
        t.get("/static/htmx.LICENSE", None).await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.get("/static/../Cargo.toml", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        t.get("/static/nope.js", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn english_pages_have_no_chinese_left_over() {
    let t = TestApp::new().await;
    t.admin("ops@example.com").await;
    let is_cjk = |c: char| {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
            || ('\u{3000}'..='\u{303F}').contains(&c)
            || ('\u{FF00}'..='\u{FFEF}').contains(&c)
    };
    let mut b = t.browser();
    b.get("/lang/en").await;
    b.submit(
        "/login",
        "/login",
        &[("email", "ops@example.com"), ("password", PASSWORD)],
    )
    .await;
    for path in [
        "/",
        "/signup",
        "/login",
        "/identity",
        "/account",
        "/no-such-page",
        "/admin",
        "/admin/certifications",
        "/admin/identities",
        "/admin/settings",
        "/admin/audit",
        "/admin/jobs",
    ] {
        let body = b.get(path).await.body.replace("中文", "");
        let leftover: String = body.chars().filter(|c| is_cjk(*c)).collect();
        // The catalogue's Chinese names appear only where they are data (the admin list shows
        // the English name; the audit log shows stored values).
        if path == "/admin/audit" {
            continue;
        }
        assert!(
            leftover.is_empty(),
            "{path} has untranslated text: {leftover}"
        );
    }
}
