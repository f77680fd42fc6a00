//! O9: certificates (证书) — their numbers, how long they are valid (C1), their status, and
//! how a holder's name shows to the public.

use std::fmt;

use jiff::Timestamp;

use crate::named_enum::named_enum;
use crate::time::add_months;

/// A certificate number: `TC`, twelve digits drawn at random (numbers do not reveal how many
/// certificates exist, nor who holds the next one) and an ISO 7064 MOD 11-10 check digit,
/// e.g. `TC4821093375160`. Anyone verifying a certificate types it; the check digit catches a
/// typo before any lookup.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct CertificateNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CertificateNumberError {
    #[error("a certificate number is TC followed by 13 digits")]
    Format,
    #[error("the certificate number's check digit does not match")]
    CheckDigit,
}

const PREFIX: &str = "TC";

fn check_digit(digits: &[u8]) -> u8 {
    crate::ticket::mod_11_10(digits)
}

impl CertificateNumber {
    /// The number made of twelve random digits (each 0–9; the caller draws them).
    pub fn from_digits(random: [u8; 12]) -> CertificateNumber {
        let digits: Vec<u8> = random.iter().map(|d| d % 10).collect();
        let body: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
        CertificateNumber(format!("{PREFIX}{body}{}", check_digit(&digits)))
    }

    /// Parses a typed number: case, spaces and hyphens are forgiven.
    pub fn parse(input: &str) -> Result<CertificateNumber, CertificateNumberError> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        let digits = s
            .strip_prefix(PREFIX)
            .filter(|d| d.len() == 13 && d.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(CertificateNumberError::Format)?;
        let digits: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        if check_digit(&digits[..12]) != digits[12] {
            return Err(CertificateNumberError::CheckDigit);
        }
        Ok(CertificateNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for CertificateNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CertificateNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// C1/O9: a certificate issued at `issued_at` is valid for the certification's validity
/// months: until (exclusive, T4) the same instant that many calendar months later (T2).
pub fn certificate_expiry(issued_at: Timestamp, validity_months: u32) -> Timestamp {
    add_months(
        issued_at,
        i32::try_from(validity_months).unwrap_or(i32::MAX),
    )
}

named_enum! {
    /// O9: where a certificate stands, as its public page and API say it.
    CertificateStatus {
        Valid => "valid", "有效", "Valid";
        Expired => "expired", "已过期", "Expired";
        Revoked => "revoked", "已撤销", "Revoked";
    }
}

/// O9 + T4: a certificate's status at `now`: revoked whenever it was revoked; otherwise
/// expired from its expiry instant on, valid before.
pub fn certificate_status(
    expires_at: Timestamp,
    revoked: bool,
    now: Timestamp,
) -> CertificateStatus {
    if revoked {
        CertificateStatus::Revoked
    } else if now >= expires_at {
        CertificateStatus::Expired
    } else {
        CertificateStatus::Valid
    }
}

/// O9/A2: the holder's name as the public sees it: its first character, the rest starred
/// (`张三` → `张*`, `欧阳娜娜` → `欧***`); spaces stay (`Li Lei` → `L* ***`).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let rest: String = chars
        .map(|c| if c.is_whitespace() { c } else { '*' })
        .collect();
    if rest.is_empty() {
        format!("{first}*")
    } else {
        format!("{first}{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn o9_certificate_numbers_are_tc_twelve_digits_and_a_check_digit() {
        let n = CertificateNumber::from_digits([4, 8, 2, 1, 0, 9, 3, 3, 7, 5, 1, 6]);
        assert!(n.as_str().starts_with("TC482109337516"));
        assert_eq!(n.as_str().len(), 15);
        assert_eq!(CertificateNumber::parse(n.as_str()).unwrap(), n);
        assert_eq!(
            CertificateNumber::parse(&format!(" tc-{} ", &n.as_str()[2..])).unwrap(),
            n
        );
        let zeros = CertificateNumber::from_digits([0; 12]);
        assert_eq!(CertificateNumber::parse(zeros.as_str()).unwrap(), zeros);
    }

    #[test]
    fn o9_a_mistyped_certificate_number_is_refused() {
        let n = CertificateNumber::from_digits([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2]);
        let bytes = n.as_str().as_bytes();
        for i in 2..bytes.len() {
            let mut wrong = bytes.to_vec();
            wrong[i] = if wrong[i] == b'9' { b'0' } else { wrong[i] + 1 };
            let wrong = String::from_utf8(wrong).unwrap();
            assert_eq!(
                CertificateNumber::parse(&wrong),
                Err(CertificateNumberError::CheckDigit),
                "{wrong}"
            );
        }
        for bad in [
            "",
            "TC",
            "TC123",
            "XX1234567890123",
            "TC12345678901234",
            "TC12345678901a3",
        ] {
            assert_eq!(
                CertificateNumber::parse(bad),
                Err(CertificateNumberError::Format),
                "{bad}"
            );
        }
    }

    #[test]
    fn c1_validity_counts_calendar_months_and_expiry_is_exclusive() {
        let issued: Timestamp = "2027-05-31T03:00:00Z".parse().unwrap();
        let expires = certificate_expiry(issued, 24);
        assert_eq!(expires, "2029-05-31T03:00:00Z".parse().unwrap());
        // T2: month ends clamp (Shanghai dates): 31 May + 1 month = 30 June.
        assert_eq!(
            certificate_expiry(issued, 1),
            "2027-06-30T03:00:00Z".parse().unwrap()
        );
        let second = jiff::SignedDuration::from_secs(1);
        assert_eq!(
            certificate_status(expires, false, expires - second),
            CertificateStatus::Valid
        );
        assert_eq!(
            certificate_status(expires, false, expires),
            CertificateStatus::Expired
        );
        assert_eq!(
            certificate_status(expires, true, expires - second),
            CertificateStatus::Revoked
        );
    }

    #[test]
    fn o9_names_show_masked() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("王"), "王*");
        assert_eq!(mask_name(" Li Lei "), "L* ***");
        assert_eq!(mask_name(""), "");
    }
}
