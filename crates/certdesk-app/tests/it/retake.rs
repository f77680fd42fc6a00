//! O8 through the use case: the retake itself (a registration of its own with no order, its
//! seat, its promises, the inbox), the page's options before and after, and the ticket at
//! once when the target's tickets are already out.

use certdesk_app::{ResultsUpload, VenueInput};
use certdesk_domain::{
    Attempt, ErrorCode, Policy, PromiseKind, RegistrationId, RegistrationStatus,
    rules::{admission_ticket_due, score_due},
};
use certdesk_store::{Account, ExamPeriod};

use crate::code;
use crate::official::{World, exam_start, hours, seats_left};
use crate::reschedule::days;

/// A verified candidate who bought the default period in 深圳 and failed it (59 < 60); the
/// clock just after the exam.
async fn failed(w: &World, email: &str, id17: &str) -> (Account, ExamPeriod, RegistrationId) {
    let first = w.period().await;
    let (me, placed) = w.bought(email, id17, &first, "深圳").await;
    w.t.clock.set(exam_start() + hours(3));
    let csv = format!(
        "registration_id,score,absent\r\n{},59,false\r\n",
        placed.registration.id
    );
    let done =
        w.t.app
            .import_results(&w.admin, ResultsUpload::Csv(csv.into_bytes()))
            .await
            .unwrap();
    assert_eq!(done.accepted, 1);
    (me, first, placed.registration.id)
}

#[tokio::test]
async fn o8_retake_registers_a_free_seat_with_its_promises_and_inbox() {
    let w = World::new().await;
    let (me, _, first) = failed(&w, "bu@example.com", "11010519900101091").await;
    let target = w.period_at(exam_start() + days(40), &[("上海", 2)]).await;
    let options = w.t.app.retake_options(&me, first).await.unwrap();
    assert_eq!(options.refusal, None);
    assert_eq!(
        options.deadline,
        Some("2027-06-30T01:00:00Z".parse().unwrap()),
        "E3: first start + 3 months − 10 days"
    );
    let ids: Vec<_> = options.targets.iter().map(|t| t.period.id).collect();
    assert_eq!(ids, [target.id]);
    assert_eq!(options.targets[0].apply_until, target.starts_at - days(10));

    let view = w.t.app.retake(&me, first, target.id, "上海").await.unwrap();
    let r = &view.registration;
    assert_eq!(
        (r.attempt, r.status, r.order_id, r.retake_of),
        (
            Attempt::Retake,
            RegistrationStatus::Confirmed,
            None,
            Some(first)
        )
    );
    assert_eq!(view.order, None);
    assert_eq!(view.deadlines, Default::default());
    assert_eq!(seats_left(&w.t, &target, "上海").await, 1);
    let promises: Vec<_> =
        w.t.store()
            .list_promises(r.id)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.kind, p.due_at))
            .collect();
    let policy = Policy::default();
    assert_eq!(
        promises,
        [
            (
                PromiseKind::AdmissionTicket,
                admission_ticket_due(target.starts_at, &policy)
            ),
            (PromiseKind::Score, score_due(target.ends_at, &policy)),
        ]
    );
    let inbox = w.messages(&me).await;
    assert!(inbox.iter().any(|m| m.kind == "retake_registered"
        && m.title_zh == "补考报名成功"
        && m.body_zh.contains("上海")));

    // The first attempt: used, linked, no deadline; a second try is `retake_used`.
    let options = w.t.app.retake_options(&me, first).await.unwrap();
    assert_eq!(options.retake, Some(r.id));
    assert_eq!(options.deadline, None);
    assert_eq!(options.refusal.map(|r| r.code), Some(ErrorCode::RetakeUsed));
    assert_eq!(
        code(w.t.app.retake(&me, first, target.id, "上海").await),
        ErrorCode::RetakeUsed
    );
}

#[tokio::test]
async fn o8_a_retake_into_a_period_whose_tickets_are_out_gets_its_ticket_at_once() {
    let w = World::new().await;
    let (me, _, first) = failed(&w, "piao@example.com", "11010519900101092").await;
    let target = w.period_at(exam_start() + days(40), &[("上海", 2)]).await;
    w.t.app
        .create_venue(
            &w.admin,
            VenueInput {
                city: "上海".into(),
                name: "浦东考点".into(),
                address: "上海市浦东新区".into(),
                seats: 10,
            },
        )
        .await
        .unwrap();
    // A policy whose apply cutoff (2 days) is inside the ticket window (5 days): 4 days before
    // the start the tickets are out and the retake may still be applied for.
    w.t.clock.set(target.starts_at - days(4));
    w.t.run_jobs().await;
    let app =
        w.t.with_policy(Policy {
            retake_apply_cutoff_days_before: 2,
            ..Policy::default()
        })
        .await;
    let view = app.retake(&me, first, target.id, "上海").await.unwrap();
    assert!(view.ticket.is_none(), "issued by the job, after the commit");
    w.t.run_jobs().await;
    let view = app
        .get_my_registration(&me, view.registration.id)
        .await
        .unwrap();
    assert_eq!(view.registration.status, RegistrationStatus::TicketIssued);
    assert!(view.ticket.is_some(), "O4: the ticket at once");
}
