//! API.md: the `Idempotency-Key` of unsafe requests — the same key and request within 24 h
//! answer the first answer and do nothing twice. The web layer reserves a key before the
//! handler runs, records the answer after it (or releases the key when the handler failed on
//! our side), and replays a recorded answer. Register-and-pay keeps its own key in its order,
//! inside its commit (`OrderStore`); this is every other unsafe route's.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};

use crate::StoreResult;

/// A request under an idempotency key, as it reserves the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyClaim {
    /// Whose key it is (`account:42`, `token:<SHA-256 hex>`, `anonymous`): the same key of two
    /// callers names two requests.
    pub scope: String,
    /// The `Idempotency-Key` as sent.
    pub key: String,
    /// SHA-256 of the request (method, path and query, content type, body): the same key with
    /// another fingerprint is another request.
    pub fingerprint: Vec<u8>,
    /// When the request arrived: the record's creation time, and what tells this reservation
    /// from a later one of the same key (24 h on).
    pub at: Timestamp,
}

/// An answer as recorded under a key. The body is stored as given: the caller encrypts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What reserving a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reservation {
    /// The key was free (never used, or its record had lived its time): it is now held by the
    /// claim, pending, until `complete_idempotency_key` or `release_idempotency_key`.
    Reserved,
    /// An earlier request holds the key and has not answered yet.
    Pending {
        fingerprint: Vec<u8>,
        created_at: Timestamp,
    },
    /// An earlier request under the key answered this.
    Done {
        fingerprint: Vec<u8>,
        created_at: Timestamp,
        answer: RecordedAnswer,
    },
}

#[async_trait]
pub trait IdempotencyStore {
    /// Reserves `claim.key` in `claim.scope` atomically: of any number of concurrent claims of
    /// one key exactly one is `Reserved`; the others see its record. A record created
    /// `lifetime` or longer before `claim.at` (T4: it lives while `at < created_at +
    /// lifetime`) counts as absent and is replaced, pending or not.
    async fn reserve_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        lifetime: SignedDuration,
    ) -> StoreResult<Reservation>;

    /// Records the answer of the request that reserved the key with `claim` (its scope, key
    /// and `at`); `NotFound` when that reservation is no longer pending (released, or replaced
    /// after its lifetime).
    async fn complete_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        answer: &RecordedAnswer,
    ) -> StoreResult<()>;

    /// Deletes the pending reservation `claim` made, so that a retry runs (the request failed
    /// on our side and changed nothing). A recorded answer, or a later reservation of the key,
    /// is left alone.
    async fn release_idempotency_key(&self, claim: &IdempotencyClaim) -> StoreResult<()>;

    /// Housekeeping: deletes every record created at or before `created_until` (past its
    /// lifetime, so it no longer answers anything); answers how many.
    async fn delete_expired_idempotency_records(
        &self,
        created_until: Timestamp,
    ) -> StoreResult<u64>;
}
