//! The error page (and the htmx fragment that shows an error in the page's flash area).

use askama::Template;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use certdesk_domain::{ErrorKind, Refusal};

use crate::error::status_of_refusal;
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::{Layout, chrome};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: T,
    layout: Layout,
    title: &'static str,
    message: String,
    code: &'static str,
    show_login: bool,
}

#[derive(Template)]
#[template(path = "partials/error_fragment.html")]
struct ErrorFragment {
    message: String,
    code: &'static str,
}

/// The page for `r` in the request's locale; for htmx, a fragment retargeted at `#flash`.
pub(crate) fn render(_state: &AppState, ctx: &RequestContext, r: &Refusal) -> Response {
    let status = status_of_refusal(r);
    let message = r.message(ctx.locale);
    let rendered = if ctx.htmx {
        ErrorFragment {
            message,
            code: r.code.as_str(),
        }
        .render()
    } else {
        let (t, layout) = chrome(ctx);
        let title = if r.kind() == ErrorKind::NotFound {
            t.not_found_title()
        } else {
            t.error_title()
        };
        let show_login = r.kind() == ErrorKind::Unauthenticated;
        ErrorPage {
            t,
            layout,
            title,
            message,
            code: r.code.as_str(),
            show_login,
        }
        .render()
    };
    let mut res = match rendered {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot render the error page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><p>Error</p>"),
            )
                .into_response()
        }
    };
    if ctx.htmx {
        let h = res.headers_mut();
        h.insert("hx-retarget", HeaderValue::from_static("#flash"));
        h.insert("hx-reswap", HeaderValue::from_static("innerHTML"));
    }
    res
}
