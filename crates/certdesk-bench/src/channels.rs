//! `--channels`: the rush with email, SMS and WeChat on, each pointed at a local server that
//! speaks its vendor's protocol (issue 9: registrations/s within 20% of the inbox-only run,
//! and every confirmation of every paying candidate delivered by the end).

use std::time::{Duration, Instant};

use certdesk_notify::testing::sms_server::SmsServer;
use certdesk_notify::testing::smtp_server::SmtpServer;
use certdesk_notify::testing::wechat_server::WeChatServer;

/// The confirmation's subject in the candidates' language (zh-CN).
const CONFIRMED: &str = "报名成功";

pub struct Sinks {
    smtp: SmtpServer,
    sms: SmsServer,
    wechat: WeChatServer,
}

impl Sinks {
    pub async fn start() -> Sinks {
        Sinks {
            smtp: SmtpServer::start().await,
            sms: SmsServer::start("AKIDrush", "rush-sms-secret", "1400000042").await,
            wechat: WeChatServer::start("wx-rush", "rush-wechat-secret").await,
        }
    }

    /// The server's settings for the three channels.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("CERTDESK_SMTP_URL", self.smtp.url()),
            (
                "CERTDESK_MAIL_FROM",
                "认证考试中心 <exams@rush.bench>".into(),
            ),
            ("CERTDESK_SMS_ENDPOINT", self.sms.base_url().to_owned()),
            ("CERTDESK_SMS_SECRET_ID", "AKIDrush".into()),
            ("CERTDESK_SMS_SECRET_KEY", "rush-sms-secret".into()),
            ("CERTDESK_SMS_SDK_APP_ID", "1400000042".into()),
            ("CERTDESK_SMS_SIGN_NAME", "认证考试".into()),
            (
                "CERTDESK_SMS_TEMPLATES",
                "registration_confirmed=4001".into(),
            ),
            (
                "CERTDESK_WECHAT_API_BASE",
                self.wechat.base_url().to_owned(),
            ),
            ("CERTDESK_WECHAT_APP_ID", "wx-rush".into()),
            ("CERTDESK_WECHAT_APP_SECRET", "rush-wechat-secret".into()),
            (
                "CERTDESK_WECHAT_TEMPLATES",
                "registration_confirmed=T-rush".into(),
            ),
        ]
    }

    /// (email, SMS, WeChat) confirmations received so far.
    fn counts(&self) -> (usize, usize, usize) {
        let emails = self
            .smtp
            .messages()
            .iter()
            .filter(|m| m.subject().as_deref() == Some(CONFIRMED))
            .count();
        (emails, self.sms.accepted().len(), self.wechat.sent().len())
    }

    /// Waits until each channel has `paid` confirmations (or `limit` passes); answers how long
    /// after the rush's last answer they were all in, and the counts.
    pub async fn drain(&self, paid: usize, limit: Duration) -> (Duration, (usize, usize, usize)) {
        let started = Instant::now();
        loop {
            let counts = self.counts();
            if counts.0 >= paid && counts.1 >= paid && counts.2 >= paid {
                return (started.elapsed(), counts);
            }
            if started.elapsed() > limit {
                return (started.elapsed(), counts);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
