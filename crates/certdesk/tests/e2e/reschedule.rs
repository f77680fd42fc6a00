//! O7 in a real browser, in zh-CN, on the demo programme: a candidate buys the earlier of two
//! sittings, sees until when they may move, moves once to the later one from the exam page,
//! and is then told why they cannot move again.

use crate::browser::Browser;
use crate::journey::{fill, testid, wait_for_path};
use crate::server::Server;
use fantoccini::Locator;
use std::time::Duration;

#[tokio::test]
async fn a_candidate_moves_once_to_a_later_sitting() {
    let Some(browser) = Browser::start("a_candidate_moves_once_to_a_later_sitting").await else {
        return;
    };
    let server = Server::start(&["--demo"]);
    let c = &browser.client;
    c.goto(&server.url("/login")).await.unwrap();
    fill(c, "login-email", "hanmeimei@demo.certdesk.cn").await;
    fill(c, "login-password", "demo-candidate-2").await;
    testid(c, "login-submit").await.click().await.unwrap();
    wait_for_path(c, "/account").await;

    // The demo has two sittings of TCCA-ARC-A; the first 深圳 button is the earlier one.
    c.goto(&server.url("/certifications/TCCA-ARC-A"))
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(
            "[data-testid^='register-'][data-testid$='-深圳']",
        ))
        .await
        .expect("a register button for 深圳")
        .click()
        .await
        .unwrap();
    wait_for_path(c, "/checkout").await;
    testid(c, "pay-button").await.click().await.unwrap();
    let registration = testid(c, "registration-confirmed")
        .await
        .attr("data-registration")
        .await
        .unwrap()
        .expect("registration id");

    // The exam page says until when a move is allowed, in Beijing time (E3), and offers the
    // later sitting.
    c.goto(&server.url(&format!("/exams/{registration}")))
        .await
        .unwrap();
    let deadline = testid(c, "reschedule-deadline").await.text().await.unwrap();
    assert!(deadline.contains("北京时间"), "{deadline}");
    let section = testid(c, "reschedule").await;
    assert_eq!(
        section.attr("data-state").await.unwrap().as_deref(),
        Some("open")
    );
    let targets = c
        .find_all(Locator::Css(
            "button[data-testid^='reschedule-'][data-testid$='-深圳']",
        ))
        .await
        .unwrap();
    assert_eq!(targets.len(), 1, "only the later sitting is a target");
    browser.screenshot("reschedule-zh-CN.png").await;
    targets[0].click().await.unwrap();

    // Moved: the banner, and the section now says why no second move (O7: once).
    testid(c, "rescheduled-banner").await;
    let why = testid(c, "reschedule-unavailable").await;
    assert!(
        why.attr("data-reason").await.unwrap().is_some(),
        "the refusal names its reason"
    );
    assert!(!why.text().await.unwrap().trim().is_empty());
    c.goto(&server.url("/exams")).await.unwrap();
    let exam = testid(c, &format!("exam-{registration}")).await;
    assert!(exam.text().await.unwrap().contains("深圳"));
    browser.screenshot("rescheduled-zh-CN.png").await;
    browser.close().await;
}
