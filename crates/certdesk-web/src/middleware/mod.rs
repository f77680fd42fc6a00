//! The layers every request passes through, outermost first: request id, trace span,
//! metrics, load (requests in flight), transport (client address, HTTPS, HSTS), security
//! headers, context (locale, session, CSRF pair, error rendering), idempotency
//! (`Idempotency-Key` of unsafe API requests), CSRF.

pub(crate) mod context;
pub(crate) mod idempotency;
pub(crate) mod load;
pub(crate) mod metrics;
pub(crate) mod render;
pub(crate) mod request_id;
pub(crate) mod security_headers;
pub(crate) mod trace;
pub(crate) mod transport;
