//! E1: why something was refused — a stable code, a message in the user's language, the field,
//! the rule id and the deadline that decided it. The web layer renders it; nothing here does I/O.

use std::borrow::Cow;
use std::fmt;

pub use crate::error_code::{DeadlineRole, ErrorCode, ErrorKind};

/// The languages certdesk speaks: zh-CN first (the default), English second.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: &'static [Locale] = &[Locale::ZhCn, Locale::En];

    /// A BCP 47 tag to a locale we speak: any `zh…` tag is zh-CN (the only Chinese we write),
    /// any `en…` tag is English; case-insensitive; `None` for anything else.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("zh") {
            Some(Locale::ZhCn)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Locale::En)
        } else {
            None
        }
    }

    /// The best locale for an `Accept-Language` header: highest q-value among tags we speak,
    /// earlier entries win ties, `q=0` means "not this one". Anything unusable → zh-CN.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(u16, Locale)> = None;
        for entry in header.split(',') {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let mut q = 1000u16;
            for param in parts {
                if let Some((k, v)) = param.split_once('=')
                    && k.trim().eq_ignore_ascii_case("q")
                {
                    q = parse_q(v.trim()).unwrap_or(0);
                }
            }
            let Some(locale) = Locale::from_tag(tag) else {
                continue;
            };
            if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// `zh-CN` or `en`: for `lang=` attributes, `Content-Language` and the locale cookie.
    pub fn as_tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }
}

/// A q-value (`0`, `0.5`, `1.000`) in thousandths; `None` when it is not one.
fn parse_q(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let mut thousandths = 0u16;
    for (i, c) in frac.chars().enumerate() {
        thousandths += (c as u16 - b'0' as u16) * [100, 10, 1][i];
    }
    (whole + thousandths <= 1000).then_some(whole + thousandths)
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_tag())
    }
}

/// A text in both languages, e.g. a refusal's detail ("出生日期不正确").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocalizedText {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl LocalizedText {
    pub fn new(
        zh: impl Into<Cow<'static, str>>,
        en: impl Into<Cow<'static, str>>,
    ) -> LocalizedText {
        LocalizedText {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A fixed text, usable in `const` items.
    pub const fn fixed(zh: &'static str, en: &'static str) -> LocalizedText {
        LocalizedText {
            zh: Cow::Borrowed(zh),
            en: Cow::Borrowed(en),
        }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.zh,
            Locale::En => &self.en,
        }
    }
}

/// E1: one refusal. Built with `Refusal::new(code).rule("O7").deadline(ts)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    /// The SPEC rule that decided it (`"O7"`), where one did.
    pub rule: Option<&'static str>,
    /// The input field at fault (`"id_number"`), where there is one.
    pub field: Option<String>,
    /// T4: the exclusive instant that decided it (a window's opening or a deadline).
    pub deadline: Option<jiff::Timestamp>,
    /// What exactly was wrong, beyond the code's message.
    pub detail: Option<LocalizedText>,
}

impl Refusal {
    pub fn new(code: ErrorCode) -> Refusal {
        Refusal {
            code,
            rule: None,
            field: None,
            deadline: None,
            detail: None,
        }
    }

    pub fn rule(mut self, rule: &'static str) -> Refusal {
        self.rule = Some(rule);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Refusal {
        self.field = Some(field.into());
        self
    }

    pub fn deadline(mut self, deadline: jiff::Timestamp) -> Refusal {
        self.deadline = Some(deadline);
        self
    }

    pub fn detail(mut self, detail: LocalizedText) -> Refusal {
        self.detail = Some(detail);
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.code.kind()
    }

    /// The code's message, then the detail, then — where a deadline decided it — the deadline
    /// as pages show it (T4): "… 截止时间：2027年3月10日 09:00（北京时间）。"
    pub fn message(&self, locale: Locale) -> String {
        let sep = match locale {
            Locale::ZhCn => "",
            Locale::En => " ",
        };
        let mut out = String::from(self.code.message(locale));
        if let Some(detail) = &self.detail {
            out.push_str(sep);
            out.push_str(detail.get(locale));
        }
        if let Some(deadline) = self.deadline {
            let when = crate::time::format_deadline(deadline, locale);
            out.push_str(sep);
            out.push_str(&match (self.code.deadline_role(), locale) {
                (DeadlineRole::Closes, Locale::ZhCn) => format!("截止时间：{when}之前。"),
                (DeadlineRole::Closes, Locale::En) => format!("Deadline: before {when}."),
                (DeadlineRole::Opens, Locale::ZhCn) => format!("开放时间：{when}。"),
                (DeadlineRole::Opens, Locale::En) => format!("Opens at {when}."),
                (DeadlineRole::Boundary, Locale::ZhCn) => format!("时间界限：{when}。"),
                (DeadlineRole::Boundary, Locale::En) => format!("Window limit: {when}."),
                (DeadlineRole::RetryAfter, Locale::ZhCn) => format!("请于{when}之后再试。"),
                (DeadlineRole::RetryAfter, Locale::En) => format!("Try again after {when}."),
            });
        }
        out
    }
}

impl Refusal {
    /// E1's API body: `{"error": {"code", "message", "field", "rule", "deadline"}}`, the
    /// deadline in RFC 3339 with the programme zone's offset (T1); absent parts are null.
    pub fn to_json(&self, locale: Locale) -> serde_json::Value {
        serde_json::json!({
            "error": {
                "code": self.code.as_str(),
                "message": self.message(locale),
                "field": self.field,
                "rule": self.rule,
                "deadline": self.deadline.map(crate::time::format_rfc3339),
            }
        })
    }
}

impl From<ErrorCode> for Refusal {
    fn from(code: ErrorCode) -> Refusal {
        Refusal::new(code)
    }
}

/// English, for logs and tests; pages use `message(locale)`.
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message(Locale::En))
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_from_tag() {
        for zh in [
            "zh",
            "zh-CN",
            "ZH-cn",
            "zh-Hans",
            "zh-Hans-CN",
            "zh_CN",
            "zh-TW",
        ] {
            assert_eq!(Locale::from_tag(zh), Some(Locale::ZhCn), "{zh}");
        }
        for en in ["en", "en-US", "EN-gb"] {
            assert_eq!(Locale::from_tag(en), Some(Locale::En), "{en}");
        }
        for other in ["", "fr", "english", "*", "z"] {
            assert_eq!(Locale::from_tag(other), None, "{other}");
        }
        assert_eq!(Locale::default(), Locale::ZhCn);
        assert_eq!(Locale::En.as_tag(), "en");
        assert_eq!(Locale::ZhCn.as_tag(), "zh-CN");
    }

    #[test]
    fn locale_from_accept_language_respects_q() {
        let cases = [
            ("", Locale::ZhCn),
            ("en-US,en;q=0.9", Locale::En),
            ("fr-FR, en;q=0.5, zh;q=0.8", Locale::ZhCn),
            ("zh;q=0.3, en;q=0.7", Locale::En),
            ("en;q=0", Locale::ZhCn),
            ("de, *;q=0.1", Locale::ZhCn),
            ("en;q=0.5, zh-CN;q=0.5", Locale::En),
            ("en;q=bogus, zh;q=0.1", Locale::ZhCn),
            ("zh-CN,zh;q=0.9,en;q=0.8", Locale::ZhCn),
            ("en;q=1.0", Locale::En),
            ("en;q=2, zh;q=0.2", Locale::ZhCn),
        ];
        for (header, want) in cases {
            assert_eq!(Locale::from_accept_language(header), want, "{header}");
        }
    }

    #[test]
    fn refusal_message_has_detail_and_deadline() {
        let ts: jiff::Timestamp = "2027-03-10T01:00:00Z".parse().unwrap();
        let r = Refusal::new(ErrorCode::RescheduleTooLate)
            .rule("O7")
            .deadline(ts)
            .detail(LocalizedText::fixed(
                "考前 10 天截止。",
                "It closes 10 days before the exam.",
            ));
        assert_eq!(
            r.message(Locale::ZhCn),
            "已超过改期截止时间。考前 10 天截止。截止时间：2027年3月10日 09:00（北京时间）之前。"
        );
        assert_eq!(
            r.message(Locale::En),
            "It is too late to reschedule. It closes 10 days before the exam. \
             Deadline: before 09:00, 10 March 2027 (UTC+8)."
        );
        assert!(
            r.to_string()
                .starts_with("reschedule_too_late: It is too late")
        );
        let open = Refusal::new(ErrorCode::RegistrationNotOpen).deadline(ts);
        assert!(
            open.message(Locale::En)
                .ends_with("Opens at 09:00, 10 March 2027 (UTC+8).")
        );
        assert!(open.message(Locale::ZhCn).contains("开放时间"));
    }

    #[test]
    fn refusal_builder_sets_fields() {
        let r = Refusal::new(ErrorCode::InvalidIdNumber)
            .rule("A2")
            .field("id_number");
        assert_eq!(r.rule, Some("A2"));
        assert_eq!(r.field.as_deref(), Some("id_number"));
        assert_eq!(r.deadline, None);
        let body = r.to_json(Locale::En);
        assert_eq!(body["error"]["code"], "invalid_id_number");
        assert_eq!(body["error"]["rule"], "A2");
        assert_eq!(body["error"]["field"], "id_number");
        assert!(body["error"]["deadline"].is_null());
        let ts: jiff::Timestamp = "2027-03-10T01:00:00Z".parse().unwrap();
        let body = Refusal::new(ErrorCode::RetakeTooLate)
            .deadline(ts)
            .to_json(Locale::ZhCn);
        assert_eq!(body["error"]["deadline"], "2027-03-10T09:00:00+08:00");
        assert!(body["error"]["field"].is_null());
        assert_eq!(r.kind(), ErrorKind::Malformed);
        assert_eq!(
            Refusal::from(ErrorCode::NotFound).message(Locale::En),
            "Not found."
        );
    }
}
