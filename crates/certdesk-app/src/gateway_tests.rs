//! O5: the sandbox gateway's signatures — made and checked with a key of its own, refused when
//! missing, malformed, wrong, made with another key, or stale.

use super::*;
use certdesk_domain::AccountId;
use certdesk_domain::{PaymentStatus, TestClock};
use jiff::Timestamp;

fn now() -> Timestamp {
    "2027-03-01T01:00:00Z".parse().unwrap()
}

fn payment() -> Payment {
    Payment {
        id: PaymentId(42),
        account_id: AccountId(7),
        gateway: SANDBOX_GATEWAY.into(),
        amount: Fen::literal(10_000),
        status: PaymentStatus::Pending,
        gateway_ref: None,
        created_at: now(),
        completed_at: None,
    }
}

fn sandbox(key: &SecretKey, wall: &TestClock) -> SandboxGateway {
    SandboxGateway::with_wall_clock(key, Arc::new(wall.clone()))
}

fn refused_field(r: Result<GatewayReport, Refusal>) -> (ErrorCode, Option<String>) {
    let r = r.unwrap_err();
    (r.code, r.field)
}

#[test]
fn o5_signed_callback_verifies_into_its_report() {
    let wall = TestClock::new(now());
    let gw = sandbox(&SecretKey::generate(), &wall);
    let (headers, body) = gw.callback_for(&payment(), true);
    assert_eq!(headers[0].0, SANDBOX_SIGNATURE_HEADER);
    assert!(
        headers[0]
            .1
            .starts_with(&format!("t={},v1=", now().as_second()))
    );
    let report = gw.verify(&headers, &body).unwrap();
    assert_eq!(
        report,
        GatewayReport {
            payment_id: PaymentId(42),
            paid: true,
            gateway_ref: "sandbox-42".into(),
            amount: Fen::literal(10_000),
        }
    );
    // Header names are case-insensitive, as in HTTP.
    let lower = vec![(headers[0].0.to_lowercase(), headers[0].1.clone())];
    assert!(gw.verify(&lower, &body).is_ok());
}

#[test]
fn o5_bad_signatures_are_unauthenticated_on_field_signature() {
    let wall = TestClock::new(now());
    let key = SecretKey::generate();
    let gw = sandbox(&key, &wall);
    let (headers, body) = gw.callback_for(&payment(), true);
    let unauth = (ErrorCode::Unauthenticated, Some("signature".to_owned()));

    assert_eq!(refused_field(gw.verify(&[], &body)), unauth, "missing");
    let malformed = vec![(SANDBOX_SIGNATURE_HEADER.to_owned(), "v1=zz".to_owned())];
    assert_eq!(refused_field(gw.verify(&malformed, &body)), unauth);
    let mut tampered = body.clone();
    let last = tampered.len() - 2;
    tampered[last] ^= 1;
    assert_eq!(
        refused_field(gw.verify(&headers, &tampered)),
        unauth,
        "body changed"
    );
    let other = sandbox(&SecretKey::generate(), &wall);
    assert_eq!(
        refused_field(other.verify(&headers, &body)),
        unauth,
        "other key"
    );
    // The PII key is not the signing key: labels separate them.
    let pii = derive(&key, b"certdesk pii v1");
    assert_ne!(pii.as_slice(), gw.key.expose_secret().as_slice());
}

#[test]
fn t3_signatures_go_stale_after_the_tolerance_on_the_wall_clock() {
    let wall = TestClock::new(now());
    let gw = sandbox(&SecretKey::generate(), &wall);
    let (headers, body) = gw.callback_for(&payment(), false);
    wall.advance(jiff::SignedDuration::from_secs(SIGNATURE_TOLERANCE_SECS));
    assert!(
        !gw.verify(&headers, &body).unwrap().paid,
        "at the tolerance: fine"
    );
    wall.advance(jiff::SignedDuration::from_secs(1));
    assert_eq!(
        refused_field(gw.verify(&headers, &body)).0,
        ErrorCode::Unauthenticated
    );
}

#[test]
fn a_signed_body_that_is_not_a_report_is_invalid_input() {
    let wall = TestClock::new(now());
    let gw = sandbox(&SecretKey::generate(), &wall);
    let body = br#"{"payment_id": 1}"#;
    let headers = vec![(
        SANDBOX_SIGNATURE_HEADER.to_owned(),
        gw.sign(now().as_second(), body),
    )];
    assert_eq!(
        refused_field(gw.verify(&headers, body)).0,
        ErrorCode::InvalidInput
    );
    let negative = br#"{"payment_id":1,"paid":true,"amount_fen":-5,"gateway_ref":"x"}"#;
    let headers = vec![(
        SANDBOX_SIGNATURE_HEADER.to_owned(),
        gw.sign(now().as_second(), negative),
    )];
    assert_eq!(
        refused_field(gw.verify(&headers, negative)),
        (ErrorCode::InvalidAmount, Some("amount_fen".to_owned()))
    );
    assert_eq!(format!("{gw:?}"), "SandboxGateway([REDACTED])");
}

#[tokio::test]
async fn sandbox_checkout_is_its_pay_page() {
    let gw = SandboxGateway::new(&SecretKey::generate());
    assert_eq!(gw.start(&payment()).await.unwrap(), "/sandbox/payments/42");
    let mut registry = GatewayRegistry::default();
    registry.register(Arc::new(gw));
    assert!(registry.get("sandbox").is_some());
    assert!(registry.get("alipay").is_none());
}
