//! Deliveries (P2): what a notification job delivered is recorded once; an inbox message
//! brings its other channels' jobs with it; the outbox's figures; the recipient's language;
//! a notification's promise is kept by its last channel job, done or dead (P1).

use std::sync::Arc;

use certdesk_domain::{JobId, Locale};

use super::fixtures::{account, all_jobs, assert_not_found, at, job};
use crate::{DeliveryStatus, JobStatus, NewDelivery, NewInboxMessage, Store};

fn notify(channel: &str, key: &str) -> crate::NewJob {
    let mut j = job("notify", at(0));
    j.channel = Some(channel.to_owned());
    j.dedup_key = Some(key.to_owned());
    j.max_attempts = 1;
    j
}

pub async fn delivery_recorded_once_with_figures_and_locale(store: Arc<dyn Store>) {
    let a = account(&*store, "deliver@example.com").await;
    // A message written by a commit brings its outside channels' jobs with it.
    store
        .commit_inbox_message(NewInboxMessage {
            account_id: a.id,
            kind: "admission_ticket_issued".into(),
            title_zh: "准考证已发放".into(),
            body_zh: "…".into(),
            title_en: "Admission ticket issued".into(),
            body_en: "…".into(),
            source_job: Some(JobId(900)),
            created_at: at(1),
            deliveries: vec![notify("email", "t:1:email"), notify("sms", "t:1:sms")],
        })
        .await
        .expect("message");
    let jobs = all_jobs(&*store, Some(JobStatus::Pending)).await;
    let mut channels: Vec<_> = jobs.iter().filter_map(|j| j.channel.clone()).collect();
    channels.sort();
    assert_eq!(channels, ["email", "sms"]);
    let email = jobs
        .iter()
        .find(|j| j.channel.as_deref() == Some("email"))
        .unwrap();

    assert_eq!(store.find_delivery(email.id).await.expect("find"), None);
    let sent = NewDelivery {
        job_id: email.id,
        channel: "email".into(),
        account_id: a.id,
        kind: "admission_ticket_issued".into(),
        status: DeliveryStatus::Sent,
        provider_id: Some("<notify-1@example.cn>".into()),
        detail: None,
        created_at: at(2),
    };
    assert_eq!(
        store.commit_delivery(sent.clone()).await.expect("record"),
        sent
    );
    // A rerun of the job records nothing new: the first record stands.
    let again = NewDelivery {
        status: DeliveryStatus::Skipped,
        provider_id: None,
        created_at: at(3),
        ..sent.clone()
    };
    assert_eq!(store.commit_delivery(again).await.expect("again"), sent);
    assert_eq!(
        store.find_delivery(email.id).await.expect("find"),
        Some(sent)
    );

    let figures = store.channel_figures().await.expect("figures");
    let email_f = figures.iter().find(|f| f.channel == "email").unwrap();
    assert_eq!((email_f.sent, email_f.waiting, email_f.dead), (1, 1, 0));
    let sms_f = figures.iter().find(|f| f.channel == "sms").unwrap();
    assert_eq!((sms_f.sent, sms_f.waiting), (0, 1));
    assert_eq!(sms_f.oldest_waiting_since, Some(at(0)));

    assert_eq!(
        store.find_account_locale(a.id).await.expect("locale"),
        Locale::ZhCn
    );
    store
        .set_account_locale(a.id, Locale::En)
        .await
        .expect("set");
    assert_eq!(
        store.find_account_locale(a.id).await.expect("locale"),
        Locale::En
    );
    assert_not_found(
        store
            .set_account_locale(certdesk_domain::AccountId(9999), Locale::En)
            .await,
    );
}

/// P2 under load: many senders recording at once (their records share commits) each get
/// their own record; two records of one job keep the first; a record naming no job fails
/// alone and leaves the others of its group recorded.
pub async fn deliveries_recorded_at_once_each_on_its_own(store: Arc<dyn Store>) {
    let a = account(&*store, "many@example.com").await;
    let jobs: Vec<crate::NewJob> = (0..40)
        .map(|i| notify("sms", &format!("many:{i}:sms")))
        .collect();
    store.enqueue_jobs(jobs).await.expect("jobs");
    let mut ids: Vec<JobId> = all_jobs(&*store, Some(JobStatus::Pending))
        .await
        .iter()
        .map(|j| j.id)
        .collect();
    ids.sort();
    assert_eq!(ids.len(), 40);
    let jobs = ids.clone();
    let record = move |i: usize| NewDelivery {
        // The 41st names a job that does not exist; the 42nd records the first job again.
        job_id: match i {
            40 => JobId(jobs[39].get() + 1_000),
            41 => jobs[0],
            _ => jobs[i],
        },
        channel: "sms".into(),
        account_id: a.id,
        kind: "registration_confirmed".into(),
        status: DeliveryStatus::Sent,
        provider_id: Some(format!("provider-{i}")),
        detail: None,
        created_at: at(5),
    };
    let results = super::shop::all_at_once(&store, 42, {
        let record = record.clone();
        move |st, i| {
            let delivery = record(i);
            async move { st.commit_delivery(delivery).await }
        }
    })
    .await;
    let first_of_job_0 = results[0].as_ref().expect("job 0 recorded").clone();
    assert!(
        ["provider-0", "provider-41"].contains(&first_of_job_0.provider_id.as_deref().unwrap()),
        "{first_of_job_0:?}"
    );
    for (i, result) in results.into_iter().enumerate() {
        match i {
            40 => assert_not_found(result),
            0 | 41 => assert_eq!(result.expect("recorded"), first_of_job_0, "record {i}"),
            _ => assert_eq!(result.expect("recorded"), record(i), "record {i}"),
        }
    }
    for (i, id) in ids.iter().enumerate().skip(1) {
        assert_eq!(
            store.find_delivery(*id).await.expect("find"),
            Some(record(i))
        );
    }
    assert_eq!(
        store.find_delivery(ids[0]).await.expect("find"),
        Some(first_of_job_0)
    );
}
