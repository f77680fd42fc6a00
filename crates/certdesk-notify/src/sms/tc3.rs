//! Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256), as a pure function.
//!
//! The vendor's "签名方法 v3 / Signature v3" page defines it; `tests/data/tc3-signature.json`
//! holds its worked examples, which the tests below reproduce. Both our client and the test
//! server (which checks signatures as the vendor does) go through [`sign`], so the algorithm
//! lives in one place and no clock or network is involved.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

const ALGORITHM: &str = "TC3-HMAC-SHA256";

/// What a TC3 signature covers. Only `POST /` with an empty query is supported: every
/// API 3.0 call certdesk makes is a JSON POST to the service's root.
#[derive(Debug, Clone, Copy)]
pub struct Tc3Input<'a> {
    pub secret_id: &'a str,
    pub secret_key: &'a str,
    /// The product's short name, the first label of its host (`sms`).
    pub service: &'a str,
    /// The `Host` header exactly as sent (with `:port` when it is not the scheme's default).
    pub host: &'a str,
    /// `Some(action)` signs `x-tc-action` too (the current zh-CN doc's example); `None`
    /// signs only `content-type;host`, as the official SDKs do.
    pub signed_action: Option<&'a str>,
    /// The `Content-Type` header exactly as sent.
    pub content_type: &'a str,
    /// `X-TC-Timestamp`, seconds since the epoch.
    pub timestamp: i64,
    /// The body bytes exactly as sent.
    pub payload: &'a [u8],
}

/// Every intermediate of the computation: the tests compare each with the vendor's example,
/// and a server that refuses a request can say which part differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tc3Signature {
    /// The UTC date of the timestamp, `YYYY-MM-DD` (not the local date: 1551113065 is
    /// 2019-02-26 in Beijing but signs as 2019-02-25).
    pub date: String,
    pub hashed_payload: String,
    pub canonical_request: String,
    pub hashed_canonical_request: String,
    pub credential_scope: String,
    pub signed_headers: &'static str,
    pub string_to_sign: String,
    pub signature: String,
    /// The whole `Authorization` header value.
    pub authorization: String,
}

/// The keys derived from the secret key, date and service (the doc lists them in hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedKeys {
    pub secret_date: [u8; 32],
    pub secret_service: [u8; 32],
    pub secret_signing: [u8; 32],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Tc3Error {
    #[error("timestamp {0} is outside the representable range")]
    TimestampOutOfRange(i64),
}

/// Signs one request.
pub fn sign(input: &Tc3Input<'_>) -> Result<Tc3Signature, Tc3Error> {
    let date = utc_date(input.timestamp)?;
    let hashed_payload = sha256_hex(input.payload);

    // Header names and values are lower-cased and trimmed, then listed in name order;
    // content-type < host < x-tc-action already is that order.
    let mut canonical_headers = format!(
        "content-type:{}\nhost:{}\n",
        canon(input.content_type),
        canon(input.host)
    );
    let signed_headers = match input.signed_action {
        Some(action) => {
            canonical_headers.push_str(&format!("x-tc-action:{}\n", canon(action)));
            "content-type;host;x-tc-action"
        }
        None => "content-type;host",
    };
    let canonical_request =
        format!("POST\n/\n\n{canonical_headers}\n{signed_headers}\n{hashed_payload}");
    let hashed_canonical_request = sha256_hex(canonical_request.as_bytes());

    let credential_scope = format!("{date}/{}/tc3_request", input.service);
    let string_to_sign = format!(
        "{ALGORITHM}\n{}\n{credential_scope}\n{hashed_canonical_request}",
        input.timestamp
    );
    let keys = derive_keys(input.secret_key, &date, input.service);
    let signature = hex::encode(hmac(&keys.secret_signing, string_to_sign.as_bytes()));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{credential_scope}, SignedHeaders={signed_headers}, Signature={signature}",
        input.secret_id
    );
    Ok(Tc3Signature {
        date,
        hashed_payload,
        canonical_request,
        hashed_canonical_request,
        credential_scope,
        signed_headers,
        string_to_sign,
        signature,
        authorization,
    })
}

/// kDate = HMAC("TC3"+SecretKey, date); kService = HMAC(kDate, service);
/// kSigning = HMAC(kService, "tc3_request").
pub fn derive_keys(secret_key: &str, date: &str, service: &str) -> DerivedKeys {
    let secret_date = hmac(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac(&secret_date, service.as_bytes());
    let secret_signing = hmac(&secret_service, b"tc3_request");
    DerivedKeys {
        secret_date,
        secret_service,
        secret_signing,
    }
}

/// The parts of an `Authorization` header a server needs to check it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuthorization<'a> {
    pub secret_id: &'a str,
    pub date: &'a str,
    pub service: &'a str,
    pub signed_headers: &'a str,
    pub signature: &'a str,
}

/// Reads `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request,
/// SignedHeaders=<…>, Signature=<hex>`; `None` when it is not of that form.
pub fn parse_authorization(value: &str) -> Option<ParsedAuthorization<'_>> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(val),
            "SignedHeaders" => signed_headers = Some(val),
            "Signature" => signature = Some(val),
            _ => return None,
        }
    }
    let mut scope = credential?.splitn(4, '/');
    let secret_id = scope.next()?;
    let date = scope.next()?;
    let service = scope.next()?;
    if scope.next()? != "tc3_request" {
        return None;
    }
    Some(ParsedAuthorization {
        secret_id,
        date,
        service,
        signed_headers: signed_headers?,
        signature: signature?,
    })
}

fn utc_date(timestamp: i64) -> Result<String, Tc3Error> {
    let instant = jiff::Timestamp::from_second(timestamp)
        .map_err(|_| Tc3Error::TimestampOutOfRange(timestamp))?;
    Ok(instant
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .strftime("%Y-%m-%d")
        .to_string())
}

fn canon(value: &str) -> String {
    value.trim().to_lowercase()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
#[path = "tc3_tests.rs"]
mod tests;
