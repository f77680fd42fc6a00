//! E1: one error type for every handler, rendered as JSON under `/api` and as a page (or an
//! htmx fragment) elsewhere. Handlers only build it; `middleware::context` renders it, since
//! only that layer knows the request's locale and surface.

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use certdesk_app::AppError;
use certdesk_domain::{ErrorCode, ErrorKind, Locale, Refusal};
use serde::Serialize;

/// Why a request was not served. A refusal carries its E1 code; anything else is a defect,
/// logged once here with its cause chain and answered with an opaque 500.
#[derive(Debug)]
pub enum WebError {
    /// A rule, the input or the caller's rights said no (4xx).
    Refused(Refusal),
    /// A defect on our side (500).
    Internal(anyhow::Error),
}

impl WebError {
    /// Shorthand for a refusal with only a code.
    pub fn code(code: ErrorCode) -> WebError {
        WebError::Refused(Refusal::new(code))
    }

    pub(crate) fn internal(err: impl Into<anyhow::Error>) -> WebError {
        WebError::Internal(err.into())
    }
}

impl From<Refusal> for WebError {
    fn from(r: Refusal) -> Self {
        WebError::Refused(r)
    }
}

impl From<ErrorCode> for WebError {
    fn from(c: ErrorCode) -> Self {
        WebError::code(c)
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Refused(r) => WebError::Refused(r),
            AppError::Internal(e) => WebError::Internal(e),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(anyhow::Error::new(e).context("rendering a template"))
    }
}

/// The HTTP status of an error kind (E1).
pub(crate) fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Malformed => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Refused => StatusCode::CONFLICT,
        ErrorKind::Throttled => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::UriTooLong => StatusCode::URI_TOO_LONG,
        ErrorKind::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The HTTP status of a refusal: its kind's (E1), without exceptions, so the JSON answer and
/// the page agree. API.md's 422 for `idempotency_key_reused` follows from the domain filing
/// it as `Malformed`: the same request under that key can never succeed.
pub(crate) fn status_of_refusal(r: &Refusal) -> StatusCode {
    status_of(r.kind())
}

/// Attached to an error response until the context layer renders it.
#[derive(Debug, Clone)]
pub(crate) struct PendingError(pub Arc<Refusal>);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let refusal = match self {
            WebError::Refused(r) => r,
            WebError::Internal(err) => {
                // The one place an unexpected error is logged: with its whole cause chain,
                // never in the response.
                tracing::error!(error = format!("{err:#}"), "internal error");
                Refusal::new(ErrorCode::InternalError)
            }
        };
        pending(refusal)
    }
}

/// An unrendered error response for `refusal`.
pub(crate) fn pending(refusal: Refusal) -> Response {
    let mut res = status_of_refusal(&refusal).into_response();
    res.extensions_mut().insert(PendingError(Arc::new(refusal)));
    res
}

/// E1 JSON body: `{"error":{"code","message","field","rule","deadline"}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable snake_case code, e.g. `email_taken`.
    #[schema(example = "email_taken")]
    pub code: String,
    /// Human message in the request's language (zh-CN default, en).
    pub message: String,
    /// The input field at fault, where there is one.
    pub field: Option<String>,
    /// The SPEC rule that decided it, e.g. `O7`.
    pub rule: Option<String>,
    /// T4: the deadline instant that decided it, RFC 3339 with offset +08:00.
    #[schema(format = DateTime)]
    pub deadline: Option<String>,
}

impl ErrorBody {
    pub(crate) fn new(r: &Refusal, locale: Locale) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: r.code.as_str().to_owned(),
                message: r.message(locale),
                field: r.field.clone(),
                rule: r.rule.map(str::to_owned),
                deadline: r.deadline.map(crate::dto::rfc3339),
            },
        }
    }
}

/// The E1 JSON response for `r`.
pub(crate) fn json_response(r: &Refusal, locale: Locale) -> Response {
    let mut res = (status_of_refusal(r), axum::Json(ErrorBody::new(r, locale))).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(locale.as_tag()) {
        res.headers_mut()
            .insert(axum::http::header::CONTENT_LANGUAGE, v);
    }
    res
}

/// Result of a handler.
pub(crate) type WebResult<T> = Result<T, WebError>;
