//! O6: the WeChat channel's sender — the kind's template message, linking to its page.

use async_trait::async_trait;
use certdesk_store::Account;

use crate::channel::{Outgoing, SendError, Sender};
use crate::payload::Channels;
use crate::templates::{TemplateIds, wechat_data};
use crate::wechat::{TemplateMessage, WeChatClient};

#[derive(Debug)]
pub struct WeChatSender {
    client: WeChatClient,
    templates: TemplateIds,
}

impl WeChatSender {
    pub fn new(client: WeChatClient, templates: TemplateIds) -> WeChatSender {
        WeChatSender { client, templates }
    }
}

#[async_trait]
impl Sender for WeChatSender {
    fn channel(&self) -> &'static str {
        Channels::WECHAT
    }

    /// The openid the candidate bound on their account.
    fn address(&self, account: &Account) -> Option<String> {
        account.wechat_openid.clone().filter(|o| !o.is_empty())
    }

    fn carries(&self, kind: &str) -> bool {
        self.templates.get(kind).is_some()
    }

    async fn send(&self, out: &Outgoing<'_>) -> Result<String, SendError> {
        let template_id = self.templates.for_send("WeChat", out.notice.kind())?;
        let message = TemplateMessage {
            openid: out.to.to_owned(),
            template_id: template_id.to_owned(),
            url: Some(out.link.clone()),
            data: wechat_data(out.message, out.locale),
            // WeChat drops a repeat of the same id to the same user for a while: a resend
            // after a lost answer is not shown twice.
            client_msg_id: Some(format!("job-{}", out.job.id)),
        };
        match self.client.send_template(&message).await {
            Ok(accepted) => Ok(accepted.msgid),
            // 43004: the user does not follow the account; no retry will change that.
            Err(e) if e.is_not_following() => Err(SendError::Undeliverable(e.to_string())),
            Err(e) if e.is_retryable() => Err(SendError::Retry(e.to_string())),
            Err(e) => Err(SendError::Final(e.to_string())),
        }
    }
}
