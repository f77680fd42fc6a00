//! Jobs respect the registration's state (issue 8, item 8): the ticket, score and certificate
//! jobs read each registration as it is when they run, so one refunded (O10) or moved to
//! another sitting (O7) before they run gets nothing from its old period — no ticket, no
//! result, no certificate, no notice — and its promises are voided or follow it.

use certdesk_app::{ResultsUpload, VenueInput};
use certdesk_domain::{ErrorCode, PromiseKind, RegistrationId, RegistrationStatus};
use certdesk_store::{Account, ExamPeriod};
use jiff::Timestamp;
use serde_json::json;

use crate::official::{World, exam_start};
use crate::reschedule::days;

async fn venue(w: &World, city: &str, seats: i64) {
    let input = VenueInput {
        city: city.into(),
        name: format!("{city}考点"),
        address: format!("{city}市高新区科技路 1 号"),
        seats,
    };
    w.t.app.create_venue(&w.admin, input).await.unwrap();
}

async fn ticket_notices(w: &World, who: &Account) -> usize {
    w.messages(who)
        .await
        .iter()
        .filter(|m| m.kind == "admission_ticket_issued")
        .count()
}

async fn has_ticket(w: &World, r: RegistrationId) -> bool {
    w.t.store().find_ticket(r).await.unwrap().is_some()
}

async fn promise(w: &World, r: RegistrationId, kind: PromiseKind) -> certdesk_store::Promise {
    let all = w.t.store().list_promises(r).await.unwrap();
    all.into_iter()
        .find(|p| p.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} promise for {r}"))
}

fn results(lines: &[(RegistrationId, u32)]) -> ResultsUpload {
    ResultsUpload::Json(
        lines
            .iter()
            .map(|(r, score)| json!({"registration_id": r.get(), "score": score}))
            .collect(),
    )
}

/// One period's tickets at start − 5 days, run as the worker would.
async fn tickets_at(w: &World, period: &ExamPeriod) {
    w.t.clock.set(period.starts_at - days(5));
    w.t.run_jobs().await;
}

fn exam_end(period: &ExamPeriod) -> Timestamp {
    period.ends_at
}

#[tokio::test]
async fn refunded_and_moved_registrations_get_nothing_from_their_old_period() {
    let w = World::new().await;
    venue(&w, "深圳", 30).await;
    let first = w.period().await;
    let later = w.period_at(exam_start() + days(14), &[("深圳", 10)]).await;
    let (stays, kept) = w
        .bought("stay@example.com", "11010519900101100", &first, "深圳")
        .await;
    let (leaves, gone) = w
        .bought("leave@example.com", "11010519900101101", &first, "深圳")
        .await;
    let (mover, moved) = w
        .bought("move@example.com", "11010519900101102", &first, "深圳")
        .await;
    let kept = kept.registration.id;
    let moved = moved.registration.id;

    // Refunded (O10) and moved (O7) long before the tickets.
    let order = gone.order.id;
    let gone = gone.registration.id;
    w.t.app.refund_order(&leaves, order).await.unwrap();
    w.reschedule(&mover, moved, &later, "深圳").await.unwrap();

    // O4: the first period's tickets go to the one still on it.
    tickets_at(&w, &first).await;
    assert!(has_ticket(&w, kept).await);
    assert!(
        !has_ticket(&w, gone).await,
        "a refunded registration gets no ticket"
    );
    assert!(
        !has_ticket(&w, moved).await,
        "a moved one gets none from its old period"
    );
    assert_eq!(ticket_notices(&w, &stays).await, 1);
    assert_eq!(ticket_notices(&w, &mover).await, 0);
    // P1: the refunded registration's ticket promise is voided, not overdue; the moved one's
    // follows it to the later sitting.
    let voided = promise(&w, gone, PromiseKind::AdmissionTicket).await;
    assert!(voided.voided_at.is_some() && voided.kept_at.is_none());
    let follows = promise(&w, moved, PromiseKind::AdmissionTicket).await;
    assert_eq!(follows.kept_at, None);
    assert_eq!(follows.due_at, later.starts_at - days(3));

    // O6: at the first period's end, the refunded and the moved registrations take no result
    // from it; nothing is stored while any line is bad.
    w.t.clock.set(exam_end(&first));
    let store = w.t.store();
    for (other, code) in [
        (gone, ErrorCode::RegistrationCancelled),
        (moved, ErrorCode::ExamNotEnded),
    ] {
        let outcome =
            w.t.app
                .import_results(&w.admin, results(&[(kept, 80), (other, 90)]))
                .await
                .unwrap();
        assert_eq!(outcome.accepted, 0);
        let refused: Vec<_> = outcome
            .rejected
            .iter()
            .map(|e| (e.line, e.refusal.code))
            .collect();
        assert_eq!(refused, vec![(2, code)]);
        let kept_now = store.get_registration(kept).await.unwrap();
        assert_eq!(kept_now.status, RegistrationStatus::TicketIssued);
    }

    // The one still on the first period passes: its certificate (O9) and nobody else's.
    let outcome =
        w.t.app
            .import_results(&w.admin, results(&[(kept, 80)]))
            .await
            .unwrap();
    assert_eq!(outcome.accepted, 1);
    w.t.run_jobs().await;
    assert_eq!(w.t.app.my_certificates(&stays).await.unwrap().len(), 1);
    assert!(w.t.app.my_certificates(&mover).await.unwrap().is_empty());
    let gone_now = store.get_registration(gone).await.unwrap();
    assert_eq!(gone_now.status, RegistrationStatus::Cancelled);
    assert!(
        store
            .list_promises(gone)
            .await
            .unwrap()
            .iter()
            .all(
                |p| p.kind != PromiseKind::ECertificate && p.kind != PromiseKind::Score
                    || p.voided_at.is_some()
            )
    );

    // The moved registration gets its ticket from the later period's job, once.
    tickets_at(&w, &later).await;
    assert!(has_ticket(&w, moved).await);
    assert_eq!(ticket_notices(&w, &mover).await, 1);
    let kept_promise = promise(&w, moved, PromiseKind::AdmissionTicket).await;
    assert_eq!(kept_promise.kept_at, Some(later.starts_at - days(5)));
}

#[tokio::test]
async fn o4_a_move_into_a_sitting_whose_tickets_are_out_gets_its_ticket_at_once() {
    let w = World::new().await;
    // 北京 has no venue yet, so the first sitting's 北京 candidate waits for a seat (O4: an
    // operator alert, not a ticket); 深圳 has one.
    venue(&w, "深圳", 10).await;
    let first = w.period().await;
    let later = w.period_at(exam_start() + days(2), &[("深圳", 10)]).await;
    let (me, placed) = w
        .bought("wait@example.com", "11010519900101103", &first, "北京")
        .await;
    let r = placed.registration.id;
    // Both ticket windows are open; the later sitting's tickets go out (to nobody yet).
    let now = later.starts_at - days(4) - jiff::SignedDuration::from_hours(1);
    w.t.clock.set(now);
    w.t.run_jobs().await;
    assert!(!has_ticket(&w, r).await);

    // A policy whose reschedule cutoff (2 days) lies inside the ticket window (5 days).
    let app =
        w.t.with_policy(certdesk_domain::Policy {
            reschedule_cutoff_days_before: 2,
            ..certdesk_domain::Policy::default()
        })
        .await;
    app.reschedule(&me, r, later.id, "深圳").await.unwrap();
    w.t.run_jobs().await;
    assert!(has_ticket(&w, r).await, "O4: the ticket at once");
    assert_eq!(ticket_notices(&w, &me).await, 1);
    let kept = promise(&w, r, PromiseKind::AdmissionTicket).await;
    assert_eq!(kept.kept_at, Some(now));
}
