//! The documents a candidate downloads or prints (O4's admission ticket, O9's certificate):
//! what each shows, gathered once by the page handlers, and the writers that turn it into a
//! file. One job per module:
//!
//! - `font` — the embedded CJK font: coverage, measuring, wrapping;
//! - `qr` — QR codes as module grids and inline SVG;
//! - `canvas` — A4 pages on krilla (text, rules, QR codes);
//! - `when` — exam times and dates spelled out in both languages;
//! - `ticket_pdf`, `certificate_pdf` — the two PDF layouts;
//! - `ics` — the ticket's exam as an RFC 5545 calendar event.
//!
//! Nothing here decides anything: the use cases (`certdesk-app`) say who may see a document
//! and what it holds; this only lays it out.

pub(crate) mod canvas;
pub(crate) mod certificate_pdf;
pub(crate) mod font;
pub(crate) mod ics;
pub(crate) mod qr;
pub(crate) mod ticket_pdf;
pub(crate) mod when;

use certdesk_domain::CertificateStatus;
use jiff::Timestamp;

/// An admission ticket (O4) as its documents show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TicketDocument {
    /// The holder's real name (the verified identity's).
    pub holder_name: String,
    pub cert_code: String,
    pub cert_name_zh: String,
    pub cert_name_en: String,
    pub number: String,
    pub city: String,
    pub venue_name: String,
    pub venue_address: String,
    pub seat: u32,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// The signed text of the QR code the desk scans (`CDT1:…`).
    pub code: String,
}

/// A certificate (O9) as its PDF shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CertificateDocument {
    pub holder_name: String,
    pub cert_code: String,
    pub cert_name_zh: String,
    pub cert_name_en: String,
    pub number: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    pub status: CertificateStatus,
    /// The public verification page, also the QR code's text.
    pub verify_url: String,
}
