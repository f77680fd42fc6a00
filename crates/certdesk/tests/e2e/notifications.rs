//! O6/P2 end to end with the real binary and the vendors' protocols on loopback: a paid order
//! gives an inbox message, a correctly signed SendSms, a WeChat template message and — once
//! the SMTP server that was down comes back — the email; a send WeChat refuses for good goes
//! dead, and an operator retries it from `/admin/jobs` in a real browser.

use std::time::Duration;

use certdesk_notify::testing::sinks::Sinks;
use certdesk_notify::testing::smtp_server::SmtpServer;
use serde_json::json;

use crate::browser::Browser;
use crate::http::{api, token};
use crate::journey::{fill, testid};
use crate::server::Server;

/// Polls `probe` until it holds, for at most 15 s.
async fn eventually(what: &str, mut probe: impl FnMut() -> bool) {
    for _ in 0..150 {
        if probe() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never happened: {what}");
}

/// Moves the server's test clock (every job due by then runs before the answer).
async fn clock_to(http: &reqwest::Client, server: &Server, now: jiff::Timestamp) {
    let body = json!({"now": now.to_string()});
    api(http.put(server.url("/api/v1/test/clock")).json(&body)).await;
}

// Multi-threaded: the sinks answer on this runtime while the test blocks waiting for the
// server to start (the demo's notices go out before it listens).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paid_order_reaches_every_channel_and_a_dead_send_is_retried_by_an_operator() {
    let Some(browser) = Browser::start(
        "a_paid_order_reaches_every_channel_and_a_dead_send_is_retried_by_an_operator",
    )
    .await
    else {
        return;
    };
    let sinks = Sinks::start().await;
    let env = sinks.env(
        "registration_confirmed=2001",
        "registration_confirmed=T-confirm,credit_received=T-credit",
    );
    let (smtp, sms, wechat) = (&sinks.smtp, &sinks.sms, &sinks.wechat);
    let server = Server::start_with_env(&["--demo", "--test-clock"], &env);
    let http = reqwest::Client::new();
    let admin = token(&http, &server, "admin@demo.certdesk.cn", "demo-operator-1").await;
    let me = token(&http, &server, "lilei@demo.certdesk.cn", "demo-candidate-1").await;

    // 李雷 gives a phone number and binds WeChat; cash to pay with.
    let contacts = json!({"phone": "13800138000", "wechat_openid": "o-lilei-e2e", "opted_out": []});
    let account = api(http
        .put(server.url("/api/v1/me/contacts"))
        .bearer_auth(&me)
        .json(&contacts))
    .await;
    let credit = json!({"kind": "cash", "amount_fen": 200_000, "reason": "测试充值"});
    let path = format!("/api/v1/admin/accounts/{}/credits", account["id"]);
    api(http
        .post(server.url(&path))
        .bearer_auth(&admin)
        .json(&credit))
    .await;

    // The mail server is down when 李雷 pays (the demo's own orders were confirmed before).
    let confirmations = |smtp: &SmtpServer| {
        smtp.messages()
            .iter()
            .filter(|m| {
                m.subject().as_deref() == Some("报名成功")
                    && m.to().iter().any(|t| t.address == "lilei@demo.certdesk.cn")
            })
            .count()
    };
    let before = confirmations(smtp);
    smtp.set_down(true).await;
    let periods = api(http.get(server.url("/api/v1/exam-periods"))).await;
    let (period, city) = periods
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| {
            let city = p["cities"]
                .as_array()?
                .iter()
                .find(|c| c["seats_left"].as_u64() > Some(0))?;
            (p["certification"] != "TCCA-FND").then(|| (p["id"].clone(), city["city"].clone()))
        })
        .expect("a demo period with a seat");
    let order = json!({"period_id": period, "city": city});
    let placed = api(http
        .post(server.url("/api/v1/orders"))
        .bearer_auth(&me)
        .json(&order))
    .await;
    // The test clock stands still: the payment's instant is "now".
    let paid_at: jiff::Timestamp = placed["order"]["paid_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    // SMS, correctly signed (the server checks TC3), and WeChat arrive at once.
    eventually("the confirmation SMS", || {
        sms.accepted()
            .iter()
            .any(|m| m.phone == "+8613800138000" && m.template_id == "2001")
    })
    .await;
    eventually("the confirmation on WeChat", || {
        wechat
            .sent()
            .iter()
            .any(|m| m.openid == "o-lilei-e2e" && m.template_id == "T-confirm")
    })
    .await;
    let inbox = api(http.get(server.url("/api/v1/me/messages")).bearer_auth(&me)).await;
    assert!(inbox.to_string().contains("报名成功"), "{inbox}");
    assert_eq!(confirmations(smtp), before, "the mail server is down");

    // It comes back; the retry (after its backoff, an hour later on the test clock) delivers.
    smtp.set_down(false).await;
    clock_to(
        &http,
        &server,
        paid_at + jiff::SignedDuration::from_hours(1),
    )
    .await;
    eventually("the confirmation email after the outage", || {
        confirmations(smtp) == before + 1
    })
    .await;
    assert_eq!(
        sms.accepted()
            .iter()
            .filter(|m| m.template_id == "2001" && m.phone == "+8613800138000")
            .count(),
        1
    );

    // WeChat refuses the next template for good: the credit's WeChat job goes dead.
    wechat.fail_next(1, 40037);
    let credit = json!({"kind": "gift", "amount_fen": 5_000, "reason": "活动赠送"});
    api(http
        .post(server.url(&path))
        .bearer_auth(&admin)
        .json(&credit))
    .await;
    let dead = loop_dead(&http, &server, &admin).await;

    // The operator sees it on /admin/jobs and retries it; it is delivered.
    let c = &browser.client;
    c.goto(&server.url("/login")).await.unwrap();
    fill(c, "login-email", "admin@demo.certdesk.cn").await;
    fill(c, "login-password", "demo-operator-1").await;
    testid(c, "login-submit").await.click().await.unwrap();
    testid(c, "logout").await;
    c.goto(&server.url("/admin/jobs")).await.unwrap();
    let row = testid(c, &format!("job-{dead}")).await;
    let text = row.text().await.unwrap();
    assert!(text.contains("wechat") && text.contains("40037"), "{text}");
    browser.screenshot("admin-dead-notification").await;
    testid(c, &format!("retry-{dead}"))
        .await
        .click()
        .await
        .unwrap();
    eventually("the retried credit notice on WeChat", || {
        wechat.sent().iter().any(|m| m.template_id == "T-credit")
    })
    .await;
    browser.close().await;
}

/// The dead WeChat job's id, once the worker has tried it.
async fn loop_dead(http: &reqwest::Client, server: &Server, admin: &str) -> i64 {
    for _ in 0..150 {
        let dead = api(http
            .get(server.url("/api/v1/admin/jobs?status=dead"))
            .bearer_auth(admin))
        .await;
        let items = dead.as_array().cloned().unwrap_or_default();
        if let Some(job) = items.iter().find(|j| j["channel"] == "wechat") {
            assert!(
                job["last_error"].as_str().unwrap().contains("40037"),
                "{job}"
            );
            return job["id"].as_i64().unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no dead WeChat job");
}
