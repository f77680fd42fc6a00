//! Builders and checks for the official channel's behaviours: a certification with an exam
//! period and its cities, verified buyers with money, a paid registration to commit, and the
//! ledger invariant (O5: balances equal the sum of their ledger entries).

use std::sync::Arc;

use certdesk_domain::{
    AccountId, Balance, CertificationId, Fen, IdentityId, IdentityStatus, PayFirst, PromiseKind,
    VoucherCode, VoucherId,
};
use jiff::Timestamp;

use super::fixtures::{account, at, audit, cert_data, job, submission};
use crate::{
    ExamPeriod, LedgerEntry, NewCredit, NewExamPeriod, NewPromise, NewVoucher, PageRequest,
    PaidRegistration, Store,
};

/// A certification and one exam period of it.
#[derive(Debug, Clone)]
pub struct Shop {
    pub certification_id: CertificationId,
    pub period: ExamPeriod,
}

/// The suite's exam: 90 days after `t0`, three hours long.
pub fn exam_start() -> Timestamp {
    at(90 * 86_400)
}

/// Creates certification `code` with one period offering `cities`.
pub async fn shop(store: &dyn Store, code: &str, cities: &[(&str, u32)]) -> Shop {
    let cert = store
        .commit_certification_create(cert_data(code), audit("certification.create", at(0)))
        .await
        .expect("certification created");
    let period = store
        .commit_exam_period(
            NewExamPeriod {
                certification_id: cert.id,
                starts_at: exam_start(),
                ends_at: at(90 * 86_400 + 3 * 3_600),
                registration_opens_at: at(-86_400),
                registration_closes_at: at(80 * 86_400),
                cities: cities.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect(),
                created_at: at(1),
                jobs: Vec::new(),
            },
            audit("exam_period.create", at(1)),
        )
        .await
        .expect("exam period created");
    Shop {
        certification_id: cert.id,
        period,
    }
}

/// A verified candidate: an account, its identity (A1) and its wallet.
#[derive(Debug, Clone, Copy)]
pub struct Buyer {
    pub account: AccountId,
    pub identity: IdentityId,
}

/// A verified buyer named `name` (unique per test: it is the email and the person) credited
/// with `cash` and `gift` fen by an operator.
pub async fn buyer(store: &dyn Store, name: &str, cash: i64, gift: i64) -> Buyer {
    let acc = account(store, &format!("{name}@example.com")).await;
    let identity = store
        .commit_identity_submission(submission(
            acc.id,
            name.as_bytes(),
            IdentityStatus::Verified,
            3,
        ))
        .await
        .expect("identity verified")
        .identity_id;
    for (balance, amount) in [(Balance::Cash, cash), (Balance::Gift, gift)] {
        if amount > 0 {
            credit(store, acc.id, balance, amount).await;
        }
    }
    Buyer {
        account: acc.id,
        identity,
    }
}

/// A second account of the same person (A2: registrations belong to the identity).
pub async fn same_person(store: &dyn Store, name: &str, other: &str) -> Buyer {
    let acc = account(store, &format!("{other}@example.com")).await;
    let identity = store
        .commit_identity_submission(submission(
            acc.id,
            name.as_bytes(),
            IdentityStatus::Verified,
            3,
        ))
        .await
        .expect("second account verified")
        .identity_id;
    Buyer {
        account: acc.id,
        identity,
    }
}

pub fn new_credit(account: AccountId, balance: Balance, amount: i64) -> NewCredit {
    NewCredit {
        account_id: account,
        balance,
        amount: Fen::new(amount).expect("valid amount"),
        reason: "goodwill".to_owned(),
        actor: account,
        at: at(2),
        audit: audit("wallet.credit", at(2)),
        jobs: vec![],
    }
}

pub async fn credit(store: &dyn Store, account: AccountId, balance: Balance, amount: i64) {
    store
        .commit_credit(new_credit(account, balance, amount))
        .await
        .expect("credited");
}

pub fn fen(v: i64) -> Fen {
    Fen::new(v).expect("valid amount")
}

/// A paid registration of `total` fen, paid `gift` + `cash` (no voucher), with the O6
/// confirmation promise due a day after payment, the job that keeps it, and an inbox message.
pub fn paid(buyer: Buyer, shop: &Shop, city: &str, gift: i64, cash: i64) -> PaidRegistration {
    PaidRegistration {
        account_id: buyer.account,
        identity_id: buyer.identity,
        period_id: shop.period.id,
        city: city.to_owned(),
        certification_id: shop.certification_id,
        exam_starts_at: shop.period.starts_at,
        total: fen(gift + cash),
        voucher: None,
        gift: fen(gift),
        cash: fen(cash),
        pay_first: PayFirst::Gift,
        paid_at: at(10),
        idempotency: None,
        promises: vec![NewPromise {
            kind: PromiseKind::Confirmation,
            due_at: at(10 + 86_400),
            kept_at: None,
        }],
        jobs: vec![crate::NewJob {
            keeps_promise: Some(PromiseKind::Confirmation),
            ..job("notify", at(10))
        }],
        inbox: Some(crate::NewInboxMessage {
            account_id: buyer.account,
            kind: "registration_confirmed".to_owned(),
            title_zh: "报名成功".to_owned(),
            body_zh: format!("{city}考场的座位已为你保留。"),
            title_en: "Registered".to_owned(),
            body_en: format!("Your seat in {city} is booked."),
            source_job: None,
            created_at: at(10),
            deliveries: Vec::new(),
        }),
    }
}

/// `paid` with `voucher` applied for `applied` fen on top of gift and cash.
pub fn with_voucher(
    mut paid: PaidRegistration,
    voucher: VoucherId,
    applied: i64,
) -> PaidRegistration {
    paid.voucher = Some((voucher, fen(applied)));
    paid.total = fen(paid.total.get() + applied);
    paid
}

/// A voucher for `account`; `n` makes the code unique within a test.
pub fn new_voucher(account: AccountId, n: u8, face: i64, min_spend: i64) -> NewVoucher {
    NewVoucher {
        code: VoucherCode::from_random_bytes(&[n, 7, 7, 7, 7, 0, 0, 0, 0, 0]),
        account_id: account,
        face_value: fen(face),
        min_spend: fen(min_spend),
        expires_at: at(30 * 86_400),
        issued_by: account,
        issued_at: at(3),
        audit: audit("voucher.issue", at(3)),
        jobs: vec![],
    }
}

/// Every ledger entry of an account, newest first, walking every page.
pub async fn ledger(store: &dyn Store, account: AccountId) -> Vec<LedgerEntry> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(PageRequest::MAX_LIMIT);
    loop {
        let p = store.list_ledger(account, page).await.expect("list ledger");
        out.extend(p.items);
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => return out,
        }
    }
}

/// O5: the balances are the sums of the ledger, and never negative; answers (cash, gift).
pub async fn assert_ledger_balanced(store: &dyn Store, account: AccountId) -> (i64, i64) {
    let (mut cash, mut gift) = (0_i64, 0_i64);
    for entry in ledger(store, account).await {
        match entry.balance {
            Balance::Cash => cash += entry.amount,
            Balance::Gift => gift += entry.amount,
        }
    }
    let wallet = store.wallet_balance(account).await.expect("balance");
    assert_eq!(
        (wallet.cash.get(), wallet.gift.get()),
        (cash, gift),
        "balances equal their ledger sums"
    );
    (cash, gift)
}

/// Seats taken in `city` of the shop's period, read fresh.
pub async fn taken(store: &dyn Store, shop: &Shop, city: &str) -> u32 {
    let period = store.get_exam_period(shop.period.id).await.expect("period");
    period
        .cities
        .iter()
        .find(|c| c.city == city)
        .expect("city offered")
        .taken
}

/// Runs `n` copies of `f(i)` at once and returns their results in order.
pub async fn all_at_once<T, F, Fut>(store: &Arc<dyn Store>, n: usize, f: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(Arc<dyn Store>, usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let fut = f(store.clone(), i);
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                fut.await
            })
        })
        .collect();
    let mut out = Vec::with_capacity(n);
    for task in tasks {
        out.push(task.await.expect("task completed"));
    }
    out
}
