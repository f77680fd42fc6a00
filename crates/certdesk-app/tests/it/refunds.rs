//! O10: the self-service refund window — 120 h after payment, exclusive (T4), checked at the
//! request to the second — and a second refund of the same order.

use certdesk_app::AppError;
use certdesk_domain::ErrorCode;

use crate::code;
use crate::official::{FEE, World, fen, hours, order, secs};
use crate::start;

#[tokio::test]
async fn o10_refund_window_closes_at_paid_at_plus_120h() {
    let w = World::new().await;
    let period = w.period().await;
    let me = w.verified("guo@example.com", "11010519900101041").await;
    w.credit(me.id, "cash", FEE).await;
    let placed =
        w.t.app
            .register_and_pay(&me, order(&period, "深圳"), None)
            .await
            .unwrap();
    let id = placed.order.id;
    let deadline = start() + hours(120);

    w.t.clock.set(deadline);
    match w.t.app.refund_order(&me, id).await {
        Err(AppError::Refused(r)) => {
            assert_eq!(
                (r.code, r.rule, r.deadline),
                (ErrorCode::RefundWindowPassed, Some("O10"), Some(deadline))
            );
        }
        other => panic!("expected refund_window_passed, got {other:?}"),
    }
    assert_eq!(
        code(w.t.app.preview_refund(&me, id).await),
        ErrorCode::RefundWindowPassed
    );
    assert_eq!(w.balances(&me).await, (0, 0), "nothing returned");

    w.t.clock.set(deadline - secs(1));
    let plan = w.t.app.preview_refund(&me, id).await.unwrap();
    assert_eq!(
        (plan.cash, plan.gift, plan.deadline),
        (fen(FEE), fen(0), deadline)
    );
    let refund = w.t.app.refund_order(&me, id).await.unwrap();
    assert_eq!(refund.requested_at, deadline - secs(1));
    assert_eq!(w.balances(&me).await, (FEE, 0));

    // A second refund of the same order, in or out of the window.
    match w.t.app.refund_order(&me, id).await {
        Err(AppError::Refused(r)) => {
            assert_eq!((r.code, r.rule), (ErrorCode::AlreadyRefunded, Some("O10")))
        }
        other => panic!("expected already_refunded, got {other:?}"),
    }
    assert_eq!(
        code(w.t.app.preview_refund(&me, id).await),
        ErrorCode::AlreadyRefunded
    );
    w.t.clock.set(deadline + hours(1));
    assert_eq!(
        code(w.t.app.refund_order(&me, id).await),
        ErrorCode::AlreadyRefunded
    );
    assert_eq!(w.balances(&me).await, (FEE, 0), "refunded once");
}

#[tokio::test]
async fn o10_split_is_exact_in_fen_by_largest_remainder() {
    let w = World::new().await;
    let period = w.period().await;
    let me = w.verified("lin@example.com", "11010519900101042").await;
    // ¥300 paid as voucher 1 fen, gift 10,001 fen, cash 19,998 fen.
    w.credit(me.id, "gift", 10_001).await;
    w.credit(me.id, "cash", 19_998).await;
    let v = w.voucher(me.id, 1, 0).await;
    let input = crate::official::with_voucher(order(&period, "深圳"), v.code.as_str());
    let placed = w.t.app.register_and_pay(&me, input, None).await.unwrap();
    assert_eq!(
        (placed.order.voucher, placed.order.gift, placed.order.cash),
        (fen(1), fen(10_001), fen(19_998))
    );
    let refund = w.t.app.refund_order(&me, placed.order.id).await.unwrap();
    assert_eq!(
        (refund.cash, refund.gift, refund.voucher_forfeited),
        (fen(19_998), fen(10_001), fen(1))
    );
    assert_eq!(w.balances(&me).await, (19_998, 10_001));
}
