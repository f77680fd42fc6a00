//! A2: the mainland resident ID number (公民身份号码, GB 11643-1999), parsed once and shown
//! only masked. Its `Debug` and `Display` never print the number.
//!
//! Normalisation: surrounding whitespace is trimmed, nothing else. A lower-case `x`, full-width
//! digits and 15-digit legacy numbers are refused, each with its own reason, as the shared test
//! vectors (`tests/data/cn-id.json`) list them: the candidate types the number as printed on the
//! card, and the number we verify is exactly the one they typed.
//!
//! The province (first two digits) is checked strictly; the remaining four region digits are
//! not, because old cards legitimately carry county codes that have since been abolished
//! (PROTOCOLS.md). Parts are checked left to right — length, characters, region, birth date —
//! and the check character last, so a typo in the date is reported as a date error.

use crate::refusal::{ErrorCode, Locale, LocalizedText, Refusal};
use jiff::civil::Date;
use std::fmt;

/// A valid 18-character resident ID number.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

/// Which part of an ID number is wrong (A2 names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters")]
    Length,
    #[error("15-digit ID numbers are no longer accepted")]
    Legacy15,
    #[error("an ID number has 17 digits and a final digit or X")]
    Characters,
    #[error("the final X of an ID number is upper-case")]
    LowercaseX,
    #[error("the region code of the ID number does not exist")]
    Region,
    #[error("the birth date in the ID number is not a real date")]
    BirthDate,
    #[error("the birth date in the ID number is in the future")]
    FutureBirthDate,
    #[error("the check character of the ID number does not match")]
    CheckCharacter,
}

impl IdNumberError {
    pub const ALL: &'static [IdNumberError] = &[
        IdNumberError::Length,
        IdNumberError::Legacy15,
        IdNumberError::Characters,
        IdNumberError::LowercaseX,
        IdNumberError::Region,
        IdNumberError::BirthDate,
        IdNumberError::FutureBirthDate,
        IdNumberError::CheckCharacter,
    ];

    /// What is wrong, for the candidate.
    pub fn describe(self, locale: Locale) -> &'static str {
        let (zh, en) = match self {
            IdNumberError::Length => ("身份证号码应为 18 位。", "An ID number has 18 characters."),
            IdNumberError::Legacy15 => (
                "不再支持 15 位旧身份证号码，请填写 18 位号码。",
                "15-digit ID numbers are no longer accepted; please enter the 18-character number.",
            ),
            IdNumberError::Characters => (
                "身份证号码应为 17 位数字加 1 位数字或 X（请使用半角字符）。",
                "An ID number has 17 digits followed by a digit or X (half-width characters).",
            ),
            IdNumberError::LowercaseX => (
                "身份证号码末位的 X 请使用大写。",
                "Please enter the final X in upper case.",
            ),
            IdNumberError::Region => (
                "身份证号码的地区码不正确。",
                "The region code (first 6 digits) is not valid.",
            ),
            IdNumberError::BirthDate => (
                "身份证号码中的出生日期不正确。",
                "The birth date in the ID number is not a real date.",
            ),
            IdNumberError::FutureBirthDate => (
                "身份证号码中的出生日期晚于今天。",
                "The birth date in the ID number is in the future.",
            ),
            IdNumberError::CheckCharacter => (
                "身份证号码校验位不正确，请核对是否输入有误。",
                "The check character (last character) does not match; please check for typos.",
            ),
        };
        match locale {
            Locale::ZhCn => zh,
            Locale::En => en,
        }
    }
}

/// A2: `invalid_id_number` on field `id_number`, the detail naming the part.
impl From<IdNumberError> for Refusal {
    fn from(e: IdNumberError) -> Refusal {
        Refusal::new(ErrorCode::InvalidIdNumber)
            .rule("A2")
            .field("id_number")
            .detail(LocalizedText::fixed(
                e.describe(Locale::ZhCn),
                e.describe(Locale::En),
            ))
    }
}

/// ISO 7064 MOD 11-2 weights, W[i] = 2^(17−i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// Province-level prefixes (GB/T 2260), plus 71 Taiwan, 81 Hong Kong, 82 Macao and 83 (Taiwan
/// residence permits); 81–83 are residence-permit numbers with the same checksum.
const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// Birth years before this are not birth dates of anyone alive (and jiff accepts year 0).
const EARLIEST_BIRTH_YEAR: i16 = 1800;

/// GB 11643-1999 check character for the first 17 digits; `None` unless given 17 ASCII
/// digits. Used by parsing, and by tools that make synthetic test identities.
pub fn check_character(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = WEIGHTS
        .iter()
        .zip(b)
        .map(|(w, d)| w * u32::from(d - b'0'))
        .sum();
    Some(char::from(CHECK[(sum % 11) as usize]))
}

impl IdNumber {
    /// A2: the length of a resident ID number, in characters.
    pub const LEN: usize = 18;

    /// A2: parses an ID number; `today` is the programme-zone date (T3: passed in, never read).
    pub fn parse(input: &str, today: Date) -> Result<IdNumber, IdNumberError> {
        let s = input.trim();
        let len = s.chars().count();
        if len == 15 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdNumberError::Legacy15);
        }
        if len != Self::LEN {
            return Err(IdNumberError::Length);
        }
        let b = s.as_bytes();
        if b.len() != Self::LEN || !b[..17].iter().all(u8::is_ascii_digit) {
            return Err(IdNumberError::Characters);
        }
        match b[17] {
            b'0'..=b'9' | b'X' => {}
            b'x' => return Err(IdNumberError::LowercaseX),
            _ => return Err(IdNumberError::Characters),
        }
        let digit = |i: usize| u32::from(b[i] - b'0');
        let province = u8::try_from(digit(0) * 10 + digit(1)).unwrap_or(0);
        if !PROVINCES.contains(&province) {
            return Err(IdNumberError::Region);
        }
        let number = |from: usize, to: usize| (from..to).fold(0u32, |n, i| n * 10 + digit(i));
        let year = i16::try_from(number(6, 10)).unwrap_or(0);
        let month = i8::try_from(number(10, 12)).unwrap_or(0);
        let day = i8::try_from(number(12, 14)).unwrap_or(0);
        let birth = Date::new(year, month, day).map_err(|_| IdNumberError::BirthDate)?;
        if year < EARLIEST_BIRTH_YEAR {
            return Err(IdNumberError::BirthDate);
        }
        if birth > today {
            return Err(IdNumberError::FutureBirthDate);
        }
        if check_character(&s[..17]) != Some(char::from(b[17])) {
            return Err(IdNumberError::CheckCharacter);
        }
        Ok(IdNumber(s.to_owned()))
    }

    /// The whole number: only for encrypting it at rest (A2). Never log or show it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `110105********1234`: the first 6 and last 4 characters.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }

    /// The birth date encoded in positions 7–14 (valid by construction).
    pub fn birth_date(&self) -> Date {
        let n = |r: std::ops::Range<usize>| self.0[r].parse::<i16>().unwrap_or(1);
        Date::new(n(6..10), n(10..12) as i8, n(12..14) as i8).unwrap_or(Date::MIN)
    }

    /// The 6-digit region code (GB/T 2260 at the time of issue).
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

/// Masked: a stray `{}` in a log line or template must not reveal the number.
impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 28);

    #[test]
    fn a2_parses_and_masks() {
        let id = IdNumber::parse(" 11010519491231002X\n", TODAY).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(id.birth_date(), date(1949, 12, 31));
        assert_eq!(id.region_code(), "110105");
        assert_eq!(format!("{id}"), "110105********002X");
        assert_eq!(format!("{id:?}"), "IdNumber(110105********002X)");
        assert!(!format!("{id:?}{id}").contains("19491231"));
    }

    #[test]
    fn a2_birth_date_boundary_is_today() {
        // 2026-11-28 born today is fine, tomorrow is the future. Check digits computed here.
        let with_check = |body: &str| {
            let sum: u32 = body
                .bytes()
                .zip(WEIGHTS)
                .map(|(c, w)| w * u32::from(c - b'0'))
                .sum();
            format!("{body}{}", CHECK[(sum % 11) as usize] as char)
        };
        let today = with_check("11010120261128123");
        let tomorrow = with_check("11010120261129123");
        assert!(IdNumber::parse(&today, TODAY).is_ok());
        assert_eq!(
            IdNumber::parse(&tomorrow, TODAY),
            Err(IdNumberError::FutureBirthDate)
        );
        let ancient = with_check("11010117991231123");
        assert_eq!(
            IdNumber::parse(&ancient, TODAY),
            Err(IdNumberError::BirthDate)
        );
        for province in ["71", "81", "82", "83", "65", "46"] {
            let n = with_check(&format!("{province}010119900307123"));
            assert!(IdNumber::parse(&n, TODAY).is_ok(), "{province}");
        }
        for province in [
            "10", "16", "20", "24", "30", "38", "47", "55", "60", "66", "72", "91",
        ] {
            let n = with_check(&format!("{province}010119900307123"));
            assert_eq!(
                IdNumber::parse(&n, TODAY),
                Err(IdNumberError::Region),
                "{province}"
            );
        }
    }

    #[test]
    fn a2_refusal_names_the_part() {
        let r = Refusal::from(IdNumberError::BirthDate);
        assert_eq!(r.code, ErrorCode::InvalidIdNumber);
        assert_eq!(r.rule, Some("A2"));
        assert_eq!(r.field.as_deref(), Some("id_number"));
        assert!(r.message(Locale::ZhCn).contains("出生日期"));
        assert!(r.message(Locale::En).contains("birth date"));
        for e in IdNumberError::ALL {
            assert!(!e.describe(Locale::ZhCn).is_empty() && e.describe(Locale::En).is_ascii());
        }
    }

    #[test]
    fn a2_hostile_input_is_refused_not_panicking() {
        for bad in [
            "",
            "x",
            "１１０１０５１９４９１２３１",
            "11010519491231002\u{0}",
            "ＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸＸ",
        ] {
            assert!(IdNumber::parse(bad, TODAY).is_err(), "{bad:?}");
        }
        assert_eq!(
            IdNumber::parse("110105 9491231002X", TODAY),
            Err(IdNumberError::Characters)
        );
    }
}
