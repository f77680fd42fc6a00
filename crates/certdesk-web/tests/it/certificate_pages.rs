//! O9 on the pages, for the public and the holder: the verification page (masked name, no ID
//! number, statuses at their instants, the signature note; a mistyped number is a 400 page, an
//! unknown one 404), the holder's certificates on My account with their links, the
//! credential download with the cookie session, and the mailing address form.

use axum::http::{Method, StatusCode, header};
use serde_json::Value;

use crate::certificates_api::certified;
use crate::official_pages::signed_in;
use crate::shop::clock;
use crate::support::{Browser, TestApp, csrf_token};

/// The number with its check digit changed: well-formed, but mistyped.
pub fn mistyped(number: &str) -> String {
    let (body, check) = number.split_at(number.len() - 1);
    let wrong = (check.parse::<u8>().unwrap() + 1) % 10;
    format!("{body}{wrong}")
}

fn has(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"data-testid="{id}""#))
}

pub fn number_of(cert: &Value) -> String {
    cert["number"].as_str().unwrap().to_owned()
}

/// Posts the mailing address form of `/account` with its CSRF token.
pub async fn post_address(b: &mut Browser<'_>, fields: &[(&str, &str)]) -> crate::support::Res {
    b.submit("/account", "/account/mailing-address", fields)
        .await
}

pub const ADDRESS: [(&str, &str); 6] = [
    ("recipient", "李雷"),
    ("phone", "13800138000"),
    ("province", "广东省"),
    ("city", "深圳市"),
    ("address", "南山区科技园科苑路 15 号"),
    ("postcode", "518057"),
];

#[tokio::test]
async fn o9_the_public_page_verifies_a_number_without_signing_in() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = number_of(&cert);

    let res = t.get(&format!("/certificates/{number}"), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = &res.body;
    assert!(page.contains(r#"data-testid="certificate-status" data-status="valid""#));
    assert!(page.contains("李*") && !page.contains("李雷"), "{page}");
    // Never an ID number (the holder's is 110105199001010…).
    assert!(!page.contains("110105"), "{page}");
    assert!(
        page.contains("2027年4月10日 12:00（北京时间）"),
        "issued: {page}"
    );
    assert!(page.contains("did:web:127.0.0.1%3A8080"), "{page}");
    assert!(page.contains(&format!("/api/v1/certificates/{number}")));
    assert!(page.contains("/.well-known/did.json") && page.contains("Ed25519"));
    assert!(page.contains("TCCA-DEV-A"));

    // English second, dates spelled out.
    let res = t
        .call_with(
            Method::GET,
            &format!("/certificates/{number}"),
            None,
            None,
            &[(header::ACCEPT_LANGUAGE.as_str(), "en")],
        )
        .await;
    assert!(
        res.body.contains("12:00, 10 April 2027 (UTC+8)"),
        "{}",
        res.body
    );
    assert!(res.body.contains("genuine and valid"), "{}", res.body);

    // Typed with spaces and lower case through the form: its canonical page.
    let typed = format!("tc {}", &number[2..]);
    let res = t
        .get(
            &format!("/certificates?number={}", typed.replace(' ', "+")),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        res.header("location"),
        Some(format!("/certificates/{number}").as_str())
    );
    let form = t.get("/certificates", None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(has(&form.body, "verify-form"));
}

#[tokio::test]
async fn o9_a_mistyped_number_is_a_clear_400_and_an_unknown_one_404() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = number_of(&cert);

    for path in [
        format!("/certificates/{}", mistyped(&number)),
        "/certificates/TC123".to_owned(),
        format!("/certificates?number={}", mistyped(&number)),
    ] {
        let res = t.get(&path, None).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{path}: {}", res.body);
        assert!(res.body.contains("证书编号有误"), "{path}: {}", res.body);
        assert!(has(&res.body, "certificate-bad-number"));
    }
    // A well-formed number nobody holds: of the ten last digits exactly one is the check
    // digit; that one is 404, the other nine 400.
    let mut found_404 = false;
    for candidate in (0..10).map(|d| format!("TC000000000000{d}")) {
        let res = t.get(&format!("/certificates/{candidate}"), None).await;
        if res.status == StatusCode::NOT_FOUND {
            assert!(has(&res.body, "certificate-not-found"), "{}", res.body);
            found_404 = true;
        } else {
            assert_eq!(res.status, StatusCode::BAD_REQUEST, "{candidate}");
        }
    }
    assert!(found_404);
}

#[tokio::test]
async fn o9_t4_the_page_says_expired_from_the_expiry_instant_on() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = number_of(&cert);
    let expires: jiff::Timestamp = cert["expires_at"].as_str().unwrap().parse().unwrap();

    clock(
        &t,
        &(expires - jiff::SignedDuration::from_secs(1)).to_string(),
    )
    .await;
    let res = t.get(&format!("/certificates/{number}"), None).await;
    assert!(res.body.contains(r#"data-status="valid""#), "{}", res.body);

    clock(&t, &expires.to_string()).await;
    let res = t.get(&format!("/certificates/{number}"), None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body
            .contains(r#"data-testid="certificate-status" data-status="expired""#),
        "{}",
        res.body
    );
    assert!(res.body.contains("已过有效期"), "{}", res.body);
}

#[tokio::test]
async fn o9_the_holder_sees_their_certificates_and_others_do_not() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = number_of(&cert);

    let mut holder = signed_in(&t, "sat0@example.com").await;
    let page = holder.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    assert!(has(body, &format!("my-cert-{number}")), "{body}");
    assert!(body.contains(&format!(
        r#"value="http://127.0.0.1:8080/certificates/{number}""#
    )));
    assert!(body.contains(&format!(
        r#"href="/account/certificates/{number}/credential.jwt""#
    )));
    assert!(body.contains(&format!(r#"href="/certificates/{number}/certificate.pdf""#)));
    assert!(body.contains(r#"data-testid="paper-status" data-state="pending""#));
    // Due 30 days after the exam's end; no address yet, so the page asks for it.
    assert!(
        body.contains("2027年5月10日 11:00（北京时间）之前"),
        "{body}"
    );
    assert!(has(body, "address-needed") && has(body, "paper-needs-address"));
    // English second.
    let en = holder
        .request(Method::GET, "/account", None, &[("accept-language", "en")])
        .await;
    assert!(en.body.contains("My certificates"), "{}", en.body);
    assert!(
        en.body
            .contains("Deadline: before 11:00, 10 May 2027 (UTC+8)"),
        "{}",
        en.body
    );

    // The credential downloads with the cookie session: the API's JWS, as an attachment.
    let res = holder
        .get(&format!("/account/certificates/{number}/credential.jwt"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), Some("application/vc+jwt"));
    assert_eq!(
        res.header("content-disposition"),
        Some(format!("attachment; filename=\"{number}.jwt\"").as_str())
    );
    let token = t.log_in("sat0@example.com").await;
    let api = t
        .get(
            &format!("/api/v1/me/certificates/{number}/credential"),
            Some(&token),
        )
        .await;
    assert_eq!(res.body, api.body);
    assert_eq!(res.body.split('.').count(), 3);

    // Another candidate (who failed) sees none of it, and cannot download it.
    let mut other = signed_in(&t, "sat1@example.com").await;
    let page = other.get("/account").await;
    assert!(!page.body.contains(&number), "{}", page.body);
    assert!(has(&page.body, "certificates-empty"));
    assert!(!has(&page.body, "address-needed"));
    let res = other
        .get(&format!("/account/certificates/{number}/credential.jwt"))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Nor does a stranger: sent to log in.
    let res = t
        .get(
            &format!("/account/certificates/{number}/credential.jwt"),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.header("location").unwrap().starts_with("/login"));
}

#[tokio::test]
async fn o9_the_mailing_address_form_names_each_wrong_field_then_saves() {
    let t = TestApp::new().await;
    certified(&t).await;
    let mut holder = signed_in(&t, "sat0@example.com").await;

    let with = |field: &str, value: &'static str| -> Vec<(String, String)> {
        ADDRESS
            .iter()
            .map(|(k, v)| {
                let v = if *k == field { value } else { v };
                ((*k).to_owned(), v.to_owned())
            })
            .collect()
    };
    for (field, value, testid) in [
        ("phone", "12345", "address-phone-error"),
        ("postcode", "51805", "postcode-error"),
        ("recipient", "  ", "recipient-error"),
        ("address", "", "address-error"),
    ] {
        let fields = with(field, value);
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let res = post_address(&mut holder, &refs).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(has(&res.body, testid), "{field}: {}", res.body);
        // What was typed stays in the form.
        assert!(res.body.contains("南山区科技园科苑路 15 号") || field == "address");
    }

    // Without the CSRF token: refused, nothing saved.
    let mut fields: Vec<(&str, &str)> = ADDRESS.to_vec();
    fields.push(("csrf_token", "forged"));
    let res = holder
        .request(
            Method::POST,
            "/account/mailing-address",
            Some(&fields[..]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    let res = post_address(&mut holder, &ADDRESS).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        res.header("location"),
        Some("/account?address_saved=1#certificates")
    );
    let page = holder.get("/account?address_saved=1").await;
    assert!(has(&page.body, "address-saved"));
    assert!(!has(&page.body, "address-needed"), "{}", page.body);
    assert!(page.body.contains(r#"value="+8613800138000""#));
    // The page's CSRF token is still a token (the form renders one).
    assert!(!csrf_token(&page.body).is_empty());
}
