//! API conventions + O5: `Idempotency-Key` — the same key and body give the first answer and
//! charge once (also when the two requests race); the same key with another body is 422
//! `idempotency_key_reused`; keys are per account.

use certdesk_domain::{ErrorCode, PayFirst};

use crate::official::{FEE, World, order, paying, with_voucher};
use crate::{code, field};

#[tokio::test]
async fn same_key_and_body_replays_the_first_answer_charged_once() {
    let w = World::new().await;
    let period = w.period().await;
    let me = w.verified("tang@example.com", "11010519900101031").await;
    w.credit(me.id, "cash", FEE).await;
    let v = w.voucher(me.id, 1_000, 0).await;
    let input = with_voucher(order(&period, "深圳"), v.code.as_str());
    let first =
        w.t.app
            .register_and_pay(&me, input, Some("k-1"))
            .await
            .unwrap();
    assert!(!first.replayed);
    assert_eq!(w.balances(&me).await, (1_000, 0));

    // The same order spelt differently (spaces, case, the default made explicit) is the same
    // body; the balance no longer covers it and the voucher is used, yet it replays.
    let again = paying(
        with_voucher(order(&period, " 深圳 "), &v.code.as_str().to_lowercase()),
        PayFirst::Gift,
    );
    let replay =
        w.t.app
            .register_and_pay(&me, again, Some("k-1"))
            .await
            .unwrap();
    assert!(replay.replayed);
    assert_eq!(
        (replay.order.clone(), replay.registration.clone()),
        (first.order, first.registration)
    );
    assert_eq!(w.balances(&me).await, (1_000, 0), "charged once");
    assert_eq!(w.t.app.list_my_registrations(&me).await.unwrap().len(), 1);

    // Same key, another body.
    let other = paying(order(&period, "深圳"), PayFirst::Cash);
    let r = w.t.app.register_and_pay(&me, other, Some("k-1")).await;
    assert_eq!(field(r).as_deref(), Some("Idempotency-Key"));
    let r =
        w.t.app
            .register_and_pay(&me, order(&period, "北京"), Some("k-1"))
            .await;
    assert_eq!(code(r), ErrorCode::IdempotencyKeyReused);

    // A malformed key is refused before anything happens.
    let r =
        w.t.app
            .register_and_pay(&me, order(&period, "深圳"), Some("has space"))
            .await;
    assert_eq!(field(r).as_deref(), Some("Idempotency-Key"));

    // Keys belong to one account: someone else's "k-1" is a fresh order.
    let you = w.verified("song@example.com", "11010519900101032").await;
    w.credit(you.id, "cash", FEE).await;
    let yours =
        w.t.app
            .register_and_pay(&you, order(&period, "深圳"), Some("k-1"))
            .await
            .unwrap();
    assert!(!yours.replayed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_twins_with_one_key_both_answer_the_one_order() {
    let w = World::new().await;
    let period = w.period().await;
    let me = w.verified("xu@example.com", "11010519900101033").await;
    w.credit(me.id, "cash", FEE).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let app = w.t.app.clone();
        let me = me.clone();
        let input = order(&period, "深圳");
        tasks.push(tokio::spawn(async move {
            app.register_and_pay(&me, input, Some("race")).await
        }));
    }
    let mut orders = Vec::new();
    for task in tasks {
        orders.push(
            task.await
                .unwrap()
                .expect("every twin gets the one answer")
                .order
                .id,
        );
    }
    orders.dedup();
    assert_eq!(orders.len(), 1, "one order: {orders:?}");
    assert_eq!(w.balances(&me).await, (0, 0), "charged once");
    assert_eq!(crate::official::seats_left(&w.t, &period, "深圳").await, 9);
}
