//! Schemas of the inputs whose bounds a domain type or a policy constant decides, written
//! from those very constants, so the document cannot state one bound while the server
//! enforces another (issue 11). Patterns are ECMA-262, as JSON Schema reads them; the tests
//! below hold each one against the parser it describes.

use certdesk_app::certificates::MAX_REVOCATION_REASON_CHARS;
use certdesk_app::institution::SlotInput;
use certdesk_app::passwords::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use certdesk_app::{CertificationInput, VenueInput};
use certdesk_domain::{Capacity, CreditRequest, Fen, IdNumber, IdempotencyKey, TopUpAmount};
use certdesk_store::PageRequest;
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, SchemaFormat, Type};

/// Text that is not only whitespace: the server trims text fields, so `"   "` is empty to it.
const NOT_BLANK: &str = "\\S";
/// A2: 17 digits and a check character, upper-case `X` (GB 11643-1999).
const ID_NUMBER_PATTERN: &str = "^[0-9]{17}[0-9X]$";
/// Visible ASCII, no spaces.
const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]+$";
/// Items per page when `limit` is not given.
pub(crate) const DEFAULT_PAGE_LIMIT: u32 = 50;

fn text(min: usize, max: usize, pattern: Option<&str>, description: String) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(min))
        .max_length(Some(max))
        .pattern(pattern)
        .description(Some(description))
        .build()
}

fn integer(min: i64, max: i64, description: String) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(min))
        .maximum(Some(max))
        .description(Some(description))
        .build()
}

/// A new account's password.
pub(crate) fn password() -> Object {
    text(
        MIN_PASSWORD_CHARS,
        MAX_PASSWORD_CHARS,
        None,
        format!("{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters."),
    )
}

/// O5: one cash top-up.
pub(crate) fn top_up_amount() -> Object {
    integer(
        1,
        TopUpAmount::MAX.get(),
        format!("Fen, 1 fen to {} a top-up.", TopUpAmount::MAX),
    )
}

/// An amount that must be above zero (a credit, a voucher's face value).
pub(crate) fn positive_amount() -> Object {
    integer(1, Fen::MAX.get(), "Fen, at least 1.".to_owned())
}

/// An amount that may be zero (a voucher's minimum spend).
pub(crate) fn amount() -> Object {
    integer(0, Fen::MAX.get(), "Fen, 0 or more.".to_owned())
}

/// O5: why an operator credits an account.
pub(crate) fn credit_reason() -> Object {
    let max = CreditRequest::MAX_REASON_CHARS;
    text(
        1,
        max,
        Some(NOT_BLANK),
        format!("Required: 1 to {max} characters, not only spaces (trimmed)."),
    )
}

/// O9: why an operator revokes a certificate.
pub(crate) fn revocation_reason() -> Object {
    let max = MAX_REVOCATION_REASON_CHARS;
    text(
        1,
        max,
        Some(NOT_BLANK),
        format!("Required: 1 to {max} characters, not only spaces (trimmed)."),
    )
}

/// A2: a mainland resident ID number.
pub(crate) fn id_number() -> Object {
    text(
        IdNumber::LEN,
        IdNumber::LEN,
        Some(ID_NUMBER_PATTERN),
        format!(
            "{} characters: 17 digits and the GB 11643-1999 check character (0–9 or upper-case X); \
             a real region and birth date.",
            IdNumber::LEN
        ),
    )
}

/// The `Idempotency-Key` header of unsafe requests.
pub(crate) fn idempotency_key() -> Object {
    let max = IdempotencyKey::MAX_LEN;
    text(
        1,
        max,
        Some(IDEMPOTENCY_KEY_PATTERN),
        format!(
            "1 to {max} visible ASCII characters, no spaces; the same key and body within 24 h \
             replay the first answer, another body under the key is `idempotency_key_reused` (422)."
        ),
    )
}

fn count(range: std::ops::RangeInclusive<u32>, what: &str) -> Object {
    let (lo, hi) = (*range.start(), *range.end());
    integer(
        i64::from(lo),
        i64::from(hi),
        format!("{what}, {lo} to {hi}."),
    )
}

/// C1: an exam's length.
pub(crate) fn duration_minutes() -> Object {
    count(CertificationInput::DURATION_MINUTES, "Minutes")
}

/// C1: the pass mark.
pub(crate) fn pass_mark() -> Object {
    count(CertificationInput::PASS_MARK, "Points out of 100")
}

/// C1: a certificate's validity.
pub(crate) fn validity_months() -> Object {
    count(CertificationInput::VALIDITY_MONTHS, "Months")
}

/// O4: a venue's seats.
pub(crate) fn venue_seats() -> Object {
    count(VenueInput::SEATS, "Seats")
}

/// O3: a city's seats in an exam period.
pub(crate) fn capacity() -> Object {
    count(Capacity::MIN..=Capacity::MAX, "Seats")
}

/// I3: a test centre's slot's seats.
pub(crate) fn slot_capacity() -> Object {
    count(SlotInput::CAPACITY, "Seats")
}

/// `?limit=` of a paginated list.
pub(crate) fn page_limit() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
        .minimum(Some(1))
        .maximum(Some(PageRequest::MAX_LIMIT))
        .default(Some(DEFAULT_PAGE_LIMIT.into()))
        .description(Some(format!(
            "Items per page, 1 to {} (default {DEFAULT_PAGE_LIMIT}); given empty, it is refused.",
            PageRequest::MAX_LIMIT
        )))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use certdesk_domain::IdNumberError;
    use regex::Regex;

    #[test]
    fn a2_the_id_number_pattern_is_the_parsers_shape() {
        let re = Regex::new(ID_NUMBER_PATTERN).unwrap();
        let today = jiff::civil::date(2027, 3, 2);
        let shape_errors = [
            IdNumberError::Length,
            IdNumberError::Legacy15,
            IdNumberError::Characters,
            IdNumberError::LowercaseX,
        ];
        for input in [
            "11010519900101123X",
            "11010519900101123x",
            "110105199001011234",
            "11010519900101123",
            "1101051990010112345",
            "11010519900101123Y",
            "110105900101123",
            "１10105199001011234",
            "",
        ] {
            let shape_ok = !IdNumber::parse(input, today).is_err_and(|e| shape_errors.contains(&e));
            assert_eq!(re.is_match(input), shape_ok, "{input:?}");
        }
    }

    #[test]
    fn the_idempotency_key_pattern_is_the_parsers() {
        let re = Regex::new(IDEMPOTENCY_KEY_PATTERN).unwrap();
        for input in [
            "a",
            "550e8400-e29b-41d4",
            "a b",
            " a",
            "键",
            "a\u{7f}",
            "~!",
        ] {
            assert_eq!(
                re.is_match(input),
                IdempotencyKey::parse(input).is_ok(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn not_blank_is_what_trimming_leaves_non_empty() {
        let re = Regex::new(NOT_BLANK).unwrap();
        for input in ["理由", " x ", "   ", "\t\n", ""] {
            assert_eq!(re.is_match(input), !input.trim().is_empty(), "{input:?}");
        }
    }
}
