//! O9: certificates as their holders see them, paper copies as operators ship them, and the
//! bodies that revoke, ship and give a mailing address.

use certdesk_app::certificates::CertificateView;
use certdesk_app::paper::MailingAddressInput;
use certdesk_store::{MailingAddress, PaperCertificate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rfc3339;

/// A certificate of the caller's person (`GET /api/v1/me/certificates`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MyCertificateDto {
    #[schema(example = "TC4821093375160")]
    pub number: String,
    /// The certification's code.
    pub certification: String,
    pub certification_name_zh: String,
    pub certification_name_en: String,
    pub holder_name: String,
    #[schema(format = DateTime)]
    pub issued_at: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// `valid`, `expired` or `revoked`.
    pub status: String,
    pub revoked_reason: Option<String>,
    /// The public page anyone can check it on.
    pub verify_url: String,
}

impl MyCertificateDto {
    pub(crate) fn new(v: &CertificateView) -> MyCertificateDto {
        let c = &v.certificate;
        MyCertificateDto {
            number: c.number.to_string(),
            certification: c.certification_code.to_string(),
            certification_name_zh: c.certification_name_zh.clone(),
            certification_name_en: c.certification_name_en.clone(),
            holder_name: c.holder_name.clone(),
            issued_at: rfc3339(c.issued_at),
            expires_at: rfc3339(c.expires_at),
            status: v.status.as_str().to_owned(),
            revoked_reason: c.revoked.as_ref().map(|(_, why)| why.clone()),
            verify_url: v.verify_url.clone(),
        }
    }
}

/// What anyone is answered for a certificate number (`GET /api/v1/certificates/{number}`).
/// `signature` is Ed25519 (base64url, no padding) over the RFC 8785 canonical JSON of all the
/// other fields, checkable with the key in `/.well-known/did.json`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PublicCertificateDto {
    pub number: String,
    pub certification: String,
    pub certification_name_zh: String,
    pub certification_name_en: String,
    /// `张*`: the first character, the rest starred.
    pub holder_name_masked: String,
    #[schema(format = DateTime)]
    pub issued_at: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// `valid`, `expired` or `revoked`.
    pub status: String,
    /// Present only when revoked.
    pub revoked_reason: Option<String>,
    pub signature: String,
}

/// `POST /api/v1/admin/certificates/{number}/revocation`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RevocationBody {
    #[schema(schema_with = crate::openapi::constraints::revocation_reason)]
    pub reason: String,
}

/// `PUT /api/v1/me/mailing-address`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct MailingAddressBody {
    pub recipient: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub postcode: Option<String>,
}

impl MailingAddressBody {
    pub(crate) fn into_input(self) -> MailingAddressInput {
        MailingAddressInput {
            recipient: self.recipient,
            phone: self.phone,
            province: self.province,
            city: self.city,
            address: self.address,
            postcode: self.postcode,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MailingAddressDto {
    pub recipient: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub postcode: Option<String>,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl MailingAddressDto {
    pub(crate) fn new(a: &MailingAddress) -> MailingAddressDto {
        MailingAddressDto {
            recipient: a.recipient.clone(),
            phone: a.phone.clone(),
            province: a.province.clone(),
            city: a.city.clone(),
            address: a.address.clone(),
            postcode: a.postcode.clone(),
            updated_at: rfc3339(a.updated_at),
        }
    }
}

/// A paper certificate in the shipping queue (O9).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PaperCertificateDto {
    /// The certificate's id (the shipment route takes it).
    pub id: i64,
    pub certificate_number: String,
    pub holder_name: String,
    /// The holder's name on the parcel; null while no address is given.
    pub recipient: Option<String>,
    /// Province, city and street, one line; null while no address is given.
    pub address: Option<String>,
    #[schema(format = DateTime)]
    pub due_at: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    #[schema(format = DateTime)]
    pub shipped_at: Option<String>,
}

impl PaperCertificateDto {
    pub(crate) fn new(p: &PaperCertificate) -> PaperCertificateDto {
        let to = p
            .shipment
            .as_ref()
            .map(|s| &s.address)
            .or(p.address.as_ref());
        PaperCertificateDto {
            id: p.certificate_id.get(),
            certificate_number: p.certificate_number.to_string(),
            holder_name: p.holder_name.clone(),
            recipient: to.map(|a| a.recipient.clone()),
            address: to.map(|a| format!("{}{}{}", a.province, a.city, a.address)),
            due_at: rfc3339(p.due_at),
            carrier: p.shipment.as_ref().map(|s| s.carrier.clone()),
            tracking_number: p.shipment.as_ref().map(|s| s.tracking_number.clone()),
            shipped_at: p.shipment.as_ref().map(|s| rfc3339(s.shipped_at)),
        }
    }
}

/// `POST /api/v1/admin/paper-certificates/{id}/shipment`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ShipmentBody {
    #[schema(example = "顺丰速运")]
    pub carrier: String,
    pub tracking_number: String,
}
