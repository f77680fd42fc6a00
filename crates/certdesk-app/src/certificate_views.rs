//! O9 as pages show it: the public verification of a number (typed fields rather than the
//! signed JSON), a holder's certificates with where each paper copy stands, and an operator's
//! look-up before revoking.

use certdesk_domain::{
    CertificateNumber, CertificateStatus, ErrorCode, Role, certificate_status, mask_name,
};
use certdesk_store::{Certificate, PaperCertificate};
use jiff::Timestamp;

use crate::App;
use crate::certificates::CertificateView;
use crate::error::{AppResult, require};

/// O9: what anyone verifying a number sees (the holder's name masked, never the ID number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicCertificateView {
    pub number: CertificateNumber,
    pub certification_code: String,
    pub certification_name_zh: String,
    pub certification_name_en: String,
    /// `张*`: the first character, the rest starred.
    pub holder_name_masked: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    /// At the app's `now` (T4: expired from `expires_at` on).
    pub status: CertificateStatus,
    /// When and why, if revoked.
    pub revoked: Option<(Timestamp, String)>,
}

impl PublicCertificateView {
    pub(crate) fn new(c: &Certificate, now: Timestamp) -> PublicCertificateView {
        PublicCertificateView {
            number: c.number.clone(),
            certification_code: c.certification_code.to_string(),
            certification_name_zh: c.certification_name_zh.clone(),
            certification_name_en: c.certification_name_en.clone(),
            holder_name_masked: mask_name(&c.holder_name),
            issued_at: c.issued_at,
            expires_at: c.expires_at,
            status: certificate_status(c.expires_at, c.revoked.is_some(), now),
            revoked: c.revoked.clone(),
        }
    }
}

/// A holder's certificate with its paper copy (O9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderCertificate {
    pub view: CertificateView,
    /// The paper copy: pending (due, to the address given) or shipped (carrier, tracking).
    pub paper: Option<PaperCertificate>,
}

impl HolderCertificate {
    /// The paper copy waits for an address that only the given account can give: it goes to
    /// the account that registered, which has given none yet.
    pub fn waits_for_address_of(&self, account: certdesk_domain::AccountId) -> bool {
        self.paper
            .as_ref()
            .is_some_and(|p| p.shipment.is_none() && p.address.is_none() && p.account_id == account)
    }
}

impl App {
    /// O9: a certificate number as anyone typed it, looked up for the public page:
    /// `certificate_invalid` (field `number`) for a mistyped one, `not_found` for one nobody
    /// holds.
    pub async fn verify_certificate(&self, number: &str) -> AppResult<PublicCertificateView> {
        let number = Self::certificate_number(number)?;
        let certificate = self
            .store
            .find_certificate(&number)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        Ok(PublicCertificateView::new(&certificate, self.now()))
    }

    /// O9/A3: the actor's person's certificates, newest first, each with its paper copy.
    pub async fn my_certificates_with_paper(
        &self,
        actor: &certdesk_store::Account,
    ) -> AppResult<Vec<HolderCertificate>> {
        let mut out = Vec::new();
        for view in self.my_certificates(actor).await? {
            let paper = self
                .store
                .find_paper_certificate(view.certificate.id)
                .await?
                .map(|p| self.open_paper(p))
                .transpose()?;
            out.push(HolderCertificate { view, paper });
        }
        Ok(out)
    }

    /// O9: an operator looks a certificate up by number (before revoking it), with its paper
    /// copy.
    pub async fn certificate_for_operator(
        &self,
        actor: &certdesk_store::Account,
        number: &str,
    ) -> AppResult<HolderCertificate> {
        require(actor.has_role(Role::Admin))?;
        let number = Self::certificate_number(number)?;
        let certificate = self
            .store
            .find_certificate(&number)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        let paper = self
            .store
            .find_paper_certificate(certificate.id)
            .await?
            .map(|p| self.open_paper(p))
            .transpose()?;
        let view = self.certificate_view(certificate, self.now());
        Ok(HolderCertificate { view, paper })
    }
}
