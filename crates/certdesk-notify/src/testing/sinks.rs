//! The three outside channels' servers together, and the settings that point a certdesk
//! process at them (`CERTDESK_SMTP_URL`, `CERTDESK_SMS_*`, `CERTDESK_WECHAT_*`): for the
//! end-to-end tests and the benchmark, which start the real binary.

use super::sms_server::SmsServer;
use super::smtp_server::SmtpServer;
use super::wechat_server::WeChatServer;

const SMS_SECRET_ID: &str = "AKIDsinks";
const SMS_SECRET_KEY: &str = "sinks-sms-secret";
const SMS_APP_ID: &str = "1400000042";
const WECHAT_APP_ID: &str = "wx-sinks";
const WECHAT_SECRET: &str = "sinks-wechat-secret";

#[derive(Debug)]
pub struct Sinks {
    pub smtp: SmtpServer,
    pub sms: SmsServer,
    pub wechat: WeChatServer,
}

impl Sinks {
    pub async fn start() -> Sinks {
        let wechat = WeChatServer::start(WECHAT_APP_ID, WECHAT_SECRET).await;
        // As the vendor: a replaced token still works for 5 minutes, so several certdesk
        // processes, each with its own token, share the account.
        wechat.set_overlap(std::time::Duration::from_secs(300));
        Sinks {
            smtp: SmtpServer::start().await,
            sms: SmsServer::start(SMS_SECRET_ID, SMS_SECRET_KEY, SMS_APP_ID).await,
            wechat,
        }
    }

    /// The environment of a certdesk process sending to these servers; `sms_templates` and
    /// `wechat_templates` are `kind=id,…` as the settings read them.
    pub fn env(&self, sms_templates: &str, wechat_templates: &str) -> Vec<(&'static str, String)> {
        vec![
            ("CERTDESK_SMTP_URL", self.smtp.url()),
            (
                "CERTDESK_MAIL_FROM",
                "认证考试中心 <exams@sinks.certdesk.cn>".into(),
            ),
            ("CERTDESK_SMS_ENDPOINT", self.sms.base_url().to_owned()),
            ("CERTDESK_SMS_SECRET_ID", SMS_SECRET_ID.into()),
            ("CERTDESK_SMS_SECRET_KEY", SMS_SECRET_KEY.into()),
            ("CERTDESK_SMS_SDK_APP_ID", SMS_APP_ID.into()),
            ("CERTDESK_SMS_SIGN_NAME", "认证考试".into()),
            ("CERTDESK_SMS_TEMPLATES", sms_templates.into()),
            (
                "CERTDESK_WECHAT_API_BASE",
                self.wechat.base_url().to_owned(),
            ),
            ("CERTDESK_WECHAT_APP_ID", WECHAT_APP_ID.into()),
            ("CERTDESK_WECHAT_APP_SECRET", WECHAT_SECRET.into()),
            ("CERTDESK_WECHAT_TEMPLATES", wechat_templates.into()),
        ]
    }

    /// Emails received with this subject.
    pub fn emails_titled(&self, subject: &str) -> usize {
        self.smtp
            .messages()
            .iter()
            .filter(|m| m.subject().as_deref() == Some(subject))
            .count()
    }
}
