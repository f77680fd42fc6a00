//! O6/P1: `import_results` — operators only, checked at `clock.now()` (T4 at the exam's end),
//! audited once, the pass mark deciding, an e-certificate promised for each pass (O9), and
//! "成绩已公布" in the candidate's inbox.

use certdesk_app::ResultsUpload;
use certdesk_domain::{ErrorCode, PromiseKind, RegistrationId, RegistrationStatus};
use certdesk_store::PageRequest;

use crate::code;
use crate::official::{World, exam_start, hours, order};

fn csv(lines: &[String]) -> ResultsUpload {
    let mut text = "registration_id,score,absent\r\n".to_owned();
    for l in lines {
        text.push_str(l);
        text.push_str("\r\n");
    }
    ResultsUpload::Csv(text.into_bytes())
}

#[tokio::test]
async fn o6_results_are_imported_by_operators_only() {
    let w = World::new().await;
    let me = w.t.candidate("nosy@example.com").await;
    let res = w.t.app.import_results(&me, csv(&[])).await;
    assert_eq!(code(res), ErrorCode::Forbidden);
}

#[tokio::test]
async fn o6_results_from_the_exam_end_on_pass_mark_decides_audited_once() {
    let w = World::new().await;
    let period = w.period().await;
    let mut regs: Vec<(certdesk_store::Account, RegistrationId)> = Vec::new();
    for (i, email) in ["a@example.com", "b@example.com"].iter().enumerate() {
        let me = w.verified(email, &format!("1101051990010110{i}")).await;
        w.credit(me.id, "cash", 30_000).await;
        let placed =
            w.t.app
                .register_and_pay(&me, order(&period, "深圳"), None)
                .await
                .unwrap();
        regs.push((me, placed.registration.id));
    }
    // TCCA-FND's pass mark is 60: at it passes, below it fails (O6).
    let lines = vec![
        format!("{},60,false", regs[0].1),
        format!("{},59,false", regs[1].1),
    ];
    // T4: the exam ends at start + 2 h; a microsecond before, every line is refused.
    let ends = exam_start() + hours(2);
    w.t.clock.set(ends - jiff::SignedDuration::from_micros(1));
    let early = w.t.app.import_results(&w.admin, csv(&lines)).await.unwrap();
    assert_eq!(early.accepted, 0);
    let got: Vec<_> = early
        .rejected
        .iter()
        .map(|e| (e.line, e.refusal.code))
        .collect();
    assert_eq!(
        got,
        vec![(2, ErrorCode::ExamNotEnded), (3, ErrorCode::ExamNotEnded)]
    );
    assert_eq!(early.rejected[0].refusal.deadline, Some(ends));

    w.t.clock.set(ends);
    let done = w.t.app.import_results(&w.admin, csv(&lines)).await.unwrap();
    assert_eq!((done.accepted, done.rejected.len()), (2, 0));
    let store = w.t.store();
    let passed = store.get_registration(regs[0].1).await.unwrap();
    let failed = store.get_registration(regs[1].1).await.unwrap();
    assert_eq!(
        (passed.status, failed.status),
        (RegistrationStatus::Passed, RegistrationStatus::Failed)
    );
    assert_eq!(passed.result.unwrap().released_at, ends);

    // P1: the score promise kept at release; O9: the pass owes an e-certificate by the end
    // of the first business day after the exam date (Saturday 10 April → Monday 12 April).
    let promises = store.list_promises(regs[0].1).await.unwrap();
    let kept = promises
        .iter()
        .find(|p| p.kind == PromiseKind::Score)
        .unwrap();
    assert_eq!(kept.kept_at, Some(ends));
    let cert = promises
        .iter()
        .find(|p| p.kind == PromiseKind::ECertificate)
        .unwrap();
    assert_eq!(cert.due_at, "2027-04-12T16:00:00Z".parse().unwrap());
    let none = store.list_promises(regs[1].1).await.unwrap();
    assert!(none.iter().all(|p| p.kind != PromiseKind::ECertificate));

    let inbox = w.messages(&regs[0].0).await;
    assert_eq!(inbox[0].kind, "result_released");
    assert!(
        inbox[0].body_zh.contains("成绩：60 分\n结果：通过"),
        "{}",
        inbox[0].body_zh
    );
    assert!(
        w.messages(&regs[1].0).await[0]
            .body_en
            .contains("Result: not passed")
    );

    let audit =
        w.t.app
            .list_audit(&w.admin, PageRequest::first(5))
            .await
            .unwrap();
    let entry = &audit.items[0];
    assert_eq!(
        (entry.action.as_str(), entry.actor),
        ("results.import", Some(w.admin.id))
    );
    let after = entry.after.clone().unwrap();
    assert_eq!(
        (
            after["accepted"].clone(),
            after["passed"].clone(),
            after["failed"].clone()
        ),
        (2.into(), 1.into(), 1.into())
    );
}
