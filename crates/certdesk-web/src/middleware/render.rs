//! E1 rendering: turns an error response into the E1 JSON body under `/api` or an error page
//! (or an htmx fragment) elsewhere, in the request's locale. Also gives axum's own bare
//! rejections (405, 413, …) the same shape, so no error leaves without a code.

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use certdesk_domain::{ErrorCode, ErrorKind, Refusal};

use crate::error::{PendingError, json_response};
use crate::middleware::context::RequestContext;
use crate::pages;
use crate::state::AppState;

/// The refusal for an error status that no handler described (axum's bare rejections).
fn refusal_for_status(status: StatusCode) -> Refusal {
    let code = match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthenticated,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::URI_TOO_LONG => ErrorCode::UriTooLong,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => ErrorCode::HeadersTooLarge,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::TooManyAttempts,
        s if s.is_server_error() => ErrorCode::InternalError,
        _ => ErrorCode::InvalidInput,
    };
    Refusal::new(code)
}

/// Is this an error response nobody rendered (no body type of ours)?
fn is_bare_error(res: &Response) -> bool {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    match res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(ct) => ct.starts_with("text/plain"),
    }
}

/// Renders `res` if it is an error; returns it unchanged otherwise.
pub(crate) async fn finish(
    state: &AppState,
    ctx: &RequestContext,
    method: &Method,
    res: Response,
) -> Response {
    let refusal = match res.extensions().get::<PendingError>() {
        Some(p) => (*p.0).clone(),
        None if is_bare_error(&res) => refusal_for_status(res.status()),
        None => return res,
    };
    // Keep a bare rejection's own status (405 stays 405); ours follow the code's kind.
    let keep_status = res
        .extensions()
        .get::<PendingError>()
        .is_none()
        .then_some(res.status());
    let (parts, _) = res.into_parts();
    let mut out = if ctx.api {
        json_response(&refusal, ctx.locale)
    } else if refusal.kind() == ErrorKind::Unauthenticated && *method == Method::GET && !ctx.htmx {
        // A page that needs a signed-in user: go and sign in, then come back.
        let next = pages::login::next_param(&ctx.path_and_query);
        Redirect::to(&format!("/login?next={next}")).into_response()
    } else {
        pages::error::render(state, ctx, &refusal)
    };
    if let Some(status) = keep_status
        && out.status() != StatusCode::SEE_OTHER
    {
        *out.status_mut() = status;
    }
    for name in [header::ALLOW, header::RETRY_AFTER, header::SET_COOKIE] {
        for v in parts.headers.get_all(&name) {
            out.headers_mut().append(name.clone(), v.clone());
        }
    }
    if let Some(deadline) = refusal.deadline
        && refusal.kind() == ErrorKind::Throttled
    {
        // Whole seconds until the lock lifts, at least one.
        let now = state.app.now();
        let secs = deadline.duration_since(now).as_secs().max(1);
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            out.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    out
}
