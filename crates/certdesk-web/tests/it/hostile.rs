//! SPEC E2: hostile strings are stored literally and shown escaped.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{PASSWORD, TestApp, id_number};

const SQL: &str = "'; DROP TABLE accounts; --";
const SCRIPT: &str = "<script>alert(1)</script>";
const QUOTES: &str = r#"O'Brien "the" <b>bold</b> & co"#;

/// How askama writes `s` in HTML: `&#60;` for `<` and so on.
fn escaped(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' => "&#60;".to_owned(),
            '>' => "&#62;".to_owned(),
            '&' => "&#38;".to_owned(),
            '"' => "&#34;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

#[tokio::test]
async fn hostile_catalogue_names_are_stored_literally_and_escaped_in_pages() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let res = t
        .post(
            "/api/v1/admin/certifications",
            Some(&admin),
            json!({
                "code": "TCCS-EVIL", "name_zh": SQL, "name_en": SCRIPT, "family": "specialty",
                "fee_fen": 100, "duration_minutes": 60, "pass_mark": 60, "validity_months": 12
            }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let stored = t.get("/api/v1/certifications/TCCS-EVIL", None).await.json();
    assert_eq!(stored["name_zh"], SQL);
    assert_eq!(stored["name_en"], SCRIPT);

    // The accounts table is still there.
    t.sign_up("after@example.com").await;

    let mut b = t.browser();
    let home = b.get("/").await;
    assert!(home.body.contains(&escaped(SQL)), "zh name escaped");
    b.get("/lang/en?next=/").await;
    let home = b.get("/").await;
    assert!(!home.body.contains(SCRIPT), "unescaped script in the page");
    assert!(home.body.contains(&escaped(SCRIPT)));
    let detail = b.get("/certifications/TCCS-EVIL").await;
    assert!(!detail.body.contains(SCRIPT));
}

#[tokio::test]
async fn hostile_names_and_emails_in_identity_and_sign_up() {
    let t = TestApp::new().await;
    let token = t.candidate("quotes@example.com").await;
    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": QUOTES, "id_number": id_number("11010519491231002")}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        t.get("/api/v1/me", Some(&token)).await.json()["identity"]["real_name"],
        QUOTES
    );

    let mut b = t.browser();
    b.submit(
        "/login",
        "/login",
        &[("email", "quotes@example.com"), ("password", PASSWORD)],
    )
    .await;
    let page = b.get("/identity").await;
    assert!(!page.body.contains("<b>bold</b>"));
    assert!(page.body.contains(&escaped(QUOTES)), "{}", page.body);

    // A hostile email is refused and echoed back escaped.
    let mut b = t.browser();
    let res = b
        .submit(
            "/signup",
            "/signup",
            &[
                ("email", "<script>alert(1)</script>@x.cn"),
                ("password", PASSWORD),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!res.body.contains(SCRIPT));
    assert!(res.body.contains(&escaped("<script>")));
    for sql in [SQL, "' OR '1'='1"] {
        let res = t
            .post(
                "/api/v1/sessions",
                None,
                json!({"email": sql, "password": sql}),
            )
            .await;
        assert_eq!(res.code(), "invalid_credentials");
    }
}

#[tokio::test]
async fn nul_characters_are_refused_with_422_not_stored() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    // serde_json turns "\u0000" into a real NUL: PostgreSQL could not store it (E2).
    let res = t
        .post(
            "/api/v1/admin/certifications",
            Some(&admin),
            json!({
                "code": "TCCS-NUL", "name_zh": "名\u{0}称", "name_en": "x", "family": "specialty",
                "fee_fen": 100, "duration_minutes": 60, "pass_mark": 60, "validity_months": 12
            }),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.code(), "invalid_json");
    let missing = t.get("/api/v1/certifications/TCCS-NUL", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
