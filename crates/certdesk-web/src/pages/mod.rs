//! Server-rendered pages (askama + htmx), one file per page. Every form works as a plain
//! post; when htmx sends it (`HX-Request`), the answer is the form fragment alone, or an
//! `HX-Redirect` on success. Refusals are shown next to their field in the user's language.

pub(crate) mod account;
pub(crate) mod account_certificates;
pub(crate) mod admin;
pub(crate) mod certificate_pdf;
pub(crate) mod certificates;
pub(crate) mod certification;
pub(crate) mod checkout;
pub(crate) mod checkout_view;
pub(crate) mod error;
pub(crate) mod exams;
pub(crate) mod help;
pub(crate) mod home;
pub(crate) mod identity;
pub(crate) mod institution;
pub(crate) mod lang;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod periods;
pub(crate) mod refund;
pub(crate) mod reschedule;
pub(crate) mod retake;
pub(crate) mod sandbox;
pub(crate) mod signup;
pub(crate) mod support;
pub(crate) mod ticket;
pub(crate) mod wallet;

use askama::Template;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use certdesk_app::AppError;
use certdesk_domain::{ErrorKind, Locale, Refusal, Role};

use crate::error::{WebError, WebResult, status_of_refusal};
use crate::i18n::T;
use crate::middleware::context::RequestContext;

/// What the base layout needs: language, CSRF token, who is signed in, where we are.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub lang: &'static str,
    pub csrf_token: String,
    pub user: Option<UserView>,
    /// This page's path, percent-encoded, for the language switch's `next`.
    pub here: String,
    pub static_v: &'static str,
}

#[derive(Debug, Clone)]
pub(crate) struct UserView {
    pub email: String,
    pub is_admin: bool,
    /// Institution staff: the header links to their desk (`/institution`).
    pub is_staff: bool,
}

impl Layout {
    pub(crate) fn new(ctx: &RequestContext) -> Layout {
        Layout {
            lang: ctx.locale.as_tag(),
            csrf_token: ctx
                .csrf
                .as_ref()
                .map(|c| c.token.clone())
                .unwrap_or_default(),
            user: ctx.auth.as_ref().map(|a| UserView {
                email: a.account.email.as_str().to_owned(),
                is_admin: a.account.has_role(Role::Admin),
                is_staff: a.account.has_role(Role::InstitutionStaff),
            }),
            here: encode_component(local_path(&ctx.path_and_query).unwrap_or("/")),
            static_v: crate::static_files::version(),
        }
    }
}

/// The locale's words and the layout, which every page struct carries as `t` and `layout`.
pub(crate) fn chrome(ctx: &RequestContext) -> (T, Layout) {
    (T(ctx.locale), Layout::new(ctx))
}

/// Errors of one form: a general message and messages by field name.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormErrors {
    pub general: Option<String>,
    fields: Vec<(String, String)>,
}

impl FormErrors {
    /// The message for `field`, if it has one.
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    pub(crate) fn any(&self) -> bool {
        self.general.is_some() || !self.fields.is_empty()
    }

    /// Puts the refusal next to its field when the form has that field, else on top.
    pub(crate) fn from_refusal(r: &Refusal, locale: Locale, form_fields: &[&str]) -> FormErrors {
        let message = r.message(locale);
        match r.field.as_deref().filter(|f| form_fields.contains(f)) {
            Some(f) => FormErrors {
                general: None,
                fields: vec![(f.to_owned(), message)],
            },
            None => FormErrors {
                general: Some(message),
                fields: Vec::new(),
            },
        }
    }
}

/// A refusal a form shows in place (bad input, a rule's "no", a throttle); anything else
/// (forbidden, not found, defects) goes to the error page.
pub(crate) fn form_refusal(e: AppError) -> Result<Refusal, WebError> {
    match e {
        AppError::Refused(r)
            if matches!(
                r.kind(),
                ErrorKind::Malformed
                    | ErrorKind::Refused
                    | ErrorKind::Unauthenticated
                    | ErrorKind::Throttled
                    | ErrorKind::TooLarge
            ) =>
        {
            Ok(r)
        }
        other => Err(other.into()),
    }
}

/// The status a form re-rendered with `r`'s errors answers.
pub(crate) fn refusal_status(r: &Refusal) -> StatusCode {
    status_of_refusal(r)
}

/// Renders a template as an HTML response.
pub(crate) fn html(status: StatusCode, page: &impl Template) -> WebResult<Response> {
    Ok((status, Html(page.render()?)).into_response())
}

/// After a successful post: `303 See Other`, or `HX-Redirect` for htmx.
pub(crate) fn see_other(ctx: &RequestContext, to: &str) -> Response {
    if ctx.htmx {
        let mut res = StatusCode::NO_CONTENT.into_response();
        if let Ok(v) = HeaderValue::from_str(to) {
            res.headers_mut().insert("hx-redirect", v);
        }
        res
    } else {
        Redirect::to(to).into_response()
    }
}

/// `path` when it is a path of this site (`/…`, not `//host` or `/\host`), else `None`:
/// the only places a `next` parameter may send a browser.
pub(crate) fn local_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && path.len() <= 512
        && !path.chars().any(|c| c.is_control() || c == '\\');
    ok.then_some(path)
}

/// Percent-encodes a query parameter value.
pub(crate) fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/account?x=1"), Some("/account?x=1"));
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "javascript:alert(1)",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad), None, "{bad}");
        }
        assert_eq!(encode_component("/a?b=c&d"), "/a%3Fb%3Dc%26d");
    }
}
