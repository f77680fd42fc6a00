//! E2: hostile text is data. Quotes, SQL and markup are stored literally and come back
//! unchanged, everywhere text is stored.

use std::sync::Arc;

use certdesk_domain::{IdentityStatus, JobId};
use jiff::SignedDuration;

use super::fixtures::{all_jobs, at, audit, cert_data, new_account, submission, t0};
use crate::{ContactUpdate, NewInboxMessage, PageRequest, Store};

const NASTY: &[&str] = &[
    "Robert'); DROP TABLE accounts;--",
    "<script>alert(\"x\")</script>",
    "' OR '1'='1",
    "50% off_ \\ backslash \\' $1 ?1 :name",
    "O'Brien 张三 🎓 \u{202e}rtl",
    "",
];

pub async fn hostile_strings_stored_literally(store: Arc<dyn Store>) {
    for (i, nasty) in NASTY.iter().enumerate() {
        let nasty = nasty.to_string();
        let mut new = new_account(&format!("o'brien+{i}%_@example.com"));
        new.password_hash = nasty.clone();
        let a = store
            .commit_account(new.clone(), vec![])
            .await
            .expect("account");
        assert_eq!(a.password_hash, nasty);
        assert_eq!(
            store
                .find_account_by_email(&new.email)
                .await
                .expect("find")
                .map(|x| x.id),
            Some(a.id)
        );

        let contacts = ContactUpdate {
            phone: None,
            wechat_openid: Some(nasty.clone()),
            opted_out: vec![nasty.clone(), "a,b".into()],
        };
        let updated = store
            .update_contacts(a.id, contacts)
            .await
            .expect("contacts");
        assert_eq!(
            (updated.wechat_openid.as_deref(), updated.opted_out.clone()),
            (Some(nasty.as_str()), vec![nasty.clone(), "a,b".to_owned()])
        );

        let mut sub = submission(a.id, nasty.as_bytes(), IdentityStatus::Pending, 3);
        sub.blind_index.push(i as u8);
        (sub.real_name, sub.id_number_masked) = (nasty.clone(), nasty.clone());
        let rec = store
            .commit_identity_submission(sub)
            .await
            .expect("identity");
        assert_eq!(
            (rec.real_name.as_str(), rec.id_number_masked.as_str()),
            (nasty.as_str(), nasty.as_str())
        );

        let mut cert = cert_data(&format!("TCCA-X{i}"));
        (cert.name_zh, cert.name_en) = (nasty.clone(), nasty.clone());
        let mut entry = audit(&nasty, at(1));
        (entry.target_kind, entry.target_id) = (nasty.clone(), nasty.clone());
        let mut object = serde_json::Map::new();
        object.insert("k".to_owned(), serde_json::json!(nasty));
        object.insert(nasty.clone(), serde_json::json!([nasty]));
        entry.before = Some(serde_json::Value::Object(object));
        let c = store
            .commit_certification_create(cert.clone(), entry.clone())
            .await
            .expect("cert");
        assert_eq!(c.data, cert);
        let logged = store
            .list_audit(PageRequest::first(1))
            .await
            .expect("audit")
            .items
            .pop()
            .expect("entry");
        assert_eq!(
            (
                logged.action,
                logged.target_kind,
                logged.target_id,
                logged.before
            ),
            (
                entry.action,
                entry.target_kind,
                entry.target_id,
                entry.before
            )
        );

        let key = format!("{nasty}-{i}");
        store
            .commit_setting(&key, &nasty, audit("setting.set", at(2)))
            .await
            .expect("setting");
        assert_eq!(
            store.find_setting(&key).await.expect("find"),
            Some(nasty.clone())
        );

        let message = NewInboxMessage {
            account_id: a.id,
            kind: nasty.clone(),
            title_zh: nasty.clone(),
            body_zh: nasty.clone(),
            title_en: nasty.clone(),
            body_en: nasty.clone(),
            source_job: Some(JobId(i as i64 + 1)),
            created_at: t0(),
            deliveries: Vec::new(),
        };
        let m = store.commit_inbox_message(message).await.expect("inbox");
        assert_eq!(
            [&m.kind, &m.title_zh, &m.body_zh, &m.title_en, &m.body_en],
            [&nasty; 5]
        );

        let throttle = store.record_login_failure(
            &key,
            t0(),
            SignedDuration::from_mins(1),
            5,
            SignedDuration::from_mins(1),
        );
        assert_eq!(throttle.await.expect("throttle").key, key);
        assert!(
            store
                .find_login_throttle(&key)
                .await
                .expect("find")
                .is_some()
        );
    }
    // Jobs: kind, payload, channel, dedup key and error text.
    let jobs: Vec<_> = NASTY
        .iter()
        .map(|n| crate::NewJob {
            kind: n.to_string(),
            payload: serde_json::json!({ "note": n }),
            channel: Some(n.to_string()),
            dedup_key: Some(format!("{n}:dedup")),
            run_at: t0(),
            max_attempts: 3,
            keeps_promise: None,
        })
        .collect();
    store.enqueue_jobs(jobs.clone()).await.expect("enqueue");
    for new in &jobs {
        let claimed = store
            .claim_job(&new.kind, t0(), SignedDuration::from_secs(30))
            .await
            .expect("claim")
            .expect("due");
        assert_eq!(
            (
                &claimed.kind,
                &claimed.payload,
                &claimed.channel,
                &claimed.dedup_key
            ),
            (&new.kind, &new.payload, &new.channel, &new.dedup_key)
        );
        store
            .fail_job(claimed.id, &new.kind, &new.kind, at(1), None)
            .await
            .expect("fail");
        assert_eq!(
            store
                .get_job(claimed.id)
                .await
                .expect("get")
                .last_error
                .as_deref(),
            Some(new.kind.as_str())
        );
    }
    assert_eq!(all_jobs(&*store, None).await.len(), NASTY.len());
}
