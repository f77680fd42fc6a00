//! O6: the SMS channel's sender — the kind's approved template, filled with short facts.

use async_trait::async_trait;
use certdesk_store::Account;

use crate::channel::{Outgoing, SendError, Sender};
use crate::payload::Channels;
use crate::sms::{SmsClient, SmsSend, phone_e164};
use crate::templates::{TemplateIds, sms_params};

#[derive(Debug)]
pub struct SmsSender {
    client: SmsClient,
    templates: TemplateIds,
}

impl SmsSender {
    pub fn new(client: SmsClient, templates: TemplateIds) -> SmsSender {
        SmsSender { client, templates }
    }
}

#[async_trait]
impl Sender for SmsSender {
    fn channel(&self) -> &'static str {
        Channels::SMS
    }

    fn address(&self, account: &Account) -> Option<String> {
        account.phone.as_ref().map(phone_e164)
    }

    fn carries(&self, kind: &str) -> bool {
        self.templates.get(kind).is_some()
    }

    async fn send(&self, out: &Outgoing<'_>) -> Result<String, SendError> {
        let template_id = self.templates.for_send("SMS", out.notice.kind())?;
        let sms = SmsSend {
            phone_e164: out.to.to_owned(),
            template_id: template_id.to_owned(),
            params: sms_params(out.message, out.locale),
            // Echoed by the vendor: ties its records to our job.
            session_context: format!("job-{}", out.job.id),
        };
        match self.client.send(&sms).await {
            Ok(accepted) => Ok(accepted.serial_no),
            Err(e) if e.is_retryable() => Err(SendError::Retry(format!(
                "SMS {}: {}",
                e.code(),
                e.message()
            ))),
            Err(e) => Err(SendError::Final(format!(
                "SMS {}: {}",
                e.code(),
                e.message()
            ))),
        }
    }
}
