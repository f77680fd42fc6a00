//! Protocol-level refusals over a real TCP socket (the in-process router never sees these
//! requests: hyper refuses them while reading the head): a bad byte in the path or a NUL in
//! a header (400), a URI over 64 KiB (414), headers too large or too many (431) answer E1
//! under `/api`, in the request's language; pages keep hyper's bare answer.

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::TestApp;

/// `certdesk_web::serve` with the test app's router on a free port.
async fn listen(t: &TestApp) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let router = t.router.clone();
    tokio::spawn(certdesk_web::serve(
        listener,
        router,
        std::future::pending(),
    ));
    addr
}

/// An answer read off the wire.
struct Wire {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Wire {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Sends `raw` on a new connection and reads the first answer (the server closes after
/// these refusals; a well-formed request is sent with `Connection: close`).
async fn send(addr: &str, raw: &[u8]) -> Wire {
    let (mut read, mut write) = TcpStream::connect(addr).await.unwrap().into_split();
    // Written while the answer is read: the server answers and closes before all of a huge
    // request is written, and the rest of it is then refused.
    let raw = raw.to_vec();
    let writer = tokio::spawn(async move {
        let _ = write.write_all(&raw).await;
        write
    });
    let mut out = Vec::new();
    let _ = read.read_to_end(&mut out).await;
    drop(writer.await);
    parse(&out)
}

fn parse(out: &[u8]) -> Wire {
    let end = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(out)));
    let head = String::from_utf8_lossy(&out[..end]).into_owned();
    let status = head[9..12].parse().unwrap();
    Wire {
        status,
        head,
        body: out[end + 4..].to_vec(),
    }
}

/// An E1 refusal with `status` and `code`, in zh-CN unless asked otherwise.
fn assert_e1(w: &Wire, status: u16, code: &str) {
    assert_eq!(w.status, status, "{}", w.head);
    assert_eq!(
        w.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        w.header("content-length"),
        Some(w.body.len().to_string()),
        "{}",
        w.head
    );
    assert_eq!(
        w.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let e = &w.json()["error"];
    assert_eq!(e["code"], code, "{e}");
    assert!(!e["message"].as_str().unwrap().is_empty());
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

#[tokio::test]
async fn a_bad_byte_in_the_path_or_a_nul_in_a_header_is_400_in_e1() {
    let t = TestApp::new().await;
    let addr = listen(&t).await;
    for bad in [&b"\x01"[..], b"\x7f", b"\xff\xfe"] {
        let mut raw = b"GET /api/v1/certifications/".to_vec();
        raw.extend_from_slice(bad);
        raw.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\n\r\n");
        let w = send(&addr, &raw).await;
        assert_e1(&w, 400, "bad_request");
        assert!(is_chinese(w.json()["error"]["message"].as_str().unwrap()));
        assert_eq!(w.header("content-language").as_deref(), Some("zh-CN"));
    }
    let w = send(
        &addr,
        b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nX-Probe: a\0b\r\n\r\n",
    )
    .await;
    assert_e1(&w, 400, "bad_request");
    assert!(!is_chinese(w.json()["error"]["message"].as_str().unwrap()));
    assert_eq!(w.header("content-language").as_deref(), Some("en"));

    // A page keeps hyper's own bare answer.
    let w = send(&addr, b"GET /login\x01 HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert_eq!(w.status, 400);
    assert!(w.body.is_empty());
}

#[tokio::test]
async fn a_uri_too_long_is_414_and_headers_too_large_are_431_in_e1() {
    let t = TestApp::new().await;
    let addr = listen(&t).await;
    let long = format!(
        "GET /api/v1/certifications?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(70_000)
    );
    assert_e1(&send(&addr, long.as_bytes()).await, 414, "uri_too_long");

    // More headers than are read …
    let mut many = String::from("GET /api/v1/certifications HTTP/1.1\r\nHost: x\r\n");
    for i in 0..150 {
        many.push_str(&format!("X-H{i}: v\r\n"));
    }
    many.push_str("\r\n");
    assert_e1(
        &send(&addr, many.as_bytes()).await,
        431,
        "headers_too_large",
    );
    // … or larger.
    let big = format!(
        "GET /api/v1/certifications HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nX-Big: {}\r\n\r\n",
        "b".repeat(600_000)
    );
    let w = send(&addr, big.as_bytes()).await;
    assert_e1(&w, 431, "headers_too_large");
    assert!(!is_chinese(w.json()["error"]["message"].as_str().unwrap()));
}

/// The server still serves well-formed requests, several on one connection, tells the
/// router the TCP peer (loopback is a trusted proxy by default, so its
/// `X-Forwarded-Proto: https` counts), and a bad request after good ones is answered in E1.
#[tokio::test]
async fn good_requests_pass_and_a_bad_one_after_them_still_gets_e1() {
    let t = TestApp::new().await;
    let addr = listen(&t).await;
    let w = send(
        &addr,
        b"GET /api/v1/certifications HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(w.status, 200, "{}", w.head);
    assert!(w.json().as_array().is_some_and(|a| !a.is_empty()));
    assert!(
        w.header("strict-transport-security").is_some(),
        "the peer reached the router: {}",
        w.head
    );

    let mut s = TcpStream::connect(&addr).await.unwrap();
    let good = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    for _ in 0..2 {
        s.write_all(good).await.unwrap();
        let mut buf = vec![0u8; 4096];
        let n = s.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200 "));
    }
    s.write_all(b"GET /api/v1/x\x01 HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    assert_e1(&parse(&out), 400, "bad_request");
}
