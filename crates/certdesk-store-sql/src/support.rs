//! O11: support tickets and their threads (`SupportStore`). A reply is one conditional UPDATE
//! of the ticket (`… AND status = $from`: a ticket closed or answered meanwhile writes
//! nothing), then its message, jobs and audit entry, in the same transaction.

use async_trait::async_trait;
use certdesk_domain::{
    AccountId, Email, OrderId, RegistrationId, SupportSide, SupportTicketId, SupportTicketStatus,
};
use certdesk_store::{
    Conflict, NewJob, NewSupportTicket, Page, PageRequest, StoreError, StoreResult, SupportMessage,
    SupportReply, SupportStore, SupportTicket,
};
use jiff::Timestamp;

use crate::SqlStore;
use crate::convert::{before, corrupt, fetch_limit, from_ts, into_page, parse, ts};
use crate::db::{Exec, Row, Tx, missing_reference, query};

const TICKET_SELECT: &str = "
SELECT t.id, t.account_id, a.email, t.category, t.subject, t.status, t.registration_id,
       t.order_id, t.created_at, t.last_activity_at, t.queued_at, t.last_operator_id
FROM support_tickets t JOIN accounts a ON a.id = t.account_id";

/// The operators' queue order (`SupportTicketStatus::queue_rank`), in SQL.
const RANK: &str = "(CASE t.status WHEN 'open' THEN 0 WHEN 'waiting_for_candidate' THEN 1
                     WHEN 'resolved' THEN 2 ELSE 3 END)";

fn ticket_from_row(row: &Row) -> StoreResult<SupportTicket> {
    let id = row.int("id")?;
    Ok(SupportTicket {
        id: SupportTicketId(id),
        account_id: AccountId(row.int("account_id")?),
        account_email: Email::parse(&row.text("email")?)
            .map_err(|_| corrupt(format!("email of support ticket {id}")))?,
        category: parse(&row.text("category")?, "support category")?,
        subject: row.text("subject")?,
        status: parse(&row.text("status")?, "support ticket status")?,
        registration_id: row.int_opt("registration_id")?.map(RegistrationId),
        order_id: row.int_opt("order_id")?.map(OrderId),
        created_at: from_ts(row.int("created_at")?)?,
        last_activity_at: from_ts(row.int("last_activity_at")?)?,
        queued_at: from_ts(row.int("queued_at")?)?,
        last_operator_id: row.int_opt("last_operator_id")?.map(AccountId),
    })
}

fn message_from_row(row: &Row) -> StoreResult<SupportMessage> {
    Ok(SupportMessage {
        id: row.int("id")?,
        ticket_id: SupportTicketId(row.int("ticket_id")?),
        author_id: AccountId(row.int("author_id")?),
        side: parse(&row.text("side")?, "support message side")?,
        body: row.text("body")?,
        created_at: from_ts(row.int("created_at")?)?,
    })
}

async fn fetch_ticket<'c>(on: impl Exec<'c>, id: SupportTicketId) -> StoreResult<SupportTicket> {
    let sql = format!("{TICKET_SELECT} WHERE t.id = $1");
    let row = query(&sql)
        .bind(id.get())
        .fetch_optional(on)
        .await?
        .ok_or(StoreError::NotFound)?;
    ticket_from_row(&row)
}

async fn insert_message(
    tx: &mut Tx,
    ticket: SupportTicketId,
    author: AccountId,
    side: SupportSide,
    body: &str,
    at: Timestamp,
) -> StoreResult<()> {
    query(
        "INSERT INTO support_messages (ticket_id, author_id, side, body, created_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(ticket.get())
    .bind(author.get())
    .bind(side.as_str())
    .bind(body)
    .bind(ts(at))
    .execute(tx)
    .await
    .map_err(missing_reference)?;
    Ok(())
}

#[async_trait]
impl SupportStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %ticket.account_id))]
    async fn commit_support_ticket(&self, ticket: NewSupportTicket) -> StoreResult<SupportTicket> {
        let mut tx = self.begin().await?;
        let id = query(
            "INSERT INTO support_tickets (account_id, category, subject, status, registration_id,
                 order_id, created_at, last_activity_at, queued_at)
             VALUES ($1, $2, $3, 'open', $4, $5, $6, $6, $6) RETURNING id",
        )
        .bind(ticket.account_id.get())
        .bind(ticket.category.as_str())
        .bind(ticket.subject.as_str())
        .bind(ticket.registration_id.map(RegistrationId::get))
        .bind(ticket.order_id.map(OrderId::get))
        .bind(ts(ticket.at))
        .fetch_one(&mut tx)
        .await
        .map_err(missing_reference)?
        .int("id")?;
        let id = SupportTicketId(id);
        insert_message(
            &mut tx,
            id,
            ticket.account_id,
            SupportSide::Candidate,
            &ticket.body,
            ticket.at,
        )
        .await?;
        let jobs: Vec<NewJob> = ticket
            .jobs
            .into_iter()
            .map(|mut job| {
                if let Some(payload) = job.payload.as_object_mut() {
                    payload.insert("ticket_id".to_owned(), id.get().into());
                }
                job
            })
            .collect();
        crate::jobs::enqueue(&mut tx, &jobs, Some(ticket.at)).await?;
        let opened = fetch_ticket(&mut tx, id).await?;
        tx.commit().await?;
        Ok(opened)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(ticket_id = %reply.ticket_id))]
    async fn commit_support_reply(&self, reply: SupportReply) -> StoreResult<SupportTicket> {
        let mut tx = self.begin().await?;
        // A move into `open` joins the back of the queue; staying open keeps its place.
        let requeued = (reply.to == SupportTicketStatus::Open
            && reply.from != SupportTicketStatus::Open)
            .then_some(ts(reply.at));
        let operator = (reply.side == SupportSide::Operator && reply.body.is_some())
            .then_some(reply.author_id.get());
        let updated = query(
            "UPDATE support_tickets
             SET status = $3, last_activity_at = $4, queued_at = COALESCE($5, queued_at),
                 last_operator_id = COALESCE($6, last_operator_id)
             WHERE id = $1 AND status = $2",
        )
        .bind(reply.ticket_id.get())
        .bind(reply.from.as_str())
        .bind(reply.to.as_str())
        .bind(ts(reply.at))
        .bind(requeued)
        .bind(operator)
        .execute(&mut tx)
        .await?;
        if updated == 0 {
            // Unknown, or its status moved since the caller read it.
            fetch_ticket(&mut tx, reply.ticket_id).await?;
            return Err(StoreError::Conflict(Conflict::TicketChanged));
        }
        if let Some(body) = &reply.body {
            insert_message(
                &mut tx,
                reply.ticket_id,
                reply.author_id,
                reply.side,
                body,
                reply.at,
            )
            .await?;
        }
        crate::jobs::enqueue(&mut tx, &reply.jobs, Some(reply.at)).await?;
        if let Some(audit) = &reply.audit {
            crate::audit::insert(&mut tx, audit).await?;
        }
        let ticket = fetch_ticket(&mut tx, reply.ticket_id).await?;
        tx.commit().await?;
        Ok(ticket)
    }

    async fn get_support_ticket(&self, id: SupportTicketId) -> StoreResult<SupportTicket> {
        fetch_ticket(self.read(), id).await
    }

    async fn list_support_messages(&self, id: SupportTicketId) -> StoreResult<Vec<SupportMessage>> {
        let rows = query(
            "SELECT id, ticket_id, author_id, side, body, created_at
             FROM support_messages WHERE ticket_id = $1 ORDER BY id",
        )
        .bind(id.get())
        .fetch_all(self.read())
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    async fn list_account_support_tickets(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<SupportTicket>> {
        let sql = format!(
            "{TICKET_SELECT} WHERE t.account_id = $1 AND t.id < $2 ORDER BY t.id DESC LIMIT $3"
        );
        let rows = query(&sql)
            .bind(account.get())
            .bind(before(page))
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(ticket_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |t| t.id.get()))
    }

    async fn list_support_tickets(
        &self,
        status: Option<SupportTicketStatus>,
        page: PageRequest,
    ) -> StoreResult<Page<SupportTicket>> {
        // The keyset is (rank, queued_at, id), read from the cursor's ticket as it is now; a
        // ticket that moved between pages may show twice or not at all, as in any live queue.
        let (rank, queued, id) = match page.cursor {
            None => (-1, i64::MIN, i64::MIN),
            Some(cursor) => {
                let t = fetch_ticket(self.read(), SupportTicketId(cursor)).await?;
                (
                    i64::from(t.status.queue_rank()),
                    ts(t.queued_at),
                    t.id.get(),
                )
            }
        };
        let sql = format!(
            "{TICKET_SELECT}
             WHERE ($1 IS NULL OR t.status = $1)
               AND ({RANK} > $2 OR ({RANK} = $2
                    AND (t.queued_at > $3 OR (t.queued_at = $3 AND t.id > $4))))
             ORDER BY {RANK}, t.queued_at, t.id LIMIT $5"
        );
        let rows = query(&sql)
            .bind(status.map(SupportTicketStatus::as_str))
            .bind(rank)
            .bind(queued)
            .bind(id)
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(ticket_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |t| t.id.get()))
    }
}
