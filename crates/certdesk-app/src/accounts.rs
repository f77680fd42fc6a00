//! Accounts: sign-up, operator accounts from the CLI, contact details and "me" (A1–A4).

use certdesk_domain::{
    Email, ErrorCode, InstitutionId, Locale, LocalizedText, Phone, Refusal, Role,
};
use certdesk_notify::{Notice, Recipient};
use certdesk_store::{Account, ContactUpdate, IdentityRecord, NewAccount};
use jiff::Timestamp;
use secrecy::SecretString;

use crate::App;
use crate::error::{AppResult, require};
use crate::passwords::{check_password_policy, hash_password};

/// `POST /api/v1/accounts`: raw strings, parsed inside [`App::sign_up`].
#[derive(Debug, Clone)]
pub struct SignUpInput {
    pub email: String,
    pub password: String,
    pub phone: Option<String>,
}

/// A successful log-in. The token is shown to the client once and never stored.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: SecretString,
    pub account: Account,
    pub expires_at: Timestamp,
}

/// `PUT /api/v1/me/contacts`. The whole contact set is replaced (PUT): an absent phone or
/// WeChat openid is removed. `email`, when given, must be the account's current email: changing
/// the login email is not supported yet.
#[derive(Debug, Clone, Default)]
pub struct ContactsInput {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub wechat_openid: Option<String>,
    pub opted_out: Vec<String>,
}

/// `GET /api/v1/me`: the account and its identity (ID number masked only).
#[derive(Debug, Clone)]
pub struct Me {
    pub account: Account,
    pub identity: Option<IdentityRecord>,
}

/// Channels a candidate may opt out of. The inbox is always on (O6).
pub const OPTIONAL_CHANNELS: &[&str] = &["email", "sms", "wechat"];

pub(crate) fn parse_email(input: &str) -> Result<Email, Refusal> {
    Email::parse(input).map_err(|_| Refusal::new(ErrorCode::InvalidEmail).field("email"))
}

pub(crate) fn parse_phone(input: Option<&str>) -> Result<Option<Phone>, Refusal> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Phone::parse(s)
            .map(Some)
            .map_err(|_| Refusal::new(ErrorCode::InvalidPhone).field("phone")),
    }
}

fn parse_openid(input: Option<&str>) -> Result<Option<String>, Refusal> {
    let Some(s) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    // WeChat openids are 28 characters of base64url today; allow some room, nothing exotic.
    if s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(Some(s.to_owned()))
    } else {
        Err(Refusal::new(ErrorCode::InvalidField).field("wechat_openid"))
    }
}

fn parse_opted_out(input: &[String]) -> Result<Vec<String>, Refusal> {
    let mut out = Vec::new();
    for channel in input {
        let c = channel.trim().to_ascii_lowercase();
        if !OPTIONAL_CHANNELS.contains(&c.as_str()) {
            return Err(Refusal::new(ErrorCode::InvalidField)
                .field("opted_out")
                .rule("O6")
                .detail(LocalizedText::fixed(
                    "只能退订 email、sms 或 wechat；站内信始终发送。",
                    "Only email, sms and wechat can be turned off; inbox messages always arrive.",
                )));
        }
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out.sort();
    Ok(out)
}

impl App {
    /// A candidate signs up; a welcome inbox message is enqueued with the account.
    #[tracing::instrument(skip_all)]
    pub async fn sign_up(&self, input: SignUpInput) -> AppResult<Account> {
        let email = parse_email(&input.email)?;
        check_password_policy(&input.password)?;
        let phone = parse_phone(input.phone.as_deref())?;
        let now = self.now();
        let password_hash = hash_password(&input.password).await?;
        let dedup = format!("welcome:email:{}", email.as_str().to_lowercase());
        let welcome = self.notice_jobs(
            Recipient::NewAccount(email.clone()),
            Notice::Welcome,
            &dedup,
            now,
        );
        let account = self
            .store
            .commit_account(
                NewAccount {
                    email,
                    phone,
                    password_hash,
                    roles: vec![Role::Candidate],
                    institution_id: None,
                    created_at: now,
                },
                welcome,
            )
            .await?;
        tracing::info!(account_id = %account.id, "account created");
        Ok(account)
    }

    /// `certdesk user add`: an operator or institution staff account (no welcome message).
    /// Institution staff must name their institution; admins must not.
    #[tracing::instrument(skip_all, fields(role = %role))]
    pub async fn add_user(
        &self,
        email: &str,
        password: &str,
        role: Role,
        institution: Option<InstitutionId>,
    ) -> AppResult<Account> {
        let email = parse_email(email)?;
        check_password_policy(password)?;
        let institution_ok = match role {
            Role::InstitutionStaff => institution.is_some(),
            Role::Admin | Role::Candidate => institution.is_none(),
        };
        if !institution_ok {
            return Err(Refusal::new(ErrorCode::InvalidField)
                .field("institution")
                .into());
        }
        let password_hash = hash_password(password).await?;
        let mut roles = vec![role];
        if role != Role::Candidate {
            // Every account is a candidate too (roles.rs); operators may sit exams.
            roles.insert(0, Role::Candidate);
        }
        let account = self
            .store
            .commit_account(
                NewAccount {
                    email,
                    phone: None,
                    password_hash,
                    roles,
                    institution_id: institution,
                    created_at: self.now(),
                },
                Vec::new(),
            )
            .await?;
        tracing::info!(account_id = %account.id, "user added");
        Ok(account)
    }

    /// Replaces the actor's own contact details (O6 channels and opt-outs).
    #[tracing::instrument(skip_all, fields(account_id = %actor.id))]
    /// O6: notifications to this account are written in `locale` from now on (the language
    /// the candidate chose on the site).
    pub async fn set_notification_language(
        &self,
        actor: &Account,
        locale: Locale,
    ) -> AppResult<()> {
        Ok(self.store.set_account_locale(actor.id, locale).await?)
    }

    pub async fn notification_language(&self, actor: &Account) -> AppResult<Locale> {
        Ok(self.store.find_account_locale(actor.id).await?)
    }

    pub async fn update_contacts(
        &self,
        actor: &Account,
        input: ContactsInput,
    ) -> AppResult<Account> {
        let phone = parse_phone(input.phone.as_deref())?;
        if let Some(email) = input.email.as_deref() {
            let email = parse_email(email)?;
            if !email.as_str().eq_ignore_ascii_case(actor.email.as_str()) {
                return Err(Refusal::new(ErrorCode::InvalidField)
                    .field("email")
                    .detail(LocalizedText::fixed(
                        "暂不支持修改登录邮箱。",
                        "Changing the log-in email is not supported yet.",
                    ))
                    .into());
            }
        }
        let wechat_openid = parse_openid(input.wechat_openid.as_deref())?;
        let opted_out = parse_opted_out(&input.opted_out)?;
        Ok(self
            .store
            .update_contacts(
                actor.id,
                ContactUpdate {
                    phone,
                    wechat_openid,
                    opted_out,
                },
            )
            .await?)
    }

    /// The actor's account, freshly read, and identity.
    pub async fn me(&self, actor: &Account) -> AppResult<Me> {
        let account = self.store.get_account(actor.id).await?;
        let identity = self.store.find_identity(actor.id).await?;
        Ok(Me { account, identity })
    }

    /// Operators only: the account behind an id (support, audit follow-ups).
    pub async fn get_account(
        &self,
        actor: &Account,
        id: certdesk_domain::AccountId,
    ) -> AppResult<Account> {
        require(actor.id == id || actor.has_role(Role::Admin))?;
        Ok(self.store.get_account(id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opted_out_is_normalised_and_refuses_inbox() {
        let got = parse_opted_out(&["SMS".into(), "email".into(), "sms".into()]).unwrap();
        assert_eq!(got, vec!["email".to_owned(), "sms".to_owned()]);
        let refusal = parse_opted_out(&["inbox".into()]).unwrap_err();
        assert_eq!(refusal.field.as_deref(), Some("opted_out"));
    }

    #[test]
    fn phone_and_openid_parse() {
        assert_eq!(parse_phone(Some(" ")).unwrap(), None);
        assert_eq!(
            parse_phone(Some("13800000000")).unwrap().unwrap().e164(),
            "+8613800000000"
        );
        assert_eq!(
            parse_phone(Some("123")).unwrap_err().code,
            ErrorCode::InvalidPhone
        );
        assert_eq!(
            parse_openid(Some("oAbC_12-x")).unwrap().as_deref(),
            Some("oAbC_12-x")
        );
        assert!(parse_openid(Some("<script>")).is_err());
    }
}
