//! P1: promises are kept by the job that keeps them, in the transaction that completes it,
//! and summarised per kind: kept on time (T4: `kept_at < due_at`), kept late, overdue
//! (unkept, `due_at <= now`) and pending; every kind is listed, zeros included. The overdue
//! ones can be listed one by one, most overdue first.

use std::sync::Arc;

use certdesk_domain::{PromiseId, PromiseKind, RegistrationStatus};
use jiff::{SignedDuration, Timestamp};

use super::fixtures::{at, job};
use super::shop::{buyer, exam_start, paid, shop};
use crate::{NewJob, NewPromise, OverduePromise, PageRequest, PromiseSummary, Store};

const WORKER: &str = "promise-keeper";

/// Claims the next due job at `now` and completes it at `now`.
async fn run_next(s: &dyn Store, now: jiff::Timestamp) {
    let claimed = s
        .claim_job(WORKER, now, SignedDuration::from_mins(5))
        .await
        .expect("claim")
        .expect("a job is due");
    s.complete_job(claimed.id, WORKER, now)
        .await
        .expect("complete");
}

pub async fn promise_summary_on_time_late_overdue_pending(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-P", &[("上海", 10)]).await;
    // Five registrations whose confirmations fall due at at(100) (the last at at(200)).
    let mut registrations = Vec::new();
    for (i, due) in [100, 100, 100, 200, 100].into_iter().enumerate() {
        let b = buyer(s, &format!("p{i}"), 1_000, 0).await;
        let mut p = paid(b, &exam, "上海", 0, 100);
        p.promises = vec![NewPromise {
            kind: PromiseKind::Confirmation,
            due_at: at(due),
            kept_at: None,
        }];
        // Only the first two get a job that keeps the promise, due in that order.
        p.jobs = if i < 2 {
            vec![NewJob {
                keeps_promise: Some(PromiseKind::Confirmation),
                ..job("notify", at(i64::try_from(i).expect("small") + 1))
            }]
        } else {
            vec![]
        };
        registrations.push(s.commit_paid_registration(p).await.expect("paid"));
    }
    run_next(s, at(50)).await; // kept before it was due: on time
    run_next(s, at(100)).await; // kept at the due instant: late (T4)
    // The fifth is refunded: its promise is voided and leaves the summary.
    let (order, _) = &registrations[4];
    s.commit_refund(crate::RefundCommit {
        order_id: order.id,
        requested_at: at(60),
        completed_at: at(60),
        cash: super::shop::fen(100),
        gift: super::shop::fen(0),
        voucher_forfeited: super::shop::fen(0),
        jobs: vec![],
    })
    .await
    .expect("refunded");

    let kept = s
        .list_promises(registrations[0].1.id)
        .await
        .expect("promises");
    assert_eq!(kept[0].kept_at, Some(at(50)));
    let summary = s.summarize_promises(at(100)).await.expect("summary");
    assert_eq!(
        summary.iter().map(|k| k.kind).collect::<Vec<_>>(),
        PromiseKind::ALL,
        "every kind, in order"
    );
    let zero = |kind| PromiseSummary {
        kind,
        kept_on_time: 0,
        kept_late: 0,
        overdue: 0,
        pending: 0,
    };
    for k in &summary {
        let expected = if k.kind == PromiseKind::Confirmation {
            PromiseSummary {
                kept_on_time: 1,
                kept_late: 1,
                overdue: 1,
                pending: 1,
                ..zero(k.kind)
            }
        } else {
            zero(k.kind)
        };
        assert_eq!(*k, expected);
    }
    // Just before the due instant the open one is still pending (T4).
    let earlier = s.summarize_promises(at(99)).await.expect("summary");
    let confirmation = earlier
        .iter()
        .find(|k| k.kind == PromiseKind::Confirmation)
        .expect("confirmation");
    assert_eq!((confirmation.overdue, confirmation.pending), (0, 2));
}

pub async fn promise_job_must_name_a_recorded_promise(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-Q", &[("上海", 10)]).await;
    let b = buyer(s, "orphan", 1_000, 0).await;
    let mut p = paid(b, &exam, "上海", 0, 100);
    p.promises.clear();
    assert!(
        s.commit_paid_registration(p).await.is_err(),
        "a job keeping a promise nobody recorded is refused"
    );
    let again = paid(b, &exam, "上海", 0, 100);
    s.commit_paid_registration(again)
        .await
        .expect("nothing was left behind");
}

pub async fn promise_kept_by_batch_completion(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-B", &[("上海", 10)]).await;
    let mut registrations = Vec::new();
    for i in 0..3 {
        let b = buyer(s, &format!("batch{i}"), 1_000, 0).await;
        let (_, registration) = s
            .commit_paid_registration(paid(b, &exam, "上海", 0, 100))
            .await
            .expect("paid");
        registrations.push(registration.id);
    }
    let lease = SignedDuration::from_mins(5);
    let mine = s.claim_jobs(WORKER, at(20), lease, 2).await.expect("claim");
    let theirs = s
        .claim_jobs("other", at(20), lease, 2)
        .await
        .expect("claim");
    assert_eq!((mine.len(), theirs.len()), (2, 1));
    let ids: Vec<_> = mine.iter().chain(&theirs).map(|j| j.id).collect();

    let not_done = s
        .complete_jobs(&ids, WORKER, at(30))
        .await
        .expect("complete");
    assert_eq!(not_done, [theirs[0].id]);
    let kept_at = |registration| async move {
        let promises = s.list_promises(registration).await.expect("promises");
        assert_eq!(promises.len(), 1);
        promises[0].kept_at
    };
    // Jobs are claimed in registration order (same run_at, by id).
    assert_eq!(kept_at(registrations[0]).await, Some(at(30)));
    assert_eq!(kept_at(registrations[1]).await, Some(at(30)));
    assert_eq!(
        kept_at(registrations[2]).await,
        None,
        "a job not completed keeps no promise"
    );
    assert!(
        s.complete_jobs(&[theirs[0].id], "other", at(40))
            .await
            .expect("complete")
            .is_empty()
    );
    assert_eq!(kept_at(registrations[2]).await, Some(at(40)));
}

/// P2 and P1 in a rush: registrations committed at once (so in groups) each get their own
/// jobs, and each job keeping a promise keeps its own registration's. Three channel jobs per
/// registration plus a plain one, 30 registrations: more jobs than one statement of the
/// group's writer takes, so a group's jobs span several. A refusal in the middle gets none.
pub async fn promise_jobs_of_a_group_keep_their_own(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-G", &[("上海", 40)]).await;
    let mut buyers = Vec::new();
    for i in 0..31 {
        // The 16th cannot pay.
        let cash = if i == 15 { 10 } else { 1_000 };
        buyers.push(buyer(s, &format!("group-jobs-{i}"), cash, 0).await);
    }
    let shared = Arc::new((buyers.clone(), exam.clone()));
    let results = super::shop::all_at_once(&store, buyers.len(), move |st, i| {
        let shared = shared.clone();
        async move {
            let (buyers, exam) = &*shared;
            let mut p = paid(buyers[i], exam, "上海", 0, 100);
            let mut jobs: Vec<NewJob> = ["email", "sms", "wechat"]
                .into_iter()
                .map(|channel| NewJob {
                    payload: serde_json::json!({ "buyer": i, "channel": channel }),
                    channel: Some(channel.to_owned()),
                    dedup_key: Some(format!("group-jobs:{i}:{channel}")),
                    keeps_promise: Some(PromiseKind::Confirmation),
                    ..job("notify", at(11))
                })
                .collect();
            jobs.push(NewJob {
                payload: serde_json::json!({ "buyer": i }),
                ..job("plain", at(11))
            });
            p.jobs = jobs;
            st.commit_paid_registration(p).await
        }
    })
    .await;
    let mut registrations = Vec::new();
    for (i, result) in results.into_iter().enumerate() {
        match result {
            Ok((_, registration)) => registrations.push((i, registration.id)),
            Err(e) => assert_eq!(i, 15, "only the 16th is refused: {e:?}"),
        }
    }
    assert_eq!(registrations.len(), 30);

    let pending = s
        .list_jobs(Some(crate::JobStatus::Pending), PageRequest::first(200))
        .await
        .expect("jobs");
    assert_eq!(pending.items.len(), 120, "four jobs per paid registration");
    assert!(pending.next_cursor.is_none());
    for j in &pending.items {
        let buyer = j.payload["buyer"].as_u64().expect("buyer") as usize;
        assert_ne!(buyer, 15, "the refused one has no jobs");
        if let Some(channel) = &j.channel {
            assert_eq!(j.payload["channel"], channel.as_str());
            assert_eq!(
                j.dedup_key.as_deref(),
                Some(format!("group-jobs:{buyer}:{channel}").as_str())
            );
        }
        assert_eq!(j.max_attempts, 5);
    }

    // Every job ends except the first buyer's WeChat one, which is left running.
    let lease = SignedDuration::from_mins(5);
    let claimed = s
        .claim_jobs(WORKER, at(20), lease, 200)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 120);
    let left = claimed
        .iter()
        .find(|j| j.payload["buyer"] == 0 && j.channel.as_deref() == Some("wechat"))
        .expect("buyer 0's WeChat job")
        .id;
    let ids: Vec<_> = claimed
        .iter()
        .map(|j| j.id)
        .filter(|id| *id != left)
        .collect();
    assert!(
        s.complete_jobs(&ids, WORKER, at(30))
            .await
            .expect("complete")
            .is_empty()
    );
    for (i, registration) in &registrations {
        let promises = s.list_promises(*registration).await.expect("promises");
        assert_eq!(promises.len(), 1);
        let expected = (*i != 0).then_some(at(30));
        assert_eq!(promises[0].kept_at, expected, "buyer {i}");
    }
    assert!(
        s.complete_jobs(&[left], WORKER, at(40))
            .await
            .expect("complete")
            .is_empty()
    );
    let first = s.list_promises(registrations[0].1).await.expect("promises");
    assert_eq!(first[0].kept_at, Some(at(40)));
}

fn promise(kind: PromiseKind, due: Timestamp, kept: Option<Timestamp>) -> NewPromise {
    NewPromise {
        kind,
        due_at: due,
        kept_at: kept,
    }
}

/// Every overdue promise at `now` of `kind` (or all), walking pages of `limit`.
async fn all_overdue(
    s: &dyn Store,
    kind: Option<PromiseKind>,
    now: Timestamp,
    limit: u32,
) -> Vec<OverduePromise> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(limit);
    loop {
        let p = s
            .list_overdue_promises(kind, now, page)
            .await
            .expect("overdue promises");
        assert!(p.items.len() <= limit as usize);
        out.extend(p.items);
        match p.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => return out,
        }
    }
}

pub async fn promise_overdue_list_matches_summary(store: Arc<dyn Store>) {
    let s = &*store;
    let exam = shop(s, "CLD-FND-O", &[("上海", 10), ("北京", 10)]).await;
    let now = at(100);
    let micro = SignedDuration::from_micros(1);
    let plans: [(&str, &str, Vec<NewPromise>); 4] = [
        (
            "oa",
            "上海",
            vec![
                // due at `now` exactly: overdue (T4)
                promise(PromiseKind::Confirmation, now, None),
                promise(PromiseKind::AdmissionTicket, at(50), None),
                // a microsecond after `now`: pending
                promise(PromiseKind::Score, now + micro, None),
            ],
        ),
        (
            "ob",
            "北京",
            vec![
                // kept on time and kept late: never overdue
                promise(PromiseKind::Confirmation, at(20), Some(at(15))),
                promise(PromiseKind::Score, at(20), Some(at(30))),
                // the same due time as oa's ticket: the older promise first
                promise(PromiseKind::AdmissionTicket, at(50), None),
            ],
        ),
        (
            "oc",
            "上海",
            // refunded below: voided, never listed
            vec![promise(PromiseKind::Confirmation, at(5), None)],
        ),
        (
            "od",
            "北京",
            // recorded last, the most overdue: listed first
            vec![promise(PromiseKind::Score, at(5), None)],
        ),
    ];
    let mut registrations = Vec::new();
    for (name, city, promises) in plans {
        let b = buyer(s, name, 1_000, 0).await;
        let mut p = paid(b, &exam, city, 0, 100);
        p.promises = promises;
        p.jobs = vec![];
        registrations.push(s.commit_paid_registration(p).await.expect("paid"));
    }
    let (voided_order, _) = &registrations[2];
    s.commit_refund(crate::RefundCommit {
        order_id: voided_order.id,
        requested_at: at(60),
        completed_at: at(60),
        cash: super::shop::fen(100),
        gift: super::shop::fen(0),
        voucher_forfeited: super::shop::fen(0),
        jobs: vec![],
    })
    .await
    .expect("refunded");

    let id_of = async |r: usize, kind: PromiseKind| -> PromiseId {
        s.list_promises(registrations[r].1.id)
            .await
            .expect("promises")
            .iter()
            .find(|p| p.kind == kind)
            .expect("recorded")
            .id
    };
    let expected = vec![
        id_of(3, PromiseKind::Score).await,
        id_of(0, PromiseKind::AdmissionTicket).await,
        id_of(1, PromiseKind::AdmissionTicket).await,
        id_of(0, PromiseKind::Confirmation).await,
    ];
    let ids = |list: &[OverduePromise]| list.iter().map(|p| p.id).collect::<Vec<_>>();

    // One page, then pages of one and of three: the same list, most overdue first.
    for limit in [PageRequest::MAX_LIMIT, 1, 3] {
        let all = all_overdue(s, None, now, limit).await;
        assert_eq!(ids(&all), expected, "limit {limit}");
    }
    let first = s
        .list_overdue_promises(None, now, PageRequest::first(2))
        .await
        .expect("first page");
    assert_eq!(ids(&first.items), expected[..2]);
    assert_eq!(first.next_cursor, Some(expected[1].get()));

    // Exactly the summary's overdue count, kind by kind.
    let summary = s.summarize_promises(now).await.expect("summary");
    for k in &summary {
        let listed = all_overdue(s, Some(k.kind), now, 2).await;
        assert_eq!(listed.len() as u64, k.overdue, "{:?}", k.kind);
        assert!(listed.iter().all(|p| p.kind == k.kind), "{:?}", k.kind);
    }
    let tickets = all_overdue(s, Some(PromiseKind::AdmissionTicket), now, 50).await;
    assert_eq!(ids(&tickets), expected[1..3]);
    assert!(
        all_overdue(s, Some(PromiseKind::PaperCertificate), now, 50)
            .await
            .is_empty()
    );

    // What an operator needs to act on it.
    let (_, oa) = &registrations[0];
    let confirmation = all_overdue(s, Some(PromiseKind::Confirmation), now, 50).await;
    assert_eq!(confirmation.len(), 1);
    let item = &confirmation[0];
    assert_eq!((item.kind, item.due_at), (PromiseKind::Confirmation, now));
    assert_eq!(item.created_at, oa.created_at);
    let reg = item.registration.as_ref().expect("a registration");
    assert_eq!((reg.id, reg.account_id), (oa.id, oa.account_id));
    assert_eq!(reg.certification_code.as_str(), "CLD-FND-O");
    assert_eq!(reg.city.as_deref(), Some("上海"));
    assert_eq!(reg.exam_starts_at, Some(exam_start()));
    assert_eq!(reg.status, RegistrationStatus::Confirmed);

    // A microsecond before `now`, oa's confirmation is not due yet; a microsecond after it,
    // oa's score is overdue too (T4: due at the instant is overdue).
    let before = all_overdue(s, None, now - micro, 50).await;
    assert_eq!(ids(&before), expected[..3]);
    let after = all_overdue(s, None, now + micro, 50).await;
    assert_eq!(after.len(), 5);
    assert_eq!(after[4].id, id_of(0, PromiseKind::Score).await);

    // Nothing is overdue before the first due time; a cursor naming no promise ends the list.
    assert!(all_overdue(s, None, at(4), 50).await.is_empty());
    let unknown = s
        .list_overdue_promises(
            None,
            now,
            PageRequest {
                limit: 10,
                cursor: Some(i64::MAX),
            },
        )
        .await
        .expect("a page");
    assert_eq!((unknown.items.len(), unknown.next_cursor), (0, None));
}
