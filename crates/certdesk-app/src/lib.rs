#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod catalogue;
mod catalogue_defaults;
mod certification_input;
pub mod crypto;
pub mod error;
pub mod identity;
pub mod inbox;
pub mod operators;
pub mod passwords;
pub mod secret;
mod sessions;

use std::sync::Arc;

use certdesk_domain::{Clock, Policy};
use certdesk_store::Store;
use certdesk_store::runner::JobRunner;

pub use accounts::{ContactsInput, LoggedIn, Me, SignUpInput};
pub use catalogue::CertificationInput;
pub use crypto::PiiCipher;
pub use error::{AppError, AppResult};
pub use identity::VerificationMode;
pub use secret::SecretKey;
pub use sessions::{API_SESSION_LIFETIME, WEB_SESSION_LIFETIME};

/// Everything the use cases need, shared by the web handlers, the jobs and the CLI.
/// Cheap to clone (the parts are reference-counted).
#[derive(Debug, Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    policy: Policy,
    cipher: PiiCipher,
}

/// What `App::new` is built from; the binary chooses each part from its configuration.
#[derive(Debug)]
pub struct AppParts {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub secret_key: SecretKey,
    pub policy: Policy,
}

impl App {
    pub fn new(parts: AppParts) -> App {
        App {
            cipher: PiiCipher::new(&parts.secret_key),
            store: parts.store,
            clock: parts.clock,
            policy: parts.policy,
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// T3: the one read of "now" a use case makes.
    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// A job runner with every handler of certdesk registered (the inbox channel for now),
    /// retrying with the policy's backoff (P2).
    pub fn job_runner(&self) -> JobRunner {
        jobs::job_runner(self)
    }
}

mod jobs;
