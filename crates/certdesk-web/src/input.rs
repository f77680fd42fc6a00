//! Request text into what the use cases take: the fields that the JSON API's bodies and
//! queries and the pages' forms and queries share. Each failure is a `Refusal` naming its
//! field (E1), so a controller answers it as JSON and a page shows it next to its input.
//! Controllers and pages both import from here, never from each other.

use std::str::FromStr;

use certdesk_app::{OrderInput, VerificationMode};
use certdesk_domain::{ErrorCode, LocalizedText, PayFirst, RawAmount, Refusal, unknown_period};
use jiff::Timestamp;

/// Trimmed text, `None` when blank: an empty form field or query parameter means "not given".
fn given(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// A filter such as `?status=pending` or `?kind=score`: one of `T`'s names, or `None` when
/// absent or blank; anything else is `invalid_field` naming `field`.
pub(crate) fn parse_filter<T: FromStr>(
    s: Option<&str>,
    field: &'static str,
) -> Result<Option<T>, Refusal> {
    given(s)
        .map(|s| {
            s.parse()
                .map_err(|_| Refusal::new(ErrorCode::InvalidField).field(field))
        })
        .transpose()
}

/// A4: how identities are verified, `checksum` or `manual_review`.
pub(crate) fn parse_verification_mode(s: &str) -> Result<VerificationMode, Refusal> {
    s.trim().parse().map_err(|_| {
        Refusal::new(ErrorCode::InvalidField)
            .field("mode")
            .rule("A4")
    })
}

/// O5: `gift`, `cash`, or nothing for the default (gift credit first).
pub(crate) fn parse_pay_first(s: Option<&str>) -> Result<Option<PayFirst>, Refusal> {
    parse_filter(s, "pay_first").map_err(|r| r.rule("O5"))
}

/// A period id as a link or form carries it; text that is no id names no period.
pub(crate) fn parse_period_id(s: &str) -> Result<i64, Refusal> {
    s.trim().parse().map_err(|_| unknown_period())
}

/// An id a form's select or hidden field carries (`slot_id`, `centre_id`, …): nothing chosen,
/// or text that is no id, is `invalid_field` naming the field, shown beside it.
pub(crate) fn parse_form_id(s: &str, field: &'static str) -> Result<i64, Refusal> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Refusal::new(ErrorCode::InvalidField).field(field))
}

/// O5: the order the API's body or the checkout form describes. A blank voucher code is no
/// voucher; the city and the code are parsed by the use case, which names their fields.
pub(crate) fn order_input(
    period_id: i64,
    city: &str,
    voucher_code: Option<&str>,
    pay_first: Option<PayFirst>,
) -> OrderInput {
    OrderInput {
        period_id,
        city: city.to_owned(),
        voucher_code: given(voucher_code).map(str::to_owned),
        pay_first,
    }
}

/// An RFC 3339 instant with offset (the API's, T1), or `invalid_date` naming `field`.
pub(crate) fn parse_instant(s: &str, field: &str) -> Result<Timestamp, Refusal> {
    s.trim()
        .parse()
        .map_err(|_| Refusal::new(ErrorCode::InvalidDate).field(field))
}

/// An optional RFC 3339 instant of a JSON body: absent or `null` is `None`; any text, blank
/// too, must be an instant (the document declares a `date-time`, issue 11).
pub(crate) fn parse_instant_opt(
    s: Option<&str>,
    field: &str,
) -> Result<Option<Timestamp>, Refusal> {
    s.map(|s| parse_instant(s, field)).transpose()
}

/// A `datetime-local` value (`2027-06-12T09:00`, seconds optional), read in Beijing time
/// (T1); `invalid_date` naming `field` otherwise.
pub(crate) fn parse_local(input: &str, field: &str) -> Result<Timestamp, Refusal> {
    let bad = || Refusal::new(ErrorCode::InvalidDate).field(field);
    let dt: jiff::civil::DateTime = input.trim().parse().map_err(|_| bad())?;
    dt.to_zoned(certdesk_domain::time::programme_zone())
        .map(|z| z.timestamp())
        .map_err(|_| bad())
}

/// An optional `datetime-local` value: empty is `None`.
pub(crate) fn parse_local_opt(input: &str, field: &str) -> Result<Option<Timestamp>, Refusal> {
    given(Some(input))
        .map(|s| parse_local(s, field))
        .transpose()
}

/// Yuan with at most two decimals (`200`, `99.5`, `¥1,234.50`) as fen. Whatever the use case
/// must judge (zero, too large) is passed on as a [`RawAmount`]; only text that is no amount
/// at all, a sign, or a third decimal is refused here (`invalid_amount`, field `field`).
pub(crate) fn parse_yuan(input: &str, field: &str) -> Result<RawAmount, Refusal> {
    let bad = |zh: &'static str, en: &'static str| {
        Refusal::new(ErrorCode::InvalidAmount)
            .field(field)
            .detail(LocalizedText::fixed(zh, en))
    };
    let s: String = input
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Err(bad("请填写金额。", "Please enter an amount."));
    }
    if s.starts_with('-') {
        return Err(bad("金额不能为负数。", "The amount must not be negative."));
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) {
        return Err(bad(
            "金额须为数字，如 200 或 99.50。",
            "Enter a number such as 200 or 99.50.",
        ));
    }
    if frac.len() > 2 {
        return Err(bad(
            "金额最多两位小数（精确到分）。",
            "At most two decimals (whole fen).",
        ));
    }
    // Saturates: a 40-digit amount stays "too large" for the use case to refuse.
    let yuan = whole.bytes().fold(0i128, |acc, b| {
        acc.saturating_mul(10).saturating_add(i128::from(b - b'0'))
    });
    let fen = frac
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(2)
        .fold(0i128, |acc, b| acc * 10 + i128::from(b - b'0'));
    Ok(RawAmount::Whole(
        yuan.saturating_mul(100).saturating_add(fen),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use certdesk_domain::{IdentityStatus, PromiseKind};

    #[test]
    fn yuan_become_fen() {
        let fen = |s| parse_yuan(s, "amount").unwrap();
        assert_eq!(fen("200"), RawAmount::Whole(20_000));
        assert_eq!(fen(" ¥1,234.5 "), RawAmount::Whole(123_450));
        assert_eq!(fen("0.07"), RawAmount::Whole(7));
        assert_eq!(fen("0"), RawAmount::Whole(0));
        assert!(matches!(fen(&"9".repeat(60)), RawAmount::Whole(v) if v > i128::from(i64::MAX)));
        for bad in ["", "-5", "1.234", "abc", "1e5", ".5", "1..2"] {
            let r = parse_yuan(bad, "amount").unwrap_err();
            assert_eq!(r.code, ErrorCode::InvalidAmount, "{bad}");
            assert_eq!(r.field.as_deref(), Some("amount"));
        }
    }

    #[test]
    fn datetime_local_is_beijing_time() {
        let ts = parse_local("2027-06-12T09:00", "starts_at").unwrap();
        assert_eq!(ts, "2027-06-12T01:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(parse_local_opt(" ", "x").unwrap(), None);
        let r = parse_local("12/06/2027", "starts_at").unwrap_err();
        assert_eq!(r.field.as_deref(), Some("starts_at"));
    }

    #[test]
    fn instants_parse_with_their_offset_or_name_the_field() {
        let ts = parse_instant(" 2027-03-10T09:00:00+08:00 ", "x").unwrap();
        assert_eq!(ts, "2027-03-10T01:00:00Z".parse::<Timestamp>().unwrap());
        let r = parse_instant("tomorrow", "starts_at").unwrap_err();
        assert_eq!(r.field.as_deref(), Some("starts_at"));
        assert!(parse_instant_opt(Some("  "), "x").is_err());
        assert_eq!(parse_instant_opt(None, "x").unwrap(), None);
        assert!(parse_instant_opt(Some("soon"), "x").is_err());
    }

    #[test]
    fn filters_are_a_name_or_nothing() {
        assert_eq!(
            parse_filter::<IdentityStatus>(Some(" pending "), "status").unwrap(),
            Some(IdentityStatus::Pending)
        );
        assert_eq!(parse_filter::<PromiseKind>(Some(""), "kind").unwrap(), None);
        assert_eq!(parse_filter::<PromiseKind>(None, "kind").unwrap(), None);
        let r = parse_filter::<PromiseKind>(Some("Score"), "kind").unwrap_err();
        assert_eq!(
            (r.code, r.field.as_deref()),
            (ErrorCode::InvalidField, Some("kind"))
        );
    }

    #[test]
    fn a4_verification_modes() {
        assert_eq!(
            parse_verification_mode(" manual_review ").unwrap(),
            VerificationMode::ManualReview
        );
        let r = parse_verification_mode("strict").unwrap_err();
        assert_eq!((r.field.as_deref(), r.rule), (Some("mode"), Some("A4")));
    }

    #[test]
    fn o5_pay_first_and_the_order() {
        assert_eq!(parse_pay_first(Some("cash")).unwrap(), Some(PayFirst::Cash));
        assert_eq!(parse_pay_first(Some(" ")).unwrap(), None);
        let r = parse_pay_first(Some("card")).unwrap_err();
        assert_eq!(
            (r.field.as_deref(), r.rule),
            (Some("pay_first"), Some("O5"))
        );
        let input = order_input(7, " 深圳 ", Some("  "), None);
        assert_eq!((input.period_id, input.voucher_code), (7, None));
        assert_eq!(input.city, " 深圳 ", "the use case parses the city");
        let input = order_input(7, "深圳", Some(" cd-7k3m-q9xa "), Some(PayFirst::Gift));
        assert_eq!(input.voucher_code.as_deref(), Some("cd-7k3m-q9xa"));
        assert_eq!(parse_period_id(" 12 ").unwrap(), 12);
        assert_eq!(
            parse_period_id("12abc").unwrap_err().code,
            ErrorCode::UnknownPeriod
        );
    }
}
