//! O5: vouchers — issued by operators (audited, noticed), refused when expired (T4), used,
//! below the minimum spend, or not the buyer's (word for word as a code that does not exist).

use certdesk_app::AppError;
use certdesk_domain::{ErrorCode, RawAmount, Refusal};
use certdesk_store::PageRequest;

use crate::code;
use crate::official::{FEE, World, fen, hours, order, secs, with_voucher};
use crate::start;

#[track_caller]
fn voucher_refusal<T: std::fmt::Debug>(r: Result<T, AppError>) -> Refusal {
    match r {
        Err(AppError::Refused(r)) if r.code == ErrorCode::VoucherInvalid => {
            assert_eq!(
                (r.field.as_deref(), r.rule),
                (Some("voucher_code"), Some("O5"))
            );
            r
        }
        other => panic!("expected voucher_invalid, got {other:?}"),
    }
}

#[tokio::test]
async fn o5_voucher_is_issued_audited_and_announced() {
    let w = World::new().await;
    let me = w.verified("he@example.com", "11010519900101021").await;
    let v = w.voucher(me.id, 5_000, 0).await;
    assert!(v.code.as_str().starts_with("CD-"));
    assert_eq!(
        (v.account_id, v.face_value, v.min_spend),
        (me.id, fen(5_000), fen(0))
    );
    let audit =
        w.t.app
            .list_audit(&w.admin, PageRequest::default())
            .await
            .unwrap()
            .items;
    assert_eq!(audit[0].action, "voucher.issue");
    assert_eq!(audit[0].after.as_ref().unwrap()["face_value_fen"], 5_000);
    w.t.run_jobs().await;
    let m = w
        .messages(&me)
        .await
        .into_iter()
        .find(|m| m.kind == "voucher_received")
        .unwrap();
    assert_eq!(m.title_zh, "您收到一张代金券");
    assert!(
        m.body_zh.contains(v.code.as_str()) && m.body_zh.contains("无最低消费"),
        "{}",
        m.body_zh
    );

    // Bad terms and non-operators.
    let issue = |face: i64, min: i64, expires| {
        w.t.app.issue_voucher(
            &w.admin,
            me.id,
            RawAmount::from(face),
            RawAmount::from(min),
            expires,
        )
    };
    let later = start() + hours(1);
    assert_eq!(
        crate::field(issue(0, 0, later).await).as_deref(),
        Some("face_value_fen")
    );
    assert_eq!(
        crate::field(issue(100, -1, later).await).as_deref(),
        Some("min_spend_fen")
    );
    assert_eq!(
        crate::field(issue(100, 0, start()).await).as_deref(),
        Some("expires_at")
    );
    let forbidden =
        w.t.app
            .issue_voucher(&me, me.id, RawAmount::from(1), RawAmount::from(0), later)
            .await;
    assert_eq!(code(forbidden), ErrorCode::Forbidden);
    let ghost = certdesk_domain::AccountId(9_999);
    let r =
        w.t.app
            .issue_voucher(
                &w.admin,
                ghost,
                RawAmount::from(1),
                RawAmount::from(0),
                later,
            )
            .await;
    assert_eq!(code(r), ErrorCode::NotFound);
}

#[tokio::test]
async fn o5_voucher_refusals_expired_used_minimum_and_not_yours() {
    let w = World::new().await;
    let period = w.period().await;
    let me = w.verified("lu@example.com", "11010519900101022").await;
    let other = w.verified("ma@example.com", "11010519900101023").await;
    w.credit(me.id, "cash", 3 * FEE).await;
    let expiring = w.voucher_until(me.id, 1_000, 0, start() + hours(1)).await;
    let at_minimum = w.voucher(me.id, 1_000, FEE).await;
    let above_minimum = w.voucher(me.id, 1_000, FEE + 1).await;
    let theirs = w.voucher(other.id, 1_000, 0).await;
    let input = |code: &str| with_voucher(order(&period, "深圳"), code);

    // Not yours reads exactly as a code that names nothing (never a leak).
    let not_yours = voucher_refusal(w.t.app.quote_order(&me, &input(theirs.code.as_str())).await);
    let nothing = voucher_refusal(w.t.app.quote_order(&me, &input("CD-0000-0000")).await);
    let garbage = voucher_refusal(w.t.app.quote_order(&me, &input("free money")).await);
    assert_eq!(not_yours, nothing);
    assert_eq!(garbage, nothing);

    let below = voucher_refusal(
        w.t.app
            .quote_order(&me, &input(above_minimum.code.as_str()))
            .await,
    );
    assert!(below.detail.unwrap().zh.contains("最低消费"));
    w.t.app
        .quote_order(&me, &input(at_minimum.code.as_str()))
        .await
        .unwrap();

    // T4: usable iff now < expires_at.
    w.t.clock.set(expiring.expires_at - secs(1));
    w.t.app
        .quote_order(&me, &input(expiring.code.as_str()))
        .await
        .unwrap();
    w.t.clock.set(expiring.expires_at);
    let expired = voucher_refusal(
        w.t.app
            .register_and_pay(&me, input(expiring.code.as_str()), None)
            .await,
    );
    assert_eq!(expired.deadline, Some(expiring.expires_at));

    // Used: spent on an order, still used after that order's refund (O10: forfeited).
    let placed =
        w.t.app
            .register_and_pay(&me, input(at_minimum.code.as_str()), None)
            .await
            .unwrap();
    assert_eq!(placed.order.voucher, fen(1_000));
    w.t.app.refund_order(&me, placed.order.id).await.unwrap();
    let used = voucher_refusal(
        w.t.app
            .register_and_pay(&me, input(at_minimum.code.as_str()), None)
            .await,
    );
    assert!(used.detail.unwrap().en.contains("already been used"));
    // A blank voucher field is no voucher at all.
    w.t.app
        .register_and_pay(&me, input("  "), None)
        .await
        .unwrap();
}
