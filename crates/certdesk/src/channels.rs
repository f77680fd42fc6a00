//! O6: the outside notification channels this deployment sends on, from the environment
//! (API.md "Running certdesk"). Each is off until configured; a half-made setting stops the
//! start with a one-line reason naming the variable. Secrets are never printed.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use certdesk_domain::SystemClock;
use certdesk_notify::Sender;
use certdesk_notify::email::{EmailConfig, Mailer};
use certdesk_notify::senders::{EmailSender, SmsSender, WeChatSender};
use certdesk_notify::sms::{SmsClient, SmsConfig};
use certdesk_notify::templates::TemplateIds;
use certdesk_notify::wechat::{WeChatClient, WeChatConfig};

/// The template ids of SMS notices (`kind=id,…`): SMS in mainland China sends only templates
/// the vendor approved.
const SMS_TEMPLATES: &str = "CERTDESK_SMS_TEMPLATES";

/// The senders configured by `lookup` (the process environment in production).
pub fn senders(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Vec<Arc<dyn Sender>>> {
    let mut senders: Vec<Arc<dyn Sender>> = Vec::new();
    if let Some(config) = EmailConfig::from_lookup(&lookup)? {
        senders.push(Arc::new(EmailSender::new(Mailer::new(config)?)));
    }
    // Vendors' requests are signed and their tokens expire by the vendor's clock: the real
    // one, even when certdesk itself runs on the test clock.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .context("building the HTTP client of the SMS and WeChat channels")?;
    if let Some(config) = SmsConfig::from_lookup(&lookup)? {
        let templates =
            TemplateIds::parse(SMS_TEMPLATES, &lookup(SMS_TEMPLATES).unwrap_or_default())?;
        if templates.is_empty() {
            tracing::warn!(
                "SMS is configured but {SMS_TEMPLATES} names no template: no SMS will be sent"
            );
        }
        let client = SmsClient::new(config, http.clone(), Arc::new(SystemClock));
        senders.push(Arc::new(SmsSender::new(client, templates)));
    }
    if let Some(config) = WeChatConfig::from_lookup(&lookup)? {
        let templates = config.templates.clone();
        if templates.is_empty() {
            tracing::warn!(
                "WeChat is configured but CERTDESK_WECHAT_TEMPLATES names no template: no WeChat message will be sent"
            );
        }
        let client = WeChatClient::new(config, http, Arc::new(SystemClock));
        senders.push(Arc::new(WeChatSender::new(client, templates)));
    }
    for sender in &senders {
        tracing::info!(channel = sender.channel(), "notification channel on");
    }
    Ok(senders)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn channels_are_off_until_configured_and_half_settings_are_refused() {
        assert!(senders(env(&[])).unwrap().is_empty());
        let on = senders(env(&[
            ("CERTDESK_SMTP_URL", "smtp://127.0.0.1:2525"),
            ("CERTDESK_MAIL_FROM", "认证考试中心 <exams@example.cn>"),
            ("CERTDESK_WECHAT_APP_ID", "wx1"),
            ("CERTDESK_WECHAT_APP_SECRET", "s3cret"),
            ("CERTDESK_WECHAT_TEMPLATES", "admission_ticket_issued=T1"),
        ]))
        .unwrap();
        let names: Vec<_> = on.iter().map(|s| s.channel()).collect();
        assert_eq!(names, ["email", "wechat"]);
        let half = senders(env(&[("CERTDESK_SMS_SECRET_ID", "AKID")])).unwrap_err();
        assert!(half.to_string().contains("CERTDESK_SMS_"), "{half}");
        let typo = senders(env(&[
            ("CERTDESK_SMS_SECRET_ID", "AKID"),
            ("CERTDESK_SMS_SECRET_KEY", "k"),
            ("CERTDESK_SMS_SDK_APP_ID", "1400000000"),
            ("CERTDESK_SMS_SIGN_NAME", "认证考试"),
            ("CERTDESK_SMS_TEMPLATES", "ticket=1"),
        ]))
        .unwrap_err();
        assert!(
            typo.to_string().contains("CERTDESK_SMS_TEMPLATES"),
            "{typo}"
        );
    }
}
