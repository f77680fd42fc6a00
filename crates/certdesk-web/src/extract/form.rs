//! `Form<T>`: a urlencoded form body for the pages, with E1 rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use certdesk_domain::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::WebError;
use crate::extract::invalid_input;

/// A form post. Page forms use `String` fields with defaults and parse them in the handler,
/// so that each problem is shown next to its field.
#[derive(Debug, Clone, Default)]
pub(crate) struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            });
        if !is_form {
            return Err(invalid_input(
                "Content-Type must be application/x-www-form-urlencoded".to_owned(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::code(ErrorCode::PayloadTooLarge)
            } else {
                WebError::code(ErrorCode::InvalidInput)
            }
        })?;
        // E2: NUL is no character of any form field (PostgreSQL cannot store it in text).
        if bytes.windows(3).any(|w| w == b"%00") {
            return Err(invalid_input(
                "text must not contain the NUL character".to_owned(),
            ));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(Form)
            .map_err(|e| invalid_input(e.to_string()))
    }
}
