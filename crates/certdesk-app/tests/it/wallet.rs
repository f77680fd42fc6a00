//! O5: the wallet — operators' credits (audited with before/after, announced "余额已到账"),
//! the ledger, and bad amounts refused with `invalid_amount` on `amount_fen` (E2).

use certdesk_domain::{AccountId, Balance, ErrorCode, LedgerEntryKind, RawAmount};
use certdesk_store::PageRequest;

use crate::official::World;
use crate::{code, field};

#[tokio::test]
async fn o5_operator_credit_is_ledgered_audited_and_announced() {
    let w = World::new().await;
    let me = w.t.candidate("cao@example.com").await;
    let entry =
        w.t.app
            .credit_account(
                &w.admin,
                me.id,
                "gift",
                RawAmount::from(12_345),
                " 活动赠送 ",
            )
            .await
            .unwrap();
    assert_eq!(
        (entry.balance, entry.kind, entry.amount),
        (Balance::Gift, LedgerEntryKind::OperatorCredit, 12_345)
    );
    assert_eq!(
        (entry.reason.as_str(), entry.actor),
        ("活动赠送", Some(w.admin.id))
    );
    w.credit(me.id, "cash", 100).await;
    assert_eq!(w.balances(&me).await, (100, 12_345));
    let ledger =
        w.t.app
            .ledger(&me, PageRequest::default())
            .await
            .unwrap()
            .items;
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger[0].balance, Balance::Cash, "newest first");

    let audit =
        w.t.app
            .list_audit(&w.admin, PageRequest::default())
            .await
            .unwrap()
            .items;
    let credit = audit
        .iter()
        .find(|a| a.action == "wallet.credit" && a.after.as_ref().unwrap()["kind"] == "gift")
        .unwrap();
    assert_eq!(credit.target_id, me.id.to_string());
    assert_eq!(credit.before.as_ref().unwrap()["gift_fen"], 0);
    assert_eq!(credit.after.as_ref().unwrap()["gift_fen"], 12_345);

    w.t.run_jobs().await;
    let messages = w.messages(&me).await;
    let gift = messages
        .iter()
        .find(|m| m.kind == "credit_received" && m.body_zh.contains("赠送金"))
        .unwrap();
    assert_eq!(gift.title_zh, "余额已到账");
    assert!(
        gift.body_zh.contains("¥123.45") && gift.body_zh.contains("活动赠送"),
        "{}",
        gift.body_zh
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.kind == "credit_received")
            .count(),
        2
    );
}

#[tokio::test]
async fn e2_bad_credits_are_clear_refusals() {
    let w = World::new().await;
    let me = w.t.candidate("bad@example.com").await;
    let credit = |kind: &'static str, amount: RawAmount, reason: &'static str| {
        w.t.app
            .credit_account(&w.admin, me.id, kind, amount, reason)
    };
    for amount in [
        RawAmount::from(0),
        RawAmount::from(-1),
        RawAmount::from(i64::MIN),
        RawAmount::Whole(i128::from(i64::MAX) + 1),
        RawAmount::Whole(1_000_000_000_001),
        RawAmount::Fraction,
    ] {
        let r = credit("cash", amount, "x").await;
        assert_eq!(
            field(credit("cash", amount, "x").await).as_deref(),
            Some("amount_fen")
        );
        assert_eq!(code(r), ErrorCode::InvalidAmount, "{amount:?}");
    }
    assert_eq!(
        field(credit("coins", RawAmount::from(1), "x").await).as_deref(),
        Some("kind")
    );
    assert_eq!(
        field(credit("cash", RawAmount::from(1), "  ").await).as_deref(),
        Some("reason")
    );
    // No balance may pass the maximum.
    credit("cash", RawAmount::from(1_000_000_000_000_i64), "max")
        .await
        .unwrap();
    assert_eq!(
        code(credit("cash", RawAmount::from(1), "one more").await),
        ErrorCode::InvalidAmount
    );
    assert_eq!(w.balances(&me).await, (1_000_000_000_000, 0));

    let r =
        w.t.app
            .credit_account(&me, me.id, "cash", RawAmount::from(1), "self")
            .await;
    assert_eq!(code(r), ErrorCode::Forbidden);
    let r =
        w.t.app
            .credit_account(&w.admin, AccountId(9_999), "cash", RawAmount::from(1), "x")
            .await;
    assert_eq!(code(r), ErrorCode::NotFound);
}
