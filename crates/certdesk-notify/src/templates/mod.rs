//! O6: a message as each outside channel carries it, in the recipient's language. Email has
//! room for the whole text and a link; SMS and WeChat carry short parameters into templates
//! the vendor approved beforehand, one template per kind, configured per deployment
//! (`CERTDESK_SMS_TEMPLATES`, `CERTDESK_WECHAT_TEMPLATES`).

mod email;
mod fields;
mod samples;
mod sms;
mod wechat;

use std::collections::BTreeMap;

pub use email::{EmailContent, email_content};
pub use samples::samples;
pub use sms::sms_params;
pub use wechat::wechat_data;

/// Template ids per notice kind for a vendor's channel: `kind=id` pairs separated by commas
/// (`registration_confirmed=1234,admission_ticket_issued=1235`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateIds(BTreeMap<String, String>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem} (expected kind=template_id pairs separated by commas)")]
pub struct TemplateIdsError {
    pub variable: String,
    pub problem: String,
}

impl TemplateIds {
    /// `variable` names the setting in errors. Unknown kinds are refused, so a typo cannot
    /// silently leave a kind without its channel.
    pub fn parse(variable: &str, text: &str) -> Result<TemplateIds, TemplateIdsError> {
        let error = |problem: String| TemplateIdsError {
            variable: variable.to_owned(),
            problem,
        };
        let mut ids = BTreeMap::new();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, id) = pair
                .split_once('=')
                .map(|(k, v)| (k.trim(), v.trim()))
                .filter(|(k, v)| !k.is_empty() && !v.is_empty())
                .ok_or_else(|| error(format!("{pair:?} is not kind=template_id")))?;
            if !crate::notice::KINDS.contains(&kind) {
                return Err(error(format!("unknown notice kind {kind:?}")));
            }
            if ids.insert(kind.to_owned(), id.to_owned()).is_some() {
                return Err(error(format!("{kind} is given twice")));
            }
        }
        Ok(TemplateIds(ids))
    }

    pub fn get(&self, kind: &str) -> Option<&str> {
        self.0.get(kind).map(String::as_str)
    }

    /// The id a sender sends `kind` with. The channel handler skips kinds without one
    /// (`Sender::carries`), so a missing id here is a settings change mid-run: final.
    pub fn for_send(&self, vendor: &str, kind: &str) -> Result<&str, crate::SendError> {
        self.get(kind)
            .ok_or_else(|| crate::SendError::Final(format!("no {vendor} template for {kind}")))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_ids_parse_and_refuse_typos() {
        let ids = TemplateIds::parse(
            "CERTDESK_SMS_TEMPLATES",
            " registration_confirmed = 1234, admission_ticket_issued=1235 ,",
        )
        .unwrap();
        assert_eq!(ids.get("registration_confirmed"), Some("1234"));
        assert_eq!(ids.get("admission_ticket_issued"), Some("1235"));
        assert_eq!(ids.get("welcome"), None);
        assert!(TemplateIds::parse("X", "").unwrap().is_empty());
        let typo =
            TemplateIds::parse("CERTDESK_SMS_TEMPLATES", "registration_confirm=1").unwrap_err();
        assert!(
            typo.to_string()
                .starts_with("CERTDESK_SMS_TEMPLATES: unknown notice kind")
        );
        assert!(TemplateIds::parse("X", "welcome").is_err());
        assert!(TemplateIds::parse("X", "welcome=1,welcome=2").is_err());
    }
}
