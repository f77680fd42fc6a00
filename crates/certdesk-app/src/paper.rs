//! O9: paper certificates — the holder's mailing address, the operators' shipping queue
//! (due 30 days after the exam's end) and the shipment with its carrier and tracking number.

use certdesk_domain::{CertificateId, ErrorCode, LocalizedText, Phone, Refusal, Role};
use certdesk_notify::{CertificationNames, Message, Notice};
use certdesk_store::{
    Account, MailingAddress, NewAuditEntry, NewInboxMessage, Page, PageRequest, PaperCertificate,
};
use serde_json::json;

use crate::App;
use crate::error::{AppResult, require};

/// A mailing address as the holder gives it (`PUT /api/v1/me/mailing-address`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct MailingAddressInput {
    pub recipient: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub address: String,
    #[serde(default)]
    pub postcode: Option<String>,
}

fn invalid(field: &'static str, zh: &'static str, en: &'static str) -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .field(field)
        .detail(LocalizedText::fixed(zh, en))
}

/// Trimmed, 1 to `max` characters, no control characters.
fn line(value: &str, field: &'static str, max: usize) -> Result<String, Refusal> {
    let v = value.trim();
    let n = v.chars().count();
    if n == 0 {
        return Err(invalid(field, "请填写此项。", "This field is empty."));
    }
    if n > max || v.chars().any(char::is_control) {
        return Err(invalid(
            field,
            "内容过长或含有无效字符。",
            "This is too long or has invalid characters.",
        ));
    }
    Ok(v.to_owned())
}

impl App {
    /// The actor's mailing address, if given.
    pub async fn my_mailing_address(&self, actor: &Account) -> AppResult<Option<MailingAddress>> {
        self.store
            .find_mailing_address(actor.id)
            .await?
            .map(|a| self.open_address(a))
            .transpose()
    }

    /// O9: the holder gives (or changes) where paper certificates go. A paper copy already
    /// shipped keeps the address it went to.
    #[tracing::instrument(skip_all, fields(account_id = %actor.id))]
    pub async fn put_mailing_address(
        &self,
        actor: &Account,
        input: MailingAddressInput,
    ) -> AppResult<MailingAddress> {
        let phone = Phone::parse(&input.phone)
            .map_err(|_| Refusal::new(ErrorCode::InvalidPhone).field("phone"))?;
        let postcode = match input.postcode.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) if p.len() == 6 && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.to_owned()),
            Some(_) => {
                return Err(invalid(
                    "postcode",
                    "邮政编码为 6 位数字。",
                    "A postcode has 6 digits.",
                )
                .into());
            }
        };
        let address = MailingAddress {
            recipient: line(&input.recipient, "recipient", 32)?,
            phone: phone.e164().to_owned(),
            province: line(&input.province, "province", 32)?,
            city: line(&input.city, "city", 32)?,
            address: line(&input.address, "address", 200)?,
            postcode,
            updated_at: self.now(),
        };
        let saved = self
            .store
            .put_mailing_address(actor.id, self.seal_address(address)?)
            .await?;
        self.open_address(saved)
    }

    /// O9: the paper copies still to ship (`shipped` false, by certificate) or those shipped.
    pub async fn paper_certificates(
        &self,
        actor: &Account,
        shipped: bool,
        page: PageRequest,
    ) -> AppResult<Page<PaperCertificate>> {
        require(actor.has_role(Role::Admin))?;
        let page = self.store.list_paper_certificates(shipped, page).await?;
        self.open_papers(page)
    }

    /// O9: an operator records a paper copy's shipment: it goes to the holder's address as it
    /// is now, the promise is kept (P1) and the holder told. `mailing_address_missing` while
    /// the holder has given none; `already_shipped` the second time. Audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, certificate_id = %certificate))]
    pub async fn ship_paper_certificate(
        &self,
        actor: &Account,
        certificate: CertificateId,
        carrier: &str,
        tracking_number: &str,
    ) -> AppResult<PaperCertificate> {
        require(actor.has_role(Role::Admin))?;
        let carrier = line(carrier, "carrier", 32)?;
        let tracking_number = line(tracking_number, "tracking_number", 64)?;
        let now = self.now();
        let holder = self.paper_holder(certificate).await?;
        let text = Message::PaperCertificateShipped {
            certification: holder.1,
            carrier: carrier.clone(),
            tracking_number: tracking_number.clone(),
        }
        .render();
        let inbox = NewInboxMessage {
            account_id: holder.0,
            kind: "paper_certificate_shipped".to_owned(),
            title_zh: text.title_zh,
            body_zh: text.body_zh,
            title_en: text.title_en,
            body_en: text.body_en,
            source_job: None,
            created_at: now,
            deliveries: self.deliveries(
                holder.0,
                Notice::PaperCertificateShipped {
                    number: holder.2.clone(),
                },
                &format!("paper_certificate_shipped:{}", holder.2),
                now,
            ),
        };
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "paper_certificate.ship".into(),
            target_kind: "certificate".into(),
            target_id: certificate.to_string(),
            before: None,
            after: Some(json!({ "carrier": carrier, "tracking_number": tracking_number })),
            at: now,
        };
        let shipped = self
            .store
            .commit_shipment(certificate, &carrier, &tracking_number, now, inbox, audit)
            .await?;
        self.open_paper(shipped)
    }

    /// Who a paper copy goes to, and its certification's names (for the notice).
    async fn paper_holder(
        &self,
        certificate: CertificateId,
    ) -> AppResult<(
        certdesk_domain::AccountId,
        CertificationNames,
        certdesk_domain::CertificateNumber,
    )> {
        let found = self
            .store
            .find_certificate_by_id(certificate)
            .await?
            .ok_or(ErrorCode::NotFound)?;
        let registration = self.store.get_registration(found.registration_id).await?;
        Ok((
            registration.account_id,
            CertificationNames {
                zh: found.certification_name_zh,
                en: found.certification_name_en,
            },
            found.number,
        ))
    }
}
