//! Operator views: audit log, jobs (P2), accounts.

use certdesk_store::{Account, AuditEntry, Job};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rfc3339;

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditDto {
    pub id: i64,
    /// Null for the system (seeding, jobs).
    pub actor: Option<i64>,
    #[schema(example = "certification.retire")]
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    #[schema(format = DateTime)]
    pub at: String,
}

impl AuditDto {
    pub(crate) fn new(e: AuditEntry) -> AuditDto {
        AuditDto {
            id: e.id.get(),
            actor: e.actor.map(|a| a.get()),
            action: e.action,
            target_kind: e.target_kind,
            target_id: e.target_id,
            before: e.before,
            after: e.after,
            at: rfc3339(e.at),
        }
    }
}

/// A background job; `dead` ones ran out of retries (P2).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct JobDto {
    pub id: i64,
    pub kind: String,
    /// `inbox`, `email`, `sms`, `wechat` for notifications.
    pub channel: Option<String>,
    pub status: String,
    pub attempts: u32,
    pub max_attempts: u32,
    pub last_error: Option<String>,
    #[schema(format = DateTime)]
    pub run_at: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl JobDto {
    pub(crate) fn new(j: Job) -> JobDto {
        JobDto {
            id: j.id.get(),
            kind: j.kind,
            channel: j.channel,
            status: j.status.as_str().to_owned(),
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            last_error: j.last_error,
            run_at: rfc3339(j.run_at),
            created_at: rfc3339(j.created_at),
            updated_at: rfc3339(j.updated_at),
        }
    }
}

/// `?status=dead` plus paging.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StatusQuery {
    /// Filter by status.
    pub status: Option<String>,
    #[param(schema_with = crate::openapi::constraints::page_limit)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

impl StatusQuery {
    pub(crate) fn page(&self) -> super::page::PageQuery {
        super::page::PageQuery {
            limit: self.limit.clone(),
            cursor: self.cursor.clone(),
        }
    }
}

/// An account as operators list it (never the password hash).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AccountDto {
    pub id: i64,
    pub email: String,
    pub phone: Option<String>,
    pub roles: Vec<String>,
    pub institution_id: Option<i64>,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl AccountDto {
    pub(crate) fn new(a: Account) -> AccountDto {
        AccountDto {
            id: a.id.get(),
            email: a.email.as_str().to_owned(),
            phone: a.phone.as_ref().map(|p| p.e164().to_owned()),
            roles: a.roles.iter().map(|r| r.as_str().to_owned()).collect(),
            institution_id: a.institution_id.map(|i| i.get()),
            created_at: rfc3339(a.created_at),
        }
    }
}
