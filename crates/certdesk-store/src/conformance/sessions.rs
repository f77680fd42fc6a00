//! Sessions and the login throttle.

use std::sync::Arc;

use certdesk_domain::AccountId;
use jiff::SignedDuration;

use super::fixtures::{account, assert_not_found, at, t0};
use crate::{NewSession, SessionKind, Store};

fn session(account: AccountId, token: u8, kind: SessionKind, expires_in: i64) -> NewSession {
    NewSession {
        token_hash: vec![token; 32],
        account_id: account,
        kind,
        created_at: t0(),
        expires_at: at(expires_in),
    }
}

pub async fn sessions_find_expire_delete(store: Arc<dyn Store>) {
    let a = account(&*store, "s@example.com").await;
    store
        .create_session(session(a.id, 1, SessionKind::Web, 3600))
        .await
        .expect("create");
    store
        .create_session(session(a.id, 2, SessionKind::Api, 60))
        .await
        .expect("create");
    store
        .create_session(session(a.id, 3, SessionKind::Web, 7200))
        .await
        .expect("create");

    let (s, acct) = store
        .find_session(&[1; 32], t0())
        .await
        .expect("find")
        .expect("live session");
    assert_eq!(s.token_hash, vec![1; 32]);
    assert_eq!(
        (s.account_id, s.kind, s.created_at, s.expires_at),
        (a.id, SessionKind::Web, t0(), at(3600))
    );
    assert_eq!(acct, a);
    let (api, _) = store
        .find_session(&[2; 32], at(59))
        .await
        .expect("find")
        .expect("live");
    assert_eq!(api.kind, SessionKind::Api);
    // T4: a session is live iff now < expires_at.
    assert!(
        store
            .find_session(&[2; 32], at(60))
            .await
            .expect("find")
            .is_none()
    );
    assert!(
        store
            .find_session(&[9; 32], t0())
            .await
            .expect("find")
            .is_none()
    );

    assert_eq!(
        store
            .delete_expired_sessions(at(3600))
            .await
            .expect("purge"),
        2
    );
    assert!(
        store
            .find_session(&[1; 32], t0())
            .await
            .expect("find")
            .is_none(),
        "purged"
    );
    assert!(
        store
            .find_session(&[3; 32], at(3600))
            .await
            .expect("find")
            .is_some()
    );

    store.delete_session(&[3; 32]).await.expect("delete");
    assert!(
        store
            .find_session(&[3; 32], t0())
            .await
            .expect("find")
            .is_none()
    );
    store
        .delete_session(&[3; 32])
        .await
        .expect("deleting twice is fine");

    let stranger = AccountId(a.id.get() + 1000);
    assert_not_found(
        store
            .create_session(session(stranger, 4, SessionKind::Api, 60))
            .await,
    );
}

pub async fn login_throttle_accumulates_and_locks(store: Arc<dyn Store>) {
    let key = "li.lei@example.com";
    let window = SignedDuration::from_mins(15);
    let lockout = SignedDuration::from_mins(30);
    assert_eq!(store.find_login_throttle(key).await.expect("find"), None);

    let first = store
        .record_login_failure(key, t0(), window, 3, lockout)
        .await
        .expect("record");
    assert_eq!(
        (
            first.key.as_str(),
            first.failures,
            first.first_failure_at,
            first.locked_until
        ),
        (key, 1, t0(), None)
    );
    let second = store
        .record_login_failure(key, at(60), window, 3, lockout)
        .await
        .expect("record");
    assert_eq!(
        (
            second.failures,
            second.first_failure_at,
            second.locked_until
        ),
        (2, t0(), None)
    );
    let third = store
        .record_login_failure(key, at(120), window, 3, lockout)
        .await
        .expect("record");
    assert_eq!((third.failures, third.first_failure_at), (3, t0()));
    assert_eq!(
        third.locked_until,
        Some(at(120) + lockout),
        "locked for `lockout` from the failure"
    );

    // Persisted, and keys are independent.
    assert_eq!(
        store.find_login_throttle(key).await.expect("find"),
        Some(third)
    );
    assert_eq!(
        store
            .find_login_throttle("other@example.com")
            .await
            .expect("find"),
        None
    );
    let other = store
        .record_login_failure("other@example.com", at(120), window, 3, lockout)
        .await
        .expect("record");
    assert_eq!(other.failures, 1);

    store.clear_login_failures(key).await.expect("clear");
    assert_eq!(store.find_login_throttle(key).await.expect("find"), None);
    store
        .clear_login_failures(key)
        .await
        .expect("clearing twice is fine");
    let again = store
        .record_login_failure(key, at(200), window, 3, lockout)
        .await
        .expect("record");
    assert_eq!(
        (again.failures, again.first_failure_at, again.locked_until),
        (1, at(200), None)
    );
}

pub async fn login_throttle_window_restart_keeps_lock(store: Arc<dyn Store>) {
    let key = "k";
    let window = SignedDuration::from_mins(1);
    let lockout = SignedDuration::from_hours(1);
    store
        .record_login_failure(key, t0(), window, 5, lockout)
        .await
        .expect("record");
    let inside = store
        .record_login_failure(key, at(59), window, 5, lockout)
        .await
        .expect("record");
    assert_eq!(inside.failures, 2);
    // The window is exclusive: at first_failure_at + window the count restarts.
    let restarted = store
        .record_login_failure(key, at(60), window, 5, lockout)
        .await
        .expect("record");
    assert_eq!(
        (
            restarted.failures,
            restarted.first_failure_at,
            restarted.locked_until
        ),
        (1, at(60), None)
    );

    let locked = store
        .record_login_failure(key, at(61), window, 2, lockout)
        .await
        .expect("record");
    assert_eq!(locked.locked_until, Some(at(61) + lockout));
    // A failure after the window restarts the count but never shortens a running lock.
    let later = store
        .record_login_failure(key, at(300), window, 2, lockout)
        .await
        .expect("record");
    assert_eq!((later.failures, later.first_failure_at), (1, at(300)));
    assert_eq!(later.locked_until, Some(at(61) + lockout));
    // max_failures = 1 locks at the first failure.
    let strict = store
        .record_login_failure("strict", t0(), window, 1, lockout)
        .await
        .expect("record");
    assert_eq!(
        (strict.failures, strict.locked_until),
        (1, Some(t0() + lockout))
    );
}

/// Housekeeping deletes a throttle row only once its count is past every window and its lock
/// has ended: a running lock or a count still inside its window is kept.
pub async fn stale_login_throttles_are_deleted(store: Arc<dyn Store>) {
    let window = SignedDuration::from_mins(15);
    let lockout = SignedDuration::from_mins(30);
    // Counted at t0, not locked.
    store
        .record_login_failure("lapsed@example.com", t0(), window, 3, lockout)
        .await
        .expect("record");
    // Counted at t0 and locked until t0 + 30 min.
    for _ in 0..3 {
        store
            .record_login_failure("locked@example.com", t0(), window, 3, lockout)
            .await
            .expect("record");
    }
    // Counted at t0 + 20 min: its window is still open at t0 + 25 min.
    store
        .record_login_failure("recent@example.com", at(20 * 60), window, 3, lockout)
        .await
        .expect("record");

    // At t0 + 25 min, with the window 15 min: counts begun by t0 + 10 min are past it.
    let now = at(25 * 60);
    let deleted = store
        .delete_stale_login_throttles(at(10 * 60), now)
        .await
        .expect("delete");
    assert_eq!(deleted, 1, "only the lapsed count");
    for key in ["locked@example.com", "recent@example.com"] {
        assert!(
            store
                .find_login_throttle(key)
                .await
                .expect("find")
                .is_some(),
            "{key}"
        );
    }
    // Once the lock has ended (at t0 + 30 min, exclusive) it goes too.
    let deleted = store
        .delete_stale_login_throttles(at(20 * 60), at(30 * 60))
        .await
        .expect("delete");
    assert_eq!(
        deleted, 2,
        "the ended lock and the count begun at t0 + 20 min"
    );
}
