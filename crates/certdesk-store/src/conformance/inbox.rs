//! Inbox messages (站内信): idempotent delivery, listing, read state.

use std::sync::Arc;

use certdesk_domain::{AccountId, JobId, MessageId};

use super::fixtures::{account, assert_not_found, at};
use crate::{NewInboxMessage, PageRequest, Store};

fn message(
    account: AccountId,
    title: &str,
    source_job: Option<JobId>,
    created: i64,
) -> NewInboxMessage {
    NewInboxMessage {
        account_id: account,
        kind: "registration_confirmed".to_owned(),
        title_zh: format!("{title}（中文）"),
        body_zh: "您已报名成功。".to_owned(),
        title_en: title.to_owned(),
        body_en: "You are registered.".to_owned(),
        source_job,
        created_at: at(created),
        deliveries: Vec::new(),
    }
}

pub async fn inbox_idempotent_per_source_job(store: Arc<dyn Store>) {
    let a = account(&*store, "in@example.com").await;
    let first = store
        .commit_inbox_message(message(a.id, "Confirmed", Some(JobId(42)), 1))
        .await
        .expect("deliver");
    assert_eq!(
        (
            first.account_id,
            first.title_en.as_str(),
            first.created_at,
            first.read_at
        ),
        (a.id, "Confirmed", at(1), None)
    );
    assert_eq!(first.title_zh, "Confirmed（中文）");
    // The same job delivering again (a retry after a crash) stores nothing new.
    let again = store
        .commit_inbox_message(message(a.id, "Confirmed again", Some(JobId(42)), 2))
        .await
        .expect("redeliver");
    assert_eq!(again, first);
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let store = store.clone();
            let m = message(a.id, "Raced", Some(JobId(43)), 3);
            tokio::spawn(async move { store.commit_inbox_message(m).await })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.expect("task").expect("deliver").id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        1,
        "concurrent deliveries of one job store one message"
    );
    // Messages without a source job are never merged.
    store
        .commit_inbox_message(message(a.id, "Manual", None, 4))
        .await
        .expect("deliver");
    store
        .commit_inbox_message(message(a.id, "Manual", None, 5))
        .await
        .expect("deliver");
    assert_eq!(
        store
            .list_inbox_messages(a.id, PageRequest::default())
            .await
            .expect("list")
            .items
            .len(),
        4
    );
    assert_eq!(store.count_unread_messages(a.id).await.expect("count"), 4);
}

pub async fn inbox_list_read_and_unread_count(store: Arc<dyn Store>) {
    let a = account(&*store, "a@example.com").await;
    let b = account(&*store, "b@example.com").await;
    let mut mine = Vec::new();
    for i in 0..3 {
        mine.push(
            store
                .commit_inbox_message(message(a.id, &format!("m{i}"), None, i))
                .await
                .expect("deliver"),
        );
    }
    let theirs = store
        .commit_inbox_message(message(b.id, "theirs", None, 9))
        .await
        .expect("deliver");

    let first = store
        .list_inbox_messages(a.id, PageRequest::first(2))
        .await
        .expect("list");
    let titles: Vec<&str> = first.items.iter().map(|m| m.title_en.as_str()).collect();
    assert_eq!(titles, ["m2", "m1"], "newest first, own messages only");
    let rest = PageRequest {
        limit: 2,
        cursor: Some(first.next_cursor.expect("more")),
    };
    let rest = store.list_inbox_messages(a.id, rest).await.expect("list");
    assert_eq!(
        (rest.items.len(), rest.items[0].id, rest.next_cursor),
        (1, mine[0].id, None)
    );
    assert_eq!(store.count_unread_messages(a.id).await.expect("count"), 3);

    store
        .mark_message_read(a.id, mine[1].id, at(50))
        .await
        .expect("read");
    store
        .mark_message_read(a.id, mine[1].id, at(60))
        .await
        .expect("reading twice is fine");
    assert_eq!(store.count_unread_messages(a.id).await.expect("count"), 2);
    let listed = store
        .list_inbox_messages(a.id, PageRequest::default())
        .await
        .expect("list")
        .items;
    assert_eq!(listed[1].read_at, Some(at(50)), "the first reading is kept");
    assert_eq!((listed[0].read_at, listed[2].read_at), (None, None));

    // E2: one candidate never touches another's messages.
    assert_not_found(store.mark_message_read(a.id, theirs.id, at(70)).await);
    assert_not_found(store.mark_message_read(b.id, mine[0].id, at(70)).await);
    assert_not_found(
        store
            .mark_message_read(a.id, MessageId(theirs.id.get() + 1000), at(70))
            .await,
    );
    assert_eq!(store.count_unread_messages(b.id).await.expect("count"), 1);
    assert_eq!(store.count_unread_messages(a.id).await.expect("count"), 2);

    let stranger = AccountId(b.id.get() + 1000);
    assert_not_found(
        store
            .commit_inbox_message(message(stranger, "x", None, 1))
            .await,
    );
    assert_eq!(
        store.count_unread_messages(stranger).await.expect("count"),
        0
    );
}
