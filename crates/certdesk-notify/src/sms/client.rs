//! `SendSms` (API 2021-01-11) over HTTPS, signed with TC3-HMAC-SHA256.

use super::config::SmsConfig;
use super::error::SmsError;
use super::tc3::{self, Tc3Input};
use certdesk_domain::{Clock, Phone};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub const SERVICE: &str = "sms";
pub const ACTION: &str = "SendSms";
pub const VERSION: &str = "2021-01-11";
/// No charset: the official SDKs send and sign exactly this, and the value sent must be the
/// value signed.
pub const JSON: &str = "application/json";
/// A send that has not answered by then is retried by the outbox rather than holding a worker.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One text to one mainland number.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsSend {
    /// E.164, `+8613800000000` (see [`phone_e164`]).
    pub phone_e164: String,
    /// The approved template's id.
    pub template_id: String,
    /// One string per template variable, in order.
    pub params: Vec<String>,
    /// Echoed back by the vendor (and in its delivery reports): which notice this was.
    /// Under 512 bytes; empty sends none.
    pub session_context: String,
}

impl fmt::Debug for SmsSend {
    /// The number is masked: Debug output ends up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmsSend")
            .field("phone_e164", &mask(&self.phone_e164))
            .field("template_id", &self.template_id)
            .field("params", &self.params)
            .field("session_context", &self.session_context)
            .finish()
    }
}

fn mask(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "****".into();
    }
    let head: String = chars[..chars.len() - 8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// The domain keeps mainland mobiles already normalised to E.164 (`Phone::parse` accepts
/// `138…`, `+86 138…`, `0086…`); this is the form `PhoneNumberSet` wants.
pub fn phone_e164(phone: &Phone) -> String {
    phone.e164().to_owned()
}

/// The vendor took the text for delivery (delivery itself is reported later, by serial no).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsAccepted {
    pub serial_no: String,
    pub request_id: String,
}

/// Sends through one Tencent Cloud SMS account.
#[derive(Debug, Clone)]
pub struct SmsClient {
    config: SmsConfig,
    host: String,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
}

impl SmsClient {
    /// `clock` stamps and signs requests, and the vendor refuses a stamp more than five
    /// minutes from its own time: production passes `certdesk_domain::SystemClock` even when
    /// the application runs on a test clock. Tests pass a skewed clock to see the refusal.
    pub fn new(config: SmsConfig, http: reqwest::Client, clock: Arc<dyn Clock>) -> SmsClient {
        let host = config.host();
        SmsClient {
            config,
            host,
            http,
            clock,
        }
    }

    pub fn config(&self) -> &SmsConfig {
        &self.config
    }

    pub async fn send(&self, sms: &SmsSend) -> Result<SmsAccepted, SmsError> {
        let body = SendSmsBody {
            phone_number_set: [&sms.phone_e164],
            sms_sdk_app_id: &self.config.sdk_app_id,
            sign_name: &self.config.sign_name,
            template_id: &sms.template_id,
            template_param_set: &sms.params,
            session_context: (!sms.session_context.is_empty()).then_some(&sms.session_context),
        };
        // Serialised once: these exact bytes are hashed and sent. UTF-8, not \u escapes —
        // the vendor reads either, and the signature covers whichever bytes go out.
        let payload = serde_json::to_vec(&body).expect("strings always serialise");
        let timestamp = self.clock.now().as_second();
        let signed = tc3::sign(&Tc3Input {
            secret_id: &self.config.secret_id,
            secret_key: self.config.secret_key.expose_secret(),
            service: SERVICE,
            host: &self.host,
            signed_action: Some(ACTION),
            content_type: JSON,
            timestamp,
            payload: &payload,
        })
        // A jiff instant's seconds are always within jiff's range, which is all sign checks.
        .expect("a clock's instant has a UTC date");

        let response = self
            .http
            .post(self.config.endpoint.clone())
            .timeout(REQUEST_TIMEOUT)
            .header(HOST, &self.host)
            .header(CONTENT_TYPE, JSON)
            .header(AUTHORIZATION, signed.authorization)
            .header("X-TC-Action", ACTION)
            .header("X-TC-Version", VERSION)
            .header("X-TC-Region", &self.config.region)
            .header("X-TC-Timestamp", timestamp.to_string())
            .body(payload)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(transport)?;
        let answer = read_answer(status.as_u16(), &bytes)?;
        tracing::debug!(request_id = %answer.request_id, serial_no = %answer.serial_no, "SMS accepted");
        Ok(answer)
    }
}

fn transport(e: reqwest::Error) -> SmsError {
    // Display of reqwest's error names the URL; the chain's last link says why.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    if e.is_timeout() {
        SmsError::Timeout { message }
    } else {
        SmsError::Network { message }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendSmsBody<'a> {
    phone_number_set: [&'a str; 1],
    sms_sdk_app_id: &'a str,
    sign_name: &'a str,
    template_id: &'a str,
    template_param_set: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    session_context: Option<&'a String>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: ResponseBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResponseBody {
    request_id: String,
    error: Option<VendorError>,
    #[serde(default)]
    send_status_set: Vec<SendStatus>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct VendorError {
    code: String,
    message: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SendStatus {
    serial_no: String,
    code: String,
    message: String,
}

/// The vendor answers 200 with either `Response.Error` or one status per number; a vendor
/// error under another status is still the vendor's verdict and is read as such.
fn read_answer(status: u16, bytes: &[u8]) -> Result<SmsAccepted, SmsError> {
    let envelope: Envelope = match serde_json::from_slice(bytes) {
        Ok(envelope) => envelope,
        Err(e) if (200..300).contains(&status) => {
            return Err(SmsError::BadResponse {
                message: format!("HTTP {status}: {e}"),
            });
        }
        Err(_) => {
            return Err(SmsError::Http {
                status,
                message: String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned(),
            });
        }
    };
    let response = envelope.response;
    if let Some(error) = response.error {
        return Err(SmsError::Request {
            code: error.code,
            message: error.message,
            request_id: response.request_id,
        });
    }
    if !(200..300).contains(&status) {
        return Err(SmsError::Http {
            status,
            message: "an answer without error under a failing status".into(),
        });
    }
    // One number per request, so one status.
    let Some(first) = response.send_status_set.into_iter().next() else {
        return Err(SmsError::BadResponse {
            message: format!("no SendStatusSet (RequestId {})", response.request_id),
        });
    };
    if first.code != "Ok" {
        return Err(SmsError::Number {
            code: first.code,
            message: first.message,
            request_id: response.request_id,
        });
    }
    Ok(SmsAccepted {
        serial_no: first.serial_no,
        request_id: response.request_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_phone_becomes_e164() {
        for typed in ["13800000000", "+86 138 0000 0000", "0086-13800000000"] {
            let phone = Phone::parse(typed).unwrap();
            assert_eq!(phone_e164(&phone), "+8613800000000", "{typed}");
        }
    }

    #[test]
    fn debug_masks_the_number() {
        let sms = SmsSend {
            phone_e164: "+8613812345678".into(),
            template_id: "1".into(),
            params: vec![],
            session_context: String::new(),
        };
        let shown = format!("{sms:?}");
        assert!(shown.contains("+86138****5678"), "{shown}");
        assert!(!shown.contains("13812345678"), "{shown}");
    }

    #[test]
    fn answers_are_read_in_the_vendor_shapes() {
        let ok = br#"{"Response":{"SendStatusSet":[{"SerialNo":"2640:1","PhoneNumber":"+8613800000000","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"r1"}}"#;
        assert_eq!(
            read_answer(200, ok),
            Ok(SmsAccepted {
                serial_no: "2640:1".into(),
                request_id: "r1".into()
            })
        );
        let refused =
            br#"{"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"r2"}}"#;
        let err = read_answer(200, refused).unwrap_err();
        assert!(matches!(err, SmsError::Request { ref code, .. } if code == "InternalError"));
        let bad_number = br#"{"Response":{"SendStatusSet":[{"SerialNo":"","PhoneNumber":"+86","Fee":0,"SessionContext":"","Code":"InvalidParameterValue.IncorrectPhoneNumber","Message":"bad","IsoCode":""}],"RequestId":"r3"}}"#;
        let err = read_answer(200, bad_number).unwrap_err();
        assert!(matches!(err, SmsError::Number { .. }));
        assert!(!err.is_retryable());
        let err = read_answer(502, b"<html>Bad Gateway</html>").unwrap_err();
        assert_eq!(err.code(), "certdesk.Http502");
        assert!(err.is_retryable());
        let err = read_answer(200, b"{}").unwrap_err();
        assert_eq!(err.code(), "certdesk.BadResponse");
    }
}
