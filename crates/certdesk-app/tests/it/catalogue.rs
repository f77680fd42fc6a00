//! C1: the default catalogue and operators' create/edit/retire.

use certdesk_app::CertificationInput;
use certdesk_domain::{ErrorCode, Family, Level, Track};
use certdesk_store::PageRequest;

use crate::{TestApp, code, field};

fn input(code: &str) -> CertificationInput {
    CertificationInput {
        code: code.into(),
        name_zh: "腾讯云云安全工程师".into(),
        name_en: "Tencent Cloud Security Engineer – Associate".into(),
        family: "cloud".into(),
        track: Some("operations".into()),
        level: Some("associate".into()),
        fee_fen: 75_000,
        duration_minutes: 90,
        pass_mark: 70,
        validity_months: 24,
    }
}

#[tokio::test]
async fn c1_seed_is_idempotent_and_complete() {
    let t = TestApp::new().await;
    assert_eq!(t.app.seed_default_catalogue().await.unwrap(), 13);
    assert_eq!(t.app.seed_default_catalogue().await.unwrap(), 0);
    let all = t.app.list_certifications(true).await.unwrap();
    assert_eq!(all.len(), 13);
    assert_eq!(
        all.iter()
            .filter(|c| c.data.family == Family::Specialty)
            .count(),
        3
    );
    let foundation = t.app.get_certification("tcca-fnd").await.unwrap();
    assert_eq!(
        (foundation.data.track, foundation.data.level),
        (Some(Track::Foundation), None)
    );
    let arc_p = t.app.get_certification("TCCA-ARC-P").await.unwrap();
    assert_eq!(
        (arc_p.data.name_zh.as_str(), arc_p.data.level),
        ("腾讯云架构高级工程师", Some(Level::Professional))
    );
    assert_eq!(
        code(t.app.get_certification("NOPE-1").await),
        ErrorCode::NotFound
    );
    assert_eq!(
        code(t.app.get_certification("'; drop table").await),
        ErrorCode::NotFound
    );

    // An operator's retirement survives the next start's seed.
    let admin = t.admin().await;
    t.app.retire_certification(&admin, "TCCS-ML").await.unwrap();
    assert_eq!(t.reopen().await.seed_default_catalogue().await.unwrap(), 0);
    assert!(
        t.app
            .get_certification("TCCS-ML")
            .await
            .unwrap()
            .data
            .retired
    );
    assert_eq!(t.app.list_certifications(false).await.unwrap().len(), 12);
}

#[tokio::test]
async fn operators_create_edit_retire_and_unretire_with_audit() {
    let t = TestApp::new().await;
    let admin = t.admin().await;
    let candidate = t.candidate("sun@example.com").await;

    assert_eq!(
        code(
            t.app
                .create_certification(&candidate, input("TCCA-SEC-A"))
                .await
        ),
        ErrorCode::Forbidden
    );
    let created = t
        .app
        .create_certification(&admin, input(" tcca-sec-a "))
        .await
        .unwrap();
    assert_eq!(created.data.code.as_str(), "TCCA-SEC-A");
    assert_eq!(created.data.fee.get(), 75_000);
    assert_eq!(
        code(
            t.app
                .create_certification(&admin, input("TCCA-SEC-A"))
                .await
        ),
        ErrorCode::CertCodeTaken
    );
    assert_eq!(
        field(
            t.app
                .create_certification(
                    &admin,
                    CertificationInput {
                        fee_fen: -5,
                        ..input("X-1")
                    }
                )
                .await
        ),
        Some("fee_fen".into())
    );

    let edited = CertificationInput {
        fee_fen: 80_000,
        ..input("TCCA-SEC-A")
    };
    assert_eq!(
        code(
            t.app
                .update_certification(&candidate, "TCCA-SEC-A", edited.clone())
                .await
        ),
        ErrorCode::Forbidden
    );
    let updated = t
        .app
        .update_certification(&admin, "TCCA-SEC-A", edited.clone())
        .await
        .unwrap();
    assert_eq!(updated.data.fee.get(), 80_000);
    let renamed = CertificationInput {
        code: "TCCA-SEC-B".into(),
        ..edited.clone()
    };
    assert_eq!(
        field(
            t.app
                .update_certification(&admin, "TCCA-SEC-A", renamed)
                .await
        ),
        Some("code".into())
    );
    assert_eq!(
        code(
            t.app
                .update_certification(&admin, "TCCA-NONE", edited.clone())
                .await
        ),
        ErrorCode::NotFound
    );

    assert_eq!(
        code(t.app.retire_certification(&candidate, "TCCA-SEC-A").await),
        ErrorCode::Forbidden
    );
    assert!(
        t.app
            .retire_certification(&admin, "TCCA-SEC-A")
            .await
            .unwrap()
            .data
            .retired
    );
    assert!(
        t.app
            .retire_certification(&admin, "TCCA-SEC-A")
            .await
            .unwrap()
            .data
            .retired,
        "retiring twice is a no-op"
    );
    // Editing a retired certification keeps it retired.
    let still = t
        .app
        .update_certification(
            &admin,
            "TCCA-SEC-A",
            CertificationInput {
                fee_fen: 85_000,
                ..edited
            },
        )
        .await
        .unwrap();
    assert!(still.data.retired);
    assert!(t.app.list_certifications(false).await.unwrap().is_empty());
    assert_eq!(t.app.list_certifications(true).await.unwrap().len(), 1);
    assert!(
        !t.app
            .unretire_certification(&admin, "TCCA-SEC-A")
            .await
            .unwrap()
            .data
            .retired
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
        [
            "certification.unretire",
            "certification.update",
            "certification.retire",
            "certification.update",
            "certification.create"
        ]
    );
    let retire = &audit[2];
    assert_eq!(
        (
            retire.actor,
            retire.target_kind.as_str(),
            retire.target_id.as_str()
        ),
        (Some(admin.id), "certification", "TCCA-SEC-A")
    );
    assert_eq!(retire.before.as_ref().unwrap()["retired"], false);
    assert_eq!(retire.after.as_ref().unwrap()["retired"], true);
    assert_eq!(audit[4].before, None);
}
