//! Prometheus metrics: requests by method, matched route and status, and a latency
//! histogram by method and route. Served as text at `/metrics`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::state::AppState;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutboxLabels {
    channel: String,
    /// `sent`, `skipped`, `undeliverable` (delivered jobs), `waiting`, `retrying`, `dead`.
    state: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabels {
    channel: String,
}

/// The registry and the metrics the web layer keeps.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    /// P2: the outbox per channel, read from the database at each scrape (every app node
    /// sees the same figures, whichever worker sent).
    outbox: Family<OutboxLabels, Gauge>,
    outbox_age: Family<ChannelLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 1 ms … ~8 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 14))
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("certdesk");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request",
            latency.clone(),
        );
        let outbox = Family::<OutboxLabels, Gauge>::default();
        let outbox_age = Family::<ChannelLabels, Gauge>::default();
        registry.register(
            "notification_jobs",
            "Notification jobs per channel and state (sent, skipped, undeliverable, waiting, retrying, dead)",
            outbox.clone(),
        );
        registry.register(
            "notification_outbox_oldest_seconds",
            "Age of the oldest notification still waiting to be sent, per channel",
            outbox_age.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            outbox,
            outbox_age,
        }
    }

    /// Sets the outbox gauges from the store's figures at `now`.
    pub(crate) fn set_outbox(
        &self,
        figures: &[certdesk_store::ChannelFigures],
        now: jiff::Timestamp,
    ) {
        for f in figures {
            let states = [
                ("sent", f.sent),
                ("skipped", f.skipped),
                ("undeliverable", f.undeliverable),
                ("waiting", f.waiting),
                ("retrying", f.retrying),
                ("dead", f.dead),
            ];
            for (state, n) in states {
                let labels = OutboxLabels {
                    channel: f.channel.clone(),
                    state: state.to_owned(),
                };
                self.outbox
                    .get_or_create(&labels)
                    .set(i64::try_from(n).unwrap_or(i64::MAX));
            }
            let age = f
                .oldest_waiting_since
                .map_or(0, |since| now.duration_since(since).as_secs().max(0));
            self.outbox_age
                .get_or_create(&ChannelLabels {
                    channel: f.channel.clone(),
                })
                .set(age);
        }
    }

    /// The OpenMetrics text exposition.
    pub(crate) fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// Middleware: counts and times every request by its matched route (never the raw path,
/// which would let callers invent unbounded label values).
pub(crate) async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m.to_owned(),
        _ => "OTHER".to_owned(),
    };
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    let m = &state.metrics;
    m.requests
        .get_or_create(&RequestLabels {
            method: method.clone(),
            route: route.clone(),
            status,
        })
        .inc();
    m.latency
        .get_or_create(&RouteLabels { method, route })
        .observe(started.elapsed().as_secs_f64());
    res
}
