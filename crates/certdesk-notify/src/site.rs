//! Where a notice's page lives: emails and WeChat messages carry an absolute link to it (the
//! admission ticket, the public verification page), built from the deployment's public URL.

use crate::notice::Notice;

/// The public base URL (`--public-url`), without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    base_url: String,
}

impl Site {
    pub fn new(base_url: &str) -> Site {
        Site {
            base_url: base_url.trim_end_matches('/').to_owned(),
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
            Notice::SupportTicketUpdated { ticket_id } => format!("/admin/tickets/{ticket_id}"),
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
