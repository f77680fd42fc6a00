//! O6/P1: a results file commits everything or nothing — statuses, result rows, the score
//! promise kept, an e-certificate promise per pass, one inbox message each — and a
//! registration refunded or resulted meanwhile refuses the whole commit, under any concurrency.

use std::sync::Arc;

use certdesk_domain::{
    ExamOutcome, PromiseKind, RegistrationId, RegistrationStatus, Score, TicketNumber,
};
use jiff::Timestamp;

use super::fixtures::{assert_conflict, at, audit};
use super::shop::{Buyer, all_at_once, buyer, paid, shop};
use crate::{
    Conflict, NewInboxMessage, NewPromise, PageRequest, RefundCommit, ResultKeys, ResultRelease,
    ResultsCommit, Store, StoreError,
};

/// After the suite's exam (`shop::exam_start` + 3 h) has ended.
pub(crate) fn released() -> Timestamp {
    at(91 * 86_400)
}

/// `n` buyers with a paid registration each (score promise recorded); their registrations.
pub(crate) async fn sitting(
    store: &dyn Store,
    code: &str,
    n: usize,
) -> Vec<(Buyer, RegistrationId)> {
    let exam = shop(store, code, &[("上海", 50)]).await;
    let mut out = Vec::new();
    for i in 0..n {
        let b = buyer(store, &format!("{code}-{i}"), 0, 10_000).await;
        let mut p = paid(b, &exam, "上海", 10_000, 0);
        p.promises.push(NewPromise {
            kind: PromiseKind::Score,
            due_at: at(97 * 86_400),
            kept_at: None,
        });
        let (_, r) = store.commit_paid_registration(p).await.expect("paid");
        out.push((b, r.id));
    }
    out
}

pub(crate) fn release(
    b: Buyer,
    id: RegistrationId,
    outcome: ExamOutcome,
    passed: bool,
) -> ResultRelease {
    ResultRelease {
        registration_id: id,
        outcome,
        passed,
        inbox: NewInboxMessage {
            account_id: b.account,
            kind: "result_released".to_owned(),
            title_zh: "成绩已公布".to_owned(),
            body_zh: format!("报名 {id} 的成绩已公布。"),
            title_en: "Your result is out".to_owned(),
            body_en: format!("The result of registration {id} is out."),
            source_job: None,
            created_at: released(),
            deliveries: Vec::new(),
        },
        e_certificate_due: passed.then(|| at(92 * 86_400)),
    }
}

pub(crate) fn scored(points: u64) -> ExamOutcome {
    ExamOutcome::Scored(Score::new(points).expect("a score"))
}

pub(crate) fn commit(results: Vec<ResultRelease>, at: Timestamp) -> ResultsCommit {
    ResultsCommit {
        results,
        released_at: at,
        imported_by: crate::AccountId(1),
        audit: audit("results.import", at),
        jobs: vec![],
    }
}

async fn inbox_kinds(store: &dyn Store, b: Buyer) -> Vec<String> {
    let page = store
        .list_inbox_messages(b.account, PageRequest::first(50))
        .await
        .expect("inbox");
    page.items.into_iter().map(|m| m.kind).collect()
}

pub async fn results_commit_everything(store: Arc<dyn Store>) {
    let s = &*store;
    let regs = sitting(s, "CLD-ARC-P", 3).await;
    let targets = s
        .load_result_targets(&ResultKeys::Registrations(vec![
            regs[0].1,
            RegistrationId(999_999),
            regs[0].1,
        ]))
        .await
        .expect("targets");
    assert_eq!(
        targets.len(),
        1,
        "unknown ids are left out, repeats read once"
    );
    let t = &targets[0];
    assert_eq!(
        (
            t.subject.registration_id,
            t.subject.status,
            t.subject.pass_mark
        ),
        (regs[0].1, RegistrationStatus::Confirmed, 70)
    );
    assert_eq!(
        (t.account_id, t.subject.has_result),
        (regs[0].0.account, false)
    );
    assert_eq!(t.certification_name_zh, "云架构高级工程师");
    let none = s
        .load_result_targets(&ResultKeys::Tickets(vec![
            TicketNumber::new(certdesk_domain::ExamPeriodId(9_999), 1).expect("ticket"),
        ]))
        .await
        .expect("tickets");
    assert!(none.is_empty(), "a number no ticket holds names nothing");

    let written = s
        .commit_results(commit(
            vec![
                release(regs[0].0, regs[0].1, scored(70), true),
                release(regs[1].0, regs[1].1, scored(69), false),
                release(regs[2].0, regs[2].1, ExamOutcome::Absent, false),
            ],
            released(),
        ))
        .await
        .expect("committed");
    assert_eq!(written, 3);
    let want = [
        (RegistrationStatus::Passed, Some(70), true, false),
        (RegistrationStatus::Failed, Some(69), false, false),
        (RegistrationStatus::Absent, None, false, true),
    ];
    for ((b, id), (status, score, passed, absent)) in regs.iter().zip(want) {
        let r = s.get_registration(*id).await.expect("registration");
        let result = r.result.expect("result released");
        assert_eq!(r.status, status);
        assert_eq!(
            (result.score.map(Score::get), result.passed, result.absent),
            (score, passed, absent)
        );
        assert_eq!(result.released_at, released());
        let promises = s.list_promises(*id).await.expect("promises");
        let score_promise = promises
            .iter()
            .find(|p| p.kind == PromiseKind::Score)
            .expect("score promise");
        assert_eq!(
            score_promise.kept_at,
            Some(released()),
            "P1: kept at release"
        );
        let certificate = promises
            .iter()
            .find(|p| p.kind == PromiseKind::ECertificate);
        assert_eq!(
            certificate.map(|p| p.due_at),
            passed.then(|| at(92 * 86_400))
        );
        assert_eq!(
            inbox_kinds(s, *b).await,
            vec!["result_released", "registration_confirmed"]
        );
    }
    let targets = s
        .load_result_targets(&ResultKeys::Registrations(vec![regs[1].1]))
        .await
        .expect("targets");
    assert!(targets[0].subject.has_result);
    let audit = s.list_audit(PageRequest::first(1)).await.expect("audit");
    assert_eq!(audit.items[0].action, "results.import");
}

/// Nothing of a refused commit is written: statuses, results, promises, inbox, audit.
async fn assert_untouched(store: &dyn Store, b: Buyer, id: RegistrationId) {
    let r = store.get_registration(id).await.expect("registration");
    assert_eq!((r.status, r.result), (RegistrationStatus::Confirmed, None));
    let promises = store.list_promises(id).await.expect("promises");
    assert!(promises.iter().all(|p| p.kind != PromiseKind::ECertificate));
    let score = promises.iter().find(|p| p.kind == PromiseKind::Score);
    assert_eq!(score.expect("score promise").kept_at, None);
    assert_eq!(inbox_kinds(store, b).await, vec!["registration_confirmed"]);
}

pub async fn results_one_refused_line_writes_nothing(store: Arc<dyn Store>) {
    let s = &*store;
    let regs = sitting(s, "CLD-OPS-P", 3).await;
    s.commit_results(commit(
        vec![release(regs[2].0, regs[2].1, scored(90), true)],
        released(),
    ))
    .await
    .expect("first import");
    let audits = s
        .list_audit(PageRequest::first(50))
        .await
        .expect("audit")
        .items
        .len();
    let again = s
        .commit_results(commit(
            vec![
                release(regs[0].0, regs[0].1, scored(90), true),
                release(regs[1].0, regs[1].1, scored(10), false),
                release(regs[2].0, regs[2].1, scored(10), false),
            ],
            released(),
        ))
        .await;
    assert_conflict(again, Conflict::NotAwaitingResult(regs[2].1));
    for (b, id) in &regs[..2] {
        assert_untouched(s, *b, *id).await;
    }
    let r = s.get_registration(regs[2].1).await.expect("registration");
    assert_eq!(r.result.and_then(|x| x.score).map(Score::get), Some(90));
    // Before the exam has ended, nothing is written either.
    let early = s
        .commit_results(commit(
            vec![release(regs[0].0, regs[0].1, scored(90), true)],
            at(90 * 86_400),
        ))
        .await;
    assert_conflict(early, Conflict::NotAwaitingResult(regs[0].1));
    assert_untouched(s, regs[0].0, regs[0].1).await;
    let after = s
        .list_audit(PageRequest::first(50))
        .await
        .expect("audit")
        .items
        .len();
    assert_eq!(after, audits, "no audit entry for a refused import");
}

pub async fn results_refused_for_a_registration_refunded_meanwhile(store: Arc<dyn Store>) {
    let s = &*store;
    let regs = sitting(s, "CLD-DEV-P", 2).await;
    // The import read both as awaiting their result; then the second was refunded.
    let order = s
        .get_registration(regs[1].1)
        .await
        .expect("registration")
        .order_id
        .expect("order");
    s.commit_refund(RefundCommit {
        order_id: order,
        requested_at: at(100),
        completed_at: at(100),
        cash: super::shop::fen(0),
        gift: super::shop::fen(10_000),
        voucher_forfeited: super::shop::fen(0),
        jobs: vec![],
    })
    .await
    .expect("refunded");
    let refused = s
        .commit_results(commit(
            vec![
                release(regs[0].0, regs[0].1, scored(80), true),
                release(regs[1].0, regs[1].1, scored(80), true),
            ],
            released(),
        ))
        .await;
    assert_conflict(refused, Conflict::NotAwaitingResult(regs[1].1));
    assert_untouched(s, regs[0].0, regs[0].1).await;
    let cancelled = s.get_registration(regs[1].1).await.expect("registration");
    assert_eq!(
        (cancelled.status, cancelled.result),
        (RegistrationStatus::Cancelled, None)
    );
}

pub async fn results_concurrent_imports_one_wins(store: Arc<dyn Store>) {
    let regs = Arc::new(sitting(&*store, "CLD-ARC-E", 6).await);
    // Eight imports of the same six registrations, each listing them in its own order with
    // its own scores: exactly one commits, whole.
    let outcomes = all_at_once(&store, 8, |s, i| {
        let regs = regs.clone();
        async move {
            let mut results: Vec<ResultRelease> = regs
                .iter()
                .map(|(b, id)| release(*b, *id, scored(50 + i as u64), i % 2 == 0))
                .collect();
            results.rotate_left(i % regs.len());
            if i % 3 == 0 {
                results.reverse();
            }
            (i, s.commit_results(commit(results, released())).await)
        }
    })
    .await;
    let won: Vec<usize> = outcomes
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(won.len(), 1, "exactly one import wins: {outcomes:?}");
    for (_, r) in &outcomes {
        match r {
            Ok(n) => assert_eq!(*n, 6),
            Err(StoreError::Conflict(Conflict::NotAwaitingResult(id))) => {
                assert!(regs.iter().any(|(_, r)| r == id))
            }
            Err(e) => panic!("a losing import is a conflict, not {e:?}"),
        }
    }
    for (b, id) in regs.iter() {
        let r = store.get_registration(*id).await.expect("registration");
        let points = r.result.and_then(|x| x.score).map(Score::get);
        assert_eq!(
            points,
            Some(50 + won[0] as u32),
            "the winner's scores, all of them"
        );
        assert_eq!(
            inbox_kinds(&*store, *b).await.len(),
            2,
            "one result message"
        );
    }
}
