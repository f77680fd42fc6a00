//! E1 for the refusals hyper makes itself. A request whose head cannot be read — a byte not
//! allowed in its path or in a header (a NUL), a URI over hyper's 65,534 bytes, headers over
//! its buffer — never reaches the router: hyper answers 400, 414 or 431 with an empty body
//! and closes. This module recognises such an answer among the bytes written to the socket
//! and, for a request under `/api`, makes the E1 answer that replaces it, in the language of
//! the request's `Accept-Language` (zh-CN by default). Other paths keep hyper's answer.

use axum::http::StatusCode;
use certdesk_domain::{ErrorCode, Locale, Refusal};

use crate::error::ErrorBody;
use crate::middleware::security_headers::CSP;

/// The status of a response head that hyper wrote on its own: the whole write is one head
/// (no body), its status is one hyper refuses a request with, and it lacks the security
/// headers that every response of ours carries (`middleware::security_headers`).
pub(crate) fn hyper_refusal(written: &[u8]) -> Option<(&[u8], StatusCode)> {
    let version = [b"HTTP/1.1 ".as_slice(), b"HTTP/1.0 ".as_slice()]
        .into_iter()
        .find(|v| written.starts_with(v))?;
    let end = find(written, b"\r\n\r\n")?;
    if end + 4 != written.len() {
        return None;
    }
    let status = match written.get(version.len()..version.len() + 4)? {
        b"400 " => StatusCode::BAD_REQUEST,
        b"414 " => StatusCode::URI_TOO_LONG,
        b"431 " => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        _ => return None,
    };
    let head = written.to_ascii_lowercase();
    if find(&head, b"\r\nx-content-type-options:").is_some() {
        return None;
    }
    Some((&version[..8], status))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether the request whose first bytes are `head` is for the JSON API: its request target
/// is `/api` or under `/api/` (read leniently: the line may be the malformed one).
pub(crate) fn is_api_request(head: &[u8]) -> bool {
    let line = head
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .map_or(&[][..], |start| &head[start..]);
    let Some(sp) = line.iter().position(|&b| b == b' ') else {
        return false;
    };
    let target = &line[sp + 1..];
    let target = &target[..target
        .iter()
        .position(|&b| matches!(b, b' ' | b'\r' | b'\n'))
        .unwrap_or(target.len())];
    target == b"/api" || target.starts_with(b"/api/") || target.starts_with(b"/api?")
}

/// The locale named by an `Accept-Language` line of the raw head, else zh-CN.
pub(crate) fn locale_of(head: &[u8]) -> Locale {
    head.split(|&b| b == b'\n')
        .skip(1)
        .filter_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            line[..colon]
                .eq_ignore_ascii_case(b"accept-language")
                .then(|| &line[colon + 1..])
        })
        .find_map(|v| std::str::from_utf8(v).ok())
        .map(|v| Locale::from_accept_language(v.trim()))
        .unwrap_or_default()
}

/// The E1 answer for `status`: the JSON body, our security headers, and `Connection: close`
/// (hyper closes the connection after such a refusal).
pub(crate) fn e1_response(version: &[u8], status: StatusCode, locale: Locale) -> Vec<u8> {
    let code = match status {
        StatusCode::URI_TOO_LONG => ErrorCode::UriTooLong,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => ErrorCode::HeadersTooLarge,
        _ => ErrorCode::BadRequest,
    };
    let body = serde_json::to_vec(&ErrorBody::new(&Refusal::new(code), locale))
        .expect("an error body serialises");
    let mut out = Vec::with_capacity(512 + body.len());
    out.extend_from_slice(version);
    out.extend_from_slice(
        format!(
            " {} {}\r\n\
             content-type: application/json\r\n\
             content-language: {}\r\n\
             content-length: {}\r\n\
             connection: close\r\n\
             cache-control: no-store\r\n\
             content-security-policy: {CSP}\r\n\
             x-frame-options: DENY\r\n\
             x-content-type-options: nosniff\r\n\
             referrer-policy: same-origin\r\n\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            locale.as_tag(),
            body.len(),
        )
        .as_bytes(),
    );
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyper_heads_are_told_from_ours() {
        let hyper = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Sat, 05 Dec 2026 08:00:00 GMT\r\n\r\n";
        assert_eq!(
            hyper_refusal(hyper),
            Some((
                &b"HTTP/1.1"[..],
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
            ))
        );
        let ours = b"HTTP/1.1 400 Bad Request\r\nX-Content-Type-Options: nosniff\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(hyper_refusal(ours), None);
        let with_body = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(hyper_refusal(with_body), None);
        assert_eq!(hyper_refusal(b"HTTP/1.1 404 Not Found\r\n\r\n"), None);
        assert_eq!(hyper_refusal(b"HTTP/1.1 400 Bad Req"), None);
        assert_eq!(
            hyper_refusal(b"HTTP/1.0 414 URI Too Long\r\n\r\n"),
            Some((&b"HTTP/1.0"[..], StatusCode::URI_TOO_LONG))
        );
    }

    #[test]
    fn api_requests_are_found_even_in_a_malformed_line() {
        assert!(is_api_request(b"GET /api/v1/me HTTP/1.1\r\nhost: x\r\n"));
        assert!(is_api_request(b"\r\nGET /api/v1/a\x01b HTTP/1.1\r\n"));
        assert!(is_api_request(b"GET /api?x=1 HTTP/1.1\r\n"));
        assert!(is_api_request(b"GET /api/v1/aaaaaaaa"), "a URI cut short");
        assert!(!is_api_request(b"GET /apis HTTP/1.1\r\n"));
        assert!(!is_api_request(b"GET /login HTTP/1.1\r\n"));
        assert!(!is_api_request(b"GET http://x/api/v1 HTTP/1.1\r\n"));
        assert!(!is_api_request(b""));
    }

    #[test]
    fn the_answer_is_e1_in_the_requests_language() {
        let head = b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAccept-Language: en-GB,en;q=0.9\r\nX-Bad: a\0b\r\n\r\n";
        assert_eq!(locale_of(head), Locale::En);
        assert_eq!(locale_of(b"GET /api HTTP/1.1\r\n\r\n"), Locale::ZhCn);
        let res = e1_response(b"HTTP/1.1", StatusCode::BAD_REQUEST, Locale::ZhCn);
        let text = String::from_utf8(res).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{head}");
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"]["code"], "bad_request");
        assert!(json["error"]["message"].as_str().unwrap().contains("请求"));
        // Ours now: never taken for hyper's.
        assert_eq!(hyper_refusal(text.as_bytes()), None);
    }
}
