//! The identity page (A2): a refused ID number is never written back into the form — the
//! page shows an ID number only masked — while the name is kept and the error sits by the
//! field.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, csrf_token, id_number};

/// The `value` of the ID number input in a page or fragment.
fn id_number_value(html: &str) -> String {
    let at = html
        .find(r#"data-testid="identity-id-number""#)
        .unwrap_or_else(|| panic!("no ID number input in {html}"));
    let tag_start = html[..at].rfind("<input").unwrap();
    let tag_end = at + html[at..].find('>').unwrap();
    let tag = &html[tag_start..tag_end];
    let v = tag.find(r#"value=""#).expect("a value attribute") + r#"value=""#.len();
    tag[v..v + tag[v..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn a_refused_id_number_is_not_written_back_into_the_form() {
    let t = TestApp::new().await;
    // Three accounts already verified as this person: a fourth is refused (A2) with a valid,
    // real-looking number — exactly what must not travel back in the page.
    let number = id_number("44030519900101123");
    for i in 0..3 {
        let token = t.candidate(&format!("person{i}@example.com")).await;
        let res = t
            .put(
                "/api/v1/me/identity",
                Some(&token),
                json!({"real_name": "林小明", "id_number": number}),
            )
            .await;
        assert_eq!(res.json()["status"], "verified", "{}", res.body);
    }
    let mut b = t.browser();
    b.sign_up("fourth@example.com").await;
    let fields = [("real_name", "林小明"), ("id_number", number.as_str())];
    let res = b.submit("/identity", "/identity", &fields).await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(
        res.body.contains(r#"data-testid="id_number-error""#),
        "{}",
        res.body
    );
    assert!(
        !res.body.contains(&number),
        "the number came back: {}",
        res.body
    );
    assert_eq!(id_number_value(&res.body), "");
    assert!(res.body.contains(r#"value="林小明""#), "the name is kept");

    // A malformed number (wrong check character), as a full page and as htmx's fragment.
    let wrong = format!(
        "{}{}",
        &number[..17],
        if number.ends_with('0') { '1' } else { '0' }
    );
    let fields = [("real_name", "林小明"), ("id_number", wrong.as_str())];
    let res = b.submit("/identity", "/identity", &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"data-testid="id_number-error""#));
    assert!(!res.body.contains(&wrong));
    assert_eq!(id_number_value(&res.body), "");

    let token = csrf_token(&b.get("/identity").await.body);
    let res = b
        .request(
            Method::POST,
            "/identity",
            Some(&fields),
            &[("hx-request", "true"), ("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!res.body.contains("<html"), "a fragment");
    assert!(!res.body.contains(&wrong));
    assert_eq!(id_number_value(&res.body), "");
    assert!(res.body.contains(r#"value="林小明""#));
}
