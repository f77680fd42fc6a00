//! O6's email channel, the transport half: configuration, SMTP sending with its failures
//! sorted into retryable and final, and the layout of a notification email.

pub(crate) mod connection;
pub mod layout;
pub mod transport;

pub use layout::{html_email, text_email};
pub use transport::{
    EmailConfig, EmailConfigError, EmailError, MAIL_FROM_VAR, Mailer, OutgoingEmail, SMTP_URL_VAR,
    SentEmail,
};
