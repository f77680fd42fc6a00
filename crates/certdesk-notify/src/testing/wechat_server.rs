//! A local server speaking WeChat's `/cgi-bin/token` and `/cgi-bin/message/template/send` the
//! way the vendor does (PROTOCOLS.md "WeChat"), scriptable for tests.
//!
//! Like the vendor, each token fetch invalidates the previous token — at once by default, so a
//! stale token is caught, or after the vendor's 5-minute overlap (`set_overlap`), which is
//! what lets several processes with a token each share one account. Tokens do not expire by
//! time here:
//! the client's clock decides when it refreshes, and `expire_tokens` stands in for the vendor
//! expiring them.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use rand::Rng as _;
use serde_json::{Value, json};

/// A message the server accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentTemplate {
    pub openid: String,
    pub template_id: String,
    pub url: Option<String>,
    /// Keyword → value, sorted by keyword.
    pub data: Vec<(String, String)>,
    pub client_msg_id: Option<String>,
    pub msgid: u64,
}

#[derive(Debug)]
struct Mock {
    app_id: String,
    app_secret: String,
    expires_in: i64,
    /// The one token that works; each fetch replaces it.
    current: Option<String>,
    /// Tokens a fetch replaced, still good until the instant given (the vendor's overlap).
    replaced: Vec<(String, std::time::Instant)>,
    overlap: std::time::Duration,
    /// Tokens made invalid by `expire_tokens` (answer 42001; others unknown answer 40001).
    expired: HashSet<String>,
    token_fetches: usize,
    token_requests: usize,
    token_endpoint_down: bool,
    send_attempts: usize,
    not_following: HashSet<String>,
    scripted: VecDeque<i64>,
    down: bool,
    sent: Vec<SentTemplate>,
    next_msgid: u64,
}

type Shared = Arc<Mutex<Mock>>;

/// The running server; stops when dropped.
#[derive(Debug)]
pub struct WeChatServer {
    base_url: String,
    mock: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for WeChatServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl WeChatServer {
    /// Listens on 127.0.0.1 (a free port) for the account `app_id` / `app_secret`; tokens
    /// are issued with `expires_in` 7200 unless [`WeChatServer::set_expires_in`] says otherwise.
    pub async fn start(app_id: &str, app_secret: &str) -> WeChatServer {
        let mock = Arc::new(Mutex::new(Mock {
            app_id: app_id.to_owned(),
            app_secret: app_secret.to_owned(),
            expires_in: 7200,
            current: None,
            expired: HashSet::new(),
            replaced: Vec::new(),
            overlap: std::time::Duration::ZERO,
            token_fetches: 0,
            token_requests: 0,
            token_endpoint_down: false,
            send_attempts: 0,
            not_following: HashSet::new(),
            scripted: VecDeque::new(),
            down: false,
            sent: Vec::new(),
            next_msgid: 200_228_332,
        }));
        let app = Router::new()
            .route("/cgi-bin/token", get(token))
            .route("/cgi-bin/message/template/send", post(send))
            .with_state(mock.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the mock WeChat server to 127.0.0.1");
        let addr = listener.local_addr().expect("the mock's address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        WeChatServer {
            base_url: format!("http://{addr}"),
            mock,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`, the client's `api_base`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn lock(&self) -> MutexGuard<'_, Mock> {
        lock(&self.mock)
    }

    /// The `expires_in` of the tokens issued from now on.
    pub fn set_expires_in(&self, secs: i64) {
        self.lock().expires_in = secs;
    }

    /// A token replaced by a fetch keeps working this long (the vendor: 5 minutes).
    pub fn set_overlap(&self, overlap: std::time::Duration) {
        self.lock().overlap = overlap;
    }

    /// Every token issued so far stops working; sends with one answer 42001.
    pub fn expire_tokens(&self) {
        let mut mock = self.lock();
        if let Some(token) = mock.current.take() {
            mock.expired.insert(token);
        }
        let replaced: Vec<String> = mock.replaced.drain(..).map(|(t, _)| t).collect();
        mock.expired.extend(replaced);
    }

    /// Sends to `openid` answer 43004 (require subscribe).
    pub fn set_not_following(&self, openid: &str) {
        self.lock().not_following.insert(openid.to_owned());
    }

    /// The next `n` sends that present a valid token answer `errcode` instead of sending.
    pub fn fail_next(&self, n: usize, errcode: i64) {
        self.lock().scripted.extend(std::iter::repeat_n(errcode, n));
    }

    /// While down, every request answers HTTP 503.
    pub fn set_down(&self, down: bool) {
        self.lock().down = down;
    }

    /// While down, only `/cgi-bin/token` answers HTTP 503 (sends still work).
    pub fn set_token_endpoint_down(&self, down: bool) {
        self.lock().token_endpoint_down = down;
    }

    /// Token requests received, whatever their answer.
    pub fn token_requests(&self) -> usize {
        self.lock().token_requests
    }

    /// Token fetches answered with a token.
    pub fn token_fetches(&self) -> usize {
        self.lock().token_fetches
    }

    /// Send requests received while up, whatever their answer.
    pub fn send_attempts(&self) -> usize {
        self.lock().send_attempts
    }

    /// The messages accepted, in order.
    pub fn sent(&self) -> Vec<SentTemplate> {
        self.lock().sent.clone()
    }
}

fn lock(mock: &Shared) -> MutexGuard<'_, Mock> {
    mock.lock().unwrap_or_else(|e| e.into_inner())
}

fn errcode(code: i64, msg: &str) -> Response {
    let rid: u32 = rand::thread_rng().r#gen();
    axum::Json(json!({ "errcode": code, "errmsg": format!("{msg} rid: {rid:08x}") }))
        .into_response()
}

async fn token(State(mock): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut mock = lock(&mock);
    mock.token_requests += 1;
    if mock.down || mock.token_endpoint_down {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if q.get("grant_type").map(String::as_str) != Some("client_credential") {
        return errcode(40002, "invalid grant_type");
    }
    if q.get("appid") != Some(&mock.app_id) {
        return errcode(40013, "invalid appid");
    }
    if q.get("secret") != Some(&mock.app_secret) {
        return errcode(40125, "invalid appsecret");
    }
    let token = format!("MOCK_{:032x}", rand::thread_rng().r#gen::<u128>());
    if let Some(old) = mock.current.replace(token.clone()) {
        let until = std::time::Instant::now() + mock.overlap;
        mock.replaced.push((old, until));
    }
    mock.token_fetches += 1;
    axum::Json(json!({ "access_token": token, "expires_in": mock.expires_in })).into_response()
}

async fn send(
    State(mock): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let mut mock = lock(&mock);
    if mock.down {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    mock.send_attempts += 1;
    let Some(token) = q.get("access_token") else {
        return errcode(41001, "access_token missing");
    };
    if mock.expired.contains(token) {
        return errcode(42001, "access_token expired");
    }
    let now = std::time::Instant::now();
    let overlapping = mock
        .replaced
        .iter()
        .any(|(old, until)| old == token && now < *until);
    if mock.current.as_ref() != Some(token) && !overlapping {
        return errcode(
            40001,
            "invalid credential, access_token is invalid or not latest",
        );
    }
    if let Some(code) = mock.scripted.pop_front() {
        return errcode(code, "scripted failure");
    }
    let Some(msg) = parse(&body) else {
        return errcode(47001, "data format error");
    };
    if msg.openid.is_empty() {
        return errcode(40003, "invalid openid");
    }
    if mock.not_following.contains(&msg.openid) {
        return errcode(43004, "require subscribe");
    }
    let msgid = mock.next_msgid;
    mock.next_msgid += 1;
    mock.sent.push(SentTemplate { msgid, ..msg });
    axum::Json(json!({ "errcode": 0, "errmsg": "ok", "msgid": msgid })).into_response()
}

/// The request body as the vendor documents it; `None` when it is not.
fn parse(body: &[u8]) -> Option<SentTemplate> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut data = Vec::new();
    for (keyword, entry) in v.get("data")?.as_object()? {
        let value = entry.as_object()?.get("value")?.as_str()?;
        data.push((keyword.clone(), value.to_owned()));
    }
    data.sort();
    Some(SentTemplate {
        openid: text("touser")?,
        template_id: text("template_id")?,
        url: text("url"),
        data,
        client_msg_id: text("client_msg_id"),
        msgid: 0,
    })
}
