//! O4 in a real browser on the demo programme with the test clock: an operator adds a venue
//! through `/admin/venues`; a candidate who bought a seat sees, once the ticket window opens,
//! the printable admission ticket with its QR code on the exam page; the operator checks the
//! ticket in at `/admin/check-in` — once, then a harmless second scan. Printing the exam page
//! prints the ticket alone.

use crate::browser::Browser;
use crate::http::api;
use crate::journey::{fill, testid};
use crate::server::Server;
use fantoccini::{Client, Locator};
use serde_json::json;

async fn log_in(c: &Client, server: &Server, email: &str, password: &str) {
    c.goto(&server.url("/login")).await.unwrap();
    fill(c, "login-email", email).await;
    fill(c, "login-password", password).await;
    testid(c, "login-submit").await.click().await.unwrap();
    testid(c, "logout").await;
}

async fn log_out(c: &Client) {
    testid(c, "logout").await.click().await.unwrap();
    testid(c, "nav-login").await;
}

/// The text of a PDF, by poppler's pdftotext (installed by scripts/test; required).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("printed.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs: install poppler-utils (scripts/test does)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn a_candidate_prints_the_admission_ticket_and_the_desk_checks_it_in() {
    let Some(browser) =
        Browser::start("a_candidate_prints_the_admission_ticket_and_the_desk_checks_it_in").await
    else {
        return;
    };
    let server = Server::start(&["--demo", "--test-clock"]);
    let c = &browser.client;
    let http = reqwest::Client::new();

    // The operator adds a venue in 深圳 through the page.
    log_in(c, &server, "admin@demo.certdesk.cn", "demo-operator-1").await;
    c.goto(&server.url("/admin/venues")).await.unwrap();
    fill(c, "venue-city", "深圳").await;
    fill(c, "venue-name", "南山考点").await;
    fill(c, "venue-address", "广东省深圳市南山区科苑路 8 号").await;
    fill(c, "venue-seats", "40").await;
    testid(c, "venue-submit").await.click().await.unwrap();
    testid(c, "venue-created").await;
    testid(c, "venue-city-深圳").await;
    log_out(c).await;

    // 李雷 buys the open cloud-architecture period in 深圳 (through the API, as the browser
    // journey of buying is tested elsewhere).
    let login = json!({"email": "lilei@demo.certdesk.cn", "password": "demo-candidate-1"});
    let session = api(http.post(server.url("/api/v1/sessions")).json(&login)).await;
    let token = session["token"].as_str().unwrap().to_owned();
    let url = server.url("/api/v1/exam-periods?certification=TCCA-ARC-A");
    let periods = api(http.get(url)).await;
    let period = &periods[0];
    let order = json!({"period_id": period["id"], "city": "深圳"});
    let orders = http.post(server.url("/api/v1/orders")).bearer_auth(&token);
    let placed = api(orders.json(&order)).await;
    let registration = placed["registration"]["id"].as_i64().unwrap();

    // O4: the window opens 5 days before the exam; the issuing job runs as the clock is set.
    let starts: jiff::Timestamp = period["starts_at"].as_str().unwrap().parse().unwrap();
    let opens = starts - jiff::SignedDuration::from_hours(5 * 24);
    let now = json!({"now": opens.to_string()});
    api(http.put(server.url("/api/v1/test/clock")).json(&now)).await;

    log_in(c, &server, "lilei@demo.certdesk.cn", "demo-candidate-1").await;
    c.goto(&server.url(&format!("/exams/{registration}")))
        .await
        .unwrap();
    let ticket = testid(c, "admission-ticket").await;
    let number = ticket.attr("data-number").await.unwrap().expect("a number");
    assert_eq!(
        testid(c, "ticket-number").await.text().await.unwrap(),
        number
    );
    assert_eq!(
        testid(c, "ticket-holder").await.text().await.unwrap(),
        "李雷"
    );
    let time = testid(c, "ticket-time").await.text().await.unwrap();
    assert!(
        time.contains("北京时间") && time.contains("Beijing time"),
        "{time}"
    );
    let qr = testid(c, "ticket-qr").await;
    let code = qr.attr("data-code").await.unwrap().expect("the QR payload");
    c.find(Locator::Css("[data-testid='ticket-qr'] svg"))
        .await
        .expect("the QR code is drawn");
    testid(c, "ticket-pdf").await;
    testid(c, "ticket-ics").await;
    browser.screenshot("admission-ticket-zh-CN.png").await;
    // Printing the page prints the ticket alone (print CSS): read back with pdftotext.
    let printed = c
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .expect("print the page");
    let text = pdf_text(&printed);
    assert!(text.contains(&number) && text.contains("准考证"), "{text}");
    assert!(
        !text.contains("报名详情"),
        "the exam details are not printed: {text}"
    );
    assert!(
        !text.contains("下载 PDF"),
        "the links are not printed: {text}"
    );
    log_out(c).await;

    // The desk scans the code (a scanner types it and presses Enter), then scans it again.
    log_in(c, &server, "admin@demo.certdesk.cn", "demo-operator-1").await;
    for want in ["ok", "again"] {
        c.goto(&server.url("/admin/check-in")).await.unwrap();
        fill(c, "check-in-code", &code).await;
        testid(c, "check-in-submit").await.click().await.unwrap();
        let result = testid(c, "check-in-result").await;
        assert_eq!(
            result.attr("data-state").await.unwrap().as_deref(),
            Some(want)
        );
        assert_eq!(
            testid(c, "check-in-number").await.text().await.unwrap(),
            number
        );
    }
    browser.screenshot("check-in-zh-CN.png").await;
    browser.close().await;
}
