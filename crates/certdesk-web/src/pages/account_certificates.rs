//! O9 on My account (`/account`): the holder's certificates — status, expiry, the public
//! verification link to copy, the Open Badges download, the PDF — with where each paper copy
//! stands (pending with its due time, or shipped with carrier and tracking number), and the
//! mailing address form (`POST /account/mailing-address`), asked for prominently while a
//! paper copy waits for it.

use axum::extract::State;
use axum::response::Response;
use certdesk_app::certificate_views::HolderCertificate;
use certdesk_app::paper::MailingAddressInput;
use certdesk_store::{Account, MailingAddress};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form};
use crate::i18n::T;
use crate::pages::account::{Flags, Forms, respond};
use crate::pages::{FormErrors, form_refusal, refusal_status, see_other};
use crate::state::AppState;

/// The form's fields, as the API names them.
pub(crate) const ADDRESS_FIELDS: [&str; 6] = [
    "recipient",
    "phone",
    "province",
    "city",
    "address",
    "postcode",
];

/// Where a paper copy stands, worded.
#[derive(Debug, Clone)]
pub(crate) struct PaperView {
    pub shipped: bool,
    pub due: String,
    pub carrier: String,
    pub tracking_number: String,
    pub shipped_at: String,
    /// Waits for this account's address.
    pub needs_address: bool,
    /// Goes to another account of the same person (the one that registered).
    pub other_account: bool,
}

/// One of my certificates, worded.
#[derive(Debug, Clone)]
pub(crate) struct MyCertificateView {
    pub number: String,
    pub certification: String,
    pub code: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub revoked_reason: Option<String>,
    pub issued: String,
    pub expires: String,
    pub verify_url: String,
    pub paper: Option<PaperView>,
}

impl MyCertificateView {
    fn new(t: T, me: &Account, h: &HolderCertificate) -> MyCertificateView {
        let c = &h.view.certificate;
        let paper = h.paper.as_ref().map(|p| {
            let s = p.shipment.as_ref();
            PaperView {
                shipped: s.is_some(),
                due: t.before_instant(&t.instant(p.due_at)),
                carrier: s.map(|s| s.carrier.clone()).unwrap_or_default(),
                tracking_number: s.map(|s| s.tracking_number.clone()).unwrap_or_default(),
                shipped_at: s.map(|s| t.instant(s.shipped_at)).unwrap_or_default(),
                needs_address: h.waits_for_address_of(me.id),
                other_account: s.is_none() && p.account_id != me.id,
            }
        });
        MyCertificateView {
            number: c.number.to_string(),
            certification: if t.is_zh() {
                c.certification_name_zh.clone()
            } else {
                c.certification_name_en.clone()
            },
            code: c.certification_code.to_string(),
            status: h.view.status.as_str(),
            status_label: t.certificate_status(h.view.status),
            revoked_reason: c.revoked.as_ref().map(|(_, why)| why.clone()),
            issued: t.instant(c.issued_at),
            expires: t.valid_before(&t.instant(c.expires_at)),
            verify_url: h.view.verify_url.clone(),
            paper,
        }
    }
}

/// The certificates section of the account page.
#[derive(Debug, Clone, Default)]
pub(crate) struct CertificatesSection {
    pub items: Vec<MyCertificateView>,
    /// A paper copy waits for this account's address, which it has not given.
    pub needs_address: bool,
    /// The address as saved (or as typed, after a refusal).
    pub form: AddressForm,
    pub errors: FormErrors,
}

impl CertificatesSection {
    /// Reads my certificates and address; `form`/`errors` replace the saved address after a
    /// refused post.
    pub(crate) async fn load(
        state: &AppState,
        t: T,
        me: &Account,
        typed: Option<(AddressForm, FormErrors)>,
    ) -> WebResult<CertificatesSection> {
        let held = state.app.my_certificates_with_paper(me).await?;
        let saved = state.app.my_mailing_address(me).await?;
        let items: Vec<MyCertificateView> = held
            .iter()
            .map(|h| MyCertificateView::new(t, me, h))
            .collect();
        let needs_address = items
            .iter()
            .any(|c| c.paper.as_ref().is_some_and(|p| p.needs_address));
        let (form, errors) = typed.unwrap_or_else(|| {
            (
                saved
                    .as_ref()
                    .map(AddressForm::from_saved)
                    .unwrap_or_default(),
                FormErrors::default(),
            )
        });
        Ok(CertificatesSection {
            items,
            needs_address,
            form,
            errors,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AddressForm {
    pub recipient: String,
    pub phone: String,
    pub province: String,
    pub city: String,
    pub address: String,
    pub postcode: String,
}

impl AddressForm {
    pub(crate) fn from_saved(a: &MailingAddress) -> AddressForm {
        AddressForm {
            recipient: a.recipient.clone(),
            phone: a.phone.clone(),
            province: a.province.clone(),
            city: a.city.clone(),
            address: a.address.clone(),
            postcode: a.postcode.clone().unwrap_or_default(),
        }
    }

    pub(crate) fn input(&self) -> MailingAddressInput {
        MailingAddressInput {
            recipient: self.recipient.clone(),
            phone: self.phone.clone(),
            province: self.province.clone(),
            city: self.city.clone(),
            address: self.address.clone(),
            postcode: Some(self.postcode.clone()),
        }
    }
}

/// `POST /account/mailing-address`: saves the address (O9), or shows the refusal next to its
/// field.
pub(crate) async fn submit_mailing_address(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Form(form): Form<AddressForm>,
) -> WebResult<Response> {
    match state
        .app
        .put_mailing_address(who.account(), form.input())
        .await
    {
        Ok(_) => Ok(see_other(&ctx, "/account?address_saved=1#certificates")),
        Err(e) => {
            let r = form_refusal(e)?;
            let errors = FormErrors::from_refusal(&r, ctx.locale, &ADDRESS_FIELDS);
            let forms = Forms {
                address: Some((form, errors)),
                ..Forms::default()
            };
            respond(
                &state,
                &ctx,
                &who,
                refusal_status(&r),
                Flags::default(),
                forms,
            )
            .await
        }
    }
}
