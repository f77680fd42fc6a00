//! O11: support tickets (工单). A candidate opens one (optionally about one of their
//! registrations or orders) and sees only their own; operators work a queue and answer in the
//! thread. Each reply moves the status by the domain's rules and tells the other side through
//! the outbox, in the reply's own transaction.

use certdesk_domain::{
    ErrorCode, OrderId, Refusal, RegistrationId, Role, SupportCategory, SupportSide,
    SupportTicketId, SupportTicketStatus, TicketBody, TicketSubject, after_candidate_reply,
    after_operator_reply, candidate_close,
};
use certdesk_notify::{Notice, Recipient};
use certdesk_store::{
    Account, Conflict, NewAuditEntry, NewJob, NewSupportTicket, Page, PageRequest, StoreError,
    SupportMessage, SupportReply, SupportTicket,
};
use serde_json::json;

use crate::App;
use crate::error::{AppError, AppResult, require};
use crate::wallet::unique_suffix;

/// How often a reply is decided again when the ticket moved under it (another reply won).
const REPLY_ATTEMPTS: usize = 3;

/// The most operators told of a new ticket (the oldest accounts first); a programme has a
/// handful, and each one told costs a job per channel in the ticket's commit.
const OPERATORS_TOLD: u32 = 50;

/// A new ticket as the candidate gives it (`POST /api/v1/me/tickets`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct NewTicketInput {
    pub category: String,
    pub subject: String,
    pub message: String,
    #[serde(default)]
    pub registration_id: Option<i64>,
    #[serde(default)]
    pub order_id: Option<i64>,
}

/// A ticket with its whole thread, oldest message first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportThread {
    pub ticket: SupportTicket,
    pub messages: Vec<SupportMessage>,
}

fn bad_field(field: &'static str) -> Refusal {
    Refusal::new(ErrorCode::InvalidField).field(field)
}

/// `invalid_field` naming `category` for anything but a known category.
pub fn parse_category(value: &str) -> Result<SupportCategory, Refusal> {
    value.trim().parse().map_err(|_| bad_field("category"))
}

/// `invalid_field` naming `status` for anything but a known status.
pub fn parse_status(value: &str) -> Result<SupportTicketStatus, Refusal> {
    value.trim().parse().map_err(|_| bad_field("status"))
}

/// E2: a link the candidate cannot see is `not_found` naming its field, never "forbidden".
fn not_found_as(field: &'static str) -> impl Fn(AppError) -> AppError {
    move |e| match e.code() {
        Some(ErrorCode::NotFound) => Refusal::new(ErrorCode::NotFound).field(field).into(),
        _ => e,
    }
}

impl App {
    /// O11: opens a ticket with its first message, and tells every operator through the
    /// outbox, in the same commit. A linked registration must be of the actor's person and a
    /// linked order the actor's own (`not_found` naming `registration_id` / `order_id`
    /// otherwise).
    #[tracing::instrument(skip_all, fields(account_id = %actor.id))]
    pub async fn open_support_ticket(
        &self,
        actor: &Account,
        input: NewTicketInput,
    ) -> AppResult<SupportTicket> {
        let category = parse_category(&input.category)?;
        let subject = TicketSubject::parse(&input.subject)?;
        let body = TicketBody::parse(&input.message)?;
        let registration_id = match input.registration_id {
            None => None,
            Some(id) => Some(
                self.my_registration(actor, RegistrationId(id))
                    .await
                    .map_err(not_found_as("registration_id"))?
                    .id,
            ),
        };
        let order_id = match input.order_id {
            None => None,
            Some(id) => Some(
                self.get_my_order(actor, OrderId(id))
                    .await
                    .map_err(not_found_as("order_id"))?
                    .id,
            ),
        };
        let now = self.now();
        let ticket = self
            .store
            .commit_support_ticket(NewSupportTicket {
                account_id: actor.id,
                category,
                subject: subject.as_str().to_owned(),
                body: body.as_str().to_owned(),
                registration_id,
                order_id,
                at: now,
                jobs: self.operators_told_of_new_ticket(actor, now).await?,
            })
            .await?;
        tracing::info!(ticket_id = %ticket.id, "support ticket opened");
        Ok(ticket)
    }

    /// The actor's own tickets, newest first.
    pub async fn my_support_tickets(
        &self,
        actor: &Account,
        page: PageRequest,
    ) -> AppResult<Page<SupportTicket>> {
        Ok(self
            .store
            .list_account_support_tickets(actor.id, page)
            .await?)
    }

    /// One of the actor's tickets with its thread; anyone else's is `not_found` (E2).
    pub async fn my_support_ticket(
        &self,
        actor: &Account,
        id: SupportTicketId,
    ) -> AppResult<SupportThread> {
        let ticket = self.own_ticket(actor, id).await?;
        self.thread(ticket).await
    }

    /// O11: the candidate replies; the ticket goes back to the operators (`open`), and the
    /// operator who answered last is told. `ticket_closed` on a closed ticket.
    #[tracing::instrument(skip_all, fields(account_id = %actor.id, ticket_id = %id))]
    pub async fn reply_to_my_support_ticket(
        &self,
        actor: &Account,
        id: SupportTicketId,
        message: &str,
    ) -> AppResult<SupportThread> {
        let body = TicketBody::parse(message)?;
        self.own_ticket(actor, id).await?;
        let ticket = self
            .commit_reply(id, |ticket, now| {
                let to = after_candidate_reply(ticket.status)?;
                let jobs = match ticket.last_operator_id {
                    Some(operator) => self.notice_jobs_about(
                        operator,
                        id,
                        Notice::SupportTicketUpdated { ticket_id: id },
                        now,
                    ),
                    None => vec![],
                };
                Ok(SupportReply {
                    ticket_id: id,
                    author_id: actor.id,
                    side: SupportSide::Candidate,
                    body: Some(body.as_str().to_owned()),
                    from: ticket.status,
                    to,
                    at: now,
                    jobs,
                    audit: None,
                })
            })
            .await?;
        self.thread(ticket).await
    }

    /// O11: the candidate closes their own ticket; `ticket_closed` when it already is.
    #[tracing::instrument(skip_all, fields(account_id = %actor.id, ticket_id = %id))]
    pub async fn close_my_support_ticket(
        &self,
        actor: &Account,
        id: SupportTicketId,
    ) -> AppResult<SupportTicket> {
        self.own_ticket(actor, id).await?;
        self.commit_reply(id, |ticket, now| {
            Ok(SupportReply {
                ticket_id: id,
                author_id: actor.id,
                side: SupportSide::Candidate,
                body: None,
                from: ticket.status,
                to: candidate_close(ticket.status)?,
                at: now,
                jobs: vec![],
                audit: None,
            })
        })
        .await
    }

    /// O11: the operators' queue — open tickets first, the longest waiting first — optionally
    /// one status only.
    pub async fn support_queue(
        &self,
        actor: &Account,
        status: Option<SupportTicketStatus>,
        page: PageRequest,
    ) -> AppResult<Page<SupportTicket>> {
        require(actor.has_role(Role::Admin))?;
        // The queue's keyset is read from the cursor's ticket: an unknown one is a bad cursor
        // (422, as every list answers one), not a missing resource.
        match self.store.list_support_tickets(status, page).await {
            Err(StoreError::NotFound) if page.cursor.is_some() => {
                Err(Refusal::new(ErrorCode::InvalidField).field("cursor").into())
            }
            other => Ok(other?),
        }
    }

    /// Any ticket with its thread, for operators.
    pub async fn support_ticket(
        &self,
        actor: &Account,
        id: SupportTicketId,
    ) -> AppResult<SupportThread> {
        require(actor.has_role(Role::Admin))?;
        let ticket = self.store.get_support_ticket(id).await?;
        self.thread(ticket).await
    }

    /// O11: an operator answers. The ticket then waits for the candidate unless `status`
    /// names another; the candidate is told; audited. `ticket_closed` on a closed ticket.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, ticket_id = %id))]
    pub async fn answer_support_ticket(
        &self,
        actor: &Account,
        id: SupportTicketId,
        message: &str,
        status: Option<SupportTicketStatus>,
    ) -> AppResult<SupportThread> {
        require(actor.has_role(Role::Admin))?;
        let body = TicketBody::parse(message)?;
        let ticket = self
            .commit_reply(id, |ticket, now| {
                let to = after_operator_reply(ticket.status, status)?;
                let jobs = self.notice_jobs_about(
                    ticket.account_id,
                    id,
                    Notice::SupportTicketAnswered { ticket_id: id },
                    now,
                );
                let audit = NewAuditEntry {
                    actor: Some(actor.id),
                    action: "support_ticket.reply".into(),
                    target_kind: "support_ticket".into(),
                    target_id: id.to_string(),
                    before: Some(json!({ "status": ticket.status })),
                    // The message may hold personal data: the log keeps its length only.
                    after: Some(json!({
                        "status": to,
                        "message_chars": body.as_str().chars().count(),
                    })),
                    at: now,
                };
                Ok(SupportReply {
                    ticket_id: id,
                    author_id: actor.id,
                    side: SupportSide::Operator,
                    body: Some(body.as_str().to_owned()),
                    from: ticket.status,
                    to,
                    at: now,
                    jobs,
                    audit: Some(audit),
                })
            })
            .await?;
        self.thread(ticket).await
    }

    /// Reads the ticket, lets `decide` build the reply from what it read, and commits it; a
    /// ticket that moved meanwhile (another reply committed first) is read and decided again.
    async fn commit_reply(
        &self,
        id: SupportTicketId,
        decide: impl Fn(&SupportTicket, jiff::Timestamp) -> Result<SupportReply, Refusal>,
    ) -> AppResult<SupportTicket> {
        for _ in 0..REPLY_ATTEMPTS {
            let ticket = self.store.get_support_ticket(id).await?;
            let reply = decide(&ticket, self.now())?;
            match self.store.commit_support_reply(reply).await {
                Err(StoreError::Conflict(Conflict::TicketChanged)) => continue,
                done => return Ok(done?),
            }
        }
        Err(anyhow::anyhow!("support ticket {id} kept changing under its reply").into())
    }

    /// The notices of a ticket being opened: one for every operator (but the actor, should
    /// an operator open one), on the inbox and every outside channel. The ticket's id is not
    /// known yet: the commit writes it into each payload (`NewSupportTicket::jobs`).
    async fn operators_told_of_new_ticket(
        &self,
        actor: &Account,
        now: jiff::Timestamp,
    ) -> AppResult<Vec<NewJob>> {
        let operators = self
            .store
            .accounts_with_role(Role::Admin, OPERATORS_TOLD)
            .await?;
        let event = unique_suffix(now);
        Ok(operators
            .into_iter()
            .filter(|operator| *operator != actor.id)
            .flat_map(|operator| {
                let key = format!(
                    "support_ticket_opened:account:{}:operator:{operator}:{event}",
                    actor.id
                );
                self.notice_jobs(
                    Recipient::Account(operator),
                    // Replaced by the commit (see above).
                    Notice::SupportTicketOpened {
                        ticket_id: SupportTicketId(0),
                    },
                    &key,
                    now,
                )
            })
            .collect())
    }

    /// A notice about ticket `id`, on the inbox and every outside channel (P2); each reply is
    /// its own event (a random suffix: two replies in the same microsecond still make two).
    fn notice_jobs_about(
        &self,
        account: certdesk_domain::AccountId,
        id: SupportTicketId,
        notice: Notice,
        now: jiff::Timestamp,
    ) -> Vec<NewJob> {
        let key = format!("{}:ticket:{id}:{}", notice.kind(), unique_suffix(now));
        self.notice_jobs(Recipient::Account(account), notice, &key, now)
    }

    /// The actor's own ticket; another's or an unknown id is `not_found` alike (E2).
    async fn own_ticket(&self, actor: &Account, id: SupportTicketId) -> AppResult<SupportTicket> {
        let ticket = self.store.get_support_ticket(id).await?;
        if ticket.account_id != actor.id {
            return Err(ErrorCode::NotFound.into());
        }
        Ok(ticket)
    }

    async fn thread(&self, ticket: SupportTicket) -> AppResult<SupportThread> {
        let messages = self.store.list_support_messages(ticket.id).await?;
        Ok(SupportThread { ticket, messages })
    }
}
