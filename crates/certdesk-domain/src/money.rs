//! Money in fen (分), the smallest unit of CNY. Never a float.

use std::fmt;

/// A non-negative amount of money in fen. A value that exists is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Fen(i64);

/// Why an amount is not money we accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FenError {
    #[error("amount must not be negative")]
    Negative,
    #[error("amount is too large")]
    TooLarge,
}

impl Fen {
    pub const ZERO: Fen = Fen(0);
    /// The largest amount accepted: 10^12 fen (10 billion yuan), far beyond any real balance,
    /// so sums of a few amounts can never overflow i64.
    pub const MAX: Fen = Fen(1_000_000_000_000);

    pub fn new(fen: i64) -> Result<Fen, FenError> {
        if fen < 0 {
            Err(FenError::Negative)
        } else if fen > Self::MAX.0 {
            Err(FenError::TooLarge)
        } else {
            Ok(Fen(fen))
        }
    }

    /// A strictly positive amount (credits, top-ups, prices).
    pub fn positive(fen: i64) -> Result<Fen, FenError> {
        if fen == 0 {
            Err(FenError::Negative)
        } else {
            Fen::new(fen)
        }
    }

    /// An amount written in the source (`Fen::literal(5_000_000)`), for constants: checked at
    /// compile time in a `const`; panics on a negative or too-large literal elsewhere.
    pub const fn literal(fen: i64) -> Fen {
        assert!(fen >= 0 && fen <= Self::MAX.0, "Fen::literal out of range");
        Fen(fen)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).and_then(|v| Fen::new(v).ok())
    }

    /// `None` when the result would be negative.
    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        Fen::new(self.0 - other.0).ok()
    }

    pub fn saturating_sub(self, other: Fen) -> Fen {
        Fen((self.0 - other.0).max(0))
    }

    pub fn min(self, other: Fen) -> Fen {
        Fen(self.0.min(other.0))
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl TryFrom<i64> for Fen {
    type Error = FenError;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Fen::new(v)
    }
}

impl<'de> serde::Deserialize<'de> for Fen {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        Fen::new(v).map_err(serde::de::Error::custom)
    }
}

/// `¥1,234.50` — yuan with two decimals, as candidates read prices.
impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yuan = self.0 / 100;
        let fen = self.0 % 100;
        let digits = yuan.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "¥{grouped}.{fen:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_refuses_negative_and_huge() {
        assert_eq!(Fen::new(-1), Err(FenError::Negative));
        assert_eq!(Fen::new(1_000_000_000_001), Err(FenError::TooLarge));
        assert_eq!(Fen::positive(0), Err(FenError::Negative));
        assert_eq!(Fen::new(0).unwrap().get(), 0);
    }

    #[test]
    fn fen_displays_as_yuan() {
        assert_eq!(Fen::new(123_456_789).unwrap().to_string(), "¥1,234,567.89");
        assert_eq!(Fen::new(5).unwrap().to_string(), "¥0.05");
        assert_eq!(Fen::new(80_000).unwrap().to_string(), "¥800.00");
    }

    #[test]
    fn fen_arithmetic_never_goes_negative() {
        let a = Fen::new(100).unwrap();
        let b = Fen::new(150).unwrap();
        assert_eq!(a.checked_sub(b), None);
        assert_eq!(b.checked_sub(a), Some(Fen::new(50).unwrap()));
        assert_eq!(a.saturating_sub(b), Fen::ZERO);
    }
}
