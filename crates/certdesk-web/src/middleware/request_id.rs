//! `x-request-id`: kept when the caller sent a sane one, generated otherwise, echoed on the
//! response and recorded in the request's trace span.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use rand::RngCore;

pub(crate) static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn acceptable(v: &HeaderValue) -> bool {
    let b = v.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.:".contains(c))
}

fn generate() -> HeaderValue {
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&hex).expect("hex is a valid header value")
}

pub(crate) async fn request_id(mut req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .filter(|v| acceptable(v))
        .cloned()
        .unwrap_or_else(generate);
    req.headers_mut().insert(X_REQUEST_ID.clone(), id.clone());
    let mut res = next.run(req).await;
    res.headers_mut().insert(X_REQUEST_ID.clone(), id);
    res
}
