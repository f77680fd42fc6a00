//! CSRF protection for the cookie-authenticated pages: a double-submit token bound to a
//! random cookie with an HMAC. Every unsafe page request (log-in and sign-up included) must
//! carry `csrf_token` in its form body (urlencoded, or multipart: the results upload) or the
//! `X-CSRF-Token` header (htmx). The JSON API
//! takes bearer tokens only and never reads cookies, so it needs no CSRF check.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use certdesk_domain::ErrorCode;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::WebError;
use crate::extract::{media_type, multipart_text};
use crate::middleware::context::RequestContext;
use crate::state::AppState;

/// The cookie holding the random half of the pair.
pub(crate) const CSRF_COOKIE: &str = "certdesk_csrf";
/// The form field that carries the token.
pub(crate) const CSRF_FIELD: &str = "csrf_token";
/// The header htmx sends the token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// The HMAC key of the tokens: the app's form key (derived from the secret key), so all app
/// nodes behind one load balancer agree and a restart keeps open forms valid.
#[derive(Clone)]
pub(crate) struct CsrfKey(Arc<[u8; 32]>);

impl CsrfKey {
    pub(crate) fn from_bytes(key: &[u8; 32]) -> CsrfKey {
        CsrfKey(Arc::new(*key))
    }

    #[cfg(test)]
    pub(crate) fn random() -> CsrfKey {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        CsrfKey(Arc::new(key))
    }

    fn mac(&self, cookie_value: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_slice())
            .expect("HMAC takes any key length");
        mac.update(b"certdesk-csrf:");
        mac.update(cookie_value.as_bytes());
        mac
    }

    /// The token that belongs to a cookie value.
    pub(crate) fn token_for(&self, cookie_value: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(cookie_value).finalize().into_bytes())
    }

    /// Constant-time check of a submitted token against the cookie.
    pub(crate) fn verify(&self, cookie_value: &str, token: &str) -> bool {
        match URL_SAFE_NO_PAD.decode(token.trim()) {
            Ok(bytes) => self.mac(cookie_value).verify_slice(&bytes).is_ok(),
            Err(_) => false,
        }
    }
}

/// A page request's CSRF pair: the cookie value and the token forms must echo.
#[derive(Debug, Clone)]
pub(crate) struct CsrfPair {
    pub cookie_value: String,
    pub token: String,
    /// The browser sent no usable cookie: a new one is set on the response.
    pub fresh: bool,
}

/// The pair for this request, reusing the browser's cookie when it looks like ours.
pub(crate) fn pair(key: &CsrfKey, cookie: Option<&str>) -> CsrfPair {
    match cookie.filter(|v| {
        v.len() == 43
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }) {
        Some(v) => CsrfPair {
            cookie_value: v.to_owned(),
            token: key.token_for(v),
            fresh: false,
        },
        None => {
            let mut raw = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut raw);
            let v = URL_SAFE_NO_PAD.encode(raw);
            CsrfPair {
                token: key.token_for(&v),
                cookie_value: v,
                fresh: true,
            }
        }
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Middleware: refuses an unsafe page request whose token does not match its cookie with
/// 403 `csrf_failed`. Runs inside the context layer, which supplies the pair.
pub(crate) async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if is_safe(req.method()) {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<RequestContext>().cloned() else {
        return next.run(req).await;
    };
    if ctx.api {
        return next.run(req).await;
    }
    let Some(pair) = ctx.csrf.as_ref().filter(|p| !p.fresh) else {
        return WebError::code(ErrorCode::CsrfFailed).into_response();
    };
    if let Some(token) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if state.csrf.verify(&pair.cookie_value, token) {
            next.run(req).await
        } else {
            WebError::code(ErrorCode::CsrfFailed).into_response()
        };
    }
    let media = media_type(req.headers());
    // Multipart forms carry a file: the results upload (O6), up to its own limit.
    let (is_form, limit) = match media.as_str() {
        "application/x-www-form-urlencoded" => (true, state.config.body_limit_bytes),
        "multipart/form-data" => (true, state.config.upload_limit_bytes),
        _ => (false, 0),
    };
    if !is_form {
        return WebError::code(ErrorCode::CsrfFailed).into_response();
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return WebError::code(ErrorCode::PayloadTooLarge).into_response(),
    };
    let token = if media == "multipart/form-data" {
        // The token field comes first in our forms, before any file.
        multipart_text(&content_type, bytes.clone(), CSRF_FIELD).await
    } else {
        form_field(&bytes, CSRF_FIELD)
    };
    if !token.is_some_and(|t| state.csrf.verify(&pair.cookie_value, &t)) {
        return WebError::code(ErrorCode::CsrfFailed).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_bound_to_its_cookie() {
        let key = CsrfKey::random();
        let a = pair(&key, None);
        assert!(a.fresh);
        assert!(key.verify(&a.cookie_value, &a.token));
        let b = pair(&key, Some(&a.cookie_value));
        assert!(!b.fresh);
        assert_eq!(a.token, b.token);
        let other = pair(&key, None);
        assert!(!key.verify(&other.cookie_value, &a.token));
        assert!(!key.verify(&a.cookie_value, "not base64 !"));
        assert!(!CsrfKey::random().verify(&a.cookie_value, &a.token));
        assert!(pair(&key, Some("short")).fresh);
    }
}
