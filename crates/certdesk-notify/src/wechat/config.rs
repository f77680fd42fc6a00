//! The WeChat channel's settings, read from the environment (or any lookup, for tests).

use secrecy::SecretString;

use crate::templates::TemplateIds;

pub const ENV_API_BASE: &str = "CERTDESK_WECHAT_API_BASE";
pub const ENV_APP_ID: &str = "CERTDESK_WECHAT_APP_ID";
pub const ENV_APP_SECRET: &str = "CERTDESK_WECHAT_APP_SECRET";
/// `kind=template_id` pairs separated by commas, e.g.
/// `registration_confirmed=Abc123,result_released=Def456`.
pub const ENV_TEMPLATES: &str = "CERTDESK_WECHAT_TEMPLATES";

pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";

/// The official account's credentials and where its API lives. `Debug` shows no secret.
#[derive(Debug, Clone)]
pub struct WeChatConfig {
    /// Without a trailing slash.
    pub api_base: String,
    pub app_id: String,
    pub app_secret: SecretString,
    /// The template id of each notice kind (each template is approved in the account's
    /// console; a kind without one is not sent over WeChat).
    pub templates: TemplateIds,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeChatConfigError {
    #[error("微信配置不完整:缺少 {variable} / incomplete WeChat settings: {variable} is not set")]
    Missing { variable: &'static str },
    #[error("{variable} 不是 http(s) 地址 / {variable} is not an http(s) URL: {value:?}")]
    InvalidApiBase {
        variable: &'static str,
        value: String,
    },
    #[error(
        "{variable} 的格式应为 kind=template_id,… / {variable} should read kind=template_id,…: {entry:?}"
    )]
    InvalidTemplates {
        variable: &'static str,
        entry: String,
    },
}

impl WeChatConfig {
    /// Reads the process environment; see [`WeChatConfig::from_lookup`].
    pub fn from_env() -> Result<Option<WeChatConfig>, WeChatConfigError> {
        WeChatConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// `Ok(None)` when neither the app id nor the secret is set (WeChat is off); an error
    /// naming the missing variable when only one is. Blank values count as unset.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<WeChatConfig>, WeChatConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let (app_id, app_secret) = match (get(ENV_APP_ID), get(ENV_APP_SECRET)) {
            (None, None) => return Ok(None),
            (Some(_), None) => {
                return Err(WeChatConfigError::Missing {
                    variable: ENV_APP_SECRET,
                });
            }
            (None, Some(_)) => {
                return Err(WeChatConfigError::Missing {
                    variable: ENV_APP_ID,
                });
            }
            (Some(id), Some(secret)) => (id, SecretString::from(secret)),
        };
        let api_base = match get(ENV_API_BASE) {
            None => DEFAULT_API_BASE.to_owned(),
            Some(value) => parse_api_base(&value).ok_or(WeChatConfigError::InvalidApiBase {
                variable: ENV_API_BASE,
                value,
            })?,
        };
        let templates = match get(ENV_TEMPLATES) {
            None => TemplateIds::default(),
            Some(value) => TemplateIds::parse(ENV_TEMPLATES, &value).map_err(|e| {
                WeChatConfigError::InvalidTemplates {
                    variable: ENV_TEMPLATES,
                    entry: e.problem,
                }
            })?,
        };
        Ok(Some(WeChatConfig {
            api_base,
            app_id,
            app_secret,
            templates,
        }))
    }
}

fn parse_api_base(value: &str) -> Option<String> {
    let url = reqwest::Url::parse(value).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    Some(value.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret as _;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn no_keys_means_wechat_is_off() {
        assert!(WeChatConfig::from_lookup(lookup(&[])).unwrap().is_none());
        let blank = lookup(&[(ENV_APP_ID, " "), (ENV_API_BASE, "http://x")]);
        assert!(WeChatConfig::from_lookup(blank).unwrap().is_none());
    }

    #[test]
    fn half_set_keys_name_the_missing_variable() {
        let err = WeChatConfig::from_lookup(lookup(&[(ENV_APP_ID, "wx1")])).unwrap_err();
        assert_eq!(
            err,
            WeChatConfigError::Missing {
                variable: ENV_APP_SECRET
            }
        );
        assert!(err.to_string().contains("CERTDESK_WECHAT_APP_SECRET"));
        let err = WeChatConfig::from_lookup(lookup(&[(ENV_APP_SECRET, "s")])).unwrap_err();
        assert!(err.to_string().contains("CERTDESK_WECHAT_APP_ID"));
    }

    #[test]
    fn full_settings_are_read_and_the_secret_stays_out_of_debug() {
        let config = WeChatConfig::from_lookup(lookup(&[
            (ENV_APP_ID, "wx123"),
            (ENV_APP_SECRET, "very-secret-value"),
            (ENV_API_BASE, "http://127.0.0.1:9000/"),
            (
                ENV_TEMPLATES,
                "registration_confirmed=T-1, result_released = T-2",
            ),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(config.api_base, "http://127.0.0.1:9000");
        assert_eq!(config.app_id, "wx123");
        assert_eq!(config.app_secret.expose_secret(), "very-secret-value");
        assert_eq!(config.templates.get("result_released"), Some("T-2"));
        assert_eq!(config.templates.get("welcome"), None);
        assert!(!format!("{config:?}").contains("very-secret-value"));
    }

    #[test]
    fn api_base_defaults_to_the_vendor_and_must_be_a_url() {
        let keys = [(ENV_APP_ID, "wx1"), (ENV_APP_SECRET, "s")];
        let config = WeChatConfig::from_lookup(lookup(&keys)).unwrap().unwrap();
        assert_eq!(config.api_base, DEFAULT_API_BASE);
        let bad = [keys[0], keys[1], (ENV_API_BASE, "api.weixin.qq.com")];
        assert!(matches!(
            WeChatConfig::from_lookup(lookup(&bad)),
            Err(WeChatConfigError::InvalidApiBase { .. })
        ));
    }

    #[test]
    fn a_template_entry_without_an_id_is_refused() {
        let vars = [
            (ENV_APP_ID, "wx123"),
            (ENV_APP_SECRET, "s"),
            (ENV_TEMPLATES, "welcome="),
        ];
        assert!(matches!(
            WeChatConfig::from_lookup(lookup(&vars)),
            Err(WeChatConfigError::InvalidTemplates { .. })
        ));
    }
}
