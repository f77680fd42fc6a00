//! `Json<T>`: a JSON body whose rejections are E1 (`invalid_json` naming the field serde
//! complained about, `payload_too_large` past the body limit); also the JSON response type.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use certdesk_domain::{ErrorCode, LocalizedText, Refusal};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::WebError;

/// A JSON request body or response.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Json<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// `missing field `email`` → `email`.
fn quoted_name(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

/// Parses `bytes` as `T`, or says which field was wrong (E1).
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    if contains_nul_escape(bytes) {
        return Err(refusal(
            None,
            "text must not contain the NUL character (\\u0000)",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        refusal(
            Some(path).filter(|p| p != "." && !p.is_empty()),
            &e.into_inner().to_string(),
        )
    })?;
    de.end().map_err(|e| refusal(None, &e.to_string()))?;
    Ok(value)
}

/// E2: no text field of certdesk may hold NUL. PostgreSQL cannot store it in text, so it
/// would otherwise surface as a 500 there while SQLite kept it: refused here, for both.
/// (A literal backslash followed by `u0000` is refused too; no real name, reason or code
/// contains one.)
pub(crate) fn contains_nul_escape(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"))
}

/// `invalid_json`, naming the field when serde's message or path does.
fn refusal(path: Option<String>, msg: &str) -> WebError {
    let mut field = path;
    if (msg.starts_with("missing field") || msg.starts_with("unknown field"))
        && let Some(name) = quoted_name(msg)
    {
        field = Some(match field {
            Some(parent) => format!("{parent}.{name}"),
            None => name.to_owned(),
        });
    }
    let detail = match &field {
        Some(f) => LocalizedText::new(format!("字段 {f}：{msg}"), format!("Field {f}: {msg}")),
        None => LocalizedText::new(msg.to_owned(), msg.to_owned()),
    };
    let mut r = Refusal::new(ErrorCode::InvalidJson).detail(detail);
    if let Some(f) = field {
        r = r.field(f);
    }
    WebError::Refused(r)
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        if !is_json(req.headers()) {
            return Err(WebError::Refused(
                Refusal::new(ErrorCode::InvalidJson).detail(LocalizedText::fixed(
                    "请求头 Content-Type 须为 application/json。",
                    "The Content-Type must be application/json.",
                )),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::code(ErrorCode::PayloadTooLarge)
            } else {
                WebError::code(ErrorCode::InvalidJson)
            }
        })?;
        parse(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[expect(dead_code, reason = "only parsed")]
    struct Body {
        email: String,
        age: u32,
    }

    fn field_of(input: &str) -> Option<String> {
        match parse::<Body>(input.as_bytes()) {
            Err(WebError::Refused(r)) => r.field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(
            field_of(r#"{"email":"a@b.cn","age":"x"}"#).as_deref(),
            Some("age")
        );
        assert_eq!(field_of(r#"{"age":3}"#).as_deref(), Some("email"));
        assert_eq!(field_of(r#"{"email":"#).as_deref(), Some("email"));
        assert_eq!(field_of("nonsense"), None);
        assert_eq!(field_of(r#"{"email":"a","age":1} trailing"#), None);
    }
}
