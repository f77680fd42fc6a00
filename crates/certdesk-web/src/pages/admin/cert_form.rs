//! The certification form shared by "add" and "edit": raw strings in, `CertificationInput`
//! out, each unparsable number named by its field.

use certdesk_app::CertificationInput;
use certdesk_domain::{ErrorCode, Family, Level, Locale, Refusal, Track};
use certdesk_store::Certification;
use serde::Deserialize;

use crate::i18n::T;
use crate::pages::FormErrors;

pub(crate) const FIELDS: &[&str] = &[
    "code",
    "name_zh",
    "name_en",
    "family",
    "track",
    "level",
    "fee_fen",
    "duration_minutes",
    "pass_mark",
    "validity_months",
];

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct CertForm {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub family: String,
    pub track: String,
    pub level: String,
    pub fee_fen: String,
    pub duration_minutes: String,
    pub pass_mark: String,
    pub validity_months: String,
}

/// An `<option>` of a select.
#[derive(Debug, Clone)]
pub(crate) struct Opt {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

impl CertForm {
    pub(crate) fn from_cert(c: &Certification) -> CertForm {
        let d = &c.data;
        CertForm {
            code: d.code.as_str().to_owned(),
            name_zh: d.name_zh.clone(),
            name_en: d.name_en.clone(),
            family: d.family.as_str().to_owned(),
            track: d.track.map(|t| t.as_str().to_owned()).unwrap_or_default(),
            level: d.level.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            fee_fen: d.fee.get().to_string(),
            duration_minutes: d.duration_minutes.to_string(),
            pass_mark: d.pass_mark.to_string(),
            validity_months: d.validity_months.to_string(),
        }
    }

    /// The input for the use case, or the first number that does not parse.
    pub(crate) fn to_input(&self) -> Result<CertificationInput, Refusal> {
        let num = |v: &str, field: &'static str, code: ErrorCode| {
            v.trim()
                .parse::<i64>()
                .map_err(|_| Refusal::new(code).field(field).rule("C1"))
        };
        let opt = |v: &str| Some(v.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(CertificationInput {
            code: self.code.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            family: self.family.clone(),
            track: opt(&self.track),
            level: opt(&self.level),
            fee_fen: num(&self.fee_fen, "fee_fen", ErrorCode::InvalidAmount)?,
            duration_minutes: num(
                &self.duration_minutes,
                "duration_minutes",
                ErrorCode::InvalidField,
            )?,
            pass_mark: num(&self.pass_mark, "pass_mark", ErrorCode::InvalidField)?,
            validity_months: num(
                &self.validity_months,
                "validity_months",
                ErrorCode::InvalidField,
            )?,
        })
    }

    pub(crate) fn family_options(&self, t: T) -> Vec<Opt> {
        Family::ALL
            .iter()
            .map(|f| Opt {
                value: f.as_str(),
                label: t.family(*f),
                selected: self.family == f.as_str(),
            })
            .collect()
    }

    pub(crate) fn track_options(&self, t: T) -> Vec<Opt> {
        let mut out = vec![Opt {
            value: "",
            label: t.none_value(),
            selected: self.track.is_empty(),
        }];
        out.extend(Track::ALL.iter().map(|x| Opt {
            value: x.as_str(),
            label: t.track(*x),
            selected: self.track == x.as_str(),
        }));
        out
    }

    pub(crate) fn level_options(&self, t: T) -> Vec<Opt> {
        let mut out = vec![Opt {
            value: "",
            label: t.none_value(),
            selected: self.level.is_empty(),
        }];
        out.extend(Level::ALL.iter().map(|x| Opt {
            value: x.as_str(),
            label: t.level(*x),
            selected: self.level == x.as_str(),
        }));
        out
    }
}

/// The form with its options, ready for `admin/cert_form.html`.
#[derive(Debug, Clone)]
pub(crate) struct CertFormView {
    pub form: CertForm,
    pub errors: FormErrors,
    pub families: Vec<Opt>,
    pub tracks: Vec<Opt>,
    pub levels: Vec<Opt>,
    /// Where the form posts.
    pub action: String,
    /// Adding (code editable) or editing.
    pub is_new: bool,
}

impl CertFormView {
    pub(crate) fn new(
        t: T,
        form: CertForm,
        errors: FormErrors,
        action: String,
        is_new: bool,
    ) -> CertFormView {
        CertFormView {
            families: form.family_options(t),
            tracks: form.track_options(t),
            levels: form.level_options(t),
            form,
            errors,
            action,
            is_new,
        }
    }

    pub(crate) fn with_refusal(
        t: T,
        locale: Locale,
        form: CertForm,
        r: &Refusal,
        action: String,
        is_new: bool,
    ) -> CertFormView {
        CertFormView::new(
            t,
            form,
            FormErrors::from_refusal(r, locale, FIELDS),
            action,
            is_new,
        )
    }
}
