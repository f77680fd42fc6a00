//! O11: a support ticket opens with its first message and jobs; a reply moves the status only
//! from the status the caller read, with its message, jobs and audit entry, or writes nothing;
//! candidates list their own, operators a queue that serves open tickets, longest wait first.

use std::sync::Arc;

use certdesk_domain::{
    AccountId, RegistrationId, SupportCategory, SupportSide, SupportTicketId, SupportTicketStatus,
};
use jiff::Timestamp;

use super::fixtures::{account, all_jobs, assert_conflict, assert_not_found, at, audit, job};
use super::results::sitting;
use crate::{Conflict, NewSupportTicket, PageRequest, Store, SupportReply, SupportTicket};

use SupportTicketStatus::{Closed, Open, Resolved, WaitingForCandidate};

fn ticket(account: AccountId, subject: &str, at: Timestamp) -> NewSupportTicket {
    NewSupportTicket {
        account_id: account,
        category: SupportCategory::Registration,
        subject: subject.to_owned(),
        body: format!("{subject}：请帮忙看看"),
        registration_id: None,
        order_id: None,
        at,
        jobs: vec![],
    }
}

fn reply(
    ticket: SupportTicketId,
    author: AccountId,
    side: SupportSide,
    from: SupportTicketStatus,
    to: SupportTicketStatus,
    at: Timestamp,
) -> SupportReply {
    SupportReply {
        ticket_id: ticket,
        author_id: author,
        side,
        body: Some(format!("{side} at {at}")),
        from,
        to,
        at,
        jobs: vec![],
        audit: None,
    }
}

pub async fn support_ticket_thread_moves_only_from_the_status_read(store: Arc<dyn Store>) {
    let s = &*store;
    let regs = sitting(s, "CLD-SUP-A", 1).await;
    let (buyer, registration) = regs[0];
    let operator = account(s, "ops@example.cn").await;
    let mut new = ticket(buyer.account, "改期咨询", at(10));
    new.registration_id = Some(registration);
    new.jobs = vec![job("support_opened", at(10))];
    let jobs_before = all_jobs(s, None).await.len();
    let opened = s.commit_support_ticket(new).await.expect("opened");
    assert_eq!(
        (
            opened.status,
            opened.account_id,
            opened.registration_id,
            opened.created_at,
            opened.queued_at,
            opened.last_activity_at,
            opened.last_operator_id,
        ),
        (
            Open,
            buyer.account,
            Some(registration),
            at(10),
            at(10),
            at(10),
            None
        )
    );
    assert_eq!(s.get_support_ticket(opened.id).await.expect("get"), opened);
    let jobs = all_jobs(s, None).await;
    assert_eq!(jobs.len(), jobs_before + 1, "the opening's job");
    let opening = jobs
        .iter()
        .find(|j| j.kind == "support_opened")
        .expect("job");
    assert_eq!(
        opening.payload,
        serde_json::json!({ "id": 1, "ticket_id": opened.id.get() }),
        "the commit names the new ticket in the payload"
    );

    // The operator answers: waiting for the candidate, audited, the candidate's job enqueued.
    let mut answer = reply(
        opened.id,
        operator.id,
        SupportSide::Operator,
        Open,
        WaitingForCandidate,
        at(20),
    );
    answer.jobs = vec![job("support_answered", at(20))];
    answer.audit = Some(audit("support_ticket.reply", at(20)));
    let answered = s.commit_support_reply(answer).await.expect("answered");
    assert_eq!(
        (
            answered.status,
            answered.last_operator_id,
            answered.last_activity_at,
            answered.queued_at
        ),
        (WaitingForCandidate, Some(operator.id), at(20), at(10))
    );
    assert_eq!(all_jobs(s, None).await.len(), jobs_before + 2);
    let audit_log = s.list_audit(PageRequest::default()).await.expect("audit");
    assert!(
        audit_log
            .items
            .iter()
            .any(|e| e.action == "support_ticket.reply")
    );

    // A reply decided from a status the ticket no longer has writes nothing at all.
    let mut stale = reply(
        opened.id,
        buyer.account,
        SupportSide::Candidate,
        Open,
        Open,
        at(25),
    );
    stale.jobs = vec![job("never", at(25))];
    stale.audit = Some(audit("never", at(25)));
    assert_conflict(s.commit_support_reply(stale).await, Conflict::TicketChanged);
    assert_eq!(all_jobs(s, None).await.len(), jobs_before + 2);
    assert_eq!(
        s.list_support_messages(opened.id)
            .await
            .expect("thread")
            .len(),
        2
    );

    // The candidate's reply reopens it at the back of the open queue.
    let reopened = s
        .commit_support_reply(reply(
            opened.id,
            buyer.account,
            SupportSide::Candidate,
            WaitingForCandidate,
            Open,
            at(30),
        ))
        .await
        .expect("reopened");
    assert_eq!(
        (
            reopened.status,
            reopened.queued_at,
            reopened.last_operator_id
        ),
        (Open, at(30), Some(operator.id))
    );
    // Closing without a message: a bare status change keeps the thread as it was.
    let mut close = reply(
        opened.id,
        buyer.account,
        SupportSide::Candidate,
        Open,
        Closed,
        at(40),
    );
    close.body = None;
    let closed = s.commit_support_reply(close).await.expect("closed");
    assert_eq!((closed.status, closed.last_activity_at), (Closed, at(40)));
    let thread = s.list_support_messages(opened.id).await.expect("thread");
    let sides: Vec<(SupportSide, AccountId, Timestamp)> = thread
        .iter()
        .map(|m| (m.side, m.author_id, m.created_at))
        .collect();
    assert_eq!(
        sides,
        vec![
            (SupportSide::Candidate, buyer.account, at(10)),
            (SupportSide::Operator, operator.id, at(20)),
            (SupportSide::Candidate, buyer.account, at(30)),
        ]
    );
    assert_eq!(thread[0].body, "改期咨询：请帮忙看看");

    assert_not_found(
        s.commit_support_reply(reply(
            SupportTicketId(9_999),
            operator.id,
            SupportSide::Operator,
            Open,
            Resolved,
            at(50),
        ))
        .await,
    );
    assert_not_found(s.get_support_ticket(SupportTicketId(9_999)).await);
}

pub async fn support_ticket_unknown_references_are_not_found(store: Arc<dyn Store>) {
    let s = &*store;
    let a = account(s, "a@example.cn").await;
    let mut new = ticket(a.id, "无此报名", at(1));
    new.registration_id = Some(RegistrationId(9_999));
    assert_not_found(s.commit_support_ticket(new).await);
    assert_not_found(
        s.commit_support_ticket(ticket(AccountId(9_999), "无此账号", at(1)))
            .await,
    );
    let mine = s
        .list_account_support_tickets(a.id, PageRequest::default())
        .await
        .expect("list");
    assert!(mine.items.is_empty(), "nothing was written: {mine:?}");
}

async fn ids_of_all_pages(
    s: &dyn Store,
    status: Option<SupportTicketStatus>,
    limit: u32,
) -> Vec<SupportTicketId> {
    let mut page = PageRequest::first(limit);
    let mut out = Vec::new();
    loop {
        let p = s.list_support_tickets(status, page).await.expect("queue");
        assert!(p.items.len() <= limit as usize);
        out.extend(p.items.iter().map(|t: &SupportTicket| t.id));
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => return out,
        }
    }
}

pub async fn support_queue_serves_open_first_longest_wait_first(store: Arc<dyn Store>) {
    let s = &*store;
    let a = account(s, "a@example.cn").await;
    let b = account(s, "b@example.cn").await;
    let ops = account(s, "ops@example.cn").await;
    let mut ids = Vec::new();
    for (i, who) in [a.id, b.id, a.id, b.id, a.id].into_iter().enumerate() {
        let t = s
            .commit_support_ticket(ticket(who, &format!("工单 {i}"), at(i as i64)))
            .await
            .expect("opened");
        ids.push(t.id);
    }
    // #0 answered, #1 resolved, #4 answered then reopened by its candidate (back of the queue).
    for (id, to) in [
        (ids[0], WaitingForCandidate),
        (ids[1], Resolved),
        (ids[4], WaitingForCandidate),
    ] {
        s.commit_support_reply(reply(id, ops.id, SupportSide::Operator, Open, to, at(100)))
            .await
            .expect("answered");
    }
    s.commit_support_reply(reply(
        ids[4],
        a.id,
        SupportSide::Candidate,
        WaitingForCandidate,
        Open,
        at(200),
    ))
    .await
    .expect("reopened");

    let expected = vec![ids[2], ids[3], ids[4], ids[0], ids[1]];
    assert_eq!(ids_of_all_pages(s, None, 2).await, expected);
    assert_eq!(ids_of_all_pages(s, None, 200).await, expected);
    assert_eq!(
        ids_of_all_pages(s, Some(Open), 1).await,
        vec![ids[2], ids[3], ids[4]]
    );
    assert_eq!(ids_of_all_pages(s, Some(Closed), 5).await, vec![]);

    // A candidate's own list: theirs only, newest first, a page at a time.
    let first = s
        .list_account_support_tickets(a.id, PageRequest::first(2))
        .await
        .expect("mine");
    assert_eq!(
        first.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![ids[4], ids[2]]
    );
    let cursor = first.next_cursor.expect("a second page");
    let second = s
        .list_account_support_tickets(
            a.id,
            PageRequest {
                limit: 2,
                cursor: Some(cursor),
            },
        )
        .await
        .expect("mine");
    assert_eq!(
        second.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    assert_eq!(second.next_cursor, None);
    assert!(
        second
            .items
            .iter()
            .all(|t| t.account_email.as_str() == "a@example.cn")
    );
}
