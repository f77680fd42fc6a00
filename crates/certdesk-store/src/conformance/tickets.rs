//! O4: venues of a city in the operators' order; a period's tickets issued from its plan —
//! numbered, seated, the registration `ticket_issued`, its promise kept (P1), its holder told —
//! skipping a registration refunded meanwhile; a ticket given twice refused; check-in once.

use std::sync::Arc;

use certdesk_domain::{
    PromiseKind, RegistrationId, RegistrationStatus, TicketNumber, assign_seats,
};
use jiff::Timestamp;

use super::fixtures::{assert_conflict, assert_not_found, at, audit};
use super::shop::{Shop, buyer, fen, paid, shop};
use crate::{
    Conflict, NewInboxMessage, NewPromise, NewTicket, NewVenue, PageRequest, RefundCommit, Store,
    TicketIssue, TicketPlan,
};

fn venue(city: &str, name: &str, seats: u32) -> NewVenue {
    NewVenue {
        city: city.to_owned(),
        name: name.to_owned(),
        address: format!("{city}{name}路 1 号"),
        seats,
        created_at: at(2),
    }
}

/// Tickets for every unseated registration of the plan, numbered after `plan.last_sequence`
/// and seated as O4 does it (`assign_seats`), each with its notice.
fn issue_from(plan: &TicketPlan, issued_at: Timestamp) -> TicketIssue {
    let mut sequence = plan.last_sequence;
    let mut tickets = Vec::new();
    for city in &plan.cities {
        let seats = assign_seats(&city.venues, city.unseated.len()).expect("enough seats");
        for (who, seat) in city.unseated.iter().zip(seats) {
            sequence += 1;
            tickets.push(NewTicket {
                registration_id: who.registration_id,
                number: TicketNumber::new(plan.period_id, sequence).expect("number"),
                venue_id: seat.venue,
                seat: seat.number,
                inbox: NewInboxMessage {
                    account_id: who.account_id,
                    kind: "admission_ticket_issued".to_owned(),
                    title_zh: "准考证已发放".to_owned(),
                    body_zh: format!("座位 {}", seat.number),
                    title_en: "Admission ticket issued".to_owned(),
                    body_en: format!("Seat {}", seat.number),
                    source_job: None,
                    created_at: issued_at,
                    deliveries: Vec::new(),
                },
            });
        }
    }
    TicketIssue {
        period_id: plan.period_id,
        tickets,
        issued_at,
    }
}

/// `n` buyers of `city`, each paid with the admission-ticket promise (due at `due`).
async fn seated_buyers(
    s: &dyn Store,
    exam: &Shop,
    city: &str,
    names: &[&str],
    due: Timestamp,
) -> Vec<RegistrationId> {
    let mut registrations = Vec::new();
    for name in names {
        let b = buyer(s, name, 1_000, 0).await;
        let mut p = paid(b, exam, city, 0, 400);
        p.promises.push(NewPromise {
            kind: PromiseKind::AdmissionTicket,
            due_at: due,
            kept_at: None,
        });
        let (_, registration) = s.commit_paid_registration(p).await.expect("paid");
        registrations.push(registration.id);
    }
    registrations
}

pub async fn venue_create_list_and_name_taken(store: Arc<dyn Store>) {
    let s = &*store;
    let a = s
        .commit_venue(venue("上海", "一号楼", 30), audit("venue.create", at(2)))
        .await
        .expect("venue");
    let b = s
        .commit_venue(venue("北京", "主楼", 10), audit("venue.create", at(3)))
        .await
        .expect("venue");
    let c = s
        .commit_venue(venue("上海", "二号楼", 20), audit("venue.create", at(4)))
        .await
        .expect("venue");
    assert_eq!((a.city.as_str(), a.seats), ("上海", 30));
    assert_eq!(
        s.list_venues(Some("上海")).await.expect("list"),
        vec![a.clone(), c.clone()]
    );
    assert_eq!(
        s.list_venues(None).await.expect("list"),
        vec![a, c, b],
        "cities in the order of their first venue"
    );
    assert!(s.list_venues(Some("深圳")).await.expect("list").is_empty());
    assert_conflict(
        s.commit_venue(venue("上海", "一号楼", 5), audit("venue.create", at(5)))
            .await,
        Conflict::VenueNameTaken,
    );
    let audited = s.list_audit(PageRequest::default()).await.expect("audit");
    let creates = audited
        .items
        .iter()
        .filter(|e| e.action == "venue.create")
        .count();
    assert_eq!(creates, 3, "the refused venue is not audited");
}

pub async fn tickets_issued_from_the_plan(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-OPS-A", &[("上海", 10), ("北京", 10)]).await;
    let big = s
        .commit_venue(venue("上海", "一号楼", 2), audit("venue.create", at(2)))
        .await
        .expect("venue");
    let small = s
        .commit_venue(venue("上海", "二号楼", 5), audit("venue.create", at(2)))
        .await
        .expect("venue");
    let due = at(87 * 86_400);
    let shanghai = seated_buyers(s, &exam, "上海", &["t-ann", "t-bob", "t-cat"], due).await;
    let beijing = seated_buyers(s, &exam, "北京", &["t-dan"], due).await;

    let plan = s.load_ticket_plan(exam.period.id).await.expect("plan");
    assert_eq!(plan.last_sequence, 0);
    let cities: Vec<(&str, usize, usize)> = plan
        .cities
        .iter()
        .map(|c| (c.city.as_str(), c.unseated.len(), c.venues.len()))
        .collect();
    assert_eq!(cities, vec![("上海", 3, 2), ("北京", 1, 0)], "{plan:?}");
    assert_eq!(
        plan.cities[0]
            .unseated
            .iter()
            .map(|u| u.registration_id)
            .collect::<Vec<_>>(),
        shanghai
    );

    // Beijing has no venue: only Shanghai is issued now.
    let mut shanghai_only = plan.clone();
    shanghai_only.cities.retain(|c| c.city == "上海");
    let issued_at = at(85 * 86_400);
    let issued = s
        .commit_tickets(issue_from(&shanghai_only, issued_at))
        .await
        .expect("issued");
    assert_eq!(issued, shanghai);

    let first = s
        .find_ticket(shanghai[0])
        .await
        .expect("find")
        .expect("ticket");
    assert_eq!(first.number, TicketNumber::new(exam.period.id, 1).unwrap());
    assert_eq!((first.venue.id, first.seat), (big.id, 1));
    assert_eq!(first.starts_at, exam.period.starts_at);
    assert_eq!(first.issued_at, issued_at);
    assert_eq!(first.checked_in_at, None);
    let third = s
        .find_ticket_by_number(&TicketNumber::new(exam.period.id, 3).unwrap())
        .await
        .expect("find")
        .expect("ticket");
    assert_eq!(
        (third.registration_id, third.venue.id, third.seat),
        (shanghai[2], small.id, 1)
    );
    assert_eq!(
        s.find_ticket(beijing[0]).await.expect("find"),
        None,
        "not issued"
    );

    for id in &shanghai {
        let r = s.get_registration(*id).await.expect("registration");
        assert_eq!(r.status, RegistrationStatus::TicketIssued);
        let promises = s.list_promises(*id).await.expect("promises");
        let ticket = promises
            .iter()
            .find(|p| p.kind == PromiseKind::AdmissionTicket)
            .expect("promise");
        assert_eq!(ticket.kept_at, Some(issued_at), "P1: kept at issue");
    }
    let holder = s.get_registration(shanghai[0]).await.expect("r").account_id;
    let inbox = s
        .list_inbox_messages(holder, PageRequest::default())
        .await
        .expect("inbox");
    assert!(
        inbox
            .items
            .iter()
            .any(|m| m.kind == "admission_ticket_issued"),
        "{inbox:?}"
    );

    // The plan now holds Beijing only, numbering after the three, seats after those given.
    let venue_bj = s
        .commit_venue(venue("北京", "主楼", 1), audit("venue.create", at(2)))
        .await
        .expect("venue");
    let later = s.load_ticket_plan(exam.period.id).await.expect("plan");
    assert_eq!(later.last_sequence, 3);
    assert_eq!(later.cities.len(), 1);
    assert_eq!(later.cities[0].city, "北京");
    assert_eq!(later.cities[0].venues[0].venue, venue_bj.id);
    let issued = s
        .commit_tickets(issue_from(&later, issued_at))
        .await
        .expect("issued");
    assert_eq!(issued, beijing);
    let dan = s
        .find_ticket(beijing[0])
        .await
        .expect("find")
        .expect("ticket");
    assert_eq!(dan.number.sequence(), 4);
    assert!(
        s.load_ticket_plan(exam.period.id)
            .await
            .expect("plan")
            .cities
            .is_empty()
    );
    assert_not_found(
        s.load_ticket_plan(certdesk_domain::ExamPeriodId(9_999))
            .await,
    );
}

pub async fn tickets_skip_the_refunded_and_refuse_a_taken_seat(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-OPS-P", &[("上海", 10)]).await;
    s.commit_venue(venue("上海", "一号楼", 10), audit("venue.create", at(2)))
        .await
        .expect("venue");
    let due = at(87 * 86_400);
    let regs = seated_buyers(s, &exam, "上海", &["r-amy", "r-ben"], due).await;
    let plan = s.load_ticket_plan(exam.period.id).await.expect("plan");

    // A refund between planning and issuing: that registration gets nothing.
    let order = s
        .get_registration(regs[0])
        .await
        .expect("r")
        .order_id
        .unwrap();
    s.commit_refund(RefundCommit {
        order_id: order,
        requested_at: at(20),
        completed_at: at(20),
        cash: fen(400),
        gift: fen(0),
        voucher_forfeited: fen(0),
        jobs: Vec::new(),
    })
    .await
    .expect("refunded");
    let issued = s
        .commit_tickets(issue_from(&plan, at(85 * 86_400)))
        .await
        .expect("issued");
    assert_eq!(issued, vec![regs[1]]);
    assert_eq!(s.find_ticket(regs[0]).await.expect("find"), None);
    assert_eq!(
        s.get_registration(regs[0]).await.expect("r").status,
        RegistrationStatus::Cancelled
    );

    // A third buyer seated on a seat already given: refused, nothing written.
    let more = seated_buyers(s, &exam, "上海", &["r-cyd"], due).await;
    let mut clash = issue_from(
        &s.load_ticket_plan(exam.period.id).await.expect("plan"),
        at(85 * 86_400),
    );
    let given = s.find_ticket(regs[1]).await.expect("find").expect("ticket");
    clash.tickets[0].seat = given.seat;
    assert_conflict(s.commit_tickets(clash).await, Conflict::TicketTaken);
    assert_eq!(s.find_ticket(more[0]).await.expect("find"), None);
    assert_eq!(
        s.get_registration(more[0]).await.expect("r").status,
        RegistrationStatus::Confirmed,
        "rolled back"
    );
}

pub async fn tickets_issued_twice_at_once_seat_everyone_once(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-OPS-E", &[("上海", 40)]).await;
    s.commit_venue(venue("上海", "一号楼", 40), audit("venue.create", at(2)))
        .await
        .expect("venue");
    let names: Vec<String> = (0..12).map(|i| format!("race-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let regs = seated_buyers(s, &exam, "上海", &names, at(87 * 86_400)).await;
    let plan = s.load_ticket_plan(exam.period.id).await.expect("plan");
    let (a, b) = (store.clone(), store.clone());
    let (first, second) = (
        issue_from(&plan, at(85 * 86_400)),
        issue_from(&plan, at(85 * 86_400)),
    );
    let (x, y) = tokio::join!(
        tokio::spawn(async move { a.commit_tickets(first).await }),
        tokio::spawn(async move { b.commit_tickets(second).await }),
    );
    let counts: Vec<usize> = [x.expect("task"), y.expect("task")]
        .into_iter()
        .map(|r| match r {
            Ok(issued) => issued.len(),
            Err(crate::StoreError::Conflict(Conflict::TicketTaken)) => 0,
            Err(e) => panic!("unexpected {e:?}"),
        })
        .collect();
    assert_eq!(counts.iter().sum::<usize>(), regs.len(), "{counts:?}");
    for id in &regs {
        assert!(s.find_ticket(*id).await.expect("find").is_some());
    }
}

pub async fn check_in_records_the_first_scan(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-DEV-P", &[("上海", 5)]).await;
    s.commit_venue(venue("上海", "一号楼", 5), audit("venue.create", at(2)))
        .await
        .expect("venue");
    let regs = seated_buyers(s, &exam, "上海", &["c-eve"], at(87 * 86_400)).await;
    let plan = s.load_ticket_plan(exam.period.id).await.expect("plan");
    s.commit_tickets(issue_from(&plan, at(85 * 86_400)))
        .await
        .expect("issued");
    let number = s
        .find_ticket(regs[0])
        .await
        .expect("find")
        .expect("ticket")
        .number;
    let first = s
        .commit_check_in(
            &number,
            at(90 * 86_400 - 600),
            audit("ticket.check_in", at(1)),
        )
        .await
        .expect("checked in");
    assert_eq!(first.checked_in_at, Some(at(90 * 86_400 - 600)));
    let again = s
        .commit_check_in(
            &number,
            at(90 * 86_400 - 60),
            audit("ticket.check_in", at(2)),
        )
        .await
        .expect("harmless");
    assert_eq!(
        again.checked_in_at, first.checked_in_at,
        "the first scan's time stays"
    );
    let unknown = TicketNumber::new(exam.period.id, 99).unwrap();
    assert_not_found(
        s.commit_check_in(&unknown, at(1), audit("ticket.check_in", at(3)))
            .await,
    );
}
