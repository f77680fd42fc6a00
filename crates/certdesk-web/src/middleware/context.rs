//! Works out who and what a request is for — locale, API or page, htmx, the signed-in
//! account, the CSRF pair — puts it in the request's extensions, and renders any error the
//! handler returned (E1) in that locale and surface.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use certdesk_domain::{ErrorCode, Locale};
use certdesk_store::{Account, SessionKind};

use crate::csrf::{self, CSRF_COOKIE, CsrfPair};
use crate::error::WebError;
use crate::middleware::render;
use crate::state::AppState;

/// The cookie of a signed-in browser.
pub(crate) const SESSION_COOKIE: &str = "certdesk_session";
/// The cookie remembering the chosen language.
pub(crate) const LANG_COOKIE: &str = "lang";

/// A signed-in caller.
#[derive(Debug)]
pub(crate) struct Authenticated {
    pub account: Account,
}

/// What the handlers and the error renderer know about a request.
#[derive(Debug, Clone)]
pub(crate) struct RequestContext {
    pub locale: Locale,
    /// Under `/api`: JSON, bearer tokens, no cookies.
    pub api: bool,
    /// Sent by htmx (`HX-Request`): answer with a fragment.
    pub htmx: bool,
    pub auth: Option<Arc<Authenticated>>,
    /// Pages only.
    pub csrf: Option<CsrfPair>,
    /// Path and query, for "come back here" links (language switch, log-in).
    pub path_and_query: String,
}

/// Paths that need no context: probes, metrics and static files.
fn bypasses(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/metrics" | "/favicon.ico")
        || path.starts_with("/static/")
}

pub(crate) fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// `lang` cookie, else `Accept-Language`, else zh-CN.
pub(crate) fn locale_of(headers: &HeaderMap, jar: &CookieJar) -> Locale {
    if let Some(l) = jar
        .get(LANG_COOKIE)
        .and_then(|c| Locale::from_tag(c.value()))
    {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Locale::from_accept_language)
        .unwrap_or_default()
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty() && t.len() <= 512)
}

/// The caller's session: a bearer token for the API, the session cookie for pages.
async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    jar: &CookieJar,
    api: bool,
) -> Result<Option<Arc<Authenticated>>, WebError> {
    let (token, kind) = if api {
        (bearer(headers).map(str::to_owned), SessionKind::Api)
    } else {
        (
            jar.get(SESSION_COOKIE)
                .map(|c| c.value().to_owned())
                .filter(|t| !t.is_empty() && t.len() <= 512),
            SessionKind::Web,
        )
    };
    let Some(token) = token else { return Ok(None) };
    let found = state.app.authenticate(&token).await?;
    Ok(found
        .filter(|(session, _)| session.kind == kind)
        .map(|(_, account)| Arc::new(Authenticated { account })))
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Middleware: see the module docs.
pub(crate) async fn context(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if bypasses(&path) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let jar = CookieJar::from_headers(headers);
    let api = is_api_path(&path);
    let mut ctx = RequestContext {
        locale: locale_of(headers, &jar),
        api,
        htmx: !api && headers.contains_key("hx-request"),
        auth: None,
        csrf: (!api).then(|| csrf::pair(&state.csrf, jar.get(CSRF_COOKIE).map(|c| c.value()))),
        path_and_query: req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| path.clone()),
    };
    let method = req.method().clone();
    let res = if declared_length(headers).is_some_and(|n| n > state.config.body_limit_bytes as u64)
    {
        WebError::code(ErrorCode::PayloadTooLarge).into_response()
    } else {
        match authenticate(&state, headers, &jar, api).await {
            Ok(auth) => {
                ctx.auth = auth;
                req.extensions_mut().insert(ctx.clone());
                next.run(req).await
            }
            Err(e) => e.into_response(),
        }
    };
    let mut res = render::finish(&state, &ctx, &method, res).await;
    if let Some(pair) = ctx.csrf.as_ref().filter(|p| p.fresh) {
        set_cookie(
            &mut res,
            CSRF_COOKIE,
            &pair.cookie_value,
            None,
            state.config.secure_cookies,
        );
    }
    if !api {
        // Pages differ by language and by session: never shared by caches.
        res.headers_mut().insert(
            header::VARY,
            HeaderValue::from_static("Cookie, Accept-Language, HX-Request"),
        );
        res.headers_mut()
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

/// Adds a `Set-Cookie` header for one of our cookies: `Path=/`, `HttpOnly`, `SameSite=Lax`,
/// `Secure` when configured; a session cookie without `max_age`. Values are ours (base64url
/// tokens, language tags), never user input.
pub(crate) fn set_cookie(
    res: &mut Response,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
) {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(secs) = max_age {
        c.push_str(&format!("; Max-Age={}", secs.max(0)));
    }
    if secure {
        c.push_str("; Secure");
    }
    if let Ok(v) = HeaderValue::from_str(&c) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}
