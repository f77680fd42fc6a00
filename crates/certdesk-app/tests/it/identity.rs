//! Real-name identity: checksum mode, manual review with audit, the account limit (A2, A4).

use certdesk_app::VerificationMode;
use certdesk_domain::{ErrorCode, IdentityStatus};
use certdesk_store::PageRequest;

use crate::{TestApp, code, field, id_number};

#[tokio::test]
async fn checksum_mode_verifies_at_once_and_shows_only_the_masked_number() {
    let t = TestApp::new().await;
    let me = t.candidate("li@example.com").await;
    assert_eq!(
        t.app.verification_mode().await.unwrap(),
        VerificationMode::Checksum
    );
    let number = id_number("11010519491231002");
    let record = t
        .app
        .submit_identity(&me, " 李雷 ", &format!(" {number} "))
        .await
        .unwrap();
    assert_eq!(record.status, IdentityStatus::Verified);
    assert_eq!(record.real_name, "李雷");
    assert_eq!(
        record.id_number_masked,
        format!("110105********{}", &number[14..])
    );
    assert!(
        !format!("{record:?}").contains(&number),
        "the record never carries the number"
    );

    let me_view = t.app.me(&me).await.unwrap();
    assert_eq!(me_view.identity.unwrap().status, IdentityStatus::Verified);
    // The stored secret is ciphertext, not the number.
    let secret = t
        .store()
        .find_identity_secret(me.id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !secret
            .id_number_ciphertext
            .windows(18)
            .any(|w| w == number.as_bytes())
    );

    assert_eq!(
        code(t.app.submit_identity(&me, "李雷", &number).await),
        ErrorCode::AlreadyVerified
    );
}

#[tokio::test]
async fn bad_names_and_numbers_are_refused_naming_the_part() {
    let t = TestApp::new().await;
    let me = t.candidate("han@example.com").await;
    let good = id_number("11010519491231002");
    assert_eq!(
        field(t.app.submit_identity(&me, "韩", &good).await),
        Some("real_name".into())
    );
    let mut wrong_check = good.clone();
    wrong_check.replace_range(17.., if good.ends_with('0') { "1" } else { "0" });
    match t.app.submit_identity(&me, "韩梅梅", &wrong_check).await {
        Err(certdesk_app::AppError::Refused(r)) => {
            assert_eq!(
                (r.code, r.rule, r.field.as_deref()),
                (ErrorCode::InvalidIdNumber, Some("A2"), Some("id_number"))
            );
            assert!(
                r.detail.is_some(),
                "the refusal names the part that is wrong"
            );
        }
        other => panic!("expected invalid_id_number, got {other:?}"),
    }
    // A birth date after today (Shanghai time) is no real birth date.
    let future = id_number("11010520990101002");
    assert_eq!(
        code(t.app.submit_identity(&me, "韩梅梅", &future).await),
        ErrorCode::InvalidIdNumber
    );
}

#[tokio::test]
async fn a2_fourth_account_with_the_same_identity_is_refused() {
    let t = TestApp::new().await;
    let number = id_number("31010419800101123");
    for i in 0..3 {
        let account = t.candidate(&format!("same{i}@example.com")).await;
        t.app
            .submit_identity(&account, "王芳", &number)
            .await
            .unwrap();
    }
    let fourth = t.candidate("same3@example.com").await;
    match t.app.submit_identity(&fourth, "王芳", &number).await {
        Err(certdesk_app::AppError::Refused(r)) => {
            assert_eq!(
                (r.code, r.rule, r.field.as_deref()),
                (ErrorCode::IdentityInUse, Some("A2"), Some("id_number"))
            );
        }
        other => panic!("expected identity_in_use, got {other:?}"),
    }
    // Another person is fine.
    t.app
        .submit_identity(&fourth, "王芳", &id_number("31010419800101124"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a4_manual_review_rejects_with_a_reason_then_approves_and_audits_without_pii() {
    let t = TestApp::new().await;
    let admin = t.admin().await;
    let me = t.candidate("zhou@example.com").await;
    let number = id_number("44030519900307211");

    assert_eq!(
        code(
            t.app
                .set_verification_mode(&me, VerificationMode::ManualReview)
                .await
        ),
        ErrorCode::Forbidden
    );
    t.app
        .set_verification_mode(&admin, VerificationMode::ManualReview)
        .await
        .unwrap();
    assert_eq!(
        t.app.verification_mode().await.unwrap(),
        VerificationMode::ManualReview
    );

    let pending = t.app.submit_identity(&me, "周杰", &number).await.unwrap();
    assert_eq!(pending.status, IdentityStatus::Pending);
    let queue = t
        .app
        .list_identities(
            &admin,
            Some(IdentityStatus::Pending),
            PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(queue.items.len(), 1);
    assert_eq!(
        code(
            t.app
                .list_identities(&me, None, PageRequest::default())
                .await
        ),
        ErrorCode::Forbidden
    );

    assert_eq!(
        code(t.app.decide_identity(&me, me.id, true, None).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        field(
            t.app
                .decide_identity(&admin, me.id, false, Some("  ".into()))
                .await
        ),
        Some("reason".into())
    );
    let rejected = t
        .app
        .decide_identity(&admin, me.id, false, Some("证件照片不清晰".into()))
        .await
        .unwrap();
    assert_eq!(
        (rejected.status, rejected.reason.as_deref()),
        (IdentityStatus::Rejected, Some("证件照片不清晰"))
    );
    assert_eq!(
        code(t.app.decide_identity(&admin, me.id, true, None).await),
        ErrorCode::IdentityNotPending
    );

    // A new submission goes back to the queue; this time it is approved.
    t.clock.advance(jiff::SignedDuration::from_mins(5));
    t.app.submit_identity(&me, "周杰", &number).await.unwrap();
    let verified = t
        .app
        .decide_identity(&admin, me.id, true, None)
        .await
        .unwrap();
    assert_eq!(
        (verified.status, verified.decided_by),
        (IdentityStatus::Verified, Some(admin.id))
    );
    assert_eq!(
        code(
            t.app
                .decide_identity(&admin, certdesk_domain::AccountId(999_999), true, None)
                .await
        ),
        ErrorCode::NotFound
    );

    let audit = t
        .app
        .list_audit(&admin, PageRequest::default())
        .await
        .unwrap()
        .items;
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["identity.approve", "identity.reject", "setting.update"],
        "newest first"
    );
    assert!(audit.iter().all(|e| e.actor == Some(admin.id)));
    let reject = &audit[1];
    assert_eq!(reject.target_id, me.id.to_string());
    assert_eq!(reject.before.as_ref().unwrap()["status"], "pending");
    assert_eq!(reject.after.as_ref().unwrap()["status"], "rejected");
    assert_eq!(reject.after.as_ref().unwrap()["reason"], "证件照片不清晰");
    for entry in &audit {
        let text = format!("{:?} {:?}", entry.before, entry.after);
        assert!(!text.contains(&number), "audit must not hold the ID number");
    }
    assert_eq!(
        code(t.app.list_audit(&me, PageRequest::default()).await),
        ErrorCode::Forbidden
    );

    // The candidate was told at each step (O6 inbox), newest first.
    t.run_jobs().await;
    let inbox = t
        .app
        .list_messages(&me, PageRequest::default())
        .await
        .unwrap()
        .items;
    let kinds: Vec<&str> = inbox.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "identity_verified",
            "identity_pending",
            "identity_rejected",
            "identity_pending"
        ]
    );
    assert!(inbox[2].body_zh.contains("证件照片不清晰"));
}
