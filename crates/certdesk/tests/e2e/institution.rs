//! I1/I3 in a real browser, in zh-CN, with no account: a candidate picks an institution from
//! the public list, ticks its agreement, types their details, pays in the sandbox, lands on
//! the management page, picks a test centre and books a Monday slot there; the page then
//! shows the appointment in Beijing time with I5's deadline. The real binary with the test
//! clock; the operator account made by `certdesk user add` before it starts. Fails (never
//! skips) without Chromium.

use std::io::Write;
use std::process::{Command, Stdio};

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::browser::Browser;
use crate::http::{api, id_number, token};
use crate::journey::{fill, testid};
use crate::server::{Server, binary};

const PASSWORD: &str = "correct horse battery";

/// `certdesk user add` on the database in `dir`, the password on stdin.
fn add_operator(dir: &tempfile::TempDir, email: &str) {
    let url = format!("sqlite:{}", dir.path().join("certdesk.db").display());
    let args = [
        "user",
        "add",
        "--email",
        email,
        "--role",
        "admin",
        "--password-stdin",
    ];
    let mut child = Command::new(binary())
        .args(args)
        .args(["--database-url", &url])
        .env_remove("CERTDESK_SECRET_KEY")
        .env("CERTDESK_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run certdesk user add");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(PASSWORD.as_bytes()).unwrap();
    stdin.write_all(b"\n").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Waits until the browser is on a path for which `want` holds; that path.
async fn wait_for(c: &Client, what: &str, want: impl Fn(&str) -> bool) -> String {
    for _ in 0..100 {
        let url = c.current_url().await.expect("url");
        if want(url.path()) {
            return url.path().to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "never reached {what}; at {}",
        c.current_url().await.unwrap()
    );
}

#[tokio::test]
async fn a_candidate_without_an_account_books_a_slot_through_the_manage_page() {
    let browser =
        Browser::require("a_candidate_without_an_account_books_a_slot_through_the_manage_page")
            .await;
    let dir = tempfile::tempdir().expect("temp dir");
    add_operator(&dir, "ops@example.cn");
    let server = Server::start_in(dir, &["--test-clock"]);
    let http = reqwest::Client::new();
    // Monday 20 April 2026, 09:00 Beijing time (the 2026 holiday calendar is known).
    let now = json!({"now": "2026-04-20T09:00:00+08:00"});
    api(http.put(server.url("/api/v1/test/clock")).json(&now)).await;
    let ops = token(&http, &server, "ops@example.cn", PASSWORD).await;

    // The operator adds an institution with two centres and a Monday slot at one of them.
    let body = json!({"name": "华南云计算培训中心", "hotline": "0755-8888 6666",
                      "email": "exam@huanan.example.cn", "agreement_text": "报名协议第一版。"});
    let made = api(http
        .post(server.url("/api/v1/admin/institutions"))
        .bearer_auth(&ops)
        .json(&body))
    .await;
    let institution = made["id"].as_i64().unwrap();
    let mut centres = Vec::new();
    for (city, name) in [("广州", "天河考点"), ("深圳", "福田考点")] {
        let body = json!({"institution_id": institution, "name": name, "city": city,
                          "address": format!("{city}市某区某路 1 号"),
                          "contact_name": "王老师", "contact_phone": "0755-1234 5678"});
        let centre = api(http
            .post(server.url("/api/v1/admin/test-centres"))
            .bearer_auth(&ops)
            .json(&body))
        .await;
        centres.push(centre["id"].as_i64().unwrap());
    }
    let shenzhen = centres[1];
    let body =
        json!({"centre_id": shenzhen, "date": "2026-05-18", "starts_at": "09:00", "capacity": 5});
    let slot = api(http
        .post(server.url("/api/v1/institution/slots"))
        .bearer_auth(&ops)
        .json(&body))
    .await;
    let slot = slot["id"].as_i64().unwrap();

    // From the public list to the registration form; the agreement ticked, details typed.
    let c = &browser.client;
    c.goto(&server.url("/institutions")).await.unwrap();
    testid(c, &format!("register-with-{institution}"))
        .await
        .click()
        .await
        .unwrap();
    let text = testid(c, "agreement-text").await.text().await.unwrap();
    assert_eq!(text, "报名协议第一版。");
    testid(c, "accept").await.click().await.unwrap();
    testid(c, "certification")
        .await
        .select_by_value("TCCA-DEV-A")
        .await
        .unwrap();
    fill(c, "real_name", "韩梅梅").await;
    fill(c, "id_number", &id_number("44030519920202001")).await;
    fill(c, "phone", "13800138000").await;
    fill(c, "email", "meimei@example.com").await;
    browser.screenshot("institution-register-zh-CN.png").await;
    testid(c, "register-submit").await.click().await.unwrap();

    // The payment step, paid in the sandbox, then the management page.
    let payment = wait_for(c, "the payment step", |p| {
        p.starts_with("/manage/") && p.ends_with("/payment")
    })
    .await;
    assert_eq!(
        testid(c, "payment-amount").await.text().await.unwrap(),
        "¥700.00"
    );
    testid(c, "sandbox-pay").await.click().await.unwrap();
    let manage = payment.trim_end_matches("/payment").to_owned();
    wait_for(c, "the management page", |p| p == manage).await;
    testid(c, "manage-banner").await;
    let attempt = c
        .find(Locator::Css("section[data-testid^='attempt-']"))
        .await
        .expect("the registration");
    assert_eq!(
        attempt.attr("data-status").await.unwrap().as_deref(),
        Some("confirmed")
    );
    let id = attempt.attr("data-testid").await.unwrap().unwrap();
    let id = id.trim_start_matches("attempt-").to_owned();
    let help = testid(c, "institution-help").await.text().await.unwrap();
    assert!(help.contains("0755-8888 6666"), "I9: {help}");

    // Picks 深圳 from the list, sees its Monday slot, books it with one button.
    testid(c, "centre-select")
        .await
        .select_by_value(&shenzhen.to_string())
        .await
        .unwrap();
    testid(c, "show-slots").await.click().await.unwrap();
    let row = testid(c, &format!("slot-{slot}")).await;
    assert_eq!(
        row.attr("data-seats-left").await.unwrap().as_deref(),
        Some("5")
    );
    browser.screenshot("manage-slots-zh-CN.png").await;
    testid(c, &format!("book-{slot}"))
        .await
        .click()
        .await
        .unwrap();
    testid(c, "manage-banner").await;
    let when = testid(c, &format!("appointment-{id}-time"))
        .await
        .text()
        .await
        .unwrap();
    assert!(when.starts_with("2026年5月18日（星期一）09:00"), "{when}");
    assert!(when.contains("北京时间"), "{when}");
    let centre = testid(c, &format!("appointment-{id}-centre"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        centre.contains("深圳 · 福田考点") && centre.contains("深圳市某区某路 1 号"),
        "{centre}"
    );
    let until = testid(c, &format!("change-until-{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(until, "2026年5月16日 00:00（北京时间）之前");
    testid(c, "slot-current").await;
    browser.screenshot("manage-booked-zh-CN.png").await;

    // The server agrees: the appointment is that slot.
    let manage_token = manage.trim_start_matches("/manage/");
    let r = api(http
        .get(server.url(&format!("/api/v1/registrations/{id}")))
        .bearer_auth(manage_token))
    .await;
    assert_eq!(r["appointment"]["slot_id"], slot, "{r}");
    browser.close().await;
}
