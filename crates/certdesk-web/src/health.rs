//! Probes and metrics: `/healthz` (the process is up), `/readyz` (the database answers;
//! 503 otherwise) and `/metrics` (Prometheus / OpenMetrics text).

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret as _, SecretString};
use sha2::{Digest as _, Sha256};

use crate::state::AppState;

/// The process is up.
pub(crate) async fn healthz() -> &'static str {
    "ok\n"
}

/// Ready to serve: the store answers a ping.
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

/// Request counts and latencies; with a metrics token configured, only for its bearer.
pub(crate) async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.config.metrics_token
        && !same_token(crate::middleware::context::bearer(&headers), token)
    {
        let mut res = (StatusCode::UNAUTHORIZED, "metrics token required\n").into_response();
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return res;
    }
    // A database that cannot answer leaves the outbox figures as last read; the HTTP figures
    // are still worth serving.
    match state.app.store().channel_figures().await {
        Ok(figures) => state.metrics.set_outbox(&figures, state.app.now()),
        Err(e) => tracing::warn!(error = %e, "outbox figures unavailable for /metrics"),
    }
    match state.metrics.encode() {
        Ok(text) => {
            let mut res = text.into_response();
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            );
            res
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "cannot encode metrics\n").into_response(),
    }
}

/// Compares digests, so the time taken says nothing about how much of the token matched.
fn same_token(presented: Option<&str>, expected: &SecretString) -> bool {
    presented.is_some_and(|p| {
        Sha256::digest(p.as_bytes()) == Sha256::digest(expected.expose_secret().as_bytes())
    })
}
