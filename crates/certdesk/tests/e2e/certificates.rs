//! O9 in a real browser: a pass released on the real binary (test clock, API calls) becomes a
//! certificate that anyone verifies on its public page, in zh-CN, at a phone's width; a
//! mistyped number typed into the page's form is answered with "证书编号有误"; the holder's
//! list and the operators' pages render at that width too.

use std::io::Write as _;
use std::process::{Command, Stdio};

use crate::browser::Browser;
use crate::http::id_number;
use crate::journey::{fill, testid, wait_for_path};
use crate::server::{Server, binary};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

struct Api<'a> {
    http: reqwest::Client,
    server: &'a Server,
}

impl Api<'_> {
    async fn call(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Value {
        let url = self.server.url(path);
        let mut req = match method {
            "PUT" => self.http.put(url),
            "GET" => self.http.get(url),
            _ => self.http.post(url),
        };
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if method != "GET" {
            req = req.json(&body);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    async fn log_in(&self, email: &str) -> String {
        let s = self
            .call(
                "POST",
                "/api/v1/sessions",
                None,
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        s["token"].as_str().unwrap().to_owned()
    }

    async fn clock(&self, now: &str) {
        self.call("PUT", "/api/v1/test/clock", None, json!({ "now": now }))
            .await;
    }
}

/// An operator added with the CLI to the database in `dir`.
fn add_operator(dir: &tempfile::TempDir) {
    let url = format!("sqlite:{}", dir.path().join("certdesk.db").display());
    let mut child = Command::new(binary())
        .args([
            "user",
            "add",
            "--email",
            "ops@example.cn",
            "--role",
            "admin",
        ])
        .args(["--password-stdin", "--database-url", &url])
        .env_remove("CERTDESK_SECRET_KEY")
        .env("CERTDESK_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("certdesk user add");
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{PASSWORD}").unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

/// Through the API: one candidate buys a seat, sits the exam, passes; the certificate number.
async fn a_certificate(api: &Api<'_>) -> String {
    api.clock("2027-03-02T10:00:00+08:00").await;
    let ops = api.log_in("ops@example.cn").await;
    let period = api
        .call(
            "POST",
            "/api/v1/admin/exam-periods",
            Some(&ops),
            json!({"certification": "TCCA-DEV-A", "starts_at": "2027-04-10T09:00:00+08:00",
                   "ends_at": "2027-04-10T11:00:00+08:00", "cities": [{"city": "深圳", "capacity": 5}]}),
        )
        .await;
    let me = api
        .call(
            "POST",
            "/api/v1/accounts",
            None,
            json!({"email": "lilei@example.cn", "password": PASSWORD}),
        )
        .await;
    let token = api.log_in("lilei@example.cn").await;
    api.call(
        "PUT",
        "/api/v1/me/identity",
        Some(&token),
        json!({"real_name": "李雷", "id_number": id_number("11010519900101001")}),
    )
    .await;
    api.call(
        "POST",
        &format!("/api/v1/admin/accounts/{}/credits", me["id"]),
        Some(&ops),
        json!({"kind": "cash", "amount_fen": 70_000, "reason": "e2e"}),
    )
    .await;
    let placed = api
        .call(
            "POST",
            "/api/v1/orders",
            Some(&token),
            json!({"period_id": period["id"], "city": "深圳"}),
        )
        .await;
    api.clock("2027-04-10T12:00:00+08:00").await;
    let ops = api.log_in("ops@example.cn").await;
    api.call(
        "POST",
        "/api/v1/admin/results",
        Some(&ops),
        json!({"results": [{"registration_id": placed["registration"]["id"], "score": 88}]}),
    )
    .await;
    api.clock("2027-04-10T12:00:01+08:00").await;
    let token = api.log_in("lilei@example.cn").await;
    let mine = api
        .call("GET", "/api/v1/me/certificates", Some(&token), Value::Null)
        .await;
    mine[0]["number"]
        .as_str()
        .expect("a certificate")
        .to_owned()
}

#[tokio::test]
async fn anyone_verifies_a_certificate_on_its_public_page() {
    let Some(browser) = Browser::start("anyone_verifies_a_certificate_on_its_public_page").await
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    add_operator(&dir);
    let server = Server::start_in(dir, &["--test-clock"]);
    let api = Api {
        http: reqwest::Client::new(),
        server: &server,
    };
    let number = a_certificate(&api).await;
    let c = &browser.client;
    c.set_window_size(390, 1200).await.expect("a phone's width");

    c.goto(&server.url(&format!("/certificates/{number}")))
        .await
        .unwrap();
    let status = testid(c, "certificate-status").await;
    assert_eq!(
        status.attr("data-status").await.unwrap().as_deref(),
        Some("valid")
    );
    let holder = testid(c, "holder-name").await.text().await.unwrap();
    assert_eq!(holder.trim(), "李*");
    let issued = testid(c, "issued-at").await.text().await.unwrap();
    assert!(issued.contains("2027年4月10日"), "{issued}");
    let body = c.source().await.unwrap();
    assert!(!body.contains("李雷") && !body.contains("110105"));
    browser.screenshot("certificate-public-zh-CN.png").await;

    // A typo in the last digit, typed into the page's own form.
    let typo = format!(
        "{}{}",
        &number[..14],
        (number[14..].parse::<u8>().unwrap() + 1) % 10
    );
    fill(c, "verify-number", &typo).await;
    testid(c, "verify-submit").await.click().await.unwrap();
    let bad = testid(c, "certificate-bad-number").await;
    assert!(bad.text().await.unwrap().contains("证书编号有误"));
    browser.screenshot("certificate-bad-number-zh-CN.png").await;

    // The holder finds it under My account, with the link to share and the paper copy pending.
    c.goto(&server.url("/login")).await.unwrap();
    fill(c, "login-email", "lilei@example.cn").await;
    fill(c, "login-password", PASSWORD).await;
    testid(c, "login-submit").await.click().await.unwrap();
    wait_for_path(c, "/account").await;
    let mine = testid(c, &format!("my-cert-{number}")).await;
    assert_eq!(
        mine.attr("data-status").await.unwrap().as_deref(),
        Some("valid")
    );
    let link = testid(c, "verify-link").await.prop("value").await.unwrap();
    assert!(
        link.is_some_and(|l| l.ends_with(&format!("/certificates/{number}"))),
        "the verification link"
    );
    testid(c, "address-needed").await;
    browser.screenshot("account-certificates-zh-CN.png").await;

    // The operator finds it in the paper queue, waiting for the address.
    testid(c, "logout").await.click().await.unwrap();
    // The click only starts the log-out: going to /login before it lands raced it, and the
    // log-out's redirect to / could replace the log-in page (a CI run timed out on it).
    testid(c, "nav-login").await;
    c.goto(&server.url("/login")).await.unwrap();
    fill(c, "login-email", "ops@example.cn").await;
    fill(c, "login-password", PASSWORD).await;
    testid(c, "login-submit").await.click().await.unwrap();
    wait_for_path(c, "/account").await;
    c.goto(&server.url("/admin/paper-certificates"))
        .await
        .unwrap();
    testid(c, "paper-pending").await;
    let queued = c
        .find(fantoccini::Locator::Css("[data-has-address='false']"))
        .await
        .expect("a paper certificate without an address");
    assert!(queued.text().await.unwrap().contains(&number));
    browser.screenshot("admin-paper-zh-CN.png").await;
    c.goto(&server.url(&format!("/admin/certificates?number={number}")))
        .await
        .unwrap();
    testid(c, "revoke-form").await;
    browser.screenshot("admin-certificate-zh-CN.png").await;
    browser.close().await;
}
