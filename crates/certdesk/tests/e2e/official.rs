//! The official channel in a real browser, in zh-CN, on the demo programme: pick a period and
//! a city, apply a voucher, pay gift-first, see the exam with its deadlines, preview and take
//! the refund, then top up cash through the sandbox gateway.

use crate::browser::Browser;
use crate::journey::{fill, testid, wait_for_path};
use crate::server::Server;
use fantoccini::{Client, Locator};
use std::time::Duration;

async fn text_of(c: &Client, id: &str) -> String {
    testid(c, id).await.text().await.unwrap_or_default()
}

/// Waits until the element's text is `want` (htmx may still be swapping it in).
async fn wait_text(c: &Client, id: &str, want: &str) {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(&format!("[data-testid='{id}']"))).await
            && let Ok(t) = el.text().await
        {
            if t.trim() == want {
                return;
            }
            last = t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{id} shows {last:?}, expected {want:?}");
}

#[tokio::test]
async fn candidate_pays_with_voucher_and_gift_then_refunds_and_tops_up() {
    let Some(browser) =
        Browser::start("candidate_pays_with_voucher_and_gift_then_refunds_and_tops_up").await
    else {
        return;
    };
    let server = Server::start(&["--demo"]);
    let c = &browser.client;

    c.goto(&server.url("/login")).await.unwrap();
    fill(c, "login-email", "lilei@demo.certdesk.cn").await;
    fill(c, "login-password", "demo-candidate-1").await;
    testid(c, "login-submit").await.click().await.unwrap();
    wait_for_path(c, "/account").await;

    // The open cloud-architecture period: register in 深圳.
    c.goto(&server.url("/certifications/TCCA-ARC-A"))
        .await
        .unwrap();
    let register = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(
            "[data-testid^='register-'][data-testid$='-深圳']",
        ))
        .await
        .expect("a register button for 深圳");
    register.click().await.unwrap();
    wait_for_path(c, "/checkout").await;
    wait_text(c, "checkout-price", "¥700.00").await;

    // O5: the voucher first, then gift credit (the default), then cash.
    testid(c, "voucher-select")
        .await
        .select_by_index(1)
        .await
        .expect("choose the voucher");
    wait_text(c, "plan-voucher", "¥100.00").await;
    wait_text(c, "plan-gift", "¥500.00").await;
    wait_text(c, "plan-cash", "¥100.00").await;
    let promise = text_of(c, "refund-promise").await;
    assert!(
        promise.contains("北京时间"),
        "the refund deadline is spelled out in Beijing time: {promise}"
    );
    browser.screenshot("checkout-zh-CN.png").await;
    testid(c, "pay-button").await.click().await.unwrap();
    let confirmed = testid(c, "registration-confirmed").await;
    let registration = confirmed
        .attr("data-registration")
        .await
        .unwrap()
        .expect("registration id");

    // My exams: the deadlines that limit the candidate (E3).
    c.goto(&server.url("/exams")).await.unwrap();
    let exam = testid(c, &format!("exam-{registration}")).await;
    assert_eq!(
        exam.attr("data-status").await.unwrap().as_deref(),
        Some("confirmed")
    );
    let refund_until = text_of(c, "refund-until").await;
    assert!(refund_until.contains("之前"), "{refund_until}");
    testid(c, "reschedule-until").await;

    // O10: the preview shows exactly what returns where; the voucher is forfeited.
    c.goto(&server.url(&format!("/exams/{registration}/refund")))
        .await
        .unwrap();
    wait_text(c, "refund-cash", "¥100.00").await;
    wait_text(c, "refund-gift", "¥500.00").await;
    wait_text(c, "refund-voucher-forfeited", "¥100.00").await;
    testid(c, "refund-confirm").await.click().await.unwrap();
    testid(c, "refunded-banner").await;

    // The wallet is whole again but for the voucher; then a sandbox top-up of ¥50.
    c.goto(&server.url("/wallet")).await.unwrap();
    wait_text(c, "wallet-cash", "¥3,000.00").await;
    wait_text(c, "wallet-gift", "¥500.00").await;
    fill(c, "topup-amount", "50").await;
    testid(c, "topup-submit").await.click().await.unwrap();
    testid(c, "sandbox-payment").await;
    testid(c, "sandbox-pay").await.click().await.unwrap();
    wait_for_path(c, "/wallet").await;
    wait_text(c, "wallet-cash", "¥3,050.00").await;
    browser.screenshot("wallet-zh-CN.png").await;
    browser.close().await;
}
