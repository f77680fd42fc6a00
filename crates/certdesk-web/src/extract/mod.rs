//! Our own extractors. Their rejections speak E1, so no bad input reaches a client as
//! axum's plain-text errors. Handlers use these, never the raw axum ones.

mod auth;
mod form;
pub(crate) mod json;
mod path;
mod query;
mod raw;
mod upload;

pub(crate) use auth::{CurrentAccount, CurrentAdmin, CurrentStaff, ManageToken, MaybeAccount};
pub(crate) use form::Form;
pub(crate) use json::Json;
pub(crate) use path::Path;
pub(crate) use query::Query;
pub(crate) use raw::RawBody;
pub(crate) use upload::{Upload, UploadForm, media_type, multipart_text};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use certdesk_domain::ErrorCode;

use crate::error::WebError;
use crate::middleware::context::RequestContext;

/// The request's context (locale, surface, session, CSRF pair).
#[derive(Debug, Clone)]
pub(crate) struct Ctx(pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .map(Ctx)
            .ok_or_else(|| {
                WebError::internal(anyhow::anyhow!(
                    "request context missing; is the context layer installed?"
                ))
            })
    }
}

/// Bad bytes in a form or query: one refusal for both.
pub(crate) fn invalid_input(detail: String) -> WebError {
    WebError::Refused(
        certdesk_domain::Refusal::new(ErrorCode::InvalidInput)
            .detail(certdesk_domain::LocalizedText::new(detail.clone(), detail)),
    )
}
