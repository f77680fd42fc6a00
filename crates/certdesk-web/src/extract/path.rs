//! `Path<T>`: path parameters; one that does not parse names nothing that exists → 404.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use certdesk_domain::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::WebError;

#[derive(Debug, Clone)]
pub(crate) struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| WebError::code(ErrorCode::NotFound))
    }
}
