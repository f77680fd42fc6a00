//! Static assets embedded in the binary and served under `/static/` with a long cache life;
//! page links carry a content hash (`?v=…`) so a new build is fetched at once.

use std::sync::OnceLock;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::extract::Path;

const HTMX: &[u8] = include_bytes!("../static/htmx.min.js");
const HTMX_LICENSE: &[u8] = include_bytes!("../static/htmx.LICENSE");
const CSS: &[u8] = include_bytes!("../static/site.css");
const FAVICON_SVG: &[u8] = include_bytes!("../static/favicon.svg");
const FAVICON_ICO: &[u8] = include_bytes!("../static/favicon.ico");

fn lookup(name: &str) -> Option<(&'static [u8], &'static str)> {
    match name {
        "htmx.min.js" => Some((HTMX, "text/javascript; charset=utf-8")),
        "htmx.LICENSE" => Some((HTMX_LICENSE, "text/plain; charset=utf-8")),
        "site.css" => Some((CSS, "text/css; charset=utf-8")),
        "favicon.svg" => Some((FAVICON_SVG, "image/svg+xml")),
        _ => None,
    }
}

/// A short hash of every asset: the `?v=` of asset links.
pub(crate) fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        // FNV-1a: stable across builds and platforms, enough to bust a cache.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in HTMX.iter().chain(CSS).chain(FAVICON_SVG) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{:012x}", h & 0xffff_ffff_ffff)
    })
}

/// `GET /static/{name}`.
pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    let Some((body, content_type)) = lookup(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    res
}

/// `GET /favicon.ico`: browsers ask for it whatever the page links; a real icon, cached for a
/// day (its address carries no version to bust a longer cache).
pub(crate) async fn favicon() -> Response {
    let mut res = FAVICON_ICO.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/x-icon"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    res
}
