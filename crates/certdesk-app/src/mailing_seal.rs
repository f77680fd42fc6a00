//! PII at rest for paper certificates (O9): a mailing address's recipient, phone and street
//! line are sealed with the PII key (AES-256-GCM, bound to the field's name) before the store
//! sees them, and opened by the use cases that answer them. Province, city and postcode stay
//! readable: coarse, and what a shipping report groups by. The copy a shipment keeps is the
//! sealed text, so it opens the same way.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use certdesk_store::{MailingAddress, Page, PaperCertificate};

use crate::App;
use crate::error::AppResult;

/// Marks a sealed field; text without it was stored before sealing and reads as it is.
const SEALED: &str = "enc1:";

fn purpose(field: &str) -> String {
    format!("certdesk mailing_address.{field} v1")
}

impl App {
    pub(crate) fn seal_address(&self, mut a: MailingAddress) -> AppResult<MailingAddress> {
        for (name, value) in [
            ("recipient", &mut a.recipient),
            ("phone", &mut a.phone),
            ("address", &mut a.address),
        ] {
            let sealed = self.cipher.encrypt(&purpose(name), value.as_bytes())?;
            *value = format!("{SEALED}{}", STANDARD_NO_PAD.encode(sealed));
        }
        Ok(a)
    }

    pub(crate) fn open_address(&self, mut a: MailingAddress) -> AppResult<MailingAddress> {
        for (name, value) in [
            ("recipient", &mut a.recipient),
            ("phone", &mut a.phone),
            ("address", &mut a.address),
        ] {
            let Some(text) = value.strip_prefix(SEALED) else {
                continue;
            };
            let bytes = STANDARD_NO_PAD
                .decode(text)
                .map_err(|e| anyhow::anyhow!("sealed {name}: {e}"))?;
            let plain = self.cipher.decrypt(&purpose(name), &bytes)?;
            *value = String::from_utf8(plain.to_vec())
                .map_err(|e| anyhow::anyhow!("sealed {name}: {e}"))?;
        }
        Ok(a)
    }

    pub(crate) fn open_paper(&self, mut p: PaperCertificate) -> AppResult<PaperCertificate> {
        p.address = p.address.map(|a| self.open_address(a)).transpose()?;
        if let Some(shipment) = p.shipment.as_mut() {
            shipment.address = self.open_address(shipment.address.clone())?;
        }
        Ok(p)
    }

    pub(crate) fn open_papers(
        &self,
        page: Page<PaperCertificate>,
    ) -> AppResult<Page<PaperCertificate>> {
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|p| self.open_paper(p))
                .collect::<AppResult<_>>()?,
            next_cursor: page.next_cursor,
        })
    }
}
