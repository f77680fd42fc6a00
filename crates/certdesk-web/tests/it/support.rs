//! `TestApp`: the router over a fresh store (SQLite, or PostgreSQL with
//! `CERTDESK_TEST_DATABASE=postgres`), a frozen test clock and the app; helpers
//! for JSON calls and a tiny cookie-keeping browser for the pages.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use certdesk_app::{App, AppParts, SecretKey};
use certdesk_domain::{Policy, Role, TestClock};
use certdesk_store_sql::SqlStore;
use certdesk_store_sql::testing::TestDatabase;
use certdesk_web::{WebConfig, router};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// The server's secret key in tests (hex), so a test can sign as the sandbox gateway does.
pub const TEST_SECRET_KEY: &str =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// The instant tests start at: Tuesday 2 March 2027, 09:00 Beijing time.
pub const START: &str = "2027-03-02T01:00:00Z";

/// The TCP peer of a test request that names none (`Browser::from`, `TestApp::send_from`):
/// a documentation address, not a trusted proxy, as a browser on the internet would be.
pub const TEST_PEER: &str = "198.51.100.20:50000";

/// A public URL served over HTTPS (`TestApp::over_https`).
pub const HTTPS_URL: &str = "https://certs.example.com";

pub struct TestApp {
    pub app: Arc<App>,
    pub router: Router,
    pub clock: TestClock,
    pub store: Arc<SqlStore>,
}

/// A response, body read.
#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent (PDFs and other binary downloads).
    pub bytes: Vec<u8>,
}

impl Res {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// `error.code` of an E1 body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {}", self.body))
            .to_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }
}

/// A valid 18-character resident ID number from its first 17 digits (GB 11643-1999).
pub fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    /// With the test clock route (SPEC T3).
    pub async fn new() -> TestApp {
        TestApp::build(true, false, true).await
    }

    /// Without the test clock route.
    pub async fn without_test_clock() -> TestApp {
        TestApp::build(false, false, true).await
    }

    /// Served at an `https://` public URL: `Secure`, `__Host-` cookies and HSTS.
    pub async fn over_https() -> TestApp {
        TestApp::build(false, true, true).await
    }

    /// As a production deployment runs: no test clock and no sandbox payment gateway.
    pub async fn production_like() -> TestApp {
        TestApp::build(false, false, false).await
    }

    /// With the test clock route and `policy` instead of the default one.
    pub async fn with_policy(policy: Policy) -> TestApp {
        TestApp::build_with(true, false, true, policy).await
    }

    async fn build(test_clock: bool, https: bool, sandbox_payments: bool) -> TestApp {
        TestApp::build_with(test_clock, https, sandbox_payments, Policy::default()).await
    }

    /// With the test clock route and email sent to the SMTP server at `smtp_url`.
    pub async fn with_email(smtp_url: &str) -> TestApp {
        let mailer = certdesk_notify::email::Mailer::new(
            certdesk_notify::email::EmailConfig::new(
                smtp_url,
                "认证考试中心 <exams@certdesk.example.cn>",
            )
            .unwrap(),
        )
        .unwrap();
        let sender: Arc<dyn certdesk_notify::Sender> =
            Arc::new(certdesk_notify::senders::EmailSender::new(mailer));
        TestApp::build_full(true, false, true, Policy::default(), Some(sender)).await
    }

    async fn build_with(
        test_clock: bool,
        https: bool,
        sandbox_payments: bool,
        policy: Policy,
    ) -> TestApp {
        TestApp::build_full(test_clock, https, sandbox_payments, policy, None).await
    }

    async fn build_full(
        test_clock: bool,
        https: bool,
        sandbox_payments: bool,
        policy: Policy,
        sender: Option<Arc<dyn certdesk_notify::Sender>>,
    ) -> TestApp {
        // SQLite, or PostgreSQL with CERTDESK_TEST_DATABASE=postgres; the store keeps its
        // scratch database alive.
        let store = Arc::new(TestDatabase::from_env("certdesk-web").await.open().await);
        let clock = TestClock::new(START.parse().unwrap());
        let mut app = App::new(AppParts {
            store: store.clone(),
            clock: Arc::new(clock.clone()),
            secret_key: SecretKey::from_encoded(TEST_SECRET_KEY).unwrap(),
            policy,
            sandbox_payments,
        });
        if let Some(sender) = sender {
            app = app.with_sender(sender);
        }
        if https {
            app = app.with_public_url(HTTPS_URL);
        }
        let app = Arc::new(app);
        app.seed_default_catalogue()
            .await
            .expect("seed the catalogue");
        let config = WebConfig {
            test_clock: test_clock.then(|| clock.clone()),
            trusted_proxies: Default::default(),
            body_limit_bytes: 64 * 1024,
            upload_limit_bytes: 16 * 1024 * 1024,
            metrics_token: None,
            contact: Default::default(),
            load: Default::default(),
        };
        let router = router(app.clone(), config);
        TestApp {
            app,
            router,
            clock,
            store,
        }
    }

    /// Sends a request; fails the test on any 5xx.
    pub async fn send(&self, req: Request<Body>) -> Res {
        let what = format!("{} {}", req.method(), req.uri());
        let res = self.send_allowing_5xx(req).await;
        assert!(
            !res.status.is_server_error(),
            "{what} answered {}: {}",
            res.status,
            res.body
        );
        res
    }

    /// Sends a request as if from `peer` (the TCP peer `certdesk_web::serve` would see);
    /// fails the test on any 5xx.
    pub async fn send_from(&self, peer: &str, mut req: Request<Body>) -> Res {
        let peer: SocketAddr = peer.parse().expect("a socket address");
        req.extensions_mut().insert(ConnectInfo(peer));
        self.send(req).await
    }

    /// Sends a request that may legitimately answer 5xx (`/readyz` with the database gone).
    /// A request without a peer comes from `TEST_PEER`.
    pub async fn send_allowing_5xx(&self, mut req: Request<Body>) -> Res {
        if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut()
                .insert(ConnectInfo(TEST_PEER.parse::<SocketAddr>().unwrap()));
        }
        let res = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("the router is infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res
            .into_body()
            .collect()
            .await
            .expect("read the body")
            .to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Res {
            status,
            headers,
            body,
            bytes: bytes.to_vec(),
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        self.call_with(method, path, token, body, &[]).await
    }

    pub async fn call_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Res {
        self.call(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    /// Signs up through the API; returns the account id.
    pub async fn sign_up(&self, email: &str) -> i64 {
        let res = self
            .post(
                "/api/v1/accounts",
                None,
                serde_json::json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        res.json()["id"].as_i64().unwrap()
    }

    /// Logs in through the API; returns the bearer token.
    pub async fn log_in(&self, email: &str) -> String {
        let res = self
            .post(
                "/api/v1/sessions",
                None,
                serde_json::json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.json()["token"].as_str().unwrap().to_owned()
    }

    /// A new candidate, logged in.
    pub async fn candidate(&self, email: &str) -> String {
        self.sign_up(email).await;
        self.log_in(email).await
    }

    /// A new operator (role admin), logged in.
    pub async fn admin(&self, email: &str) -> String {
        self.app
            .add_user(email, PASSWORD, Role::Admin, None)
            .await
            .expect("add an admin");
        self.log_in(email).await
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: BTreeMap::new(),
            peer: TEST_PEER.to_owned(),
        }
    }
}

/// Keeps cookies between page requests and finds the CSRF token in forms.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    /// The TCP peer its requests come from.
    pub peer: String,
}

impl Browser<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, res: &Res) {
        for c in res.set_cookies() {
            let first = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k.trim());
                } else {
                    self.cookies
                        .insert(k.trim().to_owned(), v.trim().to_owned());
                }
            }
        }
    }

    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        form: Option<&[(&str, &str)]>,
        extra: &[(&str, &str)],
    ) -> Res {
        let mut b = Request::builder().method(method).uri(path);
        if !self.cookies.is_empty() {
            b = b.header(header::COOKIE, self.cookie_header());
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let req = match form {
            Some(fields) => b
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        let res = self.app.send_from(&self.peer, req).await;
        self.keep_cookies(&res);
        res
    }

    pub async fn get(&mut self, path: &str) -> Res {
        self.request(Method::GET, path, None, &[]).await
    }

    /// Sends a request built by the caller (e.g. a multipart upload), keeping its cookies.
    pub async fn send(&mut self, req: Request<Body>) -> Res {
        let res = self.app.send_from(&self.peer, req).await;
        self.keep_cookies(&res);
        res
    }

    /// Posts a form as a browser would: with the CSRF token of the page at `form_page`.
    pub async fn submit(&mut self, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Res {
        let page = self.get(form_page).await;
        let token = csrf_token(&page.body);
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.request(Method::POST, action, Some(&all), &[]).await
    }

    /// Signs up through the pages (and so is signed in).
    pub async fn sign_up(&mut self, email: &str) -> Res {
        self.submit(
            "/signup",
            "/signup",
            &[("email", email), ("password", PASSWORD), ("phone", "")],
        )
        .await
    }
}

/// The `csrf_token` hidden field's value in a page.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no CSRF field in {html}"))
        + marker.len();
    let len = html[start..].find('"').unwrap();
    html[start..start + len].to_owned()
}
