//! CSRF protection for the cookie-authenticated pages. Every unsafe page request (log-in and
//! sign-up included) must carry `csrf_token` in its form body (urlencoded, or multipart: the
//! results upload) or the `X-CSRF-Token` header (htmx). The token is an HMAC, under the app's
//! form key, of what the request is bound to:
//! - a signed-in browser: its **session** (the SHA-256 of the session token). A token taken
//!   from another browser, or paired with a planted CSRF cookie, does not fit the victim's
//!   session, so whoever can set cookies on the domain still cannot forge the victim's forms;
//! - before any session (log-in, sign-up): a random **pre-session** value in the CSRF cookie.
//!   Over HTTPS that cookie has the `__Host-` prefix, which nobody but this host can set.
//!
//! The JSON API takes bearer tokens only and never reads cookies, so it needs no CSRF check.

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
use sha2::{Digest, Sha256};

use crate::error::WebError;
use crate::extract::{media_type, multipart_text};
use crate::middleware::context::RequestContext;
use crate::state::AppState;

/// The form field that carries the token.
pub(crate) const CSRF_FIELD: &str = "csrf_token";
/// The header htmx sends the token in.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// The HMAC key of the tokens: the app's form key (derived from the secret key), so all app
/// nodes behind one load balancer agree and a restart keeps open forms valid.
#[derive(Clone)]
pub(crate) struct CsrfKey(Arc<[u8; 32]>);

/// What a request's token is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Binding {
    /// A live web session: the SHA-256 of its token (the token itself stays out of the MAC).
    Session([u8; 32]),
    /// No session yet: the CSRF cookie's random value.
    PreSession(String),
}

impl Binding {
    /// The binding of a signed-in browser's session token.
    pub(crate) fn session(token: &str) -> Binding {
        Binding::Session(Sha256::digest(token.as_bytes()).into())
    }
}

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

    fn mac(&self, binding: &Binding) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_slice())
            .expect("HMAC takes any key length");
        // Each kind of binding has its own label, so a value of one kind never passes for
        // the other.
        match binding {
            Binding::Session(hash) => {
                mac.update(b"certdesk-csrf v2 session:");
                mac.update(hash);
            }
            Binding::PreSession(cookie) => {
                mac.update(b"certdesk-csrf v2 pre-session:");
                mac.update(cookie.as_bytes());
            }
        }
        mac
    }

    /// The token that belongs to a binding.
    pub(crate) fn token_for(&self, binding: &Binding) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(binding).finalize().into_bytes())
    }

    /// Constant-time check of a submitted token against the binding.
    pub(crate) fn verify(&self, binding: &Binding, token: &str) -> bool {
        match URL_SAFE_NO_PAD.decode(token.trim()) {
            Ok(bytes) => self.mac(binding).verify_slice(&bytes).is_ok(),
            Err(_) => false,
        }
    }
}

/// A page request's CSRF state: what its token is bound to, the token forms must echo, and
/// a new pre-session cookie to set when the browser sent no usable one.
#[derive(Debug, Clone)]
pub(crate) struct CsrfPair {
    pub binding: Binding,
    pub token: String,
    /// The browser had no usable CSRF cookie: this value is set on the response.
    pub new_cookie: Option<String>,
}

impl CsrfPair {
    /// Whether a token could have been issued for this request before it was sent: not when
    /// its binding is a pre-session value we have only just made up.
    pub(crate) fn verifiable(&self) -> bool {
        match &self.binding {
            Binding::Session(_) => true,
            Binding::PreSession(v) => self.new_cookie.as_ref() != Some(v),
        }
    }
}

fn looks_like_ours(v: &str) -> bool {
    v.len() == 43
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The pair for this request: bound to `session` (a live web session's token) when there is
/// one, else to the browser's CSRF cookie when it looks like ours. The cookie is kept (or
/// made) either way, so the log-in form works again after a log-out.
pub(crate) fn pair(key: &CsrfKey, session: Option<&str>, cookie: Option<&str>) -> CsrfPair {
    let (cookie, new_cookie) = match cookie.filter(|v| looks_like_ours(v)) {
        Some(v) => (v.to_owned(), None),
        None => {
            let mut raw = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut raw);
            let v = URL_SAFE_NO_PAD.encode(raw);
            (v.clone(), Some(v))
        }
    };
    let binding = match session {
        Some(token) => Binding::session(token),
        None => Binding::PreSession(cookie),
    };
    CsrfPair {
        token: key.token_for(&binding),
        binding,
        new_cookie,
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Middleware: refuses an unsafe page request whose token does not match its binding with
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
    let Some(pair) = ctx.csrf.as_ref().filter(|p| p.verifiable()) else {
        return WebError::code(ErrorCode::CsrfFailed).into_response();
    };
    if let Some(token) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if state.csrf.verify(&pair.binding, token) {
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
    if !token.is_some_and(|t| state.csrf.verify(&pair.binding, &t)) {
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
    fn pre_session_tokens_are_bound_to_their_cookie() {
        let key = CsrfKey::random();
        let a = pair(&key, None, None);
        assert!(!a.verifiable(), "a cookie made just now has no form yet");
        let cookie = a.new_cookie.clone().unwrap();
        assert!(key.verify(&a.binding, &a.token));
        let b = pair(&key, None, Some(&cookie));
        assert!(b.verifiable() && b.new_cookie.is_none());
        assert_eq!(a.token, b.token);
        let other = pair(&key, None, None);
        assert!(!key.verify(&other.binding, &a.token));
        assert!(!key.verify(&a.binding, "not base64 !"));
        assert!(!CsrfKey::random().verify(&a.binding, &a.token));
        assert!(pair(&key, None, Some("short")).new_cookie.is_some());
    }

    #[test]
    fn session_tokens_ignore_the_cookie_and_differ_per_session() {
        let key = CsrfKey::random();
        let planted = pair(&key, None, None).new_cookie.unwrap();
        let attacker = pair(&key, None, Some(&planted));
        // The victim's browser, with the attacker's cookie planted beside its session.
        let victim = pair(&key, Some("victim-session-token"), Some(&planted));
        assert!(victim.verifiable());
        assert!(!key.verify(&victim.binding, &attacker.token));
        assert_ne!(victim.token, attacker.token);
        // Its own cookie does not matter: the token follows the session alone.
        let fresh = pair(&key, Some("victim-session-token"), None);
        assert!(fresh.verifiable());
        assert_eq!(fresh.token, victim.token);
        let other = pair(&key, Some("another-session"), Some(&planted));
        assert!(!key.verify(&victim.binding, &other.token));
        // A session hash never passes as a pre-session value, nor the other way round.
        assert_ne!(
            key.token_for(&Binding::PreSession("x".into())),
            key.token_for(&Binding::session("x"))
        );
    }
}
