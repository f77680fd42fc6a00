//! API.md: "Unsafe requests accept an `Idempotency-Key` header: the same key and body within
//! 24 h returns the first response and does nothing twice" — for every unsafe route the web
//! layer's idempotency middleware covers (register-and-pay keeps its key inside its own
//! commit, `orders.rs`). The middleware fingerprints the request and calls
//! [`App::begin_idempotent`]: the first request under a key runs and its answer is recorded
//! ([`App::record_idempotent`]), or the key is released when it failed on our side
//! ([`App::release_idempotent`]); a repeat is answered from the record. Recorded bodies are
//! encrypted with the PII cipher (AES-256-GCM), bound to their scope and key: an answer may
//! hold a phone number or an institution registration's management token.

use certdesk_domain::{
    AccountId, IDEMPOTENCY_LIFETIME, IdempotencyKey, idempotency_key_in_flight,
    idempotency_key_reused,
};
use certdesk_store::{IdempotencyClaim, RecordedAnswer, Reservation};
use sha2::{Digest, Sha256};

use crate::App;
use crate::error::AppResult;

/// The associated data of a recorded answer starts with this (then scope and key), so a
/// ciphertext made for one key cannot be passed off under another.
const PURPOSE_ANSWER: &str = "certdesk idempotent answer v1";

/// Whose key it is: one caller's key never answers another caller.
#[derive(Clone, PartialEq, Eq)]
pub enum IdempotencyScope {
    /// A signed-in account (any of its sessions).
    Account(AccountId),
    /// A bearer token that opens no session — an institution registration's management
    /// token — by its SHA-256 (the token itself is never stored).
    Token([u8; 32]),
    /// No credential at all (an institution registration needs no log-in).
    Anonymous,
}

impl IdempotencyScope {
    /// The scope of a bearer token that is no session.
    pub fn bearer(token: &str) -> IdempotencyScope {
        IdempotencyScope::Token(Sha256::digest(token.as_bytes()).into())
    }

    fn as_text(&self) -> String {
        match self {
            IdempotencyScope::Account(id) => format!("account:{}", id.get()),
            IdempotencyScope::Token(hash) => format!("token:{}", hex::encode(hash)),
            IdempotencyScope::Anonymous => "anonymous".to_owned(),
        }
    }
}

impl std::fmt::Debug for IdempotencyScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdempotencyScope::Account(id) => write!(f, "Account({})", id.get()),
            // Not even the token's hash in logs.
            IdempotencyScope::Token(_) => f.write_str("Token(..)"),
            IdempotencyScope::Anonymous => f.write_str("Anonymous"),
        }
    }
}

/// What the request under a key does.
#[derive(Debug)]
pub enum Idempotent {
    /// The key is this request's: run it, then [`App::record_idempotent`] its answer or
    /// [`App::release_idempotent`] the key.
    Run(IdempotencyTicket),
    /// The same request answered before: answer this (body in the clear), run nothing.
    Replay(RecordedAnswer),
}

/// The reservation a request holds on its key.
#[derive(Debug, Clone)]
pub struct IdempotencyTicket {
    claim: IdempotencyClaim,
}

impl App {
    /// Reserves `key` for the request whose SHA-256 `fingerprint` is given, at `now`.
    /// Refusals: the key answered or is running another request → `idempotency_key_reused`
    /// (422); the same request is still running → `idempotency_key_in_flight` (409).
    pub async fn begin_idempotent(
        &self,
        scope: &IdempotencyScope,
        key: &IdempotencyKey,
        fingerprint: [u8; 32],
    ) -> AppResult<Idempotent> {
        let claim = IdempotencyClaim {
            scope: scope.as_text(),
            key: key.as_str().to_owned(),
            fingerprint: fingerprint.to_vec(),
            at: self.now(),
        };
        let found = self
            .store
            .reserve_idempotency_key(&claim, IDEMPOTENCY_LIFETIME)
            .await?;
        match found {
            Reservation::Reserved => Ok(Idempotent::Run(IdempotencyTicket { claim })),
            Reservation::Pending { fingerprint, .. } if fingerprint == claim.fingerprint => {
                Err(idempotency_key_in_flight().into())
            }
            Reservation::Done {
                fingerprint,
                answer,
                ..
            } if fingerprint == claim.fingerprint => {
                let body = self.cipher.decrypt(&purpose(&claim), &answer.body)?;
                Ok(Idempotent::Replay(RecordedAnswer {
                    body: body.to_vec(),
                    ..answer
                }))
            }
            Reservation::Pending { .. } | Reservation::Done { .. } => {
                Err(idempotency_key_reused().into())
            }
        }
    }

    /// Records the answer of the request holding `ticket` (body in the clear; stored
    /// encrypted).
    pub async fn record_idempotent(
        &self,
        ticket: &IdempotencyTicket,
        answer: &RecordedAnswer,
    ) -> AppResult<()> {
        let sealed = RecordedAnswer {
            body: self.cipher.encrypt(&purpose(&ticket.claim), &answer.body)?,
            ..answer.clone()
        };
        self.store
            .complete_idempotency_key(&ticket.claim, &sealed)
            .await?;
        Ok(())
    }

    /// Frees the key of a request that failed on our side, so that a retry runs.
    pub async fn release_idempotent(&self, ticket: &IdempotencyTicket) -> AppResult<()> {
        self.store.release_idempotency_key(&ticket.claim).await?;
        Ok(())
    }
}

fn purpose(claim: &IdempotencyClaim) -> String {
    format!("{PURPOSE_ANSWER}\n{}\n{}", claim.scope, claim.key)
}
