//! Where a notice's page lives: emails and WeChat messages carry an absolute link to it (the
//! admission ticket, the public verification page), built from the deployment's public URL.

use std::sync::Arc;

use certdesk_domain::RegistrationId;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::notice::Notice;

/// I1: signs and checks the links that manage an institution registration. A token is the
/// registration's id and a keyed MAC of it, so nobody can make one for another registration;
/// when it stops working is decided by the registration's state (`check_manage_link`), so a
/// link sent again is the same link.
#[derive(Clone)]
pub struct ManageLinks {
    key: Arc<[u8; 32]>,
}

impl std::fmt::Debug for ManageLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ManageLinks(..)")
    }
}

impl PartialEq for ManageLinks {
    fn eq(&self, other: &ManageLinks) -> bool {
        Arc::ptr_eq(&self.key, &other.key)
    }
}

impl Eq for ManageLinks {}

/// Bytes of the MAC a token carries (128 bits).
const MAC_BYTES: usize = 16;

impl ManageLinks {
    /// `key` is derived from the deployment's secret key, never the key itself.
    pub fn new(key: [u8; 32]) -> ManageLinks {
        ManageLinks { key: Arc::new(key) }
    }

    fn mac(&self, id: RegistrationId) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key[..]).expect("any key length");
        mac.update(b"certdesk manage link v1:");
        mac.update(id.get().to_string().as_bytes());
        mac
    }

    /// The bearer token for `id` (`<id>.<hex MAC>`), URL-safe.
    pub fn token(&self, id: RegistrationId) -> String {
        let tag = self.mac(id).finalize().into_bytes();
        let hex: String = tag[..MAC_BYTES]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{id}.{hex}")
    }

    /// The registration a token names, if it is one this deployment signed (constant-time).
    pub fn verify(&self, token: &str) -> Option<RegistrationId> {
        let (id, hex) = token.split_once('.')?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) || hex.len() != 2 * MAC_BYTES {
            return None;
        }
        let id = RegistrationId(id.parse().ok()?);
        let mut tag = [0u8; MAC_BYTES];
        for (i, byte) in tag.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        self.mac(id).verify_truncated_left(&tag).ok()?;
        Some(id)
    }
}

/// The public base URL (`--public-url`), without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    base_url: String,
    manage_links: Option<ManageLinks>,
}

impl Site {
    pub fn new(base_url: &str) -> Site {
        Site {
            base_url: base_url.trim_end_matches('/').to_owned(),
            manage_links: None,
        }
    }

    /// I1: with the signer of the institution candidates' management links.
    pub fn with_manage_links(mut self, links: ManageLinks) -> Site {
        self.manage_links = Some(links);
        self
    }

    /// I1: the page that manages an institution registration, signed; the public site's
    /// front page when this deployment signs no links.
    pub fn manage_url(&self, id: RegistrationId) -> String {
        match &self.manage_links {
            Some(links) => self.url(&format!("/manage/{}", links.token(id))),
            None => self.url("/"),
        }
    }

    /// `path` (starting with `/`) made absolute.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// O9: where anyone verifies a certificate.
    pub fn verify_url(&self, number: &str) -> String {
        self.url(&format!("/certificates/{number}"))
    }

    /// The page a notice sends its reader to.
    pub fn link(&self, notice: &Notice) -> String {
        let path = match notice {
            Notice::Welcome | Notice::IdentityVerified => "/exams".to_owned(),
            Notice::IdentityPending | Notice::IdentityRejected { .. } => "/identity".to_owned(),
            Notice::RegistrationConfirmed { .. } => "/exams".to_owned(),
            Notice::AdmissionTicketIssued { registration_id }
            | Notice::ResultReleased { registration_id }
            | Notice::RegistrationRescheduled { registration_id }
            | Notice::RetakeRegistered { registration_id } => format!("/exams/{registration_id}"),
            Notice::CertificateIssued { number } => return self.verify_url(number.as_str()),
            Notice::PaperCertificateShipped { .. } => "/account".to_owned(),
            Notice::SupportTicketAnswered { ticket_id } => format!("/support/{ticket_id}"),
            Notice::SupportTicketUpdated { ticket_id }
            | Notice::SupportTicketOpened { ticket_id } => {
                format!("/admin/tickets/{ticket_id}")
            }
            Notice::InstitutionRegistered { registration_id }
            | Notice::AppointmentBooked { registration_id } => {
                return self.manage_url(*registration_id);
            }
            Notice::RefundCompleted { .. }
            | Notice::CreditReceived { .. }
            | Notice::VoucherReceived { .. }
            | Notice::TopUpReceived { .. } => "/wallet".to_owned(),
        };
        self.url(&path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use certdesk_domain::RegistrationId;

    #[test]
    fn links_are_absolute_and_name_their_page() {
        let site = Site::new("https://exams.example.cn/");
        assert_eq!(
            site.link(&Notice::AdmissionTicketIssued {
                registration_id: RegistrationId(42)
            }),
            "https://exams.example.cn/exams/42"
        );
        assert_eq!(
            site.verify_url("TC4821093375160"),
            "https://exams.example.cn/certificates/TC4821093375160"
        );
        assert_eq!(
            site.link(&Notice::Welcome),
            "https://exams.example.cn/exams"
        );
    }
}
