//! O9: the holder's certificate as a PDF, `/certificates/{number}/certificate.pdf`: rendered
//! and read back with poppler (not blank; the Chinese name, the certification, the number and
//! the verification link come out as text); any other account gets 404, like an unknown number.

use axum::http::StatusCode;
use serde_json::json;

use crate::certificates_api::certified;
use crate::pdf_check::check_pdf;
use crate::support::TestApp;
use crate::ticket_documents::page_session;

#[tokio::test]
async fn o9_the_certificate_pdf_shows_the_holder_in_chinese_and_the_verification_link() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = cert["number"].as_str().unwrap();
    let mut b = page_session(&t, "sat0@example.com").await;
    let res = b
        .get(&format!("/certificates/{number}/certificate.pdf"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), Some("application/pdf"));
    assert_eq!(res.header("cache-control"), Some("private, no-store"));
    let pdf = check_pdf(&res.bytes);
    assert!(pdf.ink > 0.01, "the page is blank ({:.4} inked)", pdf.ink);
    let holder = cert["holder_name"].as_str().unwrap();
    assert_eq!(holder, "李雷");
    let verify = cert["verify_url"].as_str().unwrap();
    assert!(verify.ends_with(&format!("/certificates/{number}")));
    for want in [holder, number, "认证证书", "有效", "Valid", verify] {
        assert!(pdf.text.contains(want), "no {want} in:\n{}", pdf.text);
    }
    // The QR code leads to the public verification page.
    assert_eq!(pdf.qr_codes, [verify]);
}

#[tokio::test]
async fn o9_a_revoked_certificates_pdf_says_so() {
    let t = TestApp::new().await;
    let (admin, _, cert) = certified(&t).await;
    let number = cert["number"].as_str().unwrap();
    let path = format!("/api/v1/admin/certificates/{number}/revocation");
    let res = t
        .post(&path, Some(&admin), json!({"reason": "考试作弊，成绩取消"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let mut b = page_session(&t, "sat0@example.com").await;
    let res = b
        .get(&format!("/certificates/{number}/certificate.pdf"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let pdf = check_pdf(&res.bytes);
    for want in ["已撤销", "Revoked", "本证书当前无效", number] {
        assert!(pdf.text.contains(want), "no {want} in:\n{}", pdf.text);
    }
}

#[tokio::test]
async fn o9_a_certificate_pdf_is_its_holders_alone() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = cert["number"].as_str().unwrap();
    // sat1 failed: an account with a verified identity, not the holder.
    let mut other = page_session(&t, "sat1@example.com").await;
    let res = other
        .get(&format!("/certificates/{number}/certificate.pdf"))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(!res.body.contains("%PDF"));
    let mut holder = page_session(&t, "sat0@example.com").await;
    for bad in ["TC0000000000000", "not-a-number", "%E6%9D%8E"] {
        let res = holder
            .get(&format!("/certificates/{bad}/certificate.pdf"))
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{bad}");
    }
    let mut anon = t.browser();
    let res = anon
        .get(&format!("/certificates/{number}/certificate.pdf"))
        .await;
    assert!(
        res.status == StatusCode::UNAUTHORIZED || res.status.is_redirection(),
        "{}",
        res.status
    );
}
