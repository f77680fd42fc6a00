//! Results uploads (O6). `Upload`, for the API: `application/json` `{"results": […]}` or
//! `text/csv` (a `charset` parameter is ignored: the bytes are decoded by what they are,
//! `certdesk_domain::results::decode_upload`). `UploadForm`, for the `/admin/results` page:
//! a multipart form (a chosen file and/or pasted text) or a urlencoded one (pasted text).
//! Rejections speak E1; bodies may be as large as `WebConfig::upload_limit_bytes` (the
//! routes' own body limit).

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use certdesk_app::ResultsUpload;
use certdesk_domain::{ErrorCode, LocalizedText, Refusal};

use crate::dto::results::ResultsBody;
use crate::error::WebError;
use crate::extract::invalid_input;

/// The media type of the body, lower-cased, without parameters.
pub(crate) fn media_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn too_large_or(status: StatusCode, otherwise: ErrorCode) -> WebError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::code(ErrorCode::PayloadTooLarge)
    } else {
        WebError::code(otherwise)
    }
}

async fn bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, WebError> {
    Bytes::from_request(req, state)
        .await
        .map_err(|r| too_large_or(r.status(), ErrorCode::InvalidInput))
}

/// A results upload, read by its `Content-Type`.
#[derive(Debug, Clone)]
pub(crate) struct Upload(pub ResultsUpload);

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        match media_type(req.headers()).as_str() {
            "application/json" => {
                let body: ResultsBody = crate::extract::json::parse(&bytes(req, state).await?)?;
                Ok(Upload(ResultsUpload::Json(body.results)))
            }
            "text/csv" => Ok(Upload(ResultsUpload::Csv(
                bytes(req, state).await?.to_vec(),
            ))),
            _ => Err(WebError::Refused(
                Refusal::new(ErrorCode::InvalidInput)
                    .field("Content-Type")
                    .detail(LocalizedText::fixed(
                        "请求头 Content-Type 须为 application/json 或 text/csv。",
                        "The Content-Type must be application/json or text/csv.",
                    )),
            )),
        }
    }
}

/// The results page's form: pasted CSV text, a chosen file, or both (the file wins).
#[derive(Debug, Clone, Default)]
pub(crate) struct UploadForm {
    pub csv: String,
    pub file: Option<Vec<u8>>,
}

impl<S: Send + Sync> FromRequest<S> for UploadForm {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        if media_type(req.headers()) == "application/x-www-form-urlencoded" {
            let body = bytes(req, state).await?;
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&body).map_err(|e| invalid_input(e.to_string()))?;
            let csv = pairs
                .into_iter()
                .find(|(k, _)| k == "csv")
                .map(|(_, v)| v)
                .unwrap_or_default();
            return Ok(UploadForm { csv, file: None });
        }
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|r| too_large_or(r.status(), ErrorCode::InvalidInput))?;
        let mut form = UploadForm::default();
        loop {
            let field = multipart
                .next_field()
                .await
                .map_err(|e| too_large_or(e.status(), ErrorCode::InvalidInput))?;
            let Some(field) = field else { break };
            let name = field.name().unwrap_or("").to_owned();
            let data = field
                .bytes()
                .await
                .map_err(|e| too_large_or(e.status(), ErrorCode::InvalidInput))?;
            match name.as_str() {
                "csv" => form.csv = String::from_utf8_lossy(&data).into_owned(),
                "file" if !data.is_empty() => form.file = Some(data.to_vec()),
                _ => {}
            }
        }
        Ok(form)
    }
}

/// CSRF (`csrf.rs`): the value of text field `name` of a buffered multipart body.
pub(crate) async fn multipart_text(content_type: &str, body: Bytes, name: &str) -> Option<String> {
    let req = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(axum::body::Body::from(body))
        .ok()?;
    let mut multipart = Multipart::from_request(req, &()).await.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}
