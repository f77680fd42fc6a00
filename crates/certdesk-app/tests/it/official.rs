//! Fixtures of the official-channel tests: a seeded catalogue, an operator, exam periods,
//! verified candidates with money, and orders.

use certdesk_app::{OrderInput, PeriodInput};
use certdesk_domain::{AccountId, CityDraft, Fen, PayFirst, RawAmount};
use certdesk_store::{Account, ExamPeriod, InboxMessage, PageRequest, Voucher};
use jiff::{SignedDuration, Timestamp};

use crate::{TestApp, id_number, start};

/// 腾讯云从业者认证, cloud family (O1), ¥300.00.
pub const CERT: &str = "TCCA-FND";
pub const FEE: i64 = 30_000;
/// A specialty-family certification (O2).
pub const SPECIALTY: &str = "TCCS-ML";

/// The exam of the default period: 2027-04-10 09:00 in Beijing (a Saturday).
pub fn exam_start() -> Timestamp {
    "2027-04-10T01:00:00Z".parse().unwrap()
}

pub fn hours(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}

pub fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

/// A test app with the default catalogue and an operator.
pub struct World {
    pub t: TestApp,
    pub admin: Account,
}

impl World {
    pub async fn new() -> World {
        let t = TestApp::new().await;
        t.app.seed_default_catalogue().await.unwrap();
        let admin = t.admin().await;
        World { t, admin }
    }

    pub fn period_input(
        &self,
        cert: &str,
        starts_at: Timestamp,
        cities: &[(&str, i64)],
    ) -> PeriodInput {
        PeriodInput {
            certification: cert.into(),
            starts_at,
            ends_at: Some(starts_at + hours(2)),
            cities: cities
                .iter()
                .map(|(city, capacity)| CityDraft {
                    city: (*city).into(),
                    capacity: *capacity,
                })
                .collect(),
            registration_opens_at: None,
            registration_closes_at: None,
        }
    }

    /// A cloud-family period of [`CERT`] starting at `starts_at` (O1 window derived).
    pub async fn period_at(&self, starts_at: Timestamp, cities: &[(&str, i64)]) -> ExamPeriod {
        let input = self.period_input(CERT, starts_at, cities);
        self.t
            .app
            .create_exam_period(&self.admin, input)
            .await
            .unwrap()
    }

    /// The default period: [`exam_start`], 深圳 with 10 seats and 北京 with 1.
    pub async fn period(&self) -> ExamPeriod {
        self.period_at(exam_start(), &[("深圳", 10), ("北京", 1)])
            .await
    }

    /// A candidate verified as the person with ID number `id17` + check character (A1).
    pub async fn verified(&self, email: &str, id17: &str) -> Account {
        let me = self.t.candidate(email).await;
        self.t
            .app
            .submit_identity(&me, "张伟", &id_number(id17))
            .await
            .unwrap();
        me
    }

    /// Credits `fen` to the account's `kind` balance ("cash" or "gift").
    pub async fn credit(&self, account: AccountId, kind: &str, fen: i64) {
        self.t
            .app
            .credit_account(&self.admin, account, kind, RawAmount::from(fen), "测试发放")
            .await
            .unwrap();
    }

    /// A voucher for `account` valid for 30 days.
    pub async fn voucher(&self, account: AccountId, face: i64, min_spend: i64) -> Voucher {
        self.voucher_until(account, face, min_spend, start() + hours(24 * 30))
            .await
    }

    pub async fn voucher_until(
        &self,
        account: AccountId,
        face: i64,
        min_spend: i64,
        expires_at: Timestamp,
    ) -> Voucher {
        self.t
            .app
            .issue_voucher(
                &self.admin,
                account,
                RawAmount::from(face),
                RawAmount::from(min_spend),
                expires_at,
            )
            .await
            .unwrap()
    }

    /// (cash, gift) in fen.
    pub async fn balances(&self, who: &Account) -> (i64, i64) {
        let b = self.t.app.wallet(who).await.unwrap().balance;
        (b.cash.get(), b.gift.get())
    }

    pub async fn messages(&self, who: &Account) -> Vec<InboxMessage> {
        self.t
            .app
            .list_messages(who, PageRequest::first(200))
            .await
            .unwrap()
            .items
    }
}

pub fn order(period: &ExamPeriod, city: &str) -> OrderInput {
    OrderInput {
        period_id: period.id.get(),
        city: city.into(),
        voucher_code: None,
        pay_first: None,
    }
}

pub fn with_voucher(mut input: OrderInput, code: &str) -> OrderInput {
    input.voucher_code = Some(code.into());
    input
}

pub fn paying(mut input: OrderInput, first: PayFirst) -> OrderInput {
    input.pay_first = Some(first);
    input
}

pub fn fen(n: i64) -> Fen {
    Fen::new(n).unwrap()
}

/// Seats left in `city` of the period as the store has it now.
pub async fn seats_left(t: &TestApp, period: &ExamPeriod, city: &str) -> u32 {
    let p = t.app.get_exam_period(period.id).await.unwrap();
    p.cities
        .iter()
        .find(|c| c.city == city)
        .map(|c| c.seats_left())
        .unwrap()
}
