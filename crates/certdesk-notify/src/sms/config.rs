//! Where the SMS channel's account comes from: `CERTDESK_SMS_*` variables.

use reqwest::Url;
use secrecy::SecretString;

pub const ENV_ENDPOINT: &str = "CERTDESK_SMS_ENDPOINT";
pub const ENV_SECRET_ID: &str = "CERTDESK_SMS_SECRET_ID";
pub const ENV_SECRET_KEY: &str = "CERTDESK_SMS_SECRET_KEY";
pub const ENV_SDK_APP_ID: &str = "CERTDESK_SMS_SDK_APP_ID";
pub const ENV_SIGN_NAME: &str = "CERTDESK_SMS_SIGN_NAME";
pub const ENV_REGION: &str = "CERTDESK_SMS_REGION";

pub const DEFAULT_ENDPOINT: &str = "https://sms.tencentcloudapi.com";
pub const DEFAULT_REGION: &str = "ap-guangzhou";

/// A Tencent Cloud SMS account. `Debug` shows everything but the secret key.
#[derive(Debug, Clone)]
pub struct SmsConfig {
    /// The API's base URL; requests go to its root. A test server's URL in tests.
    pub endpoint: Url,
    pub secret_id: String,
    pub secret_key: SecretString,
    /// The console's SDK AppID (`1400…`).
    pub sdk_app_id: String,
    /// The approved signature text shown as 【…】 before every message (required in
    /// mainland China).
    pub sign_name: String,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsConfigError {
    /// Some of the account's variables are set and this one is not: a half-configured
    /// channel would fail every send, so startup refuses it.
    #[error("短信配置不完整：缺少 {0} / SMS is half configured: {0} is not set")]
    Missing(&'static str),
    #[error("{ENV_ENDPOINT} 不是可用的地址：{reason} / {ENV_ENDPOINT} is not usable: {reason}")]
    Endpoint { reason: String },
}

impl SmsConfig {
    /// Reads the `CERTDESK_SMS_*` variables through `lookup` (so tests need not touch the
    /// process environment). `Ok(None)` when none of the account's four variables is set:
    /// SMS is off. An empty value counts as unset.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<SmsConfig>, SmsConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let required = [ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SDK_APP_ID, ENV_SIGN_NAME];
        let values: Vec<Option<String>> = required.iter().map(|name| get(name)).collect();
        if values.iter().all(Option::is_none) {
            return Ok(None);
        }
        let mut present = Vec::with_capacity(required.len());
        for (name, value) in required.iter().zip(values) {
            present.push(value.ok_or(SmsConfigError::Missing(name))?);
        }
        let [secret_id, secret_key, sdk_app_id, sign_name]: [String; 4] = present
            .try_into()
            .expect("four required variables were read");
        let endpoint = parse_endpoint(&get(ENV_ENDPOINT).unwrap_or(DEFAULT_ENDPOINT.into()))?;
        Ok(Some(SmsConfig {
            endpoint,
            secret_id: secret_id.trim().to_owned(),
            secret_key: SecretString::from(secret_key.trim()),
            sdk_app_id: sdk_app_id.trim().to_owned(),
            sign_name: sign_name.trim().to_owned(),
            region: get(ENV_REGION).map_or(DEFAULT_REGION.into(), |r| r.trim().to_owned()),
        }))
    }

    /// [`SmsConfig::from_lookup`] over the process environment.
    pub fn from_env() -> Result<Option<SmsConfig>, SmsConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The `Host` header the request carries and the signature covers: the endpoint's host,
    /// with its port when that is not the scheme's default (what the HTTP client sends).
    pub fn host(&self) -> String {
        let host = self.endpoint.host_str().unwrap_or_default();
        match self.endpoint.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        }
    }
}

/// The signature's canonical URI is always `/`, so an endpoint with a path or query
/// would be signed for one URL and sent to another: refuse it at startup.
pub fn parse_endpoint(input: &str) -> Result<Url, SmsConfigError> {
    let bad = |reason: &str| SmsConfigError::Endpoint {
        reason: reason.to_owned(),
    };
    let url = Url::parse(input.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(bad(
            "the scheme must be https (or http for a local test server)",
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(bad(
            "give only scheme, host and port: requests go to its root",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("no credentials in the URL"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    const FULL: [(&str, &str); 4] = [
        (ENV_SECRET_ID, "AKIDexample"),
        (ENV_SECRET_KEY, "the-secret-key-value"),
        (ENV_SDK_APP_ID, "1400006666"),
        (ENV_SIGN_NAME, "认证中心"),
    ];

    #[test]
    fn no_keys_means_sms_is_off() {
        assert!(SmsConfig::from_lookup(lookup(&[])).unwrap().is_none());
        // The optional variables alone do not turn it on; empty values count as unset.
        let optional = [(ENV_ENDPOINT, "http://127.0.0.1:1"), (ENV_SECRET_ID, " ")];
        assert!(SmsConfig::from_lookup(lookup(&optional)).unwrap().is_none());
    }

    #[test]
    fn all_keys_give_a_config_with_defaults() {
        let config = SmsConfig::from_lookup(lookup(&FULL)).unwrap().unwrap();
        assert_eq!(config.endpoint.as_str(), "https://sms.tencentcloudapi.com/");
        assert_eq!(config.host(), "sms.tencentcloudapi.com");
        assert_eq!(config.region, "ap-guangzhou");
        assert_eq!(config.secret_id, "AKIDexample");
        assert_eq!(config.secret_key.expose_secret(), "the-secret-key-value");
        assert_eq!(config.sdk_app_id, "1400006666");
        assert_eq!(config.sign_name, "认证中心");
    }

    #[test]
    fn endpoint_and_region_override_the_defaults() {
        let mut pairs = FULL.to_vec();
        pairs.push((ENV_ENDPOINT, "http://127.0.0.1:4567"));
        pairs.push((ENV_REGION, "ap-beijing"));
        let config = SmsConfig::from_lookup(lookup(&pairs)).unwrap().unwrap();
        assert_eq!(config.host(), "127.0.0.1:4567");
        assert_eq!(config.region, "ap-beijing");
    }

    #[test]
    fn half_set_keys_name_the_missing_variable() {
        for (missing, (name, _)) in FULL.iter().enumerate() {
            let pairs: Vec<_> = FULL
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != missing)
                .map(|(_, p)| *p)
                .collect();
            let err = SmsConfig::from_lookup(lookup(&pairs)).unwrap_err();
            assert_eq!(err, SmsConfigError::Missing(name));
            assert!(err.to_string().contains(name));
        }
    }

    #[test]
    fn an_endpoint_with_a_path_is_refused() {
        for bad in [
            "sms.tencentcloudapi.com",
            "ftp://sms.tencentcloudapi.com",
            "https://sms.tencentcloudapi.com/v3",
            "https://sms.tencentcloudapi.com/?a=1",
            "https://user:pw@sms.tencentcloudapi.com",
        ] {
            assert!(parse_endpoint(bad).is_err(), "{bad}");
        }
        assert!(parse_endpoint("https://sms.ap-beijing.tencentcloudapi.com/").is_ok());
    }

    #[test]
    fn debug_never_prints_the_secret_key() {
        let config = SmsConfig::from_lookup(lookup(&FULL)).unwrap().unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("the-secret-key-value"), "{shown}");
        assert!(shown.contains("REDACTED"), "{shown}");
        assert!(shown.contains("AKIDexample"));
    }
}
