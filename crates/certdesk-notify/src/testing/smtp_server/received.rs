//! A message as the test server received it, read back with an independent MIME parser
//! (mail-parser), so a test checks what a mail client would see, not what lettre meant to send.

use mail_parser::{Message, MessageParser, MimeHeaders};

/// One accepted message: its envelope and its bytes as they arrived (after dot-unstuffing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedEmail {
    /// `MAIL FROM:<…>`, the bounce address.
    pub envelope_from: String,
    /// Every accepted `RCPT TO:<…>`.
    pub recipients: Vec<String>,
    pub raw: Vec<u8>,
    /// Whether the message travelled over TLS (implicit or after STARTTLS).
    pub encrypted: bool,
    /// The user name the client logged in with, if the server asked for a login.
    pub login: Option<String>,
}

/// A decoded `From:`/`To:` mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMailbox {
    pub name: Option<String>,
    pub address: String,
}

impl ReceivedEmail {
    pub(super) fn new(
        envelope_from: String,
        recipients: Vec<String>,
        raw: Vec<u8>,
        encrypted: bool,
        login: Option<String>,
    ) -> Self {
        ReceivedEmail {
            envelope_from,
            recipients,
            raw,
            encrypted,
            login,
        }
    }

    /// Panics if the bytes are not a message at all: a test server that received garbage has
    /// found the bug the test is looking for.
    fn parsed(&self) -> Message<'_> {
        MessageParser::default()
            .parse(&self.raw)
            .expect("the received bytes parse as a message")
    }

    /// The raw bytes as text (lossy), for asserting on the wire form (e.g. an encoded subject).
    pub fn raw_text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }

    /// The Subject, RFC 2047 decoded.
    pub fn subject(&self) -> Option<String> {
        self.parsed().subject().map(str::to_owned)
    }

    /// The decoded text of the first `text/plain` part (not a conversion of the HTML).
    pub fn text(&self) -> Option<String> {
        self.part_text("plain")
    }

    /// The decoded text of the first `text/html` part (not a conversion of the text).
    pub fn html(&self) -> Option<String> {
        self.part_text("html")
    }

    /// The Message-ID with its angle brackets, as a sender writes it: `<notify-1@example.cn>`.
    pub fn message_id(&self) -> Option<String> {
        self.parsed().message_id().map(|id| format!("<{id}>"))
    }

    pub fn from(&self) -> Option<HeaderMailbox> {
        let message = self.parsed();
        let addr = message.from()?.first()?;
        Some(HeaderMailbox {
            name: addr.name().map(str::to_owned),
            address: addr.address()?.to_owned(),
        })
    }

    pub fn to(&self) -> Vec<HeaderMailbox> {
        let message = self.parsed();
        let Some(to) = message.to() else {
            return Vec::new();
        };
        to.iter()
            .filter_map(|addr| {
                Some(HeaderMailbox {
                    name: addr.name().map(str::to_owned),
                    address: addr.address()?.to_owned(),
                })
            })
            .collect()
    }

    /// The message's content type (`multipart/alternative`, …).
    pub fn content_type(&self) -> Option<String> {
        let message = self.parsed();
        let ct = message.content_type()?;
        Some(match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_owned(),
        })
    }

    /// A header's raw value (unfolded is not promised), by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed()
            .headers()
            .iter()
            .find(|h| h.name().eq_ignore_ascii_case(name))
            .map(|h| {
                let raw = &self.raw[h.offset_start() as usize..h.offset_end() as usize];
                String::from_utf8_lossy(raw).trim().to_owned()
            })
    }

    fn part_text(&self, subtype: &str) -> Option<String> {
        let message = self.parsed();
        message
            .parts
            .iter()
            .find(|part| {
                part.content_type().is_some_and(|ct| {
                    ct.ctype().eq_ignore_ascii_case("text")
                        && ct
                            .subtype()
                            .is_some_and(|s| s.eq_ignore_ascii_case(subtype))
                })
            })
            .and_then(|part| part.text_contents())
            .map(str::to_owned)
    }
}
