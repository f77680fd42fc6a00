//! C1: an operator's certification as typed, parsed into `CertificationData` (parse, don't
//! validate): each failure names its field.

use certdesk_domain::{CertCode, ErrorCode, Family, Fen, Level, LocalizedText, Refusal, Track};
use certdesk_store::CertificationData;
/// `POST/PUT /api/v1/admin/certifications`: raw values, parsed into `CertificationData`.
#[derive(Debug, Clone)]
pub struct CertificationInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub family: String,
    pub track: Option<String>,
    pub level: Option<String>,
    pub fee_fen: i64,
    pub duration_minutes: i64,
    pub pass_mark: i64,
    pub validity_months: i64,
}

impl CertificationInput {
    /// C1: an exam's length in minutes.
    pub const DURATION_MINUTES: std::ops::RangeInclusive<u32> = 1..=600;
    /// C1: the pass mark, in points out of 100.
    pub const PASS_MARK: std::ops::RangeInclusive<u32> = 1..=100;
    /// C1: how long a certificate is valid, in months.
    pub const VALIDITY_MONTHS: std::ops::RangeInclusive<u32> = 1..=120;
}

pub(crate) fn invalid(field: &'static str, zh: &'static str, en: &'static str) -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .rule("C1")
        .field(field)
        .detail(LocalizedText::fixed(zh, en))
}

fn parse_name(input: &str, field: &'static str) -> Result<String, Refusal> {
    let name = input.trim();
    if (1..=100).contains(&name.chars().count()) && !name.chars().any(char::is_control) {
        Ok(name.to_owned())
    } else {
        Err(invalid(
            field,
            "名称须为 1–100 个字符。",
            "A name has 1 to 100 characters.",
        ))
    }
}

fn parse_label<T: std::str::FromStr>(
    input: Option<&str>,
    field: &'static str,
) -> Result<Option<T>, Refusal> {
    match input
        .map(|s| s.trim().to_ascii_lowercase())
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            invalid(
                field,
                "取值不在允许范围内。",
                "This value is not one of the allowed ones.",
            )
        }),
    }
}

fn parse_range(
    value: i64,
    range: std::ops::RangeInclusive<u32>,
    field: &'static str,
) -> Result<u32, Refusal> {
    u32::try_from(value)
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| invalid(field, "数值超出允许范围。", "This number is out of range."))
}

/// C1's shape: a cloud certification has a track, and a level unless it is the foundation
/// track's single certification; a specialty certification has neither.
pub(crate) fn check_shape(c: &CertificationData) -> Result<(), Refusal> {
    match (c.family, c.track, c.level) {
        (Family::Cloud, None, _) => Err(invalid(
            "track",
            "云计算技术认证须指定方向。",
            "A cloud certification needs a track.",
        )),
        (Family::Cloud, Some(Track::Foundation), Some(_)) => Err(invalid(
            "level",
            "从业者认证没有级别。",
            "The foundation certification has no level.",
        )),
        (Family::Cloud, Some(t), None) if t != Track::Foundation => Err(invalid(
            "level",
            "该方向的认证须指定级别。",
            "A certification of this track needs a level.",
        )),
        (Family::Specialty, Some(_), _) => Err(invalid(
            "track",
            "专项认证没有方向。",
            "A specialty certification has no track.",
        )),
        (Family::Specialty, _, Some(_)) => Err(invalid(
            "level",
            "专项认证没有级别。",
            "A specialty certification has no level.",
        )),
        _ => Ok(()),
    }
}

/// Parses an operator's input; `retired` is carried over, never taken from the input.
pub(crate) fn parse_certification(
    input: &CertificationInput,
    retired: bool,
) -> Result<CertificationData, Refusal> {
    let code = CertCode::parse(&input.code).map_err(|_| {
        Refusal::new(ErrorCode::InvalidCertCode)
            .rule("C1")
            .field("code")
    })?;
    let family: Family = parse_label(Some(&input.family), "family")?
        .ok_or_else(|| invalid("family", "须指定认证系列。", "A family is required."))?;
    let data = CertificationData {
        code,
        name_zh: parse_name(&input.name_zh, "name_zh")?,
        name_en: parse_name(&input.name_en, "name_en")?,
        family,
        track: parse_label::<Track>(input.track.as_deref(), "track")?,
        level: parse_label::<Level>(input.level.as_deref(), "level")?,
        fee: Fen::new(input.fee_fen).map_err(|_| {
            Refusal::new(ErrorCode::InvalidAmount)
                .rule("C1")
                .field("fee_fen")
        })?,
        duration_minutes: parse_range(
            input.duration_minutes,
            CertificationInput::DURATION_MINUTES,
            "duration_minutes",
        )?,
        pass_mark: parse_range(input.pass_mark, CertificationInput::PASS_MARK, "pass_mark")?,
        validity_months: parse_range(
            input.validity_months,
            CertificationInput::VALIDITY_MONTHS,
            "validity_months",
        )?,
        retired,
    };
    check_shape(&data)?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CertificationInput {
        CertificationInput {
            code: " tcca-sec-a ".into(),
            name_zh: "腾讯云云安全工程师".into(),
            name_en: "Tencent Cloud Security Engineer – Associate".into(),
            family: "cloud".into(),
            track: Some("development".into()),
            level: Some("Associate".into()),
            fee_fen: 70_000,
            duration_minutes: 90,
            pass_mark: 70,
            validity_months: 24,
        }
    }

    fn field_of(input: CertificationInput) -> Option<String> {
        parse_certification(&input, false).unwrap_err().field
    }

    #[test]
    fn parses_a_good_input() {
        let d = parse_certification(&input(), true).unwrap();
        assert_eq!(d.code.as_str(), "TCCA-SEC-A");
        assert_eq!(d.level, Some(Level::Associate));
        assert!(d.retired);
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(
            field_of(CertificationInput {
                code: "x y".into(),
                ..input()
            })
            .as_deref(),
            Some("code")
        );
        assert_eq!(
            field_of(CertificationInput {
                fee_fen: -1,
                ..input()
            })
            .as_deref(),
            Some("fee_fen")
        );
        assert_eq!(
            field_of(CertificationInput {
                pass_mark: 101,
                ..input()
            })
            .as_deref(),
            Some("pass_mark")
        );
        assert_eq!(
            field_of(CertificationInput {
                duration_minutes: 0,
                ..input()
            })
            .as_deref(),
            Some("duration_minutes")
        );
        assert_eq!(
            field_of(CertificationInput {
                validity_months: -3,
                ..input()
            })
            .as_deref(),
            Some("validity_months")
        );
        assert_eq!(
            field_of(CertificationInput {
                name_zh: " ".into(),
                ..input()
            })
            .as_deref(),
            Some("name_zh")
        );
        assert_eq!(
            field_of(CertificationInput {
                family: "clouds".into(),
                ..input()
            })
            .as_deref(),
            Some("family")
        );
        assert_eq!(
            field_of(CertificationInput {
                level: None,
                ..input()
            })
            .as_deref(),
            Some("level")
        );
        assert_eq!(
            field_of(CertificationInput {
                track: None,
                ..input()
            })
            .as_deref(),
            Some("track")
        );
        let specialty = CertificationInput {
            family: "specialty".into(),
            ..input()
        };
        assert_eq!(field_of(specialty).as_deref(), Some("track"));
        let foundation = CertificationInput {
            track: Some("foundation".into()),
            ..input()
        };
        assert_eq!(field_of(foundation).as_deref(), Some("level"));
    }
}
