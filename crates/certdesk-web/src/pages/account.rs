//! `/account`: email, phone, roles, identity status and the inbox with its unread count;
//! the phone number, the WeChat binding and the notification channels can be changed here. My certificates and the mailing address (O9) are
//! `account_certificates`'s.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use certdesk_app::ContactsInput;
use certdesk_domain::MessageId;
use certdesk_store::{InboxMessage, PageRequest};
use serde::Deserialize;

use crate::error::WebResult;
use crate::extract::{Ctx, CurrentAccount, Form, Path, Query};
use crate::i18n::T;
use crate::middleware::context::RequestContext;
use crate::pages::account_certificates::{AddressForm, CertificatesSection};
use crate::pages::{FormErrors, Layout, chrome, form_refusal, html, refusal_status, see_other};
use crate::state::AppState;

/// An inbox message in the reader's language.
#[derive(Debug, Clone)]
pub(crate) struct MessageView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub created: String,
    pub read: bool,
}

impl MessageView {
    fn new(t: T, m: InboxMessage) -> MessageView {
        let (title, body) = if t.is_zh() {
            (m.title_zh, m.body_zh)
        } else {
            (m.title_en, m.body_en)
        };
        MessageView {
            id: m.id.get(),
            title,
            body,
            created: t.instant(m.created_at),
            read: m.read_at.is_some(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ContactsForm {
    pub phone: String,
    /// O6: the WeChat openid notifications go to (empty: not bound).
    pub wechat_openid: String,
    /// O6: the outside channels, each ticked to receive (unticked: opted out). The inbox is
    /// always on and has no box.
    pub email_on: Option<String>,
    pub sms_on: Option<String>,
    pub wechat_on: Option<String>,
}

impl ContactsForm {
    fn opted_out(&self) -> Vec<String> {
        [
            ("email", &self.email_on),
            ("sms", &self.sms_on),
            ("wechat", &self.wechat_on),
        ]
        .into_iter()
        .filter(|(_, on)| on.is_none())
        .map(|(channel, _)| channel.to_owned())
        .collect()
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct AccountQuery {
    welcome: Option<String>,
    saved: Option<String>,
    address_saved: Option<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    t: T,
    layout: Layout,
    email: String,
    phone: Option<String>,
    roles: Vec<&'static str>,
    identity_status: &'static str,
    identity_label: &'static str,
    unread: u64,
    unread_text: String,
    messages: Vec<MessageView>,
    welcome: bool,
    saved: bool,
    address_saved: bool,
    contacts: ContactsForm,
    errors: FormErrors,
    identity_verified: bool,
    certs: CertificatesSection,
    /// Where the mailing-address form posts (`partials/mailing_address.html`).
    address_action: &'static str,
}

#[derive(Debug, Default)]
pub(crate) struct Flags {
    welcome: bool,
    saved: bool,
    address_saved: bool,
}

/// Forms shown as typed, with their errors, after a refused post.
#[derive(Debug, Default)]
pub(crate) struct Forms {
    pub contacts: Option<(ContactsForm, FormErrors)>,
    pub address: Option<(AddressForm, FormErrors)>,
}

pub(crate) async fn respond(
    state: &AppState,
    ctx: &RequestContext,
    who: &CurrentAccount,
    status: StatusCode,
    flags: Flags,
    forms: Forms,
) -> WebResult<Response> {
    let (t, layout) = chrome(ctx);
    let me = state.app.me(who.account()).await?;
    let unread = state.app.unread_messages(who.account()).await?;
    let messages = state
        .app
        .list_messages(who.account(), PageRequest::first(20))
        .await?;
    let phone = me.account.phone.as_ref().map(|p| p.e164().to_owned());
    let certs = CertificatesSection::load(state, t, who.account(), forms.address).await?;
    let (contacts, errors) = forms.contacts.unwrap_or_else(|| {
        let on = |channel: &str| {
            (!me.account.opted_out.iter().any(|c| c == channel)).then(|| "on".to_owned())
        };
        let form = ContactsForm {
            phone: phone.clone().unwrap_or_default(),
            wechat_openid: me.account.wechat_openid.clone().unwrap_or_default(),
            email_on: on("email"),
            sms_on: on("sms"),
            wechat_on: on("wechat"),
        };
        (form, FormErrors::default())
    });
    let identity_verified = me
        .identity
        .as_ref()
        .is_some_and(|i| i.status == certdesk_domain::IdentityStatus::Verified);
    let page = AccountPage {
        t,
        layout,
        email: me.account.email.as_str().to_owned(),
        roles: me.account.roles.iter().map(|r| t.role(*r)).collect(),
        identity_status: me.identity.as_ref().map_or("none", |i| i.status.as_str()),
        identity_label: me
            .identity
            .as_ref()
            .map_or(t.status_none(), |i| t.identity_status(i.status)),
        unread,
        unread_text: t.unread(unread),
        messages: messages
            .items
            .into_iter()
            .map(|m| MessageView::new(t, m))
            .collect(),
        welcome: flags.welcome,
        saved: flags.saved,
        address_saved: flags.address_saved,
        contacts,
        phone,
        errors,
        identity_verified,
        certs,
        address_action: "/account/mailing-address",
    };
    html(status, &page)
}

pub(crate) async fn show_account(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Query(q): Query<AccountQuery>,
) -> WebResult<Response> {
    let flags = Flags {
        welcome: q.welcome.is_some(),
        saved: q.saved.is_some(),
        address_saved: q.address_saved.is_some(),
    };
    respond(&state, &ctx, &who, StatusCode::OK, flags, Forms::default()).await
}

/// Changes the phone number, the WeChat binding and which outside channels notify (O6).
pub(crate) async fn update_contacts(
    State(state): State<AppState>,
    Ctx(ctx): Ctx,
    who: CurrentAccount,
    Form(form): Form<ContactsForm>,
) -> WebResult<Response> {
    let current = who.account();
    let input = ContactsInput {
        phone: Some(form.phone.clone()),
        email: None,
        wechat_openid: Some(form.wechat_openid.clone()),
        opted_out: form.opted_out(),
    };
    match state.app.update_contacts(current, input).await {
        Ok(_) => Ok(see_other(&ctx, "/account?saved=1")),
        Err(e) => {
            let r = form_refusal(e)?;
            let errors =
                FormErrors::from_refusal(&r, ctx.locale, &["phone", "wechat_openid", "opted_out"]);
            let forms = Forms {
                contacts: Some((form, errors)),
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

/// Marks a message read and goes back to the inbox. htmx follows the redirect and swaps in
/// the inbox section alone (`hx-select="#inbox"`).
pub(crate) async fn mark_message_read(
    State(state): State<AppState>,
    who: CurrentAccount,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    state
        .app
        .mark_message_read(who.account(), MessageId(id))
        .await?;
    Ok(Redirect::to("/account#inbox").into_response())
}
