//! A local Tencent Cloud SMS endpoint for tests: it speaks `SendSms` 2021-01-11 and checks the
//! TC3 signature as the vendor does (recomputed from the received headers and raw body with
//! the secret key it was started with), so a client that passes here signs correctly.
//!
//! It understands the two header sets clients sign: `content-type;host` (the official SDKs)
//! and `content-type;host;x-tc-action` (the doc's current example). Scripted failures and an
//! outage let tests drive the retry paths.

use crate::sms::SmsConfig;
use crate::sms::config::DEFAULT_REGION;
use crate::sms::tc3::{self, Tc3Input};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use certdesk_domain::{Clock, SystemClock};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

mod body;

/// How far a request's timestamp may be from the server's time (the vendor's five minutes).
pub const MAX_SKEW_SECONDS: u64 = 300;
const REGIONS: [&str; 3] = ["ap-guangzhou", "ap-beijing", "ap-nanjing"];

/// A text the server took, as it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedSms {
    pub phone: String,
    pub template_id: String,
    pub params: Vec<String>,
    pub session_context: String,
    pub sign_name: String,
    pub serial_no: String,
}

#[derive(Debug)]
enum Scripted {
    /// `Response.Error` for the whole request.
    Request(String),
    /// A 200 answer whose first number's status carries this code.
    Number(String),
}

#[derive(Debug)]
struct Inner {
    secret_id: String,
    secret_key: String,
    sdk_app_id: String,
    clock: Arc<dyn Clock>,
    accepted: Vec<AcceptedSms>,
    scripted: VecDeque<Scripted>,
    down: bool,
    seen: usize,
    serials: u64,
}

type Shared = Arc<Mutex<Inner>>;

/// The running server; it stops when dropped.
#[derive(Debug)]
pub struct SmsServer {
    base_url: String,
    inner: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl SmsServer {
    /// Listens on 127.0.0.1, a free port, judging timestamps by the real clock.
    pub async fn start(secret_id: &str, secret_key: &str, sdk_app_id: &str) -> SmsServer {
        Self::start_with_clock(secret_id, secret_key, sdk_app_id, Arc::new(SystemClock)).await
    }

    /// As [`SmsServer::start`], with the server's "now" from `clock`.
    pub async fn start_with_clock(
        secret_id: &str,
        secret_key: &str,
        sdk_app_id: &str,
        clock: Arc<dyn Clock>,
    ) -> SmsServer {
        let inner = Arc::new(Mutex::new(Inner {
            secret_id: secret_id.into(),
            secret_key: secret_key.into(),
            sdk_app_id: sdk_app_id.into(),
            clock,
            accepted: Vec::new(),
            scripted: VecDeque::new(),
            down: false,
            seen: 0,
            serials: 0,
        }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("bound address");
        let app = Router::new()
            .route("/", post(handle))
            .with_state(inner.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        SmsServer {
            base_url: format!("http://{addr}"),
            inner,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`, the value for `CERTDESK_SMS_ENDPOINT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client configuration for this server's account (sign name `认证中心`).
    pub fn client_config(&self) -> SmsConfig {
        let inner = self.lock();
        SmsConfig {
            endpoint: crate::sms::config::parse_endpoint(&self.base_url).expect("own URL"),
            secret_id: inner.secret_id.clone(),
            secret_key: inner.secret_key.as_str().into(),
            sdk_app_id: inner.sdk_app_id.clone(),
            sign_name: "认证中心".into(),
            region: DEFAULT_REGION.into(),
        }
    }

    /// Every text taken so far, oldest first.
    pub fn accepted(&self) -> Vec<AcceptedSms> {
        self.lock().accepted.clone()
    }

    /// The next `n` requests with a valid signature are refused with `Response.Error.Code`
    /// = `code` (a request-level error, HTTP 200 as the vendor answers).
    pub fn fail_next(&self, n: usize, code: &str) {
        let mut inner = self.lock();
        inner
            .scripted
            .extend((0..n).map(|_| Scripted::Request(code.into())));
    }

    /// The next `n` requests with a valid signature get a 200 answer whose number status
    /// carries `code` (a per-number failure such as a daily limit).
    pub fn fail_next_number(&self, n: usize, code: &str) {
        let mut inner = self.lock();
        inner
            .scripted
            .extend((0..n).map(|_| Scripted::Number(code.into())));
    }

    /// While down, every request is answered 503 with no vendor body.
    pub fn set_down(&self, down: bool) {
        self.lock().down = down;
    }

    /// Requests received, whatever became of them.
    pub fn requests_seen(&self) -> usize {
        self.lock().seen
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for SmsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A vendor refusal: `Response.Error`.
struct Refusal(String, String);

fn refuse<T>(code: &str, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(code.into(), message.into()))
}

async fn handle(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let mut inner = shared.lock().unwrap_or_else(|e| e.into_inner());
    inner.seen += 1;
    if inner.down {
        return (StatusCode::SERVICE_UNAVAILABLE, "").into_response();
    }
    let request_id = format!("00000000-0000-4000-8000-{:012}", inner.seen);
    let response = match answer(&mut inner, &headers, &body) {
        Ok(mut fields) => {
            fields["RequestId"] = json!(request_id);
            fields
        }
        Err(Refusal(code, message)) => json!({
            "Error": { "Code": code, "Message": message },
            "RequestId": request_id,
        }),
    };
    // The vendor answers 200 for refusals too.
    axum::Json(json!({ "Response": response })).into_response()
}

fn answer(inner: &mut Inner, headers: &HeaderMap, body: &[u8]) -> Result<Value, Refusal> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let action = header("x-tc-action").unwrap_or_default();
    if action != "SendSms" {
        return refuse("InvalidAction", format!("action `{action}` does not exist"));
    }
    match header("x-tc-version") {
        Some(crate::sms::client::VERSION) => {}
        other => return refuse("NoSuchVersion", format!("version {other:?} does not exist")),
    }
    match header("x-tc-region") {
        Some(region) if REGIONS.contains(&region) => {}
        None => return refuse("MissingParameter", "X-TC-Region is required"),
        Some(other) => return refuse("UnsupportedRegion", format!("region {other}")),
    }
    check_signature(inner, &header, body)?;
    let script = inner.scripted.pop_front();
    if let Some(Scripted::Request(code)) = &script {
        return refuse(code, "scripted failure");
    }
    let number_failure = match script {
        Some(Scripted::Number(code)) => Some(code),
        _ => None,
    };
    let request = body::read(&inner.sdk_app_id, body)?;
    let mut statuses = Vec::with_capacity(request.phones.len());
    for (i, phone) in request.phones.iter().enumerate() {
        let failure = match (i, &number_failure) {
            (0, Some(code)) => Some((code.clone(), "scripted failure".to_owned())),
            _ if !body::is_mainland_mobile(phone) => Some((
                "InvalidParameterValue.IncorrectPhoneNumber".into(),
                format!("{phone} is not a valid number"),
            )),
            _ => None,
        };
        let (serial, fee, code, message) = match failure {
            Some((code, message)) => (String::new(), 0, code, message),
            None => {
                inner.serials += 1;
                let serial_no = format!("2640:{:019}", inner.serials);
                inner.accepted.push(AcceptedSms {
                    phone: phone.clone(),
                    template_id: request.template_id.clone(),
                    params: request.params.clone(),
                    session_context: request.session_context.clone(),
                    sign_name: request.sign_name.clone(),
                    serial_no: serial_no.clone(),
                });
                (serial_no, 1, "Ok".into(), "send success".into())
            }
        };
        statuses.push(json!({
            "SerialNo": serial,
            "PhoneNumber": phone,
            "Fee": fee,
            "SessionContext": request.session_context,
            "Code": code,
            "Message": message,
            "IsoCode": if code == "Ok" { "CN" } else { "" },
        }));
    }
    Ok(json!({ "SendStatusSet": statuses }))
}

fn check_signature<'h>(
    inner: &Inner,
    header: &impl Fn(&str) -> Option<&'h str>,
    body: &[u8],
) -> Result<(), Refusal> {
    let Some(auth) = header("authorization").and_then(tc3::parse_authorization) else {
        return refuse(
            "AuthFailure.InvalidAuthorization",
            "Authorization is not TC3-HMAC-SHA256",
        );
    };
    let Some(timestamp) = header("x-tc-timestamp").and_then(|t| t.parse::<i64>().ok()) else {
        return refuse("MissingParameter", "X-TC-Timestamp is required");
    };
    if auth.secret_id != inner.secret_id {
        return refuse("AuthFailure.SecretIdNotFound", "the SecretId is not found");
    }
    let now = inner.clock.now().as_second();
    if timestamp.abs_diff(now) > MAX_SKEW_SECONDS {
        return refuse(
            "AuthFailure.SignatureExpire",
            format!("timestamp {timestamp} is more than 300 s from the server time {now}"),
        );
    }
    let signed_action = match auth.signed_headers {
        "content-type;host" => None,
        "content-type;host;x-tc-action" => header("x-tc-action"),
        other => {
            return refuse(
                "AuthFailure.SignatureFailure",
                format!("this test server checks content-type;host[;x-tc-action], not {other}"),
            );
        }
    };
    let expected = tc3::sign(&Tc3Input {
        secret_id: auth.secret_id,
        secret_key: &inner.secret_key,
        service: "sms",
        host: header("host").unwrap_or_default(),
        signed_action,
        content_type: header("content-type").unwrap_or_default(),
        timestamp,
        payload: body,
    })
    .map_err(|e| Refusal("AuthFailure.SignatureFailure".into(), e.to_string()))?;
    let scope_ok = auth.date == expected.date && auth.service == "sms";
    if !scope_ok || auth.signature != expected.signature {
        return refuse(
            "AuthFailure.SignatureFailure",
            "the provided credentials could not be validated",
        );
    }
    if !header("content-type").is_some_and(|ct| ct.starts_with("application/json")) {
        return refuse(
            "InvalidParameter",
            "this test server reads JSON bodies only",
        );
    }
    Ok(())
}
