#![doc = include_str!("../README.md")]

mod controllers;
mod cookies;
mod csrf;
mod documents;
mod dto;
mod edge;
mod error;
mod extract;
mod health;
mod i18n;
mod input;
mod institution_routes;
mod middleware;
mod openapi;
mod pages;
mod router;
mod state;
mod static_files;

pub use edge::proxies::TrustedProxies;
pub use edge::serve::serve;
pub use error::WebError;
pub use middleware::load::WebLoad;
pub use router::{ApiRoute, api_routes, router};

/// How the web layer is set up; the binary fills it from its configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// SPEC T3: when set, `PUT /api/v1/test/clock` exists and moves this clock.
    /// Must be the same clock the `App` was built with.
    pub test_clock: Option<certdesk_domain::TestClock>,
    /// The proxies whose `X-Forwarded-For` (the client's address, for the log-in throttle)
    /// and `X-Forwarded-Proto` (HTTPS: `Secure` cookies and HSTS) are believed. Whether the
    /// site is HTTPS otherwise follows the app's public URL (`App::public_url`), the one
    /// setting for it.
    pub trusted_proxies: TrustedProxies,
    /// The largest request body accepted; larger ones get 413 `payload_too_large`.
    pub body_limit_bytes: usize,
    /// The largest results upload (`POST /api/v1/admin/results`, the `/admin/results` form):
    /// a 100,000-line CSV is about 2 MB, its JSON about 5 MB.
    pub upload_limit_bytes: usize,
    /// When set, `/metrics` answers only `Authorization: Bearer <token>`; when not, anyone who
    /// can reach the port can read it (bind the port privately).
    pub metrics_token: Option<secrecy::SecretString>,
    /// O11: the programme's contact emails shown on `/help`.
    pub contact: ContactEmails,
    /// Requests in flight: give `serve`'s worker a clone to give way to (`JobRunner::giving_way_to`).
    pub load: WebLoad,
}

/// O11: where candidates write to, by subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactEmails {
    /// Registration, sittings and exam-day questions.
    pub exams: String,
    /// Results and certificates.
    pub certificates: String,
}

impl Default for ContactEmails {
    /// Demo addresses (`example.com` is reserved): a deployment sets its own.
    fn default() -> Self {
        ContactEmails {
            exams: "exams@certdesk.example.com".to_owned(),
            certificates: "certificates@certdesk.example.com".to_owned(),
        }
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            test_clock: None,
            trusted_proxies: TrustedProxies::default(),
            body_limit_bytes: 64 * 1024,
            upload_limit_bytes: 16 * 1024 * 1024,
            metrics_token: None,
            contact: ContactEmails::default(),
            load: WebLoad::default(),
        }
    }
}
