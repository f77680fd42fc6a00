//! The catalogue (C1), settings and the audit log every operator change writes.

use std::sync::Arc;

use certdesk_domain::{CertCode, Fen};

use super::fixtures::{account, assert_conflict, assert_not_found, at, audit, cert_data};
use crate::{Conflict, PageRequest, Store};

pub async fn catalogue_create_update_retire_audited(store: Arc<dyn Store>) {
    let code = CertCode::parse("TCCA-ARC-P").expect("code");
    let created = store
        .commit_certification_create(cert_data("tcca-arc-p"), audit("cert.create", at(1)))
        .await;
    let created = created.expect("create");
    assert_eq!(created.data, cert_data("TCCA-ARC-P"));
    assert_eq!((created.created_at, created.updated_at), (at(1), at(1)));
    assert!(
        !store.is_empty().await.expect("is_empty"),
        "a certification makes the store non-empty"
    );
    assert_eq!(
        store.find_certification(&code).await.expect("find"),
        Some(created.clone())
    );
    assert_eq!(
        store
            .find_certification(&CertCode::parse("NOPE").expect("code"))
            .await
            .expect("find"),
        None
    );

    let duplicate = store
        .commit_certification_create(cert_data("TCCA-ARC-P"), audit("cert.create", at(2)))
        .await;
    assert_conflict(duplicate, Conflict::CertCodeTaken);

    let mut foundation = cert_data("TCCA-FND");
    (foundation.track, foundation.level) = (None, None);
    store
        .commit_certification_create(foundation.clone(), audit("cert.create", at(3)))
        .await
        .expect("create");
    let codes: Vec<String> = store
        .list_certifications(false)
        .await
        .expect("list")
        .iter()
        .map(|c| c.data.code.to_string())
        .collect();
    assert_eq!(codes, ["TCCA-ARC-P", "TCCA-FND"], "ordered by code");

    let mut changed = cert_data("TCCA-ARC-P");
    changed.fee = Fen::new(150_000).expect("fee");
    changed.name_en = "Cloud Architect (Professional)".to_owned();
    let updated = store
        .commit_certification_update(&code, changed.clone(), audit("cert.update", at(4)))
        .await;
    let updated = updated.expect("update");
    assert_eq!(
        (
            updated.id,
            updated.data.clone(),
            updated.created_at,
            updated.updated_at
        ),
        (created.id, changed.clone(), at(1), at(4))
    );

    let mut retired = changed;
    retired.retired = true;
    store
        .commit_certification_update(&code, retired, audit("cert.retire", at(5)))
        .await
        .expect("retire");
    let live = store.list_certifications(false).await.expect("list");
    assert_eq!(
        live.iter().map(|c| c.data.code.clone()).collect::<Vec<_>>(),
        [foundation.code]
    );
    assert_eq!(
        store.list_certifications(true).await.expect("list").len(),
        2,
        "retired ones are still listed on request"
    );
    assert!(
        store
            .find_certification(&code)
            .await
            .expect("find")
            .expect("kept")
            .data
            .retired
    );

    let unknown = CertCode::parse("TCCA-NONE").expect("code");
    assert_not_found(
        store
            .commit_certification_update(&unknown, cert_data("TCCA-NONE"), audit("x", at(6)))
            .await,
    );

    let actions: Vec<String> = store
        .list_audit(PageRequest::default())
        .await
        .expect("audit")
        .items
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["cert.retire", "cert.update", "cert.create", "cert.create"],
        "refusals are not audited"
    );
}

pub async fn audit_newest_first_paginated(store: Arc<dyn Store>) {
    let actor = account(&*store, "op@example.com").await;
    for i in 0..7 {
        let mut entry = audit(&format!("setting.set.{i}"), at(i));
        entry.actor = Some(actor.id);
        entry.target_kind = "setting".to_owned();
        entry.target_id = format!("key{i}");
        entry.before = Some(serde_json::json!({ "value": i - 1, "nested": { "list": [1, "二"] } }));
        store
            .commit_setting(&format!("key{i}"), &i.to_string(), entry)
            .await
            .expect("set");
    }
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    let mut pages = 0;
    loop {
        let p = store.list_audit(page).await.expect("audit");
        pages += 1;
        assert!(p.items.len() <= 3);
        seen.extend(p.items);
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => break,
        }
    }
    assert!(pages >= 3);
    let actions: Vec<String> = seen.iter().map(|e| e.action.clone()).collect();
    let expected: Vec<String> = (0..7).rev().map(|i| format!("setting.set.{i}")).collect();
    assert_eq!(actions, expected, "newest first, each once");
    assert!(seen.windows(2).all(|w| w[0].id > w[1].id));
    let oldest = seen.last().expect("entries");
    assert_eq!(
        (
            oldest.actor,
            oldest.target_kind.as_str(),
            oldest.target_id.as_str(),
            oldest.at
        ),
        (Some(actor.id), "setting", "key0", at(0))
    );
    assert_eq!(
        oldest.before,
        Some(serde_json::json!({ "value": -1, "nested": { "list": [1, "二"] } }))
    );
    assert_eq!(
        oldest.after,
        Some(serde_json::json!({ "action": "setting.set.0" }))
    );
}

pub async fn settings_set_and_find_audited(store: Arc<dyn Store>) {
    let key = "policy.max_accounts_per_identity";
    assert_eq!(store.find_setting(key).await.expect("find"), None);
    store
        .commit_setting(key, "3", audit("setting.set", at(1)))
        .await
        .expect("set");
    assert_eq!(
        store.find_setting(key).await.expect("find").as_deref(),
        Some("3")
    );
    store
        .commit_setting(key, "2", audit("setting.set", at(2)))
        .await
        .expect("overwrite");
    assert_eq!(
        store.find_setting(key).await.expect("find").as_deref(),
        Some("2")
    );
    store
        .commit_setting("verifier.mode", "manual", audit("setting.set", at(3)))
        .await
        .expect("set");
    assert_eq!(
        store
            .find_setting("verifier.mode")
            .await
            .expect("find")
            .as_deref(),
        Some("manual")
    );
    assert_eq!(
        store.find_setting(key).await.expect("find").as_deref(),
        Some("2")
    );
    assert_eq!(
        store
            .list_audit(PageRequest::default())
            .await
            .expect("audit")
            .items
            .len(),
        3
    );
}
