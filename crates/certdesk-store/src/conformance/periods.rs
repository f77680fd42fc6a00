//! Exam periods and their seat pools (O1–O3): created audited, cities in the operator's
//! order with their seats taken, listed by start with filters.

use std::sync::Arc;

use certdesk_domain::{CertificationId, ExamPeriodId};

use super::fixtures::{assert_not_found, at, audit};
use super::shop::{exam_start, shop};
use crate::{NewExamPeriod, PeriodFilter, Store};

pub async fn exam_period_create_get_list_audited(store: Arc<dyn Store>) {
    let s = &*store;
    let cloud = shop(
        s,
        "CLD-ARC-P",
        &[("上海", 10), ("北京", 5), ("Guangzhou", 1)],
    )
    .await;
    let period = &cloud.period;
    let cities: Vec<(&str, u32, u32)> = period
        .cities
        .iter()
        .map(|c| (c.city.as_str(), c.capacity, c.taken))
        .collect();
    assert_eq!(
        cities,
        [("上海", 10, 0), ("北京", 5, 0), ("Guangzhou", 1, 0)],
        "cities in the operator's order"
    );
    assert_eq!(period.certification_code.as_str(), "CLD-ARC-P");
    assert_eq!(period.starts_at, exam_start());
    assert_eq!(period.registration_opens_at, at(-86_400));
    assert_eq!(period.cities[1].seats_left(), 5);
    assert_eq!(&s.get_exam_period(period.id).await.expect("get"), period);
    let audit_log = s.list_audit(Default::default()).await.expect("audit").items;
    assert_eq!(audit_log[0].action, "exam_period.create");
    assert!(
        super::fixtures::all_jobs(s, None).await.is_empty(),
        "a period without jobs enqueues none"
    );

    // A second certification whose period starts earlier lists first.
    let cert = s
        .commit_certification_create(
            super::fixtures::cert_data("SPC-BIGDATA"),
            audit("certification.create", at(0)),
        )
        .await
        .expect("certification");
    let earlier = s
        .commit_exam_period(
            NewExamPeriod {
                certification_id: cert.id,
                starts_at: at(30 * 86_400),
                ends_at: at(30 * 86_400 + 3_600),
                registration_opens_at: at(0),
                registration_closes_at: at(20 * 86_400),
                cities: vec![("深圳".to_owned(), 3)],
                created_at: at(2),
                // O4: a period's jobs are enqueued in its commit.
                jobs: vec![crate::NewJob {
                    dedup_key: Some("issue_tickets:test".into()),
                    ..super::fixtures::job("issue_tickets", at(25 * 86_400))
                }],
            },
            audit("exam_period.create", at(2)),
        )
        .await
        .expect("period");
    let jobs = super::fixtures::all_jobs(s, None).await;
    assert_eq!(
        jobs.iter()
            .map(|j| (j.kind.as_str(), j.run_at))
            .collect::<Vec<_>>(),
        [("issue_tickets", at(25 * 86_400))]
    );
    let all = s
        .list_exam_periods(PeriodFilter::default())
        .await
        .expect("list");
    assert_eq!(
        all.iter().map(|p| p.id).collect::<Vec<_>>(),
        [earlier.id, period.id]
    );
    assert_eq!(all[1], *period);
    let only = |certification_id, starts_from| PeriodFilter {
        certification_id,
        starts_from,
    };
    let ids = |list: Vec<crate::ExamPeriod>| list.iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s
            .list_exam_periods(only(Some(cloud.certification_id), None))
            .await
            .expect("list")),
        [period.id]
    );
    // `starts_from` is inclusive.
    assert_eq!(
        ids(s
            .list_exam_periods(only(None, Some(exam_start())))
            .await
            .expect("list")),
        [period.id]
    );
    assert!(
        s.list_exam_periods(only(Some(cert.id), Some(at(31 * 86_400))))
            .await
            .expect("list")
            .is_empty()
    );
}

pub async fn exam_period_unknown_is_not_found(store: Arc<dyn Store>) {
    let s = &*store;
    assert_not_found(s.get_exam_period(ExamPeriodId(999)).await);
    let unknown_cert = NewExamPeriod {
        certification_id: CertificationId(999),
        starts_at: exam_start(),
        ends_at: at(90 * 86_400 + 3_600),
        registration_opens_at: at(0),
        registration_closes_at: at(80 * 86_400),
        cities: vec![("上海".to_owned(), 1)],
        created_at: at(1),
        jobs: Vec::new(),
    };
    assert_not_found(
        s.commit_exam_period(unknown_cert, audit("exam_period.create", at(1)))
            .await,
    );
    assert!(
        s.list_audit(Default::default())
            .await
            .expect("audit")
            .items
            .is_empty(),
        "nothing audited for a refused period"
    );
}
