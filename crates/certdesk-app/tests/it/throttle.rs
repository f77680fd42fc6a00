//! The log-in throttle: persisted, per email, policy values (5 failures in 15 min → 15 min).

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
            .log_in("chen@example.com", "wrong password", SessionKind::Api)
            .await;
        assert_eq!(code(r), ErrorCode::InvalidCredentials);
        t.clock.advance(SignedDuration::from_secs(60));
    }
    // The fifth failure within 15 minutes locks the email for 15 minutes from now.
    let locked_at = t.clock.now();
    let r = t
        .app
        .log_in("chen@example.com", "wrong password", SessionKind::Api)
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
        .log_in("CHEN@example.com", PASSWORD, SessionKind::Api)
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
        .log_in("chen@example.com", PASSWORD, SessionKind::Api)
        .await
        .unwrap();
    let r = reopened
        .log_in("chen@example.com", "wrong password", SessionKind::Api)
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
                .log_in("ghost@example.com", "whatever1", SessionKind::Web)
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
                .log_in("he@example.com", "wrong password", SessionKind::Web)
                .await;
            assert_eq!(code(r), ErrorCode::InvalidCredentials, "round {round}");
        }
        t.app
            .log_in("he@example.com", PASSWORD, SessionKind::Web)
            .await
            .unwrap();
    }
}
