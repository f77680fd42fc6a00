//! The candidate's first journey in a real browser, in zh-CN: sign up → verify identity →
//! browse the catalogue. Leaves screenshots under `artifacts/`.

use crate::browser::Browser;
use crate::server::Server;
use fantoccini::{Client, Locator};
use std::time::Duration;

fn css(selector: &str) -> Locator<'_> {
    Locator::Css(selector)
}

pub async fn testid(client: &Client, id: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!("[data-testid='{id}']")))
        .await
        .unwrap_or_else(|e| panic!("no element data-testid={id}: {e}"))
}

pub async fn fill(client: &Client, id: &str, value: &str) {
    let field = testid(client, id).await;
    field.clear().await.expect("clear");
    field.send_keys(value).await.expect("type");
}

pub async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..100 {
        if client.current_url().await.expect("url").path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "never reached {path}; at {}",
        client.current_url().await.unwrap()
    );
}

#[tokio::test]
async fn candidate_signs_up_verifies_identity_and_browses_the_catalogue_in_zh_cn() {
    let Some(browser) =
        Browser::start("candidate_signs_up_verifies_identity_and_browses_the_catalogue_in_zh_cn")
            .await
    else {
        return;
    };
    let server = Server::start(&[]);
    let c = &browser.client;

    // Sign up: the page is Chinese by default.
    c.goto(&server.url("/signup")).await.expect("open sign-up");
    let html = c.find(css("html")).await.expect("html");
    assert_eq!(html.attr("lang").await.unwrap().as_deref(), Some("zh-CN"));
    fill(c, "signup-email", "wang.fang@example.cn").await;
    fill(c, "signup-password", "春眠不觉晓-2026").await;
    fill(c, "signup-phone", "13912345678").await;
    testid(c, "signup-submit")
        .await
        .click()
        .await
        .expect("submit sign-up");
    wait_for_path(c, "/account").await;
    let email = testid(c, "account-email").await.text().await.unwrap();
    assert_eq!(email, "wang.fang@example.cn");

    // Identity: a wrong check character is refused next to the field, in Chinese.
    c.goto(&server.url("/identity"))
        .await
        .expect("open identity");
    fill(c, "identity-real-name", "王芳").await;
    fill(c, "identity-id-number", "510107198510312895").await;
    testid(c, "identity-submit")
        .await
        .click()
        .await
        .expect("submit identity");
    let error = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(css("#id_number-error, [data-testid='id_number-error']"))
        .await
        .expect("an error next to the ID number field")
        .text()
        .await
        .unwrap();
    assert!(
        error.contains("校验"),
        "the refusal should name the check character, in Chinese: {error}"
    );

    // Now the right number: verified at once (default verifier), shown masked only.
    fill(c, "identity-real-name", "王芳").await;
    fill(c, "identity-id-number", "510107198510312896").await;
    testid(c, "identity-submit")
        .await
        .click()
        .await
        .expect("submit identity");
    let mut status = String::new();
    for _ in 0..100 {
        // The page may be replaced between find and read (a stale element): just look again.
        if let Ok(el) = c.find(css("[data-testid='identity-status']")).await
            && let Ok(Some(s)) = el.attr("data-status").await
        {
            status = s;
            if status == "verified" {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, "verified");
    let page = c.source().await.unwrap();
    assert!(page.contains("510107********2896"), "masked number shown");
    assert!(
        !page.contains("510107198510312896"),
        "the full ID number must never be shown"
    );

    // The catalogue, grouped by family, track and level, in Chinese.
    c.goto(&server.url("/")).await.expect("open catalogue");
    testid(c, "catalogue-family-cloud").await;
    testid(c, "catalogue-family-specialty").await;
    let foundation = testid(c, "cert-TCCA-FND").await.text().await.unwrap();
    assert!(foundation.contains("从业者"), "{foundation}");
    let page = c.source().await.unwrap();
    for name in [
        "云开发",
        "云运维",
        "云架构",
        "大数据开发工程师",
        "机器学习应用工程师",
    ] {
        assert!(page.contains(name), "catalogue lacks {name}");
    }
    let shot = browser.screenshot("catalogue-zh-CN.png").await;
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "screenshot looks empty"
    );

    // A certification's page, then English one click away.
    testid(c, "cert-TCCA-ARC-P")
        .await
        .find(css("a"))
        .await
        .expect("link")
        .click()
        .await
        .expect("open detail");
    wait_for_path(c, "/certifications/TCCA-ARC-P").await;
    testid(c, "lang-switch")
        .await
        .click()
        .await
        .expect("switch to English");
    for _ in 0..50 {
        if let Ok(html) = c.find(css("html")).await
            && let Ok(Some(lang)) = html.attr("lang").await
            && lang == "en"
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        c.find(css("html"))
            .await
            .unwrap()
            .attr("lang")
            .await
            .unwrap()
            .as_deref(),
        Some("en")
    );
    browser.screenshot("certification-en.png").await;
    browser.close().await;
}
