//! `Query<T>`: the query string, with E1 rejections. Query types use `Option<String>` fields
//! parsed in the handler (see `dto::page`), so a bad value is named by its field.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::WebError;
use crate::extract::invalid_input;

#[derive(Debug, Clone, Default)]
pub(crate) struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(q)
            .map(Query)
            .map_err(|e| invalid_input(e.to_string()))
    }
}
