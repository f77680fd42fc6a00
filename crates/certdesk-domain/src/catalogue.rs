//! C1: what a certification is called and where it sits in the catalogue.

use std::fmt;
use std::str::FromStr;

/// A certification code such as `TCCA-ARC-P`: 2–32 characters, upper-case ASCII letters,
/// digits and single hyphens, starting with a letter. Input is trimmed and upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct CertCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertCodeError {
    #[error("a certification code has 2 to 32 characters")]
    Length,
    #[error("a certification code uses letters, digits and hyphens, starting with a letter")]
    Characters,
}

impl CertCode {
    pub fn parse(input: &str) -> Result<CertCode, CertCodeError> {
        let code = input.trim().to_ascii_uppercase();
        if !(2..=32).contains(&code.len()) {
            return Err(CertCodeError::Length);
        }
        let starts_with_letter = code.starts_with(|c: char| c.is_ascii_uppercase());
        let allowed = code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if !starts_with_letter || !allowed || code.ends_with('-') || code.contains("--") {
            return Err(CertCodeError::Characters);
        }
        Ok(CertCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CertCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for CertCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CertCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

macro_rules! label_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $s:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s,)* }
            }
            /// The name shown to candidates (zh-CN).
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)* }
            }
            /// The name shown to candidates (en).
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)* }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$variant),)*
                    other => Err(format!("unknown {} {other:?}", stringify!($name))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

label_enum! {
    /// The two families of C1.
    Family {
        Cloud => "cloud", "云计算技术认证", "Cloud computing";
        Specialty => "specialty", "专项认证", "Specialty";
    }
}

label_enum! {
    /// Tracks of the cloud family.
    Track {
        Foundation => "foundation", "从业者", "Foundation";
        Development => "development", "云开发", "Cloud development";
        Operations => "operations", "云运维", "Cloud operations";
        Architecture => "architecture", "云架构", "Cloud architecture";
    }
}

label_enum! {
    /// Levels of a track.
    Level {
        Associate => "associate", "工程师", "Associate";
        Professional => "professional", "高级工程师", "Professional";
        Expert => "expert", "专家工程师", "Expert";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cert_code_normalises_and_refuses() {
        assert_eq!(
            CertCode::parse(" tcca-arc-p ").unwrap().as_str(),
            "TCCA-ARC-P"
        );
        assert_eq!(CertCode::parse("A"), Err(CertCodeError::Length));
        assert_eq!(CertCode::parse("1ABC"), Err(CertCodeError::Characters));
        assert_eq!(CertCode::parse("AB--C"), Err(CertCodeError::Characters));
        assert_eq!(CertCode::parse("AB C"), Err(CertCodeError::Characters));
        assert_eq!(CertCode::parse("'; DROP"), Err(CertCodeError::Characters));
    }

    #[test]
    fn labels_round_trip() {
        for t in Track::ALL {
            assert_eq!(t.as_str().parse::<Track>().unwrap(), *t);
        }
        assert_eq!(Level::Expert.label_zh(), "专家工程师");
    }
}
