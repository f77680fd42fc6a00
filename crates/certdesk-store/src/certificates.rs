//! O9's storage contract: e-certificates earned by a pass, their paper copies' shipments, and
//! the mailing address a paper copy goes to.

use async_trait::async_trait;
use certdesk_domain::{
    AccountId, CertCode, CertificateId, CertificateNumber, CertificationId, IdentityId,
    RegistrationId,
};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::records::{NewAuditEntry, NewInboxMessage, Page, PageRequest};

/// A passed registration that has no certificate yet, with what issuing one needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDue {
    pub registration_id: RegistrationId,
    pub identity_id: IdentityId,
    /// The account that bought the registration (its notice goes there, its name is the
    /// holder's).
    pub account_id: AccountId,
    /// The legal name verified for that account (A2), as the certificate will carry it.
    pub holder_name: String,
    pub certification_id: CertificationId,
    pub certification_code: CertCode,
    pub certification_name_zh: String,
    pub certification_name_en: String,
    /// C1: how long the certificate is valid.
    pub validity_months: u32,
    pub exam_ends_at: Timestamp,
}

/// One certificate to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCertificate {
    pub number: CertificateNumber,
    pub registration_id: RegistrationId,
    pub identity_id: IdentityId,
    pub certification_id: CertificationId,
    pub holder_name: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    /// O9: when its paper copy must have shipped (P1 records the promise).
    pub paper_due_at: Timestamp,
    pub inbox: NewInboxMessage,
}

/// An issued certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub id: CertificateId,
    pub number: CertificateNumber,
    pub registration_id: RegistrationId,
    pub identity_id: IdentityId,
    pub certification_id: CertificationId,
    pub certification_code: CertCode,
    pub certification_name_zh: String,
    pub certification_name_en: String,
    pub holder_name: String,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
    /// When and why it was revoked; both or neither.
    pub revoked: Option<(Timestamp, String)>,
}

/// Where an account's paper certificates go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailingAddress {
    pub recipient: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub postcode: Option<String>,
    pub updated_at: Timestamp,
}

/// What shipped: the carrier, its tracking number, when, and the address it went to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: Timestamp,
    pub address: MailingAddress,
}

/// A certificate's paper copy in the shipping queue (O9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperCertificate {
    pub certificate_id: CertificateId,
    pub certificate_number: CertificateNumber,
    pub holder_name: String,
    /// The account it goes to (the registration's buyer).
    pub account_id: AccountId,
    pub due_at: Timestamp,
    /// The holder's mailing address now (None: not given yet — it cannot ship).
    pub address: Option<MailingAddress>,
    pub shipment: Option<Shipment>,
}

/// E-certificates, their paper copies and mailing addresses (O9).
#[async_trait]
pub trait CertificateStore {
    /// Passed registrations without a certificate, oldest result first, at most `limit`.
    async fn list_certificates_due(&self, limit: usize) -> StoreResult<Vec<CertificateDue>>;
    /// Writes certificates in one transaction, each with its paper copy in the queue, its
    /// e-certificate promise kept at `issued_at` and its paper-certificate promise recorded
    /// (P1), and its notice; answers how many. A number already taken, or a
    /// registration certified meanwhile, is `Conflict::CertificateTaken` and nothing is written
    /// (the caller draws and reads again).
    async fn commit_certificates(&self, certificates: Vec<NewCertificate>) -> StoreResult<usize>;
    async fn find_certificate(
        &self,
        number: &CertificateNumber,
    ) -> StoreResult<Option<Certificate>>;
    async fn find_certificate_by_id(&self, id: CertificateId) -> StoreResult<Option<Certificate>>;
    /// A person's certificates (A3: every account of the identity sees them), newest first.
    async fn list_certificates(&self, identity: IdentityId) -> StoreResult<Vec<Certificate>>;
    /// Revokes with a reason, audited. `Conflict::AlreadyRevoked` for a second revocation;
    /// `NotFound` for an unknown number.
    async fn commit_revocation(
        &self,
        number: &CertificateNumber,
        reason: &str,
        at: Timestamp,
        audit: NewAuditEntry,
    ) -> StoreResult<Certificate>;
    async fn find_mailing_address(&self, account: AccountId)
    -> StoreResult<Option<MailingAddress>>;
    /// Sets (replaces) an account's mailing address. `NotFound` for an unknown account.
    async fn put_mailing_address(
        &self,
        account: AccountId,
        address: MailingAddress,
    ) -> StoreResult<MailingAddress>;
    /// The paper copies still to ship (by due time) or those shipped (newest shipment first),
    /// a page at a time (the cursor is a certificate id).
    async fn list_paper_certificates(
        &self,
        shipped: bool,
        page: PageRequest,
    ) -> StoreResult<Page<PaperCertificate>>;
    /// One certificate's paper copy (its holder's page shows where it stands), shipped or not.
    async fn find_paper_certificate(
        &self,
        certificate: CertificateId,
    ) -> StoreResult<Option<PaperCertificate>>;
    /// Records the shipment of a paper copy with the holder's address as it is now, keeps its
    /// promise (P1), tells the holder, audited. `Conflict::NoMailingAddress` when the holder
    /// gave none; `Conflict::AlreadyShipped` for a second shipment; `NotFound` for an unknown
    /// certificate.
    async fn commit_shipment(
        &self,
        certificate: CertificateId,
        carrier: &str,
        tracking_number: &str,
        at: Timestamp,
        inbox: NewInboxMessage,
        audit: NewAuditEntry,
    ) -> StoreResult<PaperCertificate>;
}
