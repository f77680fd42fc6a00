//! O11: support tickets (工单) as the API speaks them.

use certdesk_app::SupportThread;
use certdesk_store::{SupportMessage, SupportTicket};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::rfc3339;

/// `POST /api/v1/me/tickets`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewTicketBody {
    /// `registration`, `payment_refund`, `exam_day`, `results_certificate`,
    /// `account_identity` or `other`.
    #[schema(example = "registration")]
    pub category: String,
    /// 1–100 characters.
    #[schema(example = "能否更换考试城市？")]
    pub subject: String,
    /// 1–5000 characters.
    pub message: String,
    /// One of the caller's registrations the ticket is about.
    #[serde(default)]
    pub registration_id: Option<i64>,
    /// One of the caller's orders the ticket is about.
    #[serde(default)]
    pub order_id: Option<i64>,
}

/// `POST /api/v1/me/tickets/{id}/messages`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct TicketMessageBody {
    /// 1–5000 characters.
    pub message: String,
}

/// `POST /api/v1/admin/tickets/{id}/messages`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct OperatorReplyBody {
    /// 1–5000 characters.
    pub message: String,
    /// The status after the reply (default `waiting_for_candidate`): `open`,
    /// `waiting_for_candidate`, `resolved` or `closed`.
    #[serde(default)]
    pub status: Option<String>,
}

/// `GET /api/v1/admin/tickets?status=&limit=&cursor=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TicketQueueQuery {
    /// Only tickets of this status.
    pub status: Option<String>,
    #[param(schema_with = crate::openapi::constraints::page_limit)]
    pub limit: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

impl TicketQueueQuery {
    pub(crate) fn page(&self) -> super::page::PageQuery {
        super::page::PageQuery {
            limit: self.limit.clone(),
            cursor: self.cursor.clone(),
        }
    }
}

/// One message of a ticket's thread.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TicketMessageDto {
    pub id: i64,
    /// `candidate` or `operator`.
    pub side: String,
    pub message: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl TicketMessageDto {
    fn new(m: &SupportMessage) -> TicketMessageDto {
        TicketMessageDto {
            id: m.id,
            side: m.side.as_str().to_owned(),
            message: m.body.clone(),
            created_at: rfc3339(m.created_at),
        }
    }
}

/// A support ticket; `messages` when one ticket is read.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SupportTicketDto {
    pub id: i64,
    pub category: String,
    pub subject: String,
    /// `open`, `waiting_for_candidate`, `resolved` or `closed`.
    pub status: String,
    pub registration_id: Option<i64>,
    pub order_id: Option<i64>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub last_activity_at: String,
    /// Operators only: the candidate's account and login.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<TicketMessageDto>>,
}

impl SupportTicketDto {
    /// As its candidate sees it.
    pub(crate) fn mine(t: &SupportTicket) -> SupportTicketDto {
        SupportTicketDto {
            id: t.id.get(),
            category: t.category.as_str().to_owned(),
            subject: t.subject.clone(),
            status: t.status.as_str().to_owned(),
            registration_id: t.registration_id.map(|r| r.get()),
            order_id: t.order_id.map(|o| o.get()),
            created_at: rfc3339(t.created_at),
            last_activity_at: rfc3339(t.last_activity_at),
            account_id: None,
            account_email: None,
            messages: None,
        }
    }

    /// As operators see it: with whose it is.
    pub(crate) fn operator(t: &SupportTicket) -> SupportTicketDto {
        SupportTicketDto {
            account_id: Some(t.account_id.get()),
            account_email: Some(t.account_email.as_str().to_owned()),
            ..SupportTicketDto::mine(t)
        }
    }

    /// `dto` with the thread.
    pub(crate) fn with_thread(
        mut dto: SupportTicketDto,
        thread: &SupportThread,
    ) -> SupportTicketDto {
        dto.messages = Some(thread.messages.iter().map(TicketMessageDto::new).collect());
        dto
    }
}
