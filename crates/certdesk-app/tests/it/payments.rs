//! O5: cash top-ups through the sandbox gateway — the signed callback credits once however
//! often it arrives, a bad signature is refused, a cancelled top-up stays cancelled.

use certdesk_app::gateway::SANDBOX_SIGNATURE_HEADER;
use certdesk_app::{PaymentGateway, SandboxGateway};
use certdesk_domain::{ErrorCode, PaymentId, PaymentStatus, RawAmount};
use certdesk_store::Payment;

use crate::official::{World, fen};
use crate::{code, field};

async fn top_up(w: &World, who: &certdesk_store::Account, fen: i64) -> Payment {
    w.t.app
        .start_top_up(who, RawAmount::from(fen))
        .await
        .unwrap()
}

#[tokio::test]
async fn o5_sandbox_payment_credits_once_and_is_announced() {
    let w = World::new().await;
    let me = w.t.candidate("pay@example.com").await;
    let p = top_up(&w, &me, 88_800).await;
    assert_eq!(
        (p.status, p.amount, p.gateway.as_str()),
        (PaymentStatus::Pending, fen(88_800), "sandbox")
    );
    assert_eq!(
        w.t.app.checkout_url(&p).await.unwrap(),
        format!("/sandbox/payments/{}", p.id)
    );
    assert_eq!(
        w.balances(&me).await,
        (0, 0),
        "nothing before the gateway reports"
    );

    let first = w.t.app.sandbox_report_payment(p.id, true).await.unwrap();
    assert!(first.credited);
    assert_eq!(first.payment.status, PaymentStatus::Succeeded);
    assert_eq!(
        first.payment.gateway_ref.as_deref(),
        Some(&*format!("sandbox-{}", p.id))
    );
    let again = w.t.app.sandbox_report_payment(p.id, true).await.unwrap();
    assert!(!again.credited);
    assert_eq!(w.balances(&me).await, (88_800, 0));

    // The very same signed callback delivered twice (a gateway retry).
    let p2 = top_up(&w, &me, 100).await;
    let sandbox = SandboxGateway::new(w.t.secret_key());
    let (headers, body) = sandbox.callback_for(&p2, true);
    let a =
        w.t.app
            .payment_callback("sandbox", &headers, &body)
            .await
            .unwrap();
    let b =
        w.t.app
            .payment_callback("sandbox", &headers, &body)
            .await
            .unwrap();
    assert_eq!((a.credited, b.credited), (true, false));
    assert_eq!(w.balances(&me).await, (88_900, 0));
    // A late "failed" report cannot undo money received.
    let late = w.t.app.sandbox_report_payment(p2.id, false).await.unwrap();
    assert_eq!(
        (late.payment.status, late.credited),
        (PaymentStatus::Succeeded, false)
    );

    let ledger = w.t.app.ledger(&me, Default::default()).await.unwrap().items;
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger[0].payment_id, Some(p2.id));

    w.t.run_jobs().await;
    let notices: Vec<_> = w
        .messages(&me)
        .await
        .into_iter()
        .filter(|m| m.kind == "top_up_received")
        .collect();
    assert_eq!(
        notices.len(),
        2,
        "one notice per payment, however many callbacks"
    );
    assert!(notices.iter().any(|m| m.body_zh.contains("¥888.00")));
}

#[tokio::test]
async fn o5_callbacks_with_bad_signatures_or_facts_are_refused() {
    let w = World::new().await;
    let me = w.t.candidate("sig@example.com").await;
    let p = top_up(&w, &me, 10_000).await;
    let (headers, body) = SandboxGateway::new(w.t.secret_key()).callback_for(&p, true);

    let forged = SandboxGateway::new(&certdesk_app::SecretKey::generate()).callback_for(&p, true);
    let r =
        w.t.app
            .payment_callback("sandbox", &forged.0, &forged.1)
            .await;
    assert_eq!(field(r).as_deref(), Some("signature"));
    let r = w.t.app.payment_callback("sandbox", &[], &body).await;
    assert_eq!(code(r), ErrorCode::Unauthenticated);
    let mut tampered = String::from_utf8(body.clone()).unwrap();
    tampered = tampered.replace("10000", "99999");
    let r =
        w.t.app
            .payment_callback("sandbox", &headers, tampered.as_bytes())
            .await;
    assert_eq!(code(r), ErrorCode::Unauthenticated);
    let r = w.t.app.payment_callback("alipay", &headers, &body).await;
    assert_eq!(code(r), ErrorCode::NotFound);

    // Well signed, but naming another amount or no payment at all.
    let sandbox = SandboxGateway::new(w.t.secret_key());
    let mut wrong = p.clone();
    wrong.amount = fen(1);
    let (h, b) = sandbox.callback_for(&wrong, true);
    assert_eq!(
        field(w.t.app.payment_callback("sandbox", &h, &b).await).as_deref(),
        Some("amount_fen")
    );
    wrong.id = PaymentId(9_999);
    let (h, b) = sandbox.callback_for(&wrong, true);
    assert_eq!(
        code(w.t.app.payment_callback("sandbox", &h, &b).await),
        ErrorCode::NotFound
    );
    assert_eq!(w.balances(&me).await, (0, 0), "nothing credited");
    assert_eq!(
        w.t.app.get_my_payment(&me, p.id).await.unwrap().status,
        PaymentStatus::Pending
    );
    assert_eq!(headers[0].0, SANDBOX_SIGNATURE_HEADER);
    assert_eq!(sandbox.name(), "sandbox");
}

#[tokio::test]
async fn o5_cancel_and_ownership_of_top_ups() {
    let w = World::new().await;
    let me = w.t.candidate("cancel@example.com").await;
    let other = w.t.candidate("other@example.com").await;

    // Pay, then cancel: too late, the money is in.
    let paid = top_up(&w, &me, 500).await;
    w.t.app.sandbox_report_payment(paid.id, true).await.unwrap();
    assert_eq!(
        field(w.t.app.cancel_top_up(&me, paid.id).await).as_deref(),
        Some("payment_id")
    );
    assert_eq!(w.balances(&me).await, (500, 0));

    // Cancel (twice: same answer); should the gateway take the money anyway, it is credited
    // (PaymentStatus::on_gateway_report: the only outcome that loses nothing, E2), once.
    let p = top_up(&w, &me, 700).await;
    let cancelled = w.t.app.cancel_top_up(&me, p.id).await.unwrap();
    assert_eq!(cancelled.status, PaymentStatus::Cancelled);
    assert_eq!(
        w.t.app.cancel_top_up(&me, p.id).await.unwrap().status,
        PaymentStatus::Cancelled
    );
    assert_eq!(w.balances(&me).await, (500, 0));
    let late = w.t.app.sandbox_report_payment(p.id, true).await.unwrap();
    assert_eq!(
        (late.payment.status, late.credited),
        (PaymentStatus::Succeeded, true)
    );
    assert!(
        !w.t.app
            .sandbox_report_payment(p.id, true)
            .await
            .unwrap()
            .credited
    );
    assert_eq!(w.balances(&me).await, (1_200, 0));

    // The gateway reports an abandoned payment: cancelled, nothing credited.
    let abandoned = top_up(&w, &me, 900).await;
    let out =
        w.t.app
            .sandbox_report_payment(abandoned.id, false)
            .await
            .unwrap();
    assert_eq!(
        (out.payment.status, out.credited),
        (PaymentStatus::Cancelled, false)
    );

    // Another candidate's payment does not exist for them.
    assert_eq!(
        code(w.t.app.get_my_payment(&other, p.id).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(w.t.app.cancel_top_up(&other, abandoned.id).await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(w.t.app.get_my_payment(&me, PaymentId(9_999)).await),
        ErrorCode::NotFound
    );

    // E2: bad amounts.
    for amount in [
        RawAmount::from(0),
        RawAmount::from(-1),
        RawAmount::from(5_000_001),
        RawAmount::Whole(i128::MAX),
        RawAmount::Fraction,
    ] {
        let r = w.t.app.start_top_up(&me, amount).await;
        assert_eq!(
            field(w.t.app.start_top_up(&me, amount).await).as_deref(),
            Some("amount_fen")
        );
        assert_eq!(code(r), ErrorCode::InvalidAmount, "{amount:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn o5_the_same_callback_twenty_times_at_once_credits_once() {
    let w = World::new().await;
    let me = w.t.candidate("burst@example.com").await;
    let p = top_up(&w, &me, 2_500).await;
    let (headers, body) = SandboxGateway::new(w.t.secret_key()).callback_for(&p, true);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (app, headers, body) = (w.t.app.clone(), headers.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            app.payment_callback("sandbox", &headers, &body).await
        }));
    }
    let mut credited = 0;
    for task in tasks {
        credited += usize::from(task.await.unwrap().unwrap().credited);
    }
    assert_eq!(credited, 1);
    assert_eq!(w.balances(&me).await, (2_500, 0));
    w.t.run_jobs().await;
    let notices = w.messages(&me).await;
    assert_eq!(
        notices
            .iter()
            .filter(|m| m.kind == "top_up_received")
            .count(),
        1
    );
}
