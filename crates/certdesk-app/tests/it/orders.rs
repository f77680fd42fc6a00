//! O5/O6/O10/P1/E3: the whole official-channel journey — verify, money in, quote, register
//! and pay in one call, the confirmation delivered and its promise kept, "my exams" with
//! deadlines, a previewed refund, and everything given back but the voucher.

use certdesk_domain::Policy;
use certdesk_domain::{
    OrderStatus, PayFirst, PromiseKind, RegistrationStatus, rules::refund_deadline,
    rules::reschedule_deadline,
};

use crate::official::{
    CERT, FEE, World, exam_start, fen, hours, order, paying, seats_left, secs, with_voucher,
};
use crate::start;

#[tokio::test]
async fn o5_journey_register_pay_confirm_and_refund() {
    let w = World::new().await;
    let t = &w.t;
    let period = w.period().await;
    let me = w.verified("zhang@example.com", "11010519900101001").await;
    w.credit(me.id, "cash", 20_000).await;
    w.credit(me.id, "gift", 10_000).await;
    let voucher = w.voucher(me.id, 5_000, 20_000).await;
    let input = with_voucher(
        order(&period, " 深圳 "),
        &voucher.code.as_str().to_lowercase(),
    );

    // The checkout page: every check, nothing committed.
    let quote = t.app.quote_order(&me, &input).await.unwrap();
    assert_eq!(quote.certification.data.code.as_str(), CERT);
    assert_eq!((quote.city.as_str(), quote.seats_left), ("深圳", 10));
    assert_eq!(quote.plan.total(), fen(FEE));
    assert_eq!(
        (quote.plan.voucher(), quote.plan.gift(), quote.plan.cash()),
        (fen(5_000), fen(10_000), fen(15_000)),
        "O5: voucher, then gift credit first by default, then cash"
    );
    assert_eq!(quote.registration_closes_at, period.registration_closes_at);
    assert_eq!(quote.refund_until_if_paid_now, start() + hours(120));
    assert_eq!(
        w.balances(&me).await,
        (20_000, 10_000),
        "a quote commits nothing"
    );

    let placed = t.app.register_and_pay(&me, input, None).await.unwrap();
    assert!(!placed.replayed);
    let (o, r) = (&placed.order, &placed.registration);
    assert_eq!(
        (o.status, o.paid_at, o.account_id),
        (OrderStatus::Paid, start(), me.id)
    );
    assert_eq!(
        (o.voucher, o.gift, o.cash),
        (fen(5_000), fen(10_000), fen(15_000))
    );
    assert_eq!(o.voucher_id, Some(voucher.id));
    assert_eq!(o.pay_first, PayFirst::Gift);
    assert_eq!(r.status, RegistrationStatus::Confirmed);
    assert_eq!(
        (r.city.as_deref(), r.period_id),
        (Some("深圳"), Some(period.id))
    );
    assert_eq!(r.exam_starts_at, Some(exam_start()));
    assert_eq!(w.balances(&me).await, (5_000, 0));
    assert_eq!(seats_left(t, &period, "深圳").await, 9);

    // O6/P1: the confirmation is an inbox message, written with the payment.
    let promises = t.store().list_promises(r.id).await.unwrap();
    let kinds: Vec<_> = promises.iter().map(|p| p.kind).collect();
    for kind in [
        PromiseKind::Confirmation,
        PromiseKind::AdmissionTicket,
        PromiseKind::Score,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} recorded at payment");
    }
    let confirmation = promises
        .iter()
        .find(|p| p.kind == PromiseKind::Confirmation)
        .unwrap();
    // B2: paid Monday 2027-03-01 09:00 → by the end of Tuesday (24:00 Beijing).
    assert_eq!(confirmation.due_at, "2027-03-02T16:00:00Z".parse().unwrap());
    // O6: the inbox confirmation is part of the payment's commit, so it is kept at payment,
    // before any job has run.
    assert_eq!(confirmation.kept_at, Some(start()));
    let summary = t.app.promise_summary(&w.admin).await.unwrap();
    let conf = summary
        .iter()
        .find(|s| s.kind == PromiseKind::Confirmation)
        .unwrap();
    assert_eq!((conf.kept_on_time, conf.overdue, conf.pending), (1, 0, 0));

    let inbox = w.messages(&me).await;
    let confirmed = inbox
        .iter()
        .find(|m| m.kind == "registration_confirmed")
        .unwrap();
    assert_eq!(confirmed.title_zh, "报名成功");
    assert!(
        confirmed.body_zh.contains("腾讯云从业者认证"),
        "{}",
        confirmed.body_zh
    );
    assert!(
        confirmed.body_zh.contains("考试城市：深圳"),
        "{}",
        confirmed.body_zh
    );
    assert!(
        confirmed
            .body_zh
            .contains("2027年4月10日 09:00（北京时间）"),
        "{}",
        confirmed.body_zh
    );
    assert!(
        confirmed.body_zh.contains("¥300.00"),
        "{}",
        confirmed.body_zh
    );
    // The operator's credit and voucher notices are outbox jobs, delivered by the worker.
    t.run_jobs().await;
    let inbox = w.messages(&me).await;
    for kind in ["credit_received", "voucher_received"] {
        assert!(inbox.iter().any(|m| m.kind == kind), "{kind} delivered");
    }

    // E3: "my exams" with the deadlines the rules enforce.
    let mine = t.app.list_my_registrations(&me).await.unwrap();
    assert_eq!(mine.len(), 1);
    let view = &mine[0];
    assert_eq!(view.order.as_ref().map(|o| o.id), Some(o.id));
    assert_eq!(view.period.as_ref().map(|p| p.id), Some(period.id));
    let policy = Policy::default();
    assert_eq!(
        view.deadlines.refund_until,
        Some(refund_deadline(start(), &policy))
    );
    assert_eq!(view.deadlines.refund_until, Some(start() + hours(120)));
    assert_eq!(
        view.deadlines.reschedule_until,
        Some(reschedule_deadline(exam_start(), &policy))
    );
    assert_eq!(t.app.get_my_registration(&me, r.id).await.unwrap(), *view);
    assert_eq!(t.app.get_my_order(&me, o.id).await.unwrap(), *o);

    // O10: previewed, then refunded: proportional to what cash and gift paid, voucher kept.
    t.clock.advance(hours(119));
    let plan = t.app.preview_refund(&me, o.id).await.unwrap();
    assert_eq!(
        (plan.cash, plan.gift, plan.voucher_forfeited),
        (fen(15_000), fen(10_000), fen(5_000))
    );
    let refund = t.app.refund_order(&me, o.id).await.unwrap();
    assert_eq!(
        (refund.cash, refund.gift, refund.voucher_forfeited),
        (plan.cash, plan.gift, plan.voucher_forfeited)
    );
    let now = start() + hours(119);
    assert_eq!((refund.requested_at, refund.completed_at), (now, now));
    assert_eq!(w.balances(&me).await, (20_000, 10_000), "balances back");
    assert_eq!(seats_left(t, &period, "深圳").await, 10, "seat released");
    let wallet = t.app.wallet(&me).await.unwrap();
    assert_eq!(
        wallet.vouchers[0].used_by_order,
        Some(o.id),
        "voucher forfeited"
    );

    let view = t.app.get_my_registration(&me, r.id).await.unwrap();
    assert_eq!(view.registration.status, RegistrationStatus::Cancelled);
    assert_eq!(view.refund, Some(refund.clone()));
    assert_eq!(view.order.unwrap().status, OrderStatus::Refunded);
    assert_eq!(
        view.deadlines,
        Default::default(),
        "a cancelled registration has none"
    );

    t.run_jobs().await;
    let inbox = w.messages(&me).await;
    let refunded = inbox.iter().find(|m| m.kind == "refund_completed").unwrap();
    assert!(
        refunded.body_zh.contains("退回现金余额：¥150.00"),
        "{}",
        refunded.body_zh
    );
    assert!(
        refunded.body_zh.contains("退回赠送金余额：¥100.00"),
        "{}",
        refunded.body_zh
    );
    assert!(
        refunded.body_zh.contains("¥50.00 不予退还"),
        "{}",
        refunded.body_zh
    );

    // The seat and the person are free again: the same person may register anew (A2).
    let again = t
        .app
        .register_and_pay(&me, paying(order(&period, "北京"), PayFirst::Cash), None)
        .await
        .unwrap();
    assert_eq!(
        (again.order.cash, again.order.gift),
        (fen(20_000), fen(10_000))
    );
    assert_eq!(seats_left(t, &period, "北京").await, 0);
}

#[tokio::test]
async fn e3_a_placed_order_carries_the_deadlines_my_exams_shows() {
    let w = World::new().await;
    let t = &w.t;
    let period = w.period().await;
    let me = w.verified("zhao@example.com", "11010519900101004").await;
    w.credit(me.id, "cash", FEE).await;
    let placed = t
        .app
        .register_and_pay(&me, order(&period, "深圳"), Some("e3-key"))
        .await
        .unwrap();
    let policy = Policy::default();
    assert_eq!(
        placed.deadlines.refund_until,
        Some(refund_deadline(start(), &policy))
    );
    assert_eq!(
        placed.deadlines.reschedule_until,
        Some(reschedule_deadline(exam_start(), &policy))
    );
    let view = t
        .app
        .get_my_registration(&me, placed.registration.id)
        .await
        .unwrap();
    assert_eq!(
        placed.deadlines, view.deadlines,
        "one computation, one answer"
    );

    // A replay answers with the deadlines as they stand: refunded, none are left.
    t.app.refund_order(&me, placed.order.id).await.unwrap();
    let replay = t
        .app
        .register_and_pay(&me, order(&period, "深圳"), Some("e3-key"))
        .await
        .unwrap();
    assert!(replay.replayed);
    assert_eq!(replay.deadlines, Default::default());
}

#[tokio::test]
async fn a2_another_account_of_the_person_sees_the_registration_but_not_the_money() {
    let w = World::new().await;
    let t = &w.t;
    let period = w.period().await;
    let me = w.verified("li@example.com", "11010519900101002").await;
    let also_me = w.verified("li.work@example.com", "11010519900101002").await;
    let stranger = w.verified("wang@example.com", "11010519900101003").await;
    let unverified = t.candidate("nobody@example.com").await;
    w.credit(me.id, "cash", FEE).await;
    let placed = t
        .app
        .register_and_pay(&me, order(&period, "深圳"), None)
        .await
        .unwrap();
    let (o, r) = (placed.order.id, placed.registration.id);

    let seen = t.app.get_my_registration(&also_me, r).await.unwrap();
    assert_eq!(seen.registration.id, r);
    assert_eq!((seen.order, seen.refund), (None, None));
    assert_eq!(
        seen.deadlines.refund_until, None,
        "the refund right is the payer's"
    );
    assert!(seen.deadlines.reschedule_until.is_some());
    assert_eq!(
        t.app.list_my_registrations(&also_me).await.unwrap().len(),
        1
    );

    use crate::code;
    use certdesk_domain::ErrorCode::NotFound;
    assert_eq!(code(t.app.get_my_order(&also_me, o).await), NotFound);
    assert_eq!(code(t.app.refund_order(&also_me, o).await), NotFound);
    for who in [&stranger, &unverified] {
        assert_eq!(code(t.app.get_my_registration(who, r).await), NotFound);
        assert_eq!(code(t.app.get_my_order(who, o).await), NotFound);
        assert_eq!(code(t.app.preview_refund(who, o).await), NotFound);
        assert_eq!(code(t.app.refund_order(who, o).await), NotFound);
        assert!(t.app.list_my_registrations(who).await.unwrap().is_empty());
    }
    assert_eq!(
        code(
            t.app
                .get_my_registration(&me, certdesk_domain::RegistrationId(9_999))
                .await
        ),
        NotFound
    );
    assert_eq!(
        code(
            t.app
                .get_my_order(&me, certdesk_domain::OrderId(9_999))
                .await
        ),
        NotFound
    );
}

#[tokio::test]
async fn p1_operators_open_each_overdue_promise() {
    use certdesk_domain::ErrorCode;
    use certdesk_domain::rules::admission_ticket_due;
    use certdesk_store::PageRequest;

    let w = World::new().await;
    let t = &w.t;
    let period = w.period().await;
    let me = w.verified("late@example.com", "11010519900101061").await;
    w.credit(me.id, "cash", FEE).await;
    let placed = t
        .app
        .register_and_pay(&me, order(&period, "深圳"), None)
        .await
        .unwrap();
    let r = &placed.registration;

    // Candidates are refused as the summary refuses them.
    let page = PageRequest::first(50);
    assert_eq!(
        crate::code(t.app.overdue_promises(&me, None, page).await),
        ErrorCode::Forbidden
    );
    // O6: the confirmation was kept at payment; nothing is overdue yet.
    let now = t.app.overdue_promises(&w.admin, None, page).await.unwrap();
    assert!(now.items.is_empty() && now.next_cursor.is_none());

    // O4: the admission ticket falls due; nobody issued it.
    let due = admission_ticket_due(exam_start(), &Policy::default());
    t.clock.set(due - secs(1));
    let before = t.app.overdue_promises(&w.admin, None, page).await.unwrap();
    assert!(
        before.items.is_empty(),
        "T4: not overdue before its due time"
    );
    t.clock.set(due);
    let overdue = t.app.overdue_promises(&w.admin, None, page).await.unwrap();
    assert_eq!(overdue.items.len(), 1);
    let item = &overdue.items[0];
    assert_eq!(
        (item.kind, item.due_at),
        (PromiseKind::AdmissionTicket, due)
    );
    let reg = item.registration.as_ref().unwrap();
    assert_eq!((reg.id, reg.account_id), (r.id, me.id));
    assert_eq!(reg.certification_code.as_str(), CERT);
    assert_eq!(
        (reg.city.as_deref(), reg.exam_starts_at, reg.status),
        (
            Some("深圳"),
            Some(exam_start()),
            RegistrationStatus::Confirmed
        )
    );
    let summary = t.app.promise_summary(&w.admin).await.unwrap();
    let tickets = summary
        .iter()
        .find(|s| s.kind == PromiseKind::AdmissionTicket)
        .unwrap();
    assert_eq!(tickets.overdue, 1, "the list and the summary agree");

    // The kind filter.
    let confirmations = t
        .app
        .overdue_promises(&w.admin, Some(PromiseKind::Confirmation), page)
        .await
        .unwrap();
    assert!(confirmations.items.is_empty());
    let tickets = t
        .app
        .overdue_promises(&w.admin, Some(PromiseKind::AdmissionTicket), page)
        .await
        .unwrap();
    assert_eq!(tickets.items, overdue.items);
}
