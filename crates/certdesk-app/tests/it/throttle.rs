//! The log-in throttle: persisted, per email (5 failures in 15 min → 15 min) and per client
//! address (20 failures in 15 min → 15 min), policy values.

use certdesk_app::SignUpInput;
use certdesk_domain::{Clock, ErrorCode};
use certdesk_store::SessionKind;
use jiff::SignedDuration;

use crate::{PASSWORD, TestApp, code};

#[tokio::test]
async fn five_failures_lock_even_the_right_password_until_the_deadline_across_restarts() {
    let t = TestApp::new().await;
    let input = SignUpInput {
        email: "chen@example.com".into(),
        password: PASSWORD.into(),
        phone: None,
    };
    t.app.sign_up(input).await.unwrap();

    for _ in 0..4 {
        let r = t
            .app
            .log_in("chen@example.com", "wrong password", SessionKind::Api, None)
            .await;
        assert_eq!(code(r), ErrorCode::InvalidCredentials);
        t.clock.advance(SignedDuration::from_secs(60));
    }
    // The fifth failure within 15 minutes locks the email for 15 minutes from now.
    let locked_at = t.clock.now();
    let r = t
        .app
        .log_in("chen@example.com", "wrong password", SessionKind::Api, None)
        .await;
    let deadline = locked_at
        .checked_add(SignedDuration::from_mins(15))
        .unwrap();
    match r {
        Err(certdesk_app::AppError::Refused(refusal)) => {
            assert_eq!(refusal.code, ErrorCode::TooManyAttempts);
            assert_eq!(refusal.deadline, Some(deadline));
        }
        other => panic!("expected too_many_attempts, got {other:?}"),
    }

    // Locked: even the right password is refused, with the deadline; a restart changes nothing.
    t.clock.advance(SignedDuration::from_mins(14));
    let reopened = t.reopen().await;
    match reopened
        .log_in("CHEN@example.com", PASSWORD, SessionKind::Api, None)
        .await
    {
        Err(certdesk_app::AppError::Refused(refusal)) => {
            assert_eq!(refusal.code, ErrorCode::TooManyAttempts);
            assert_eq!(refusal.deadline, Some(deadline));
        }
        other => panic!("expected too_many_attempts, got {other:?}"),
    }

    // At the deadline (exclusive, T4) the lock is over; a success clears the failures.
    t.clock.set(deadline);
    reopened
        .log_in("chen@example.com", PASSWORD, SessionKind::Api, None)
        .await
        .unwrap();
    let r = reopened
        .log_in("chen@example.com", "wrong password", SessionKind::Api, None)
        .await;
    assert_eq!(
        code(r),
        ErrorCode::InvalidCredentials,
        "the count restarted after the success"
    );
}

#[tokio::test]
async fn unknown_emails_lock_just_like_known_ones() {
    let t = TestApp::new().await;
    let mut codes = Vec::new();
    for _ in 0..6 {
        codes.push(code(
            t.app
                .log_in("ghost@example.com", "whatever1", SessionKind::Web, None)
                .await,
        ));
    }
    assert_eq!(codes[..4], [ErrorCode::InvalidCredentials; 4]);
    assert_eq!(codes[4..], [ErrorCode::TooManyAttempts; 2]);
}

#[tokio::test]
async fn a_success_clears_the_failures() {
    let t = TestApp::new().await;
    let input = SignUpInput {
        email: "he@example.com".into(),
        password: PASSWORD.into(),
        phone: None,
    };
    t.app.sign_up(input).await.unwrap();
    for round in 0..2 {
        for _ in 0..4 {
            let r = t
                .app
                .log_in("he@example.com", "wrong password", SessionKind::Web, None)
                .await;
            assert_eq!(code(r), ErrorCode::InvalidCredentials, "round {round}");
        }
        t.app
            .log_in("he@example.com", PASSWORD, SessionKind::Web, None)
            .await
            .unwrap();
    }
}

fn addr(s: &str) -> Option<std::net::IpAddr> {
    Some(s.parse().unwrap())
}

/// The refusal's deadline and whether its detail blames the network (the address lock).
fn locked(r: Result<certdesk_app::LoggedIn, certdesk_app::AppError>) -> (jiff::Timestamp, bool) {
    match r {
        Err(certdesk_app::AppError::Refused(refusal)) => {
            assert_eq!(refusal.code, ErrorCode::TooManyAttempts);
            let text = refusal.message(certdesk_domain::Locale::En);
            (
                refusal.deadline.expect("a deadline"),
                text.contains("network"),
            )
        }
        other => panic!("expected too_many_attempts, got {other:?}"),
    }
}

/// Issue 11: one address guessing at many emails, each with a fresh per-email count, is
/// locked itself: the 20th failure within 15 minutes locks the address (policy values), the
/// 19th does not; meanwhile the same accounts log in from elsewhere.
#[tokio::test]
async fn twenty_failures_from_one_address_lock_that_address_not_the_accounts() {
    let t = TestApp::new().await;
    let input = SignUpInput {
        email: "owner@example.com".into(),
        password: PASSWORD.into(),
        phone: None,
    };
    t.app.sign_up(input).await.unwrap();
    let guesser = addr("203.0.113.9");
    for i in 0..19 {
        let r = t
            .app
            .log_in(
                &format!("user{i}@example.com"),
                "guess123",
                SessionKind::Api,
                guesser,
            )
            .await;
        assert_eq!(code(r), ErrorCode::InvalidCredentials, "failure {}", i + 1);
        t.clock.advance(SignedDuration::from_secs(30));
    }
    let twentieth = t.clock.now();
    let r = t
        .app
        .log_in("user19@example.com", "guess123", SessionKind::Api, guesser)
        .await;
    let deadline = twentieth
        .checked_add(SignedDuration::from_mins(15))
        .unwrap();
    assert_eq!(locked(r), (deadline, true));

    // Locked: even a right password from that address, across a restart.
    t.clock.advance(SignedDuration::from_mins(1));
    let reopened = t.reopen().await;
    let r = reopened
        .log_in("owner@example.com", PASSWORD, SessionKind::Web, guesser)
        .await;
    assert_eq!(locked(r), (deadline, true));
    // The account is not locked for its owner elsewhere, nor for a caller without address.
    for other in [addr("198.51.100.4"), None] {
        reopened
            .log_in("owner@example.com", PASSWORD, SessionKind::Web, other)
            .await
            .unwrap();
    }
    // At the deadline (exclusive, T4) the address may try again.
    t.clock.set(deadline);
    reopened
        .log_in("owner@example.com", PASSWORD, SessionKind::Web, guesser)
        .await
        .unwrap();
}

/// An IPv6 guesser counts per /64, so hopping addresses inside it gains nothing; malformed
/// emails count against the address too; a success does not wipe the address's count.
#[tokio::test]
async fn an_ipv6_64_is_one_address_and_successes_do_not_reset_it() {
    let t = TestApp::new().await;
    let input = SignUpInput {
        email: "mine@example.com".into(),
        password: PASSWORD.into(),
        phone: None,
    };
    t.app.sign_up(input).await.unwrap();
    for i in 0..19u32 {
        let from = addr(&format!("2001:db8:5:6::{:x}", i + 1));
        let email = if i % 2 == 0 {
            format!("probe{i}@example.com")
        } else {
            "not an email".to_owned()
        };
        let r = t
            .app
            .log_in(&email, "guess123", SessionKind::Api, from)
            .await;
        assert_eq!(code(r), ErrorCode::InvalidCredentials, "failure {}", i + 1);
        if i == 9 {
            // The guesser's own account, logged into between guesses.
            t.app
                .log_in("mine@example.com", PASSWORD, SessionKind::Api, from)
                .await
                .unwrap();
        }
    }
    let r = t
        .app
        .log_in(
            "probe@example.com",
            "guess123",
            SessionKind::Api,
            addr("2001:db8:5:6:ffff::1"),
        )
        .await;
    assert!(locked(r).1, "the 20th failure in the /64 locks it");
    let r = t
        .app
        .log_in(
            "mine@example.com",
            PASSWORD,
            SessionKind::Api,
            addr("2001:db8:5:7::1"),
        )
        .await;
    assert!(r.is_ok(), "the next /64 is another address");
}

/// The per-email limit stays, whatever address each guess comes from: the 5th failure on
/// one email locks it (the account lock), the 4th does not.
#[tokio::test]
async fn the_email_lock_counts_guesses_from_every_address() {
    let t = TestApp::new().await;
    for i in 0..4 {
        let from = addr(&format!("192.0.2.{}", i + 1));
        let r = t
            .app
            .log_in("target@example.com", "guess123", SessionKind::Api, from)
            .await;
        assert_eq!(code(r), ErrorCode::InvalidCredentials, "failure {}", i + 1);
    }
    let fifth = t.clock.now();
    let r = t
        .app
        .log_in(
            "target@example.com",
            "guess123",
            SessionKind::Api,
            addr("192.0.2.5"),
        )
        .await;
    let deadline = fifth.checked_add(SignedDuration::from_mins(15)).unwrap();
    assert_eq!(
        locked(r),
        (deadline, false),
        "the account lock, not the network's"
    );
}
