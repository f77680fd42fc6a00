//! `RawBody`: the request body's exact bytes (a gateway's signature covers them), with E1
//! rejections (`payload_too_large` past the body limit).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use certdesk_domain::ErrorCode;

use crate::error::WebError;

#[derive(Debug, Clone, Default)]
pub(crate) struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    WebError::code(ErrorCode::PayloadTooLarge)
                } else {
                    WebError::code(ErrorCode::InvalidInput)
                }
            })
    }
}
