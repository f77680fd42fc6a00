//! The operator interface (API.md "Running certdesk"): commands, flags, exit statuses.

use crate::server::{Server, binary};
use std::io::Write;
use std::process::{Command, Stdio};

/// Sends the request and reads its JSON answer.
async fn json_of<T: serde::de::DeserializeOwned>(request: reqwest::RequestBuilder) -> T {
    request.send().await.unwrap().json().await.unwrap()
}

fn certdesk(args: &[&str]) -> std::process::Output {
    Command::new(binary())
        .args(args)
        .env_remove("CERTDESK_SECRET_KEY")
        .env_remove("CERTDESK_DATABASE_URL")
        .env("CERTDESK_LOG", "error")
        .output()
        .expect("run certdesk")
}

#[test]
fn bad_database_url_exits_non_zero_with_one_line() {
    let out = certdesk(&["migrate", "--database-url", "mysql://root@localhost/x"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<_> = stderr
        .lines()
        .filter(|l| l.starts_with("certdesk:"))
        .collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("unsupported database URL scheme"),
        "{stderr}"
    );
}

#[test]
fn postgres_without_secret_key_is_refused_and_the_url_never_printed() {
    let out = certdesk(&[
        "migrate",
        "--database-url",
        "postgres://postgres:s3cret-pw@127.0.0.1:5432/postgres",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("CERTDESK_SECRET_KEY is required"), "{all}");
    assert!(!all.contains("s3cret-pw"), "a secret was printed: {all}");
}

#[test]
fn malformed_secret_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(binary())
        .args([
            "migrate",
            "--database-url",
            &format!("sqlite:{}/x.db", dir.path().display()),
        ])
        .env("CERTDESK_SECRET_KEY", "not-a-key")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CERTDESK_SECRET_KEY must be 32 bytes"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("not-a-key"),
        "the key was echoed: {stderr}"
    );
}

#[test]
fn migrate_creates_the_sqlite_database_and_a_private_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let out = certdesk(&[
        "migrate",
        "--database-url",
        &format!("sqlite:{}", db.display()),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists());
    let key = dir.path().join("fresh.db.key");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "key file must be private");
}

#[tokio::test]
async fn user_add_creates_an_operator_who_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("certdesk.db").display());
    let mut child = Command::new(binary())
        .args([
            "user",
            "add",
            "--email",
            "ops@example.cn",
            "--role",
            "admin",
            "--password-stdin",
            "--database-url",
            &url,
        ])
        .env_remove("CERTDESK_SECRET_KEY")
        .env("CERTDESK_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"correct horse battery\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("role admin"));

    let server = Server::start_in(dir, &[]);
    let http = reqwest::Client::new();
    let session: serde_json::Value = http
        .post(server.url("/api/v1/sessions"))
        .json(&serde_json::json!({"email": "ops@example.cn", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().expect("token");
    let me: serde_json::Value = http
        .get(server.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        me["roles"].as_array().unwrap().iter().any(|r| r == "admin"),
        "{me}"
    );
}

/// Issue 11: a second start on the demo's database prints the logins without the first
/// start's figures, and says the data was kept; the demo's institution (I1–I9) is there.
#[tokio::test]
async fn demo_restart_says_the_data_was_kept() {
    let server = Server::start(&["--demo"]);
    let first = server.banner.join("\n");
    assert!(first.contains("credited ¥3,000"), "{first}");
    assert!(first.contains("staff@demo.certdesk.cn"), "{first}");
    let http = reqwest::Client::new();
    let centres: Vec<serde_json::Value> =
        json_of(http.get(server.url("/api/v1/test-centres"))).await;
    assert_eq!(centres.len(), 2, "{centres:?}");
    let again = Server::start_in(server.stop(), &["--demo"]);
    let second = again.banner.join("\n");
    assert!(second.contains("kept from an earlier start"), "{second}");
    assert!(second.contains("lilei@demo.certdesk.cn"), "{second}");
    assert!(!second.contains('¥'), "no stale figures: {second}");
    let staff: serde_json::Value =
        json_of(http.post(again.url("/api/v1/sessions")).json(
            &serde_json::json!({"email": "staff@demo.certdesk.cn", "password": "demo-staff-1"}),
        ))
        .await;
    let mine: serde_json::Value = json_of(
        http.get(again.url("/api/v1/institution/registrations"))
            .bearer_auth(staff["token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");
}

#[tokio::test]
async fn demo_serves_the_catalogue_and_verified_candidates() {
    let server = Server::start(&["--demo"]);
    assert!(
        server
            .banner
            .iter()
            .any(|l| l.contains("lilei@demo.certdesk.cn")),
        "{:?}",
        server.banner
    );
    let http = reqwest::Client::new();
    let certs: Vec<serde_json::Value> =
        json_of(http.get(server.url("/api/v1/certifications"))).await;
    assert_eq!(certs.len(), 13);
    let session: serde_json::Value = json_of(http.post(server.url("/api/v1/sessions")).json(
        &serde_json::json!({"email": "lilei@demo.certdesk.cn", "password": "demo-candidate-1"}),
    ))
    .await;
    let me: serde_json::Value = json_of(
        http.get(server.url("/api/v1/me"))
            .bearer_auth(session["token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(me["identity"]["status"], "verified", "{me}");
    assert_eq!(me["identity"]["id_number_masked"], "110101********1233");
    let wallet: serde_json::Value = json_of(
        http.get(server.url("/api/v1/me/wallet"))
            .bearer_auth(session["token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (wallet["cash_fen"].as_i64(), wallet["gift_fen"].as_i64()),
        (Some(300_000), Some(50_000)),
        "{wallet}"
    );
    assert_eq!(
        wallet["vouchers"].as_array().map(Vec::len),
        Some(1),
        "{wallet}"
    );
    // A past exam: 李雷 holds its certificate, verifiable by anyone (O9).
    let mine: Vec<serde_json::Value> = json_of(
        http.get(server.url("/api/v1/me/certificates"))
            .bearer_auth(session["token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["certification"], "TCCA-FND");
    let number = mine[0]["number"].as_str().unwrap();
    let public: serde_json::Value =
        json_of(http.get(server.url(&format!("/api/v1/certificates/{number}")))).await;
    assert_eq!(
        (&public["status"], &public["holder_name_masked"]),
        (&serde_json::json!("valid"), &serde_json::json!("李*")),
        "{public}"
    );
    assert!(public["signature"].as_str().is_some_and(|s| s.len() > 80));
    // Periods relative to today: open (twice), closing within days, not yet open, a specialty
    // one, and the retake's.
    let periods: Vec<serde_json::Value> =
        json_of(http.get(server.url("/api/v1/exam-periods"))).await;
    assert_eq!(periods.len(), 6, "{periods:?}");
    for p in &periods {
        assert_eq!(
            p["cities"].as_array().map(Vec::len),
            Some(5),
            "five cities: {p}"
        );
    }
    // The home page answers in Chinese by default.
    let home = http.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    let body = home.text().await.unwrap();
    assert!(body.contains("lang=\"zh-CN\""), "home page is not zh-CN");
}

#[tokio::test]
async fn test_clock_route_exists_only_with_the_flag() {
    let http = reqwest::Client::new();
    let plain = Server::start(&[]);
    let resp = http
        .put(plain.url("/api/v1/test/clock"))
        .json(&serde_json::json!({"now": "2027-01-01T00:00:00+08:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);

    let clocked = Server::start(&["--test-clock"]);
    let resp = http
        .put(clocked.url("/api/v1/test/clock"))
        .json(&serde_json::json!({"now": "2027-01-01T00:00:00+08:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn health_ready_and_metrics_answer() {
    let server = Server::start(&[]);
    let http = reqwest::Client::new();
    for path in ["/healthz", "/readyz", "/metrics"] {
        let resp = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn the_issuer_is_named_by_the_public_url() {
    let out = certdesk(&["migrate", "--public-url", "ftp://certs.example.com"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("http:// or https://"), "{stderr}");

    let http = reqwest::Client::new();
    let server = Server::start(&["--public-url", "https://certs.example.com/"]);
    let doc: serde_json::Value = http
        .get(server.url("/.well-known/did.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["id"], "did:web:certs.example.com");
    assert_eq!(
        doc["verificationMethod"][0]["id"],
        "did:web:certs.example.com#key-1"
    );
    // Without it, the issuer is where the server listens.
    let plain = Server::start(&[]);
    let doc: serde_json::Value = http
        .get(plain.url("/.well-known/did.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let host = plain
        .url("")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .replace(':', "%3A");
    assert_eq!(doc["id"], format!("did:web:{host}"));
}
