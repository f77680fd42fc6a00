//! O6: the email channel's sender — the whole message as text and HTML over SMTP.

use async_trait::async_trait;
use certdesk_domain::Email;
use certdesk_store::Account;

use crate::channel::{Outgoing, SendError, Sender};
use crate::email::{Mailer, OutgoingEmail};
use crate::payload::Channels;
use crate::templates::email_content;

#[derive(Debug)]
pub struct EmailSender {
    mailer: Mailer,
}

impl EmailSender {
    pub fn new(mailer: Mailer) -> EmailSender {
        EmailSender { mailer }
    }
}

#[async_trait]
impl Sender for EmailSender {
    fn channel(&self) -> &'static str {
        Channels::EMAIL
    }

    /// Every account has an email address (A1).
    fn address(&self, account: &Account) -> Option<String> {
        Some(account.email.as_str().to_owned())
    }

    /// Email needs no template registered with anyone: every kind goes.
    fn carries(&self, _kind: &str) -> bool {
        true
    }

    async fn send(&self, out: &Outgoing<'_>) -> Result<String, SendError> {
        let to = Email::parse(out.to).map_err(|e| SendError::Final(format!("bad address: {e}")))?;
        let content = email_content(out.message, out.locale, &out.link);
        // The same job always sends the same Message-ID, so a resend after a lost answer is
        // recognisably the same message.
        let message_id = self.mailer.message_id(&format!("notify-{}", out.job.id));
        let email = OutgoingEmail {
            to,
            subject: content.subject,
            text: content.text,
            html: content.html,
            message_id,
            date: out.now,
        };
        match self.mailer.send(&email).await {
            Ok(sent) => Ok(sent.message_id),
            Err(e) if e.retryable => Err(SendError::Retry(e.message)),
            Err(e) => Err(SendError::Final(e.message)),
        }
    }
}
