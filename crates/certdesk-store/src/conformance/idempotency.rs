//! API.md's `Idempotency-Key` on every unsafe route: a key is reserved once under any
//! concurrency, its answer recorded and read back byte for byte, released for a retry after a
//! failure on our side, and free again once its record has lived 24 hours (T4).

use std::sync::Arc;

use jiff::SignedDuration;

use super::fixtures::at;
use crate::{IdempotencyClaim, RecordedAnswer, Reservation, Store, StoreError};

const DAY: SignedDuration = SignedDuration::from_hours(24);

fn claim(scope: &str, key: &str, fingerprint: u8, secs: i64) -> IdempotencyClaim {
    IdempotencyClaim {
        scope: scope.to_owned(),
        key: key.to_owned(),
        fingerprint: vec![fingerprint; 32],
        at: at(secs),
    }
}

fn answer(status: u16) -> RecordedAnswer {
    RecordedAnswer {
        status,
        content_type: Some("application/json".to_owned()),
        // Any bytes: the app stores a ciphertext.
        body: vec![0, 159, 146, 150, 0xff, b'{', 0],
    }
}

async fn reserve(store: &dyn Store, c: &IdempotencyClaim) -> Reservation {
    store
        .reserve_idempotency_key(c, DAY)
        .await
        .expect("reserve")
}

pub async fn idempotency_key_reserved_completed_and_replayed(store: Arc<dyn Store>) {
    let first = claim("account:1", "k-1", 1, 0);
    assert_eq!(reserve(&*store, &first).await, Reservation::Reserved);
    // While it runs, the same request and another one under the key both see it pending.
    for other in [
        claim("account:1", "k-1", 1, 1),
        claim("account:1", "k-1", 2, 1),
    ] {
        assert_eq!(
            reserve(&*store, &other).await,
            Reservation::Pending {
                fingerprint: first.fingerprint.clone(),
                created_at: first.at,
            }
        );
    }
    // Keys are per scope: another caller's same key is another request.
    for scope in ["account:2", "anonymous", "token:00ff"] {
        let c = claim(scope, "k-1", 1, 2);
        assert_eq!(reserve(&*store, &c).await, Reservation::Reserved, "{scope}");
    }
    let recorded = answer(201);
    store
        .complete_idempotency_key(&first, &recorded)
        .await
        .expect("complete");
    let done = Reservation::Done {
        fingerprint: first.fingerprint.clone(),
        created_at: first.at,
        answer: recorded.clone(),
    };
    assert_eq!(
        reserve(&*store, &claim("account:1", "k-1", 1, 60)).await,
        done
    );
    assert_eq!(
        reserve(&*store, &claim("account:1", "k-1", 9, 61)).await,
        done,
        "another request sees the first answer's fingerprint, and nothing changes"
    );
    // A second completion of the same reservation finds nothing pending.
    let again = store.complete_idempotency_key(&first, &answer(200)).await;
    assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
    assert_eq!(
        reserve(&*store, &claim("account:1", "k-1", 1, 62)).await,
        done
    );

    // An answer without a content type (204) and an empty body.
    let empty = claim("account:1", "k-2", 3, 0);
    assert_eq!(reserve(&*store, &empty).await, Reservation::Reserved);
    let no_content = RecordedAnswer {
        status: 204,
        content_type: None,
        body: Vec::new(),
    };
    store
        .complete_idempotency_key(&empty, &no_content)
        .await
        .expect("complete");
    assert!(matches!(
        reserve(&*store, &empty).await,
        Reservation::Done { answer, .. } if answer == no_content
    ));
}

pub async fn idempotency_key_released_for_a_retry(store: Arc<dyn Store>) {
    let failed = claim("account:1", "k", 1, 0);
    assert_eq!(reserve(&*store, &failed).await, Reservation::Reserved);
    store
        .release_idempotency_key(&failed)
        .await
        .expect("release");
    let retry = claim("account:1", "k", 1, 5);
    assert_eq!(
        reserve(&*store, &retry).await,
        Reservation::Reserved,
        "released: the retry runs"
    );
    // A stale release (the first attempt's, arriving late) leaves the retry's reservation.
    store
        .release_idempotency_key(&failed)
        .await
        .expect("release");
    assert!(matches!(
        reserve(&*store, &claim("account:1", "k", 1, 6)).await,
        Reservation::Pending { created_at, .. } if created_at == retry.at
    ));
    let late = store.complete_idempotency_key(&failed, &answer(200)).await;
    assert!(
        matches!(late, Err(StoreError::NotFound)),
        "the released reservation records nothing: {late:?}"
    );
    // Released after it answered: the answer stays.
    store
        .complete_idempotency_key(&retry, &answer(200))
        .await
        .expect("complete");
    store
        .release_idempotency_key(&retry)
        .await
        .expect("release");
    assert!(matches!(
        reserve(&*store, &claim("account:1", "k", 1, 7)).await,
        Reservation::Done { answer: a, .. } if a == answer(200)
    ));
    // Releasing a key never reserved is nothing.
    store
        .release_idempotency_key(&claim("account:1", "never", 1, 0))
        .await
        .expect("release");
}

pub async fn idempotency_key_free_again_after_24_hours(store: Arc<dyn Store>) {
    let day_secs = DAY.as_secs();
    let first = claim("anonymous", "k", 1, 0);
    assert_eq!(reserve(&*store, &first).await, Reservation::Reserved);
    store
        .complete_idempotency_key(&first, &answer(201))
        .await
        .expect("complete");
    let mut last_moment = claim("anonymous", "k", 2, day_secs);
    last_moment.at -= SignedDuration::from_micros(1);
    assert!(
        matches!(
            reserve(&*store, &last_moment).await,
            Reservation::Done { .. }
        ),
        "a microsecond before 24 h the record answers"
    );
    // T4: at created_at + 24 h it is gone; another request takes the key over.
    let next_day = claim("anonymous", "k", 2, day_secs);
    assert_eq!(reserve(&*store, &next_day).await, Reservation::Reserved);
    assert_eq!(
        reserve(&*store, &claim("anonymous", "k", 2, day_secs + 1)).await,
        Reservation::Pending {
            fingerprint: next_day.fingerprint.clone(),
            created_at: next_day.at,
        }
    );
    let old = store.complete_idempotency_key(&first, &answer(200)).await;
    assert!(matches!(old, Err(StoreError::NotFound)), "{old:?}");
    // A reservation left pending (a crashed node) holds its key for 24 h too, then frees it.
    let stuck = claim("anonymous", "stuck", 1, 0);
    assert_eq!(reserve(&*store, &stuck).await, Reservation::Reserved);
    assert!(matches!(
        reserve(&*store, &claim("anonymous", "stuck", 1, day_secs - 1)).await,
        Reservation::Pending { .. }
    ));
    assert_eq!(
        reserve(&*store, &claim("anonymous", "stuck", 1, day_secs)).await,
        Reservation::Reserved
    );
}

pub async fn idempotency_key_reserved_once_under_concurrency(store: Arc<dyn Store>) {
    for round in 0..4 {
        let key = format!("race-{round}");
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let store = store.clone();
                let c = claim("account:7", &key, 1 + (i % 2) as u8, round);
                tokio::spawn(async move { store.reserve_idempotency_key(&c, DAY).await })
            })
            .collect();
        let mut reserved = 0;
        for t in tasks {
            match t.await.expect("task").expect("reserve") {
                Reservation::Reserved => reserved += 1,
                Reservation::Pending { .. } => {}
                other => panic!("nothing answered yet: {other:?}"),
            }
        }
        assert_eq!(reserved, 1, "round {round}");
    }
}

/// Housekeeping deletes the records created at or before the instant given (those past their
/// 24 hours), done or pending, and nothing younger.
pub async fn expired_idempotency_records_are_deleted(store: Arc<dyn Store>) {
    let old_done = claim("account:1", "old-done", 1, 0);
    let old_pending = claim("account:1", "old-pending", 1, 10);
    let young = claim("account:1", "young", 1, 11);
    for c in [&old_done, &old_pending, &young] {
        assert_eq!(reserve(&*store, c).await, Reservation::Reserved);
    }
    store
        .complete_idempotency_key(&old_done, &answer(200))
        .await
        .expect("complete");
    assert_eq!(
        store
            .delete_expired_idempotency_records(at(10))
            .await
            .expect("delete"),
        2
    );
    assert_eq!(
        store
            .delete_expired_idempotency_records(at(10))
            .await
            .expect("delete"),
        0,
        "nothing left to delete"
    );
    // The young one still answers; the deleted keys are free.
    assert!(matches!(
        reserve(&*store, &claim("account:1", "young", 1, 12)).await,
        Reservation::Pending { .. }
    ));
    assert_eq!(
        reserve(&*store, &claim("account:1", "old-done", 2, 12)).await,
        Reservation::Reserved
    );
}
