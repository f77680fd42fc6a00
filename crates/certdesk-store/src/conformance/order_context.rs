//! O5's reads before an order in one call (`load_order_context`): the same answers as the
//! single reads it replaces — the identity record of A1, the period with its seats taken
//! (O1–O3) and its certification, the wallet — including the absent cases.

use std::sync::Arc;

use certdesk_domain::{AccountId, ExamPeriodId, IdentityStatus};

use super::fixtures::{account, at, audit, submission};
use super::shop::{buyer, fen, paid, shop};
use crate::{NewExamPeriod, OrderContext, Store, WalletBalance};

/// What the single reads answer for `account` and `period`.
async fn single_reads(s: &dyn Store, account: AccountId, period: ExamPeriodId) -> OrderContext {
    let found = match s.get_exam_period(period).await {
        Ok(p) => {
            let cert = s
                .find_certification(&p.certification_code)
                .await
                .expect("certification")
                .expect("the period's certification exists");
            Some((p, cert))
        }
        Err(crate::StoreError::NotFound) => None,
        Err(e) => panic!("get period: {e:?}"),
    };
    OrderContext {
        identity: s.find_identity(account).await.expect("identity"),
        period: found,
        balance: s.wallet_balance(account).await.expect("balance"),
    }
}

pub async fn order_context_matches_single_reads(store: Arc<dyn Store>) {
    let s = &*store;
    let cloud = shop(
        s,
        "CLD-ARC-P",
        &[("上海", 10), ("北京", 2), ("Guangzhou", 1)],
    )
    .await;
    let alice = buyer(s, "alice", 200_000, 30_000).await;
    // O3: a seat taken shows in the context's seat pools.
    s.commit_paid_registration(paid(alice, &cloud, "北京", 30_000, 90_000))
        .await
        .expect("paid");
    let context = s
        .load_order_context(alice.account, cloud.period.id)
        .await
        .expect("context");
    assert_eq!(
        context,
        single_reads(s, alice.account, cloud.period.id).await
    );
    let (period, cert) = context.period.expect("period found");
    let seats: Vec<(&str, u32, u32)> = period
        .cities
        .iter()
        .map(|c| (c.city.as_str(), c.capacity, c.taken))
        .collect();
    assert_eq!(
        seats,
        [("上海", 10, 0), ("北京", 2, 1), ("Guangzhou", 1, 0)],
        "cities in the operator's order, seats taken"
    );
    assert_eq!(cert.id, cloud.certification_id);
    assert_eq!(period.certification_id, cloud.certification_id);
    assert_eq!(
        context.identity.map(|i| (i.identity_id, i.status)),
        Some((alice.identity, IdentityStatus::Verified))
    );
    assert_eq!(
        (context.balance.cash, context.balance.gift),
        (fen(110_000), fen(0))
    );

    // A1: a pending identity is reported as it is (the use case refuses it); never credited
    // means zero balances (O5).
    let bob = account(s, "bob@example.com").await.id;
    s.commit_identity_submission(submission(bob, b"bob", IdentityStatus::Pending, 3))
        .await
        .expect("submitted");
    let context = s
        .load_order_context(bob, cloud.period.id)
        .await
        .expect("context");
    assert_eq!(context, single_reads(s, bob, cloud.period.id).await);
    assert_eq!(
        context.identity.map(|i| i.status),
        Some(IdentityStatus::Pending)
    );
    assert_eq!(context.balance, WalletBalance::default());

    // A period without cities still comes back, with none.
    let bare = s
        .commit_exam_period(
            NewExamPeriod {
                certification_id: cloud.certification_id,
                starts_at: at(40 * 86_400),
                ends_at: at(40 * 86_400 + 3_600),
                registration_opens_at: at(0),
                registration_closes_at: at(30 * 86_400),
                cities: vec![],
                created_at: at(3),
                jobs: Vec::new(),
            },
            audit("exam_period.create", at(3)),
        )
        .await
        .expect("bare period");
    let context = s
        .load_order_context(alice.account, bare.id)
        .await
        .expect("context");
    assert_eq!(context, single_reads(s, alice.account, bare.id).await);
    assert_eq!(context.period.expect("found").0.cities, []);
}

pub async fn order_context_unknown_period_or_account(store: Arc<dyn Store>) {
    let s = &*store;
    let cloud = shop(s, "CLD-ARC-P", &[("上海", 10)]).await;
    let alice = buyer(s, "alice", 500, 0).await;
    // An unknown period is None (the use case answers `unknown_period`); the identity and
    // the balance are still read, A1 being checked first.
    let context = s
        .load_order_context(alice.account, ExamPeriodId(cloud.period.id.get() + 1_000))
        .await
        .expect("context");
    assert_eq!(context.period, None);
    assert_eq!(
        context.identity.map(|i| i.identity_id),
        Some(alice.identity)
    );
    assert_eq!(context.balance.cash, fen(500));
    // An account with no identity and no wallet (or no account at all).
    for stranger in [account(s, "carol@example.com").await.id, AccountId(9_999)] {
        let context = s
            .load_order_context(stranger, cloud.period.id)
            .await
            .expect("context");
        assert_eq!(context, single_reads(s, stranger, cloud.period.id).await);
        assert_eq!(context.identity, None);
        assert_eq!(context.balance, WalletBalance::default());
        assert_eq!(context.period.expect("found").0, cloud.period);
    }
}
