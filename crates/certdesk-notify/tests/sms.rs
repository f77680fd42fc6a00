//! The SMS client against the local vendor double, which checks TC3 signatures as Tencent
//! Cloud does: what it accepts, a real signature produced; what it refuses, mapped to retry
//! or give up as the outbox needs.

use certdesk_domain::{Clock, SystemClock, TestClock};
use certdesk_notify::sms::tc3::{self, Tc3Input};
use certdesk_notify::sms::{SmsClient, SmsConfig, SmsError, SmsSend};
use certdesk_notify::testing::sms_server::{AcceptedSms, SmsServer};
use jiff::SignedDuration;
use std::sync::Arc;

const SECRET_ID: &str = "AKIDcertdeskTEST00000000000000000000";
const SECRET_KEY: &str = "certdesk-test-secret-key-32bytes";
const APP_ID: &str = "1400006666";

async fn server() -> SmsServer {
    SmsServer::start(SECRET_ID, SECRET_KEY, APP_ID).await
}

fn client_with(config: SmsConfig, clock: Arc<dyn Clock>) -> SmsClient {
    SmsClient::new(config, reqwest::Client::new(), clock)
}

fn client(server: &SmsServer) -> SmsClient {
    client_with(server.client_config(), Arc::new(SystemClock))
}

fn sms() -> SmsSend {
    SmsSend {
        phone_e164: "+8613800000000".into(),
        template_id: "1234".into(),
        params: vec!["张三".into(), "2026年12月5日 09:00（北京时间）".into()],
        session_context: "notify:registration_confirmed:42:sms".into(),
    }
}

/// A clock `by` away from the real one (the vendor judges by its own, real, time).
fn skewed(by: SignedDuration) -> Arc<dyn Clock> {
    let clock = TestClock::new(SystemClock.now());
    clock.advance(by);
    Arc::new(clock)
}

#[tokio::test]
async fn a_send_is_accepted_with_its_signature_verified_and_chinese_params_intact() {
    let server = server().await;
    let accepted = client(&server).send(&sms()).await.expect("accepted");
    assert!(!accepted.request_id.is_empty());
    assert_eq!(
        server.accepted(),
        [AcceptedSms {
            phone: "+8613800000000".into(),
            template_id: "1234".into(),
            params: vec!["张三".into(), "2026年12月5日 09:00（北京时间）".into()],
            session_context: "notify:registration_confirmed:42:sms".into(),
            sign_name: "认证中心".into(),
            serial_no: accepted.serial_no.clone(),
        }]
    );
    assert!(accepted.serial_no.starts_with("2640:"));
    assert_eq!(server.requests_seen(), 1);
}

#[tokio::test]
async fn a_wrong_secret_key_is_refused_as_the_vendor_does_and_is_kept_for_retry() {
    let server = server().await;
    let mut config = server.client_config();
    config.secret_key = "not-the-key".into();
    let err = client_with(config, Arc::new(SystemClock))
        .send(&sms())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AuthFailure.SignatureFailure");
    assert!(matches!(err, SmsError::Request { .. }));
    // Decided: the operator fixes the key and the outbox still holds the message.
    assert!(err.is_retryable());
    assert!(server.accepted().is_empty());
}

#[tokio::test]
async fn another_secret_id_is_not_found() {
    let server = server().await;
    let mut config = server.client_config();
    config.secret_id = "AKIDsomeoneelse".into();
    let err = client_with(config, Arc::new(SystemClock))
        .send(&sms())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AuthFailure.SecretIdNotFound");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_clock_ten_minutes_off_either_way_is_refused_as_expired() {
    let server = server().await;
    for minutes in [10, -10] {
        let clock = skewed(SignedDuration::from_mins(minutes));
        let err = client_with(server.client_config(), clock)
            .send(&sms())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "AuthFailure.SignatureExpire", "{minutes} min");
        assert!(err.is_retryable());
    }
    // Four minutes is inside the vendor's five.
    let clock = skewed(SignedDuration::from_mins(4));
    client_with(server.client_config(), clock)
        .send(&sms())
        .await
        .expect("4 minutes of skew is tolerated");
    assert_eq!(server.accepted().len(), 1);
}

#[tokio::test]
async fn request_level_codes_map_to_retry_or_give_up() {
    let server = server().await;
    let client = client(&server);
    let cases = [
        ("InternalError", true),
        ("RequestLimitExceeded", true),
        ("FailedOperation.InsufficientBalanceInSmsPackage", true),
        ("LimitExceeded.PhoneNumberOneHourLimit", true),
        ("FailedOperation.TemplateIncorrectOrUnapproved", false),
        ("FailedOperation.SignatureIncorrectOrUnapproved", false),
        (
            "FailedOperation.TemplateParamSetNotMatchApprovedTemplate",
            false,
        ),
        ("FailedOperation.ContainSensitiveWord", false),
        ("UnauthorizedOperation.SmsSdkAppIdVerifyFail", false),
        ("InvalidParameterValue.IncorrectPhoneNumber", false),
        ("MissingParameter", false),
        ("SomethingNew.NeverSeenBefore", true),
    ];
    for (code, retry) in cases {
        server.fail_next(1, code);
        let err = client.send(&sms()).await.unwrap_err();
        assert!(matches!(err, SmsError::Request { .. }), "{code}: {err:?}");
        assert_eq!(err.code(), code);
        assert_eq!(err.is_retryable(), retry, "{code}");
    }
    assert!(server.accepted().is_empty());
    // The script is used up: the next send goes through.
    client
        .send(&sms())
        .await
        .expect("accepted after the script");
    assert_eq!(server.requests_seen(), cases.len() + 1);
}

#[tokio::test]
async fn a_per_number_failure_inside_a_200_answer_is_an_error() {
    let server = server().await;
    let client = client(&server);
    server.fail_next_number(1, "LimitExceeded.PhoneNumberDailyLimit");
    let err = client.send(&sms()).await.unwrap_err();
    assert!(matches!(err, SmsError::Number { .. }), "{err:?}");
    assert_eq!(err.code(), "LimitExceeded.PhoneNumberDailyLimit");
    assert!(err.is_retryable());

    // A number the vendor itself rejects (12… is no mobile prefix).
    let mut bad = sms();
    bad.phone_e164 = "+8612000000000".into();
    let err = client.send(&bad).await.unwrap_err();
    assert!(matches!(err, SmsError::Number { .. }), "{err:?}");
    assert_eq!(err.code(), "InvalidParameterValue.IncorrectPhoneNumber");
    assert!(!err.is_retryable());
    assert!(server.accepted().is_empty());
}

#[tokio::test]
async fn a_foreign_sdk_app_id_is_given_up() {
    let server = server().await;
    let mut config = server.client_config();
    config.sdk_app_id = "1400009999".into();
    let err = client_with(config, Arc::new(SystemClock))
        .send(&sms())
        .await
        .unwrap_err();
    assert_eq!(err.code(), "UnauthorizedOperation.SmsSdkAppIdVerifyFail");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_server_that_is_down_or_gone_is_retried() {
    let server = server().await;
    let client = client(&server);
    server.set_down(true);
    let err = client.send(&sms()).await.unwrap_err();
    assert_eq!(err.code(), "certdesk.Http503");
    assert!(err.is_retryable());
    server.set_down(false);
    client.send(&sms()).await.expect("accepted once back up");

    let config = server.client_config();
    drop(server);
    // Give the aborted listener a moment to close its socket.
    tokio::task::yield_now().await;
    let err = client_with(config, Arc::new(SystemClock))
        .send(&sms())
        .await
        .unwrap_err();
    assert!(matches!(err, SmsError::Network { .. }), "{err:?}");
    assert!(err.is_retryable());
}

/// Signs by hand, the official SDK's way (`content-type;host`, Python's escaped JSON), and
/// optionally sends other bytes than were signed.
async fn post_signed(server: &SmsServer, signed: &[u8], sent: &[u8]) -> serde_json::Value {
    let host = server.base_url().trim_start_matches("http://").to_owned();
    let timestamp = SystemClock.now().as_second();
    let signature = tc3::sign(&Tc3Input {
        secret_id: SECRET_ID,
        secret_key: SECRET_KEY,
        service: "sms",
        host: &host,
        signed_action: None,
        content_type: "application/json",
        timestamp,
        payload: signed,
    })
    .unwrap();
    reqwest::Client::new()
        .post(server.base_url())
        .header("Authorization", signature.authorization)
        .header("Content-Type", "application/json")
        .header("X-TC-Action", "SendSms")
        .header("X-TC-Version", "2021-01-11")
        .header("X-TC-Region", "ap-guangzhou")
        .header("X-TC-Timestamp", timestamp.to_string())
        .body(sent.to_vec())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_server_takes_the_sdk_header_set_and_refuses_bytes_other_than_signed() {
    let server = server().await;
    // The vector file's SendSms body, as Python's json.dumps writes it.
    let body = br#"{"PhoneNumberSet": ["+8613800000000"], "SmsSdkAppId": "1400006666", "SignName": "\u817e\u8baf\u4e91", "TemplateId": "1234", "TemplateParamSet": ["123456", "5"], "SessionContext": "reg-42"}"#;
    let answer = post_signed(&server, body, body).await;
    assert_eq!(
        answer["Response"]["SendStatusSet"][0]["Code"], "Ok",
        "{answer}"
    );
    assert_eq!(server.accepted()[0].sign_name, "腾讯云");
    assert_eq!(server.accepted()[0].params, ["123456", "5"]);

    let tampered = String::from_utf8_lossy(body).replace("123456", "654321");
    let answer = post_signed(&server, body, tampered.as_bytes()).await;
    assert_eq!(
        answer["Response"]["Error"]["Code"], "AuthFailure.SignatureFailure",
        "{answer}"
    );
    assert_eq!(server.accepted().len(), 1);
}
