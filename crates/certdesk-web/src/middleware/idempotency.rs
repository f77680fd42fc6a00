//! API.md's `Idempotency-Key` on every unsafe API route, after the IETF draft "The
//! Idempotency-Key HTTP Header Field" (draft-ietf-httpapi-idempotency-key-header): the first
//! request under a key runs and its answer (any status below 500) is recorded; the same
//! request again within 24 h gets that answer byte for byte, with `Idempotent-Replayed:
//! true`, and runs nothing; the key with another request is 422 `idempotency_key_reused`; the
//! same request while the first still runs is 409 `idempotency_key_in_flight` (with
//! `Retry-After`). A 5xx releases the key, so a retry runs. A malformed key is 422
//! `invalid_field` naming `Idempotency-Key`.
//!
//! Keys belong to the caller: the signed-in account, else the SHA-256 of the bearer token (an
//! institution registration's management token), else "anonymous" (registering with an
//! institution needs no log-in). A request is its method, path and query, content type and
//! body (SHA-256). Runs inside the context layer (it reads `RequestContext::auth` and renders
//! the handler's refusal before recording it) and outside the panic catcher, so a panic is a
//! 500 here and releases the key. The handler runs on a task of its own: a client that hangs
//! up does not stop it half-way, and its answer is recorded for the retry.
//!
//! Not covered ([`covers`]): `POST /api/v1/orders` (register-and-pay keeps its key inside its
//! own commit), `POST /api/v1/sessions` and `DELETE /api/v1/sessions` (a log-in's answer is a
//! credential, and signing in or out is naturally repeatable: the key is ignored there), the
//! gateways' callbacks (their own idempotency, by payment) and the test routes.

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use certdesk_app::{IdempotencyScope, IdempotencyTicket, Idempotent};
use certdesk_domain::{ErrorCode, IdempotencyKey, Refusal};
use certdesk_store::RecordedAnswer;
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::error::WebError;
use crate::middleware::context::{RequestContext, bearer};
use crate::middleware::render;
use crate::state::AppState;

/// Sent with a replayed answer.
pub(crate) const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// Unsafe routes with an idempotency of their own, or none to give: see the module docs.
const NOT_COVERED: [(&str, &str); 3] = [
    ("POST", "/api/v1/orders"),
    ("POST", "/api/v1/sessions"),
    ("DELETE", "/api/v1/sessions"),
];

/// Does the layer key `method` on the route `path` (the route's template:
/// `/api/v1/registrations/{id}/reschedule`)? Also decides which operations the OpenAPI
/// document gives the header and its refusals.
pub(crate) fn covers(method: &str, path: &str) -> bool {
    let method = method.to_ascii_uppercase();
    matches!(method.as_str(), "POST" | "PUT" | "PATCH" | "DELETE")
        && path.starts_with("/api/v1/")
        && !path.starts_with("/api/v1/test/")
        && !(path.starts_with("/api/v1/payments/") && path.ends_with("/callback"))
        && !NOT_COVERED.contains(&(method.as_str(), path))
}

/// The one `Idempotency-Key` of a request; a second one, or one that is not visible ASCII, is
/// `invalid_field` like any malformed key.
fn key_of(headers: &HeaderMap) -> Result<IdempotencyKey, Refusal> {
    let mut values = headers.get_all(IdempotencyKey::HEADER).iter();
    let text = match (values.next(), values.next()) {
        (Some(v), None) => v.to_str().unwrap_or(""),
        _ => "",
    };
    IdempotencyKey::parse(text)
}

fn scope_of(ctx: &RequestContext, headers: &HeaderMap) -> IdempotencyScope {
    match (&ctx.auth, bearer(headers)) {
        (Some(auth), _) => IdempotencyScope::Account(auth.account.id),
        (None, Some(token)) => IdempotencyScope::bearer(token),
        (None, None) => IdempotencyScope::Anonymous,
    }
}

/// SHA-256 of the request: method, path and query, content type (each length-prefixed), body.
fn fingerprint(method: &str, path_and_query: &str, content_type: &[u8], body: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in [method.as_bytes(), path_and_query.as_bytes(), content_type] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    h.update(body);
    h.finalize().into()
}

/// Middleware: see the module docs.
pub(crate) async fn idempotency(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str());
    let ctx = req.extensions().get::<RequestContext>();
    let (Some(route), Some(ctx)) = (route, ctx) else {
        return next.run(req).await;
    };
    if !req.headers().contains_key(IdempotencyKey::HEADER) || !covers(req.method().as_str(), route)
    {
        return next.run(req).await;
    }
    let ctx = ctx.clone();
    let limit = crate::router::body_limit_of(&state.config, Some(route));
    let key = match key_of(req.headers()) {
        Ok(key) => key,
        Err(refusal) => return WebError::from(refusal).into_response(),
    };
    let scope = scope_of(&ctx, req.headers());
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return WebError::code(ErrorCode::PayloadTooLarge).into_response();
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE);
    let print = fingerprint(
        parts.method.as_str(),
        parts.uri.path_and_query().map_or("", |p| p.as_str()),
        content_type.map_or(&[][..], HeaderValue::as_bytes),
        &bytes,
    );
    let ticket = match state.app.begin_idempotent(&scope, &key, print).await {
        Ok(Idempotent::Run(ticket)) => ticket,
        Ok(Idempotent::Replay(answer)) => return replay(answer),
        Err(e) => {
            let in_flight = e.code() == Some(ErrorCode::IdempotencyKeyInFlight);
            let mut res = WebError::from(e).into_response();
            if in_flight {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            return res;
        }
    };
    let method = parts.method.clone();
    let req = Request::from_parts(parts, Body::from(bytes));
    let task_state = state.clone();
    let task_ticket = ticket.clone();
    let run = async move {
        let res = next.run(req).await;
        // The answer as the caller will read it: a refusal rendered in the request's locale.
        let res = render::finish(&task_state, &ctx, &method, res).await;
        settle(&task_state, &task_ticket, res).await
    };
    match tokio::spawn(run.instrument(tracing::Span::current())).await {
        Ok(res) => res,
        Err(e) => {
            release(&state, &ticket).await;
            WebError::internal(anyhow::anyhow!("the idempotent request's task failed: {e}"))
                .into_response()
        }
    }
}

/// Records `res` under the ticket's key (below 500) or releases the key (5xx); answers `res`.
async fn settle(state: &AppState, ticket: &IdempotencyTicket, res: Response) -> Response {
    if res.status().is_server_error() {
        release(state, ticket).await;
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            release(state, ticket).await;
            return WebError::internal(
                anyhow::Error::new(e).context("reading an answer to record"),
            )
            .into_response();
        }
    };
    let answer = RecordedAnswer {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: bytes.to_vec(),
    };
    if let Err(e) = state.app.record_idempotent(ticket, &answer).await {
        // The request took effect: the key stays held (409 to a retry until its 24 h pass)
        // rather than freed for a second effect.
        tracing::error!(error = format!("{e:#}"), "recording an idempotent answer");
    }
    Response::from_parts(parts, Body::from(bytes))
}

async fn release(state: &AppState, ticket: &IdempotencyTicket) {
    if let Err(e) = state.app.release_idempotent(ticket).await {
        tracing::error!(error = format!("{e:#}"), "releasing an idempotency key");
    }
}

/// The recorded answer again, marked as a replay.
fn replay(answer: RecordedAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = Response::new(Body::from(answer.body));
    *res.status_mut() = status;
    if let Some(v) = answer
        .content_type
        .and_then(|ct| HeaderValue::from_str(&ct).ok())
    {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    res.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_unsafe_api_routes_but_the_excepted() {
        for (m, p) in [
            ("POST", "/api/v1/me/top-ups"),
            ("post", "/api/v1/registrations/{id}/reschedule"),
            ("PUT", "/api/v1/me/contacts"),
            ("DELETE", "/api/v1/anything"),
            ("PATCH", "/api/v1/anything"),
            ("POST", "/api/v1/institution-registrations"),
            ("POST", "/api/v1/admin/results"),
        ] {
            assert!(covers(m, p), "{m} {p}");
        }
        for (m, p) in [
            ("GET", "/api/v1/me/wallet"),
            ("HEAD", "/api/v1/me"),
            ("POST", "/api/v1/orders"),
            ("POST", "/api/v1/sessions"),
            ("DELETE", "/api/v1/sessions"),
            ("POST", "/api/v1/payments/{gateway}/callback"),
            ("PUT", "/api/v1/test/clock"),
            ("POST", "/api/v1/test/payments/{payment_id}/succeed"),
            ("POST", "/login"),
        ] {
            assert!(!covers(m, p), "{m} {p}");
        }
    }

    #[test]
    fn fingerprints_tell_every_part_apart() {
        let base = fingerprint("POST", "/a?x=1", b"application/json", b"{}");
        assert_eq!(
            base,
            fingerprint("POST", "/a?x=1", b"application/json", b"{}")
        );
        for other in [
            fingerprint("PUT", "/a?x=1", b"application/json", b"{}"),
            fingerprint("POST", "/a?x=2", b"application/json", b"{}"),
            fingerprint("POST", "/a?x=1", b"text/csv", b"{}"),
            fingerprint("POST", "/a?x=1", b"application/json", b"{ }"),
            // Length prefixes: moving bytes between parts is another request.
            fingerprint("POST", "/a?x=1application/json", b"", b"{}"),
        ] {
            assert_ne!(base, other);
        }
    }

    #[test]
    fn one_visible_key_only() {
        let mut h = HeaderMap::new();
        h.insert("idempotency-key", HeaderValue::from_static("k-1"));
        assert_eq!(key_of(&h).unwrap().as_str(), "k-1");
        h.append("idempotency-key", HeaderValue::from_static("k-2"));
        let r = key_of(&h).unwrap_err();
        assert_eq!(
            (r.code, r.field.as_deref()),
            (ErrorCode::InvalidField, Some("Idempotency-Key"))
        );
        let mut h = HeaderMap::new();
        h.insert(
            "idempotency-key",
            HeaderValue::from_bytes("键".as_bytes()).unwrap(),
        );
        assert!(key_of(&h).is_err());
    }
}
