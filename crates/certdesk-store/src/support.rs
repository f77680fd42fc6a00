//! O11's storage contract: support tickets (工单) and their message threads. A ticket opens
//! with its first message; every later message, the status it leads to and the notices it
//! sends commit together.

use async_trait::async_trait;
use certdesk_domain::{
    AccountId, Email, OrderId, RegistrationId, SupportCategory, SupportSide, SupportTicketId,
    SupportTicketStatus,
};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::records::{NewAuditEntry, NewJob, Page, PageRequest};

/// A ticket to open, with its first message (already parsed: subject 1–100, body 1–5000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSupportTicket {
    pub account_id: AccountId,
    pub category: SupportCategory,
    pub subject: String,
    pub body: String,
    /// Checked by the caller to be the account's own.
    pub registration_id: Option<RegistrationId>,
    /// Checked by the caller to be the account's own.
    pub order_id: Option<OrderId>,
    pub at: Timestamp,
    /// Jobs about the new ticket, enqueued by its commit. Its id exists only from the commit
    /// on, so the commit writes it into each payload (a JSON object) as `ticket_id`.
    pub jobs: Vec<NewJob>,
}

/// A ticket as both sides list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportTicket {
    pub id: SupportTicketId,
    pub account_id: AccountId,
    /// The candidate's login, for operators.
    pub account_email: Email,
    pub category: SupportCategory,
    pub subject: String,
    pub status: SupportTicketStatus,
    pub registration_id: Option<RegistrationId>,
    pub order_id: Option<OrderId>,
    pub created_at: Timestamp,
    /// The latest message or status change.
    pub last_activity_at: Timestamp,
    /// Since when it has waited in the queue as it stands: set on opening and whenever it
    /// becomes `open` again (the operators' queue serves the longest wait first).
    pub queued_at: Timestamp,
    /// The operator who answered last, if any (a candidate's reply tells them).
    pub last_operator_id: Option<AccountId>,
}

/// One message of a ticket's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportMessage {
    pub id: i64,
    pub ticket_id: SupportTicketId,
    pub author_id: AccountId,
    pub side: SupportSide,
    pub body: String,
    pub created_at: Timestamp,
}

/// A message (or, with `body` None, a bare status change such as a candidate closing) and
/// the status it leads to, decided by the domain from `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportReply {
    pub ticket_id: SupportTicketId,
    pub author_id: AccountId,
    pub side: SupportSide,
    pub body: Option<String>,
    /// The status the caller read and decided from; if the ticket moved meanwhile, nothing
    /// is written (`Conflict::TicketChanged`).
    pub from: SupportTicketStatus,
    pub to: SupportTicketStatus,
    pub at: Timestamp,
    pub jobs: Vec<NewJob>,
    /// Operators' actions are audited in the same transaction.
    pub audit: Option<NewAuditEntry>,
}

/// Support tickets (O11).
#[async_trait]
pub trait SupportStore {
    /// Opens a ticket (`open`) with its first message and its jobs, in one transaction.
    /// `NotFound` for an unknown account, registration or order.
    async fn commit_support_ticket(&self, ticket: NewSupportTicket) -> StoreResult<SupportTicket>;
    /// Adds a message and moves the status, with its jobs and audit entry, in one
    /// transaction. An operator's message records them as the ticket's last operator; a move
    /// to `open` from another status re-queues it at `at`. `Conflict::TicketChanged` when the
    /// status is no longer `reply.from`; `NotFound` for an unknown ticket.
    async fn commit_support_reply(&self, reply: SupportReply) -> StoreResult<SupportTicket>;
    async fn get_support_ticket(&self, id: SupportTicketId) -> StoreResult<SupportTicket>;
    /// The thread, oldest first.
    async fn list_support_messages(&self, id: SupportTicketId) -> StoreResult<Vec<SupportMessage>>;
    /// An account's tickets, newest first (the cursor is a ticket id).
    async fn list_account_support_tickets(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<SupportTicket>>;
    /// The operators' queue: `open` first, then waiting for the candidate, resolved, closed;
    /// within a status the longest queued first (then by id). Optionally one status only.
    /// The cursor is the last ticket's id.
    async fn list_support_tickets(
        &self,
        status: Option<SupportTicketStatus>,
        page: PageRequest,
    ) -> StoreResult<Page<SupportTicket>>;
}
