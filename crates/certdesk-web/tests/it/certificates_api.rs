//! O9 through the API: a released pass becomes a certificate (the e-certificate promise kept);
//! anyone verifies it by number, the signature checked here with an independent Ed25519 and
//! RFC 8785 implementation against the key in `did.json`; the holder's Open Badges credential
//! verified with an independent JWS library; revocation; validity's end at its instant (T4).

use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use serde_json::{Value, json};

use crate::results_support::{after_exam, sat, upload};
use crate::shop::clock;
use crate::support::TestApp;

/// Three candidates sat the exam; the first passes, the second fails, the third is absent.
/// Answers the operator's token, the candidates and the passer's certificate (as listed).
pub async fn certified(t: &TestApp) -> (String, Vec<(String, i64)>, Value) {
    let admin = t.admin("ops@example.com").await;
    let regs = sat(t, &admin, 3).await;
    let (admin, regs) = after_exam(t, &regs).await;
    let body = json!({"results": [
        {"registration_id": regs[0].1, "score": 85},
        {"registration_id": regs[1].1, "score": 40},
        {"registration_id": regs[2].1, "absent": true},
    ]});
    let res = upload(
        t,
        Some(&admin),
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(res.json()["accepted"], 3, "{}", res.body);
    // The import enqueued the issuing job; setting the clock runs the jobs due.
    clock(t, "2027-04-10T12:00:01+08:00").await;
    let mine = my_certificates(t, &regs[0].0).await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    (admin, regs, mine[0].clone())
}

pub async fn my_certificates(t: &TestApp, token: &str) -> Value {
    let res = t.get("/api/v1/me/certificates", Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

pub async fn promise(t: &TestApp, admin: &str, kind: &str) -> Value {
    let res = t.get("/api/v1/admin/promises", Some(admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no {kind} promise"))
}

/// The issuer's Ed25519 key, read from the DID document as any verifier would.
pub async fn issuer_key(t: &TestApp) -> (String, String, VerifyingKey) {
    let res = t.get("/.well-known/did.json", None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let doc = res.json();
    let method = &doc["verificationMethod"][0];
    assert_eq!(method["publicKeyJwk"]["kty"], "OKP");
    assert_eq!(method["publicKeyJwk"]["crv"], "Ed25519");
    let x = method["publicKeyJwk"]["x"].as_str().unwrap().to_owned();
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(&x).unwrap().try_into().unwrap();
    (
        method["id"].as_str().unwrap().to_owned(),
        x,
        VerifyingKey::from_bytes(&bytes).unwrap(),
    )
}

/// Checks `signature` over the canonical JSON of every other field.
pub fn signed_by(key: &VerifyingKey, answer: &Value) -> bool {
    let mut fields = answer.as_object().unwrap().clone();
    let signature = fields.remove("signature").unwrap();
    let bytes = URL_SAFE_NO_PAD.decode(signature.as_str().unwrap()).unwrap();
    let signature = Signature::from_slice(&bytes).unwrap();
    let canonical = serde_json_canonicalizer::to_vec(&Value::Object(fields)).unwrap();
    key.verify(&canonical, &signature).is_ok()
}

#[tokio::test]
async fn o9_a_pass_earns_a_certificate_anyone_verifies() {
    let t = TestApp::new().await;
    let (admin, regs, cert) = certified(&t).await;
    let number = cert["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("TC") && number.len() == 15, "{number}");
    assert_eq!(cert["certification"], "TCCA-DEV-A");
    assert_eq!(cert["holder_name"], "李雷");
    assert_eq!(cert["status"], "valid");
    assert_eq!(cert["issued_at"], "2027-04-10T12:00:01+08:00");
    assert_eq!(
        cert["verify_url"],
        format!("http://127.0.0.1:8080/certificates/{number}")
    );
    // The failed and the absent candidates earned nothing.
    for (token, _) in &regs[1..] {
        assert_eq!(my_certificates(&t, token).await, json!([]));
    }
    // The holder was told.
    let inbox = t.get("/api/v1/me/messages", Some(&regs[0].0)).await.json();
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "certificate_issued");
    assert!(
        told.is_some_and(|m| m["body"].as_str().unwrap().contains(&number)),
        "{inbox}"
    );
    // P1: the e-certificate promise is kept, on time (due at the end of the first business day
    // after the exam date, O9/B2).
    let e = promise(&t, &admin, "e_certificate").await;
    assert_eq!(
        (e["kept_on_time"].as_i64(), e["pending"].as_i64()),
        (Some(1), Some(0)),
        "{e}"
    );
    // The paper copy's shipment is now promised, 30 days after the exam's end.
    let paper = promise(&t, &admin, "paper_certificate").await;
    assert_eq!(paper["pending"], 1, "{paper}");

    // Anyone, signed in or not, verifies it by number.
    let res = t.get(&format!("/api/v1/certificates/{number}"), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let public = res.json();
    assert_eq!(public["holder_name_masked"], "李*");
    assert_eq!(public["status"], "valid");
    assert_eq!(public["expires_at"], cert["expires_at"]);
    assert!(public.get("revoked_reason").is_none(), "{public}");
    assert!(
        !res.body.contains("李雷") && !res.body.contains("110105"),
        "{}",
        res.body
    );
    let (key_id, _, key) = issuer_key(&t).await;
    assert_eq!(key_id, "did:web:127.0.0.1%3A8080#key-1");
    assert!(
        signed_by(&key, &public),
        "the signature does not verify: {public}"
    );
    // A forged answer does not.
    let mut forged = public.clone();
    forged["holder_name_masked"] = json!("王*");
    assert!(!signed_by(&key, &forged));

    // A mistyped number is told apart from one nobody holds.
    let mut typo = number.clone().into_bytes();
    typo[5] = if typo[5] == b'9' { b'0' } else { typo[5] + 1 };
    let res = t
        .get(
            &format!("/api/v1/certificates/{}", String::from_utf8(typo).unwrap()),
            None,
        )
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "certificate_invalid")
    );
    assert_eq!(res.json()["error"]["field"], "number");
    let nobodys = certdesk_domain::CertificateNumber::from_digits([0; 12]);
    let res = t
        .get(&format!("/api/v1/certificates/{nobodys}"), None)
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}

#[tokio::test]
async fn o9_the_holder_downloads_an_open_badges_credential() {
    let t = TestApp::new().await;
    let (_, regs, cert) = certified(&t).await;
    let number = cert["number"].as_str().unwrap();
    let path = format!("/api/v1/me/certificates/{number}/credential");
    let res = t.get(&path, Some(&regs[0].0)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), Some("application/vc+jwt"));

    let (key_id, x, _) = issuer_key(&t).await;
    let header = jsonwebtoken::decode_header(&res.body).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::EdDSA);
    assert_eq!(header.kid.as_deref(), Some(key_id.as_str()));
    let key = jsonwebtoken::DecodingKey::from_ed_components(&x).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let vc = jsonwebtoken::decode::<Value>(&res.body, &key, &validation)
        .expect("the credential verifies with the issuer's key")
        .claims;
    assert_eq!(
        vc["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(vc["issuer"]["id"], "did:web:127.0.0.1%3A8080");
    assert_eq!(vc["id"], cert["verify_url"]);
    assert_eq!(vc["validFrom"], cert["issued_at"]);
    assert_eq!(vc["validUntil"], cert["expires_at"]);
    assert_eq!(
        vc["credentialSubject"]["achievement"]["achievementType"],
        "Certificate"
    );
    // A tampered credential fails verification.
    let mut parts: Vec<String> = res.body.split('.').map(str::to_owned).collect();
    let mut forged = vc.clone();
    forged["validUntil"] = json!("2099-01-01T00:00:00+08:00");
    parts[1] = URL_SAFE_NO_PAD.encode(forged.to_string());
    assert!(jsonwebtoken::decode::<Value>(&parts.join("."), &key, &validation).is_err());

    // Another candidate, or nobody, cannot fetch it (E2).
    let res = t.get(&path, Some(&regs[1].0)).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let res = t.get(&path, None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn o9_revocation_is_public_and_happens_once() {
    let t = TestApp::new().await;
    let (admin, regs, cert) = certified(&t).await;
    let number = cert["number"].as_str().unwrap();
    let path = format!("/api/v1/admin/certificates/{number}/revocation");
    let res = t
        .post(&path, Some(&regs[0].0), json!({"reason": "x"}))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = t.post(&path, Some(&admin), json!({"reason": "  "})).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field")
    );
    assert_eq!(res.json()["error"]["field"], "reason");
    // Verified once before: the answer given then (reused for a moment) is not given after.
    let before = t.get(&format!("/api/v1/certificates/{number}"), None).await;
    assert_eq!(before.json()["status"], "valid");

    let res = t
        .post(&path, Some(&admin), json!({"reason": "考试作弊，成绩取消"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "revoked");
    let res = t
        .post(&path, Some(&admin), json!({"reason": "again"}))
        .await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::CONFLICT, "certificate_already_revoked")
    );

    let public = t
        .get(&format!("/api/v1/certificates/{number}"), None)
        .await
        .json();
    assert_eq!(public["status"], "revoked");
    assert_eq!(public["revoked_reason"], "考试作弊，成绩取消");
    let (_, _, key) = issuer_key(&t).await;
    assert!(signed_by(&key, &public), "{public}");
    assert_eq!(
        my_certificates(&t, &regs[0].0).await[0]["status"],
        "revoked"
    );
    // The operator's act is in the audit log.
    let audit = t.get("/api/v1/admin/audit", Some(&admin)).await;
    assert!(audit.body.contains(number), "{}", audit.body);
}

#[tokio::test]
async fn o9_t4_a_certificate_expires_at_its_instant() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = cert["number"].as_str().unwrap();
    let expires: jiff::Timestamp = cert["expires_at"].as_str().unwrap().parse().unwrap();
    let second = jiff::SignedDuration::from_secs(1);
    assert_eq!(status_at(&t, number, expires - second).await, "valid");
    assert_eq!(status_at(&t, number, expires).await, "expired");
    assert_eq!(status_at(&t, number, expires + second).await, "expired");
}

async fn status_at(t: &TestApp, number: &str, at: jiff::Timestamp) -> Value {
    clock(t, &at.to_string()).await;
    let res = t.get(&format!("/api/v1/certificates/{number}"), None).await;
    res.json()["status"].clone()
}
