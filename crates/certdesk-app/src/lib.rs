#![doc = include_str!("../README.md")]

pub mod accounts;
pub mod catalogue;
mod catalogue_defaults;
pub mod certificate_views;
pub mod certificates;
mod certification_input;
pub mod crypto;
pub mod error;
pub mod gateway;
pub mod housekeeping;
pub mod idempotency;
pub mod identity;
pub mod inbox;
pub mod institution;
mod mailing_seal;
pub mod operators;
mod order_checks;
pub mod orders;
pub mod paper;
pub mod passwords;
pub mod payments;
pub mod periods;
pub mod refunds;
pub mod registrations;
pub mod reschedule;
pub mod results;
pub mod retake;
pub mod seat_alerts;
pub mod secret;
mod sessions;
pub mod support;
mod target_sitting;
pub mod tickets;
pub mod wallet;

use std::sync::Arc;

use certdesk_domain::{BusinessCalendar, Clock, Policy};
use certdesk_store::Store;
use certdesk_store::runner::JobRunner;

pub use accounts::{ContactsInput, LoggedIn, Me, SignUpInput};
pub use certification_input::CertificationInput;
pub use crypto::PiiCipher;
pub use error::{AppError, AppResult};
pub use gateway::{GatewayRegistry, GatewayReport, PaymentGateway, SandboxGateway};
pub use idempotency::{IdempotencyScope, IdempotencyTicket, Idempotent};
pub use identity::VerificationMode;
pub use orders::{OrderInput, Placed, Quote};
pub use periods::{PeriodInput, PeriodListing};
pub use registrations::RegistrationView;
pub use reschedule::{RescheduleOptions, RescheduleTarget};
pub use results::{ImportOutcome, ResultsUpload};
pub use retake::{RetakeOptions, RetakeTarget};
pub use secret::SecretKey;
pub use sessions::{API_SESSION_LIFETIME, WEB_SESSION_LIFETIME};
pub use support::{NewTicketInput, SupportThread};
pub use tickets::{CheckIn, ISSUE_TICKETS_KIND, IssueReport, VenueInput};
pub use wallet::WalletView;

/// The public URL when none is configured: the default listen address.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// Everything the use cases need, shared by the web handlers, the jobs and the CLI.
/// Cheap to clone (the parts are reference-counted).
#[derive(Debug, Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    policy: Policy,
    cipher: PiiCipher,
    /// B1/B2: the bundled holiday calendar; operators' edits (B1) are not stored yet.
    calendar: Arc<BusinessCalendar>,
    /// O5: payment gateways by name (the sandbox only when `AppParts::sandbox_payments`).
    gateways: Arc<GatewayRegistry>,
    /// The sandbox gateway: it signs the sandbox's callbacks. `None` unless enabled — it
    /// completes payments that nobody paid, so a production deployment must not offer it.
    sandbox: Option<Arc<SandboxGateway>>,
    /// Keys the web layer's CSRF tokens. Derived from the secret key, so every app node
    /// accepts a form another node rendered, and a restart does not void open forms.
    form_key: Arc<zeroize::Zeroizing<[u8; 32]>>,
    /// Signs the admission tickets' QR codes (O4); derived from the secret key.
    ticket_key: Arc<zeroize::Zeroizing<[u8; 32]>>,
    /// I1: signs the links that manage institution registrations; derived from the secret
    /// key, so every node accepts a link another node sent.
    manage_links: certdesk_notify::ManageLinks,
    /// Signs certificates (O9); its key is derived from the secret key.
    issuer: certificates::Issuer,
    /// O9: the signed public answers recently given, by certificate number.
    public_answers: Arc<certificates::PublicAnswers>,
    /// O6/P2: the outside channels this deployment sends on (email, SMS, WeChat), each with
    /// its sender; the inbox is always on and needs none.
    senders: Vec<Arc<dyn certdesk_notify::Sender>>,
}

/// What `App::new` is built from; the binary chooses each part from its configuration.
#[derive(Debug)]
pub struct AppParts {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub secret_key: SecretKey,
    pub policy: Policy,
    /// Offer the sandbox payment gateway (demo, tests, the test clock): a candidate can
    /// "pay" a top-up with one click. Never in production.
    pub sandbox_payments: bool,
}

impl App {
    pub fn new(parts: AppParts) -> App {
        let sandbox = parts
            .sandbox_payments
            .then(|| Arc::new(SandboxGateway::new(&parts.secret_key)));
        let mut gateways = GatewayRegistry::default();
        if let Some(sandbox) = &sandbox {
            gateways.register(sandbox.clone());
        }
        App {
            form_key: Arc::new(crypto::derive(&parts.secret_key, b"certdesk csrf v1")),
            ticket_key: Arc::new(crypto::derive(&parts.secret_key, b"certdesk ticket qr v1")),
            manage_links: certdesk_notify::ManageLinks::new(*crypto::derive(
                &parts.secret_key,
                b"certdesk manage links v1",
            )),
            issuer: certificates::Issuer::new(
                &crypto::derive(&parts.secret_key, b"certdesk issuer ed25519 v1"),
                DEFAULT_PUBLIC_URL,
            ),
            public_answers: Arc::default(),
            cipher: PiiCipher::new(&parts.secret_key),
            store: parts.store,
            clock: parts.clock,
            policy: parts.policy,
            calendar: Arc::new(BusinessCalendar::bundled()),
            gateways: Arc::new(gateways),
            sandbox,
            senders: Vec::new(),
        }
    }

    /// Adds (or replaces, by channel) an outside notification channel (O6).
    pub fn with_sender(mut self, sender: Arc<dyn certdesk_notify::Sender>) -> App {
        self.senders.retain(|s| s.channel() != sender.channel());
        self.senders.push(sender);
        self
    }

    pub(crate) fn senders(&self) -> &[Arc<dyn certdesk_notify::Sender>] {
        &self.senders
    }

    /// The outside channels on which every notice gets a job (P2).
    pub fn channels(&self) -> certdesk_notify::Channels {
        self.senders
            .iter()
            .fold(certdesk_notify::Channels::none(), |c, s| {
                c.with(s.channel())
            })
    }

    /// Where the deployment is reached from outside, for the links notifications carry.
    pub fn site(&self) -> certdesk_notify::Site {
        certdesk_notify::Site::new(self.issuer.public_url())
            .with_manage_links(self.manage_links.clone())
    }

    /// A notice's jobs: the inbox and every outside channel (P2), for the commit of the event.
    pub(crate) fn notice_jobs(
        &self,
        recipient: certdesk_notify::Recipient,
        notice: certdesk_notify::Notice,
        dedup_key: &str,
        now: jiff::Timestamp,
    ) -> Vec<certdesk_store::NewJob> {
        self.channels().jobs(
            recipient,
            notice,
            dedup_key,
            now,
            self.policy.job_max_attempts,
            self.policy.notify_max_attempts,
        )
    }

    /// A notice's jobs on the outside channels only: its inbox message is written by the
    /// commit itself (a ticket, a result, a certificate).
    pub(crate) fn deliveries(
        &self,
        account: certdesk_domain::AccountId,
        notice: certdesk_notify::Notice,
        dedup_key: &str,
        now: jiff::Timestamp,
    ) -> Vec<certdesk_store::NewJob> {
        self.channels().deliveries(
            &certdesk_notify::Recipient::Account(account),
            &notice,
            dedup_key,
            now,
            self.policy.notify_max_attempts,
        )
    }

    /// Where certdesk is reached from outside (`https://certs.example.com`): the certificates'
    /// verification links and the issuer's `did:web` (O9) name it.
    pub fn with_public_url(mut self, public_url: &str) -> App {
        self.issuer = self.issuer.with_public_url(public_url);
        self
    }

    /// The same programme read at another clock: the demo replays a past exam through the
    /// real use cases, and a test can look at one store from two instants.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> App {
        self.clock = clock;
        self
    }

    /// Where certdesk is reached from outside (`https://certs.example.com`, no trailing
    /// slash): the one setting the certificate links, `did:web`, notification links and the
    /// web layer's cookies (`Secure` and HSTS when it is `https://`) all follow.
    pub fn public_url(&self) -> &str {
        self.issuer.public_url()
    }

    /// The issuer's DID (`did:web:<host>`, O9).
    pub fn issuer_did(&self) -> String {
        self.issuer.did()
    }

    /// Adds (or replaces, by name) a payment gateway (O5).
    pub fn with_gateway(mut self, gateway: Arc<dyn PaymentGateway>) -> App {
        Arc::make_mut(&mut self.gateways).register(gateway);
        self
    }

    /// B1/B2: the business calendar the deadlines are computed with.
    pub fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// The key of the web forms' CSRF tokens (never the secret key itself).
    pub fn form_key(&self) -> &[u8; 32] {
        &self.form_key
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
