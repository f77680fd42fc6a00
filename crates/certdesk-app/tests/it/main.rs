//! certdesk-app's integration tests: the use cases over a real store (SQLite, or PostgreSQL
//! with `CERTDESK_TEST_DATABASE=postgres`) and a test clock.

mod accounts;
mod catalogue;
mod channels;
mod housekeeping;
mod idempotency;
mod identity;
mod inbox;
mod job_state;
mod mailing_address;
mod official;
mod order_refusals;
mod orders;
mod payments;
mod periods;
mod refunds;
mod reschedule;
mod reschedule_options;
mod reschedule_refusals;
mod results;
mod retake;
mod throttle;
mod vouchers;
mod wallet;

use std::sync::Arc;

use certdesk_app::{App, AppError, AppParts, SecretKey};
use certdesk_domain::{Clock, ErrorCode, Policy, Role, TestClock};
use certdesk_store::{Account, NewAccount, Store};
use certdesk_store_sql::testing::TestDatabase;
use jiff::Timestamp;

/// A password for accounts created through `sign_up` / `add_user` (each costs an argon2 hash).
pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug)]
pub struct TestApp {
    pub app: App,
    pub clock: TestClock,
    key: SecretKey,
    database: TestDatabase,
}

/// 2027-03-01 09:00 in Shanghai.
pub fn start() -> Timestamp {
    "2027-03-01T01:00:00Z".parse().unwrap()
}

async fn open_store(database: &TestDatabase) -> Arc<dyn Store> {
    Arc::new(database.open().await)
}

impl TestApp {
    pub async fn new() -> TestApp {
        // SQLite, or PostgreSQL with CERTDESK_TEST_DATABASE=postgres.
        let database = TestDatabase::from_env("certdesk-app").await;
        let clock = TestClock::new(start());
        let key = SecretKey::generate();
        let app = build(open_store(&database).await, &clock, &key);
        TestApp {
            app,
            clock,
            key,
            database,
        }
    }

    /// The same database and key, opened afresh (as after a restart).
    pub async fn reopen(&self) -> App {
        build(open_store(&self.database).await, &self.clock, &self.key)
    }

    /// The same database under another secret key (a lost or wrong key file).
    pub async fn reopen_with_another_key(&self) -> App {
        build(
            open_store(&self.database).await,
            &self.clock,
            &SecretKey::generate(),
        )
    }

    /// The server's secret key (to sign gateway callbacks as the sandbox does).
    pub fn secret_key(&self) -> &SecretKey {
        &self.key
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        self.app.store()
    }

    /// A candidate created straight in the store: no argon2 work (most tests never log in).
    pub async fn candidate(&self, email: &str) -> Account {
        self.account(email, vec![Role::Candidate]).await
    }

    /// An operator, created like `candidate`.
    pub async fn admin(&self) -> Account {
        self.account("ops@example.com", vec![Role::Candidate, Role::Admin])
            .await
    }

    async fn account(&self, email: &str, roles: Vec<Role>) -> Account {
        let account = NewAccount {
            email: certdesk_domain::Email::parse(email).unwrap(),
            phone: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$not-a-real-hash".into(),
            roles,
            institution_id: None,
            created_at: self.clock.now(),
        };
        self.store()
            .commit_account(account, Vec::new())
            .await
            .unwrap()
    }

    /// Runs one raw statement on the test database: a state no use case makes (or a shortcut
    /// to one, such as a retake made by hand).
    pub async fn execute_sql(&self, statement: &str) {
        let store = self.database.open().await;
        store.execute_for_test(statement).await.unwrap();
        store.close().await;
    }

    /// The same database with another policy (O7 with more reschedules allowed, …).
    pub async fn with_policy(&self, policy: Policy) -> App {
        App::new(AppParts {
            store: open_store(&self.database).await,
            clock: Arc::new(self.clock.clone()),
            secret_key: self.key.clone(),
            policy,
            sandbox_payments: true,
        })
    }

    /// Runs every due job, as the worker would.
    pub async fn run_jobs(&self) -> usize {
        self.app.job_runner().run_until_idle().await.unwrap()
    }
}

fn build(store: Arc<dyn Store>, clock: &TestClock, key: &SecretKey) -> App {
    App::new(AppParts {
        store,
        clock: Arc::new(clock.clone()),
        secret_key: key.clone(),
        policy: Policy::default(),
        sandbox_payments: true,
    })
}

/// The refusal code of a failed use case (panics on success or an internal error).
#[track_caller]
pub fn code<T: std::fmt::Debug>(result: Result<T, AppError>) -> ErrorCode {
    match result {
        Err(AppError::Refused(r)) => r.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The refusal's field.
#[track_caller]
pub fn field<T: std::fmt::Debug>(result: Result<T, AppError>) -> Option<String> {
    match result {
        Err(AppError::Refused(r)) => r.field,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A valid ID number: 17 digits and their GB 11643 check character.
pub fn id_number(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}
