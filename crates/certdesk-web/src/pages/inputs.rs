//! What people type into the official channel's forms: amounts in yuan (`99.50`) and
//! Beijing-time `datetime-local` values (`2027-06-12T09:00`), parsed into what the use cases
//! take, each problem named by its field.

use certdesk_domain::{ErrorCode, Fen, LocalizedText, RawAmount, Refusal};
use jiff::Timestamp;

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

/// A signed ledger amount in yuan: `+¥100.00` / `−¥30.00`.
pub(crate) fn signed_yuan(fen: i64) -> String {
    let abs = Fen::new(fen.checked_abs().unwrap_or(i64::MAX)).unwrap_or(Fen::MAX);
    if fen < 0 {
        format!("−{abs}")
    } else {
        format!("+{abs}")
    }
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
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_local(input, field).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(signed_yuan(-3000), "−¥30.00");
        assert_eq!(signed_yuan(10_000), "+¥100.00");
    }

    #[test]
    fn datetime_local_is_beijing_time() {
        let ts = parse_local("2027-06-12T09:00", "starts_at").unwrap();
        assert_eq!(ts, "2027-06-12T01:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(parse_local_opt(" ", "x").unwrap(), None);
        let r = parse_local("12/06/2027", "starts_at").unwrap_err();
        assert_eq!(r.field.as_deref(), Some("starts_at"));
    }
}
