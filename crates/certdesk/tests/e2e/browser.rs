//! A headless Chromium driven through chromedriver (Debian's `chromium` + `chromium-driver`).
//!
//! Without them the browser tests say SKIPPED with the reason; with
//! `CERTDESK_REQUIRE_BROWSER=1` (CI) they fail instead. Tests started with
//! [`Browser::require`] fail without them in any case.

use fantoccini::{Client, ClientBuilder};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Browser {
    /// `None` (after printing why) when no browser is installed and none is required.
    pub async fn start(test: &str) -> Option<Browser> {
        let required = std::env::var("CERTDESK_REQUIRE_BROWSER").as_deref() == Ok("1");
        Browser::launch(test, required).await
    }

    /// A browser, always: without one the test fails loudly instead of skipping, whatever
    /// `CERTDESK_REQUIRE_BROWSER` says.
    pub async fn require(test: &str) -> Browser {
        Browser::launch(test, true)
            .await
            .unwrap_or_else(|| panic!("{test}: no browser"))
    }

    async fn launch(test: &str, required: bool) -> Option<Browser> {
        let chromium = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
        let driver = find(&["/usr/bin/chromedriver"]);
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            let reason = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)";
            if required {
                panic!("{test}: {reason}");
            }
            eprintln!("SKIPPED {test}: {reason} (set CERTDESK_REQUIRE_BROWSER=1 to fail instead)");
            return None;
        };
        let port = free_port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium,
                // The machine has no network beyond loopback: background networking only
                // produces refused connections, so it is switched off.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
                         "--lang=zh-CN", format!("--user-data-dir={}", profile.path().display())],
                "prefs": {"intl.accept_languages": "zh-CN,zh"}
            }
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("{test}: cannot start a Chromium session: {e}"),
            }
        };
        Some(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Saves a PNG under `artifacts/` at the workspace root (CI keeps it).
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts");
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        let path = dir.join(name);
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
