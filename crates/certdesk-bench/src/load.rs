//! Fires register-and-pay from C concurrent clients, one request per candidate.

use crate::Args;
use crate::seed::{CITY, Seeded};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One request's fate.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Since the rush began, when the answer arrived.
    pub done_at: Duration,
    pub latency: Duration,
    pub status: u16,
    /// The E1 error code of a refusal.
    pub code: Option<String>,
}

pub struct Outcome {
    pub samples: Vec<Sample>,
    pub elapsed: Duration,
}

pub async fn fire(args: &Args, base_url: &str, seeded: &Seeded) -> anyhow::Result<Outcome> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .timeout(Duration::from_secs(60))
        .build()?;
    let url = format!("{base_url}/api/v1/orders");
    let body = serde_json::json!({ "period_id": seeded.period_id.get(), "city": CITY }).to_string();
    let next = Arc::new(AtomicUsize::new(0));
    let tokens: Arc<Vec<String>> =
        Arc::new(seeded.candidates.iter().map(|(_, t)| t.clone()).collect());

    // Warm the connection pool so the rush measures requests, not TCP handshakes.
    let warm: Vec<_> = (0..args.clients)
        .map(|_| {
            let (http, url) = (http.clone(), format!("{base_url}/healthz"));
            tokio::spawn(async move { http.get(url).send().await.map(|_| ()) })
        })
        .collect();
    for w in warm {
        w.await??;
    }

    let start = Instant::now();
    let workers: Vec<_> = (0..args.clients)
        .map(|_| {
            let (http, url, body, next, tokens) = (
                http.clone(),
                url.clone(),
                body.clone(),
                next.clone(),
                tokens.clone(),
            );
            tokio::spawn(async move {
                let mut samples = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(token) = tokens.get(i) else { break };
                    let sent = Instant::now();
                    let resp = http
                        .post(&url)
                        .bearer_auth(token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await;
                    let (status, code) = match resp {
                        Ok(r) => {
                            let status = r.status().as_u16();
                            let text = r.text().await.unwrap_or_default();
                            let code = (status >= 400)
                                .then(|| serde_json::from_str::<serde_json::Value>(&text).ok())
                                .flatten()
                                .and_then(|v| v["error"]["code"].as_str().map(str::to_string));
                            (status, code)
                        }
                        Err(e) => (0, Some(format!("transport: {e}"))),
                    };
                    samples.push(Sample {
                        done_at: start.elapsed(),
                        latency: sent.elapsed(),
                        status,
                        code,
                    });
                }
                samples
            })
        })
        .collect();
    let mut samples = Vec::with_capacity(tokens.len());
    for w in workers {
        samples.extend(w.await?);
    }
    Ok(Outcome {
        samples,
        elapsed: start.elapsed(),
    })
}
