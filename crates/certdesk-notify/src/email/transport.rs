//! O6 email: sending one message over SMTP with lettre. Plain SMTP for a local relay,
//! STARTTLS (`smtp://…?tls=required`) or implicit TLS (`smtps://`) for real providers, all over
//! rustls, so no system TLS library is involved.
//!
//! Connections are kept open between messages ([`super::connection`]): a rush's confirmations
//! go out over a few open SMTP dialogues instead of a new TCP connection, greeting and, for
//! real providers, TLS handshake per email.

use std::fmt;
use std::time::{Duration, SystemTime};

use certdesk_domain::Email;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{Address, Message};

use super::connection::{Connections, Endpoint, Roots};

/// Where the SMTP server is: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
/// `smtps://user:pass@host:465`. Unset or empty: email is off.
pub const SMTP_URL_VAR: &str = "CERTDESK_SMTP_URL";
/// Who the emails are from, with a display name: `认证考试中心 <exams@example.cn>`.
pub const MAIL_FROM_VAR: &str = "CERTDESK_MAIL_FROM";

/// Long enough for a slow provider's greeting, short enough that a hung server does not hold
/// a job runner's slot for minutes. It bounds one message's whole dialogue, connecting and
/// TLS handshake included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A configuration variable that is set but unusable. The reason never repeats the value,
/// since `CERTDESK_SMTP_URL` may carry a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {reason}")]
pub struct EmailConfigError {
    pub variable: &'static str,
    pub reason: String,
}

/// How to send email, checked once at start-up.
#[derive(Clone)]
pub struct EmailConfig {
    smtp_url: String,
    endpoint: Endpoint,
    roots: Roots,
    from: Mailbox,
    timeout: Duration,
}

impl EmailConfig {
    /// Reads [`SMTP_URL_VAR`] and [`MAIL_FROM_VAR`] through `lookup` (the process environment
    /// in production, a map in tests). `Ok(None)`: email is off.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<EmailConfig>, EmailConfigError> {
        let Some(url) = lookup(SMTP_URL_VAR).filter(|v| !v.trim().is_empty()) else {
            return Ok(None);
        };
        let from = lookup(MAIL_FROM_VAR).ok_or_else(|| EmailConfigError {
            variable: MAIL_FROM_VAR,
            reason: format!(
                "must be set when {SMTP_URL_VAR} is, e.g. 认证考试中心 <exams@example.cn>"
            ),
        })?;
        EmailConfig::new(&url, &from).map(Some)
    }

    /// From the process environment.
    pub fn from_env() -> Result<Option<EmailConfig>, EmailConfigError> {
        EmailConfig::from_lookup(|name| std::env::var(name).ok())
    }

    pub fn new(smtp_url: &str, from: &str) -> Result<EmailConfig, EmailConfigError> {
        let smtp_url = smtp_url.trim().to_owned();
        let endpoint = Endpoint::parse(&smtp_url).map_err(|e| EmailConfigError {
            variable: SMTP_URL_VAR,
            reason: format!(
                "not a usable SMTP URL ({e}); expected smtp://host:25, \
                 smtp://user:pass@host:587?tls=required or smtps://user:pass@host:465"
            ),
        })?;
        let from: Mailbox = from.trim().parse().map_err(|e| EmailConfigError {
            variable: MAIL_FROM_VAR,
            reason: format!("not a mailbox ({e}); expected e.g. 认证考试中心 <exams@example.cn>"),
        })?;
        Ok(EmailConfig {
            smtp_url,
            endpoint,
            roots: Roots::default(),
            from,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Also trusts `der` (a CA certificate, DER) for the relay's TLS certificate, beside the
    /// public roots: for a relay inside a network with its own CA, and for tests.
    pub fn with_root_certificate(mut self, der: Vec<u8>) -> EmailConfig {
        self.roots.add(der);
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> EmailConfig {
        self.timeout = timeout;
        self
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

impl fmt::Debug for EmailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailConfig")
            .field("smtp_url", &redact_password(&self.smtp_url))
            .field("from", &self.from.to_string())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// `smtps://user:***@host:465`: the URL with its password (if any) hidden.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "<unparsable URL>".to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            let hidden = if userinfo.contains(':') { ":***" } else { "" };
            format!("{scheme}://{user}{hidden}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

/// One email to one recipient, rendered.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// `<notify-123@exams.example.cn>`: derived from the outbox job (see
    /// [`Mailer::message_id`]), so a retried send carries the same id and readers' clients
    /// and the relay can tell it is the same message.
    pub message_id: String,
    /// The `Date:` header: the runner's `now`, never the wall clock read here.
    pub date: jiff::Timestamp,
}

/// What the server said when it took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEmail {
    pub message_id: String,
    /// `250 2.0.0 OK queued as …`: the relay's own id is in there, for tracing a complaint.
    pub server_reply: String,
}

/// Sending failed. `retryable` says whether the same message may succeed later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EmailError {
    pub message: String,
    pub retryable: bool,
    /// The SMTP reply code, when the server answered with one.
    pub code: Option<u16>,
}

impl EmailError {
    fn permanent(message: String) -> EmailError {
        EmailError {
            message,
            retryable: false,
            code: None,
        }
    }
}

/// Sends email through one SMTP server.
pub struct Mailer {
    connections: Connections,
    from: Mailbox,
    endpoint: String,
    timeout: Duration,
}

impl Mailer {
    pub fn new(config: EmailConfig) -> Result<Mailer, EmailConfigError> {
        Ok(Mailer {
            connections: Connections::new(config.endpoint, config.roots),
            endpoint: redact_password(&config.smtp_url),
            from: config.from,
            timeout: config.timeout,
        })
    }

    pub fn from_address(&self) -> &Mailbox {
        &self.from
    }

    /// `<{key}@{sender's domain}>`: a Message-ID that is the same on every attempt of one job
    /// (pass e.g. `notify-123`), in the sender's own domain as RFC 5322 asks.
    pub fn message_id(&self, key: &str) -> String {
        format!("<{key}@{}>", self.from.email.domain())
    }

    pub async fn send(&self, email: &OutgoingEmail) -> Result<SentEmail, EmailError> {
        let message = self.build(email)?;
        let envelope = message.envelope().clone();
        let bytes = message.formatted();
        // A free connection slot first, outside the limit: the wait is bounded anyway, since
        // every holder's dialogue is.
        let _slot = self.connections.slot().await;
        // One limit for the whole dialogue, connecting included: a relay that hangs anywhere
        // gives the runner's slot back. A timeout after DATA may mean the server did take the
        // message; the retry then sends it again with the same Message-ID, which lets mail
        // clients show it once.
        let dialogue = async {
            let mut conn = self.connections.take().await?;
            // On an error lettre has already sent QUIT and marked the connection broken.
            match conn.send(&envelope, &bytes).await {
                Ok(response) => {
                    self.connections.give_back(conn);
                    Ok(response)
                }
                Err(e) => {
                    let error = classify(&e);
                    if error.code.is_none() {
                        // No reply: the relay went away (a restart, its idle timeout), and the
                        // other idle connections are as old as this one.
                        self.connections.forget_idle();
                    }
                    Err(error)
                }
            }
        };
        let response = tokio::time::timeout(self.timeout, dialogue)
            .await
            .map_err(|_| EmailError {
                message: format!("SMTP send timed out after {:?}", self.timeout),
                retryable: true,
                code: None,
            })??;
        let lines: Vec<&str> = response.message().collect();
        Ok(SentEmail {
            message_id: email.message_id.clone(),
            server_reply: format!("{} {}", response.code(), lines.join(" ")),
        })
    }

    fn build(&self, email: &OutgoingEmail) -> Result<Message, EmailError> {
        if !is_message_id(&email.message_id) {
            return Err(EmailError::permanent(format!(
                "Message-ID {:?} is not of the form <left@right>",
                email.message_id
            )));
        }
        let to: Address = email.to.as_str().parse().map_err(|e| {
            EmailError::permanent(format!(
                "recipient {} is not sendable: {e}",
                email.to.masked()
            ))
        })?;
        Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(email.subject.as_str())
            .message_id(Some(email.message_id.clone()))
            .date(SystemTime::from(email.date))
            // text/plain first: clients show the last alternative they understand (RFC 2046).
            .multipart(MultiPart::alternative_plain_html(
                email.text.clone(),
                email.html.clone(),
            ))
            .map_err(|e| EmailError::permanent(format!("cannot build the message: {e}")))
    }
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer")
            .field("endpoint", &self.endpoint)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// A caller-made id goes into a header verbatim, so it must not be able to break out of it.
fn is_message_id(id: &str) -> bool {
    id.strip_prefix('<')
        .and_then(|rest| rest.strip_suffix('>'))
        .and_then(|inner| inner.split_once('@'))
        .is_some_and(|(left, right)| {
            !left.is_empty()
                && !right.is_empty()
                && !left.contains('@')
                && !right.contains('@')
                && (left.chars().chain(right.chars()))
                    .all(|c| c.is_ascii_graphic() && !"<>\"\\()[],;:".contains(c))
        })
}

/// Whether the same message may go through on a later attempt.
///
/// - 5xx (RFC 5321 §4.2.1 "permanent negative"): the server has decided about *this message*
///   — 550 no such mailbox, 552 too big, 553 address not allowed, 554 refused as spam. Sending
///   the same bytes again gets the same answer, so the job fails for good and stays visible to
///   operators. The exception is a refused login or a demand for TLS (530, 534, 535, 538): that
///   is our configuration, not the message, so the message waits for the operator's fix.
/// - A message lettre refuses to send (a client error) is final too.
/// - Everything else is retryable: 4xx (mailbox busy, greylisting, 451 local error), refused
///   or reset connections, timeouts, a TLS handshake that failed, an unreadable reply — the
///   server or the network may well be fine on the next attempt.
pub(super) fn classify(e: &SmtpError) -> EmailError {
    let code = e.status().and_then(|c| c.to_string().parse::<u16>().ok());
    let config_refusal = matches!(code, Some(530 | 534 | 535 | 538));
    let retryable = if e.is_permanent() {
        config_refusal
    } else {
        !e.is_client()
    };
    let timed_out = if e.is_timeout() { " (timed out)" } else { "" };
    EmailError {
        message: format!("SMTP send failed{timed_out}: {e}"),
        retryable,
        code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    const FROM: &str = "认证考试中心 <exams@example.cn>";

    #[test]
    fn unset_or_empty_url_turns_email_off() {
        assert!(EmailConfig::from_lookup(lookup(&[])).unwrap().is_none());
        let empty = lookup(&[(SMTP_URL_VAR, " "), (MAIL_FROM_VAR, FROM)]);
        assert!(EmailConfig::from_lookup(empty).unwrap().is_none());
    }

    #[test]
    fn plain_starttls_and_implicit_tls_urls_are_accepted() {
        for url in [
            "smtp://127.0.0.1:2525",
            "smtp://user:pw@smtp.example.cn:587?tls=required",
            "smtps://user:pw@smtp.exmail.qq.com:465",
        ] {
            let config =
                EmailConfig::from_lookup(lookup(&[(SMTP_URL_VAR, url), (MAIL_FROM_VAR, FROM)]))
                    .unwrap_or_else(|e| panic!("{url}: {e}"))
                    .unwrap();
            assert_eq!(config.from().name.as_deref(), Some("认证考试中心"));
            assert_eq!(config.from().email.to_string(), "exams@example.cn");
            Mailer::new(config).unwrap();
        }
    }

    #[test]
    fn malformed_values_name_their_variable() {
        for url in [
            "not a url",
            "http://smtp.example.cn",
            "smtp://host?tls=sometimes",
        ] {
            let err =
                EmailConfig::from_lookup(lookup(&[(SMTP_URL_VAR, url), (MAIL_FROM_VAR, FROM)]))
                    .unwrap_err();
            assert_eq!(err.variable, SMTP_URL_VAR, "{url}");
            assert!(err.to_string().starts_with("CERTDESK_SMTP_URL: "), "{err}");
        }
        let missing =
            EmailConfig::from_lookup(lookup(&[(SMTP_URL_VAR, "smtp://localhost")])).unwrap_err();
        assert_eq!(missing.variable, MAIL_FROM_VAR);
        for from in ["认证考试中心", "exams at example.cn", "<>"] {
            let err = EmailConfig::new("smtp://localhost", from).unwrap_err();
            assert_eq!(err.variable, MAIL_FROM_VAR, "{from}");
        }
    }

    #[test]
    fn the_password_never_shows() {
        let url = "smtps://exams%40example.cn:s3cr3t-P4ss@smtp.exmail.qq.com:465";
        let config = EmailConfig::new(url, FROM).unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(
            debug.contains("smtps://exams%40example.cn:***@smtp.exmail.qq.com:465"),
            "{debug}"
        );
        let mailer = format!("{:?}", Mailer::new(config).unwrap());
        assert!(!mailer.contains("s3cr3t"), "{mailer}");
        // An unusable URL is reported without repeating it.
        let err = EmailConfig::new("smtp://user:s3cr3t@", FROM).unwrap_err();
        assert!(!err.to_string().contains("s3cr3t"), "{err}");
        assert_eq!(redact_password("smtp://relay:25"), "smtp://relay:25");
        assert_eq!(
            redact_password("smtp://u@relay:25/ehlo"),
            "smtp://u@relay:25/ehlo"
        );
    }

    #[test]
    fn message_ids_are_checked_before_they_reach_a_header() {
        assert!(is_message_id("<notify-123@exams.example.cn>"));
        for bad in [
            "notify-123@certdesk",
            "<notify-123>",
            "<a@b>\r\nBcc: x@y.cn",
            "<a b@c>",
            "<@c>",
        ] {
            assert!(!is_message_id(bad), "{bad:?}");
        }
        let mailer = Mailer::new(EmailConfig::new("smtp://localhost", FROM).unwrap()).unwrap();
        assert_eq!(mailer.message_id("notify-7"), "<notify-7@example.cn>");
    }
}
