//! What the connection says about a request: the client's address (the log-in throttle
//! counts failures per address) and whether the browser reached us over HTTPS — because the
//! public URL is `https://`, or a trusted proxy says so in `X-Forwarded-Proto`. Over HTTPS
//! every response carries HSTS, and the cookies are `Secure` with the `__Host-` prefix.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::edge::proxies::{self, Client};
use crate::state::AppState;

/// HSTS: a year, subdomains included; browsers then never try plain HTTP on this host.
pub(crate) const HSTS: &str = "max-age=31536000; includeSubDomains";

/// A request's transport, in its extensions for the layers inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Transport {
    pub client: Client,
    /// The browser reached us over HTTPS.
    pub https: bool,
}

impl Transport {
    /// For a request that did not pass this layer (never in the router): plain HTTP.
    pub(crate) fn of(req: &Request) -> Transport {
        req.extensions()
            .get::<Transport>()
            .copied()
            .unwrap_or(Transport {
                client: Client {
                    addr: None,
                    forwarded_https: false,
                },
                https: false,
            })
    }
}

pub(crate) async fn transport(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = proxies::client(peer, req.headers(), &state.config.trusted_proxies);
    // The public URL is the deployment's face: when it is https://, a browser only ever
    // reaches us through TLS (a terminating proxy in front), whatever the last hop was.
    let https = state.https_site || client.forwarded_https;
    req.extensions_mut().insert(Transport { client, https });
    let mut res = next.run(req).await;
    if https {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    res
}
