//! The web edge of the real binary (issue 11): an `https://` public URL makes the cookies
//! `Secure` and `__Host-` named and turns HSTS on; `X-Forwarded-Proto` counts from a trusted
//! proxy only (`--trusted-proxies`, loopback by default); a request hyper cannot read is
//! answered in E1 under `/api`.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::server::Server;

/// `GET /login` with `headers`: its HSTS header and its `Set-Cookie`s.
async fn login_page(server: &Server, headers: &[(&str, &str)]) -> (Option<String>, Vec<String>) {
    let mut req = reqwest::Client::new().get(server.url("/login"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), 200);
    let hsts = res
        .headers()
        .get("strict-transport-security")
        .map(|v| v.to_str().unwrap().to_owned());
    let cookies = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    (hsts, cookies)
}

#[tokio::test]
async fn an_https_public_url_secures_the_cookies_and_turns_hsts_on() {
    let tls = Server::start(&["--public-url", "https://certs.example.com"]);
    let (hsts, cookies) = login_page(&tls, &[]).await;
    assert_eq!(hsts.as_deref(), Some("max-age=31536000; includeSubDomains"));
    assert!(!cookies.is_empty());
    for c in &cookies {
        assert!(c.starts_with("__Host-") && c.contains("; Secure"), "{c}");
    }

    let plain = Server::start(&[]);
    let (hsts, cookies) = login_page(&plain, &[]).await;
    assert_eq!(hsts, None);
    for c in &cookies {
        assert!(
            c.starts_with("certdesk_csrf=") && !c.contains("Secure"),
            "{c}"
        );
    }
    // The test client is on loopback: a trusted proxy by default, so its word counts …
    let (hsts, cookies) = login_page(&plain, &[("x-forwarded-proto", "https")]).await;
    assert!(hsts.is_some());
    assert!(
        cookies.iter().all(|c| c.starts_with("__Host-")),
        "{cookies:?}"
    );
    // … and with no trusted proxy it does not.
    let untrusting = Server::start(&["--trusted-proxies", "none"]);
    let (hsts, cookies) = login_page(&untrusting, &[("x-forwarded-proto", "https")]).await;
    assert_eq!(hsts, None);
    assert!(
        cookies.iter().all(|c| c.starts_with("certdesk_csrf=")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn a_request_hyper_cannot_read_is_answered_in_e1() {
    let server = Server::start(&[]);
    let addr = server.base_url.trim_start_matches("http://").to_owned();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    s.write_all(b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Probe: a\0b\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    let text = String::from_utf8_lossy(&out);
    let (head, body) = text.split_once("\r\n\r\n").expect("an answer");
    assert!(head.starts_with("HTTP/1.1 400 "), "{head}");
    let body: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(body["error"]["code"], "bad_request");
}
