//! Works out who and what a request is for — locale, API or page, htmx, the signed-in
//! account, the CSRF pair, the client's address and scheme — puts it in the request's
//! extensions, and renders any error the handler returned (E1) in that locale and surface.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use certdesk_domain::{ErrorCode, Locale};
use certdesk_store::{Account, SessionKind};

use crate::cookies::OurCookie;
use crate::csrf::{self, CsrfPair};
use crate::error::WebError;
use crate::middleware::render;
use crate::middleware::transport::Transport;
use crate::state::AppState;

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
    /// The browser reached us over HTTPS: cookies are `Secure` and `__Host-` named.
    pub https: bool,
    /// The client's address (`middleware::transport`), for the log-in throttle.
    pub client: Option<IpAddr>,
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
pub(crate) fn locale_of(headers: &HeaderMap, jar: &CookieJar, https: bool) -> Locale {
    if let Some(l) = OurCookie::Lang.read(jar, https).and_then(Locale::from_tag) {
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

/// The session cookie of a page request, if it holds something token-like.
fn session_cookie(jar: &CookieJar, https: bool) -> Option<&str> {
    OurCookie::Session
        .read(jar, https)
        .filter(|t| !t.is_empty() && t.len() <= 512)
}

/// The caller's session: a bearer token for the API, the session cookie for pages.
async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    jar: &CookieJar,
    api: bool,
    https: bool,
) -> Result<Option<Arc<Authenticated>>, WebError> {
    let (token, kind) = if api {
        (bearer(headers).map(str::to_owned), SessionKind::Api)
    } else {
        (
            session_cookie(jar, https).map(str::to_owned),
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
    let transport = Transport::of(&req);
    let https = transport.https;
    let headers = req.headers();
    let jar = CookieJar::from_headers(headers);
    let api = is_api_path(&path);
    let mut ctx = RequestContext {
        locale: locale_of(headers, &jar, https),
        api,
        htmx: !api && headers.contains_key("hx-request"),
        auth: None,
        csrf: None,
        path_and_query: req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| path.clone()),
        https,
        client: transport.client.addr,
    };
    let csrf_cookie = OurCookie::Csrf.read(&jar, https);
    // Pages only; bound to the session once the session is known to be live.
    let csrf_pair =
        |session: Option<&str>| (!api).then(|| csrf::pair(&state.csrf, session, csrf_cookie));
    let method = req.method().clone();
    // The route's own limit: a results upload may be far larger than any other body.
    let limit = crate::router::body_limit_of(
        &state.config,
        req.extensions()
            .get::<MatchedPath>()
            .map(MatchedPath::as_str),
    );
    let res = if declared_length(headers).is_some_and(|n| n > limit as u64) {
        ctx.csrf = csrf_pair(None);
        WebError::code(ErrorCode::PayloadTooLarge).into_response()
    } else {
        match authenticate(&state, headers, &jar, api, https).await {
            Ok(auth) => {
                let session = auth
                    .is_some()
                    .then(|| session_cookie(&jar, https))
                    .flatten();
                ctx.csrf = csrf_pair(session);
                ctx.auth = auth;
                req.extensions_mut().insert(ctx.clone());
                next.run(req).await
            }
            Err(e) => {
                ctx.csrf = csrf_pair(None);
                e.into_response()
            }
        }
    };
    let mut res = render::finish(&state, &ctx, &method, res).await;
    if let Some(value) = ctx.csrf.as_ref().and_then(|p| p.new_cookie.as_ref()) {
        OurCookie::Csrf.set(&mut res, https, value, None);
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
