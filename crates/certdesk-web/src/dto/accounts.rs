//! Accounts, sessions, "me", contacts and inbox messages.

use certdesk_domain::Locale;
use certdesk_store::{Account, InboxMessage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::identity::IdentityDto;
use super::rfc3339;

/// `POST /api/v1/accounts`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SignUpBody {
    #[schema(format = "email", example = "li.lei@example.com")]
    pub email: String,
    #[schema(schema_with = crate::openapi::constraints::password)]
    pub password: String,
    /// Mainland mobile number.
    #[schema(example = "13800000000")]
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AccountCreatedDto {
    pub id: i64,
    pub email: String,
}

/// `POST /api/v1/sessions`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LogInBody {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SessionDto {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    pub account_id: i64,
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// `GET /api/v1/me`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MeDto {
    pub id: i64,
    pub email: String,
    /// E.164, e.g. `+8613800000000`.
    pub phone: Option<String>,
    #[schema(example = json!(["candidate"]))]
    pub roles: Vec<String>,
    pub wechat_openid: Option<String>,
    pub opted_out: Vec<String>,
    /// Null until an identity is submitted; the ID number only masked (A2).
    pub identity: Option<IdentityDto>,
}

impl MeDto {
    pub(crate) fn new(account: &Account, identity: Option<IdentityDto>) -> MeDto {
        MeDto {
            id: account.id.get(),
            email: account.email.as_str().to_owned(),
            phone: account.phone.as_ref().map(|p| p.e164().to_owned()),
            roles: account
                .roles
                .iter()
                .map(|r| r.as_str().to_owned())
                .collect(),
            wechat_openid: account.wechat_openid.clone(),
            opted_out: account.opted_out.clone(),
            identity,
        }
    }
}

/// `PUT /api/v1/me/contacts`: replaces the contact set (an absent phone is removed).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ContactsBody {
    pub phone: Option<String>,
    /// Must be the current log-in email when given.
    pub email: Option<String>,
    pub wechat_openid: Option<String>,
    /// Channels turned off: `email`, `sms`, `wechat` (the inbox is always on).
    #[serde(default)]
    pub opted_out: Vec<String>,
}

/// An inbox message (站内信) in the request's language.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MessageDto {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub read: bool,
}

impl MessageDto {
    pub(crate) fn new(m: InboxMessage, locale: Locale) -> MessageDto {
        let (title, body) = match locale {
            Locale::ZhCn => (m.title_zh, m.body_zh),
            Locale::En => (m.title_en, m.body_en),
        };
        MessageDto {
            id: m.id.get(),
            kind: m.kind,
            title,
            body,
            created_at: rfc3339(m.created_at),
            read: m.read_at.is_some(),
        }
    }
}
