//! API conventions: the `Idempotency-Key` header of unsafe requests (same key and body within
//! 24 h → the first response, nothing done twice; O5's one-click payment relies on it).

use crate::refusal::{ErrorCode, LocalizedText, Refusal};
use jiff::SignedDuration;
use std::fmt;

/// A client's idempotency key: 1–255 visible ASCII characters (`!` ..= `~`, no spaces),
/// taken as sent (HTTP has already stripped the header's surrounding whitespace).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub const MAX_LEN: usize = 255;
    /// The header it comes in, also the refusal's field.
    pub const HEADER: &'static str = "Idempotency-Key";

    /// `invalid_field`, field `Idempotency-Key`.
    pub fn parse(input: &str) -> Result<IdempotencyKey, Refusal> {
        let ok = (1..=Self::MAX_LEN).contains(&input.len())
            && input.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(IdempotencyKey(input.to_owned()))
        } else {
            Err(Refusal::new(ErrorCode::InvalidField)
                .field(Self::HEADER)
                .detail(LocalizedText::fixed(
                    "请求标识须为 1 到 255 个可见 ASCII 字符。",
                    "The Idempotency-Key must be 1 to 255 visible ASCII characters.",
                )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long a key's first answer is kept: API.md's "within 24 h". T4: a record made at `t`
/// answers while `now < t + 24 h` (the store applies it in its conditional upsert).
pub const IDEMPOTENCY_LIFETIME: SignedDuration = SignedDuration::from_hours(24);

/// `idempotency_key_reused` (422), field `Idempotency-Key`: the key answered another request.
pub fn idempotency_key_reused() -> Refusal {
    Refusal::new(ErrorCode::IdempotencyKeyReused).field(IdempotencyKey::HEADER)
}

/// `idempotency_key_in_flight` (409), field `Idempotency-Key`: the first request under the
/// key has not answered yet; a retry a moment later gets its answer.
pub fn idempotency_key_in_flight() -> Refusal {
    Refusal::new(ErrorCode::IdempotencyKeyInFlight).field(IdempotencyKey::HEADER)
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idempotency_refusals() {
        assert_eq!(IDEMPOTENCY_LIFETIME, SignedDuration::from_hours(24));
        assert_eq!(idempotency_key_reused().kind(), crate::ErrorKind::Malformed);
        assert_eq!(
            idempotency_key_in_flight().kind(),
            crate::ErrorKind::Refused
        );
        for r in [idempotency_key_reused(), idempotency_key_in_flight()] {
            assert_eq!(r.field.as_deref(), Some("Idempotency-Key"));
        }
    }

    #[test]
    fn idempotency_key_bounds() {
        assert_eq!(IdempotencyKey::parse("a").unwrap().as_str(), "a");
        let max = "k".repeat(255);
        assert_eq!(IdempotencyKey::parse(&max).unwrap().as_str(), max);
        assert!(IdempotencyKey::parse("550e8400-e29b-41d4-a716-446655440000").is_ok());
        for bad in [
            String::new(),
            "k".repeat(256),
            "a b".into(),
            " a".into(),
            "a\n".into(),
            "键".into(),
            "a\u{7f}".into(),
        ] {
            let r = IdempotencyKey::parse(&bad).unwrap_err();
            assert_eq!(r.code, ErrorCode::InvalidField);
            assert_eq!(r.field.as_deref(), Some("Idempotency-Key"));
        }
    }
}
