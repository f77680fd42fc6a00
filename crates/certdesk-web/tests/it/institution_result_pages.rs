//! I7 on the staff desk: staff record their candidate's result from the registration's page —
//! refused before the exam ends and for a bad score (beside the form), accepted after, once.
//! On SQLite, and on PostgreSQL with `CERTDESK_TEST_DATABASE=postgres`.

use axum::http::StatusCode;

use crate::institution_journey::{T0, book, institution, paid, slot_id};
use crate::institution_page_support::{has, location, text_of};
use crate::official_pages::signed_in;
use crate::shop::clock;
use crate::support::TestApp;

#[tokio::test]
async fn i7_staff_record_a_result_from_the_registration_page() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, s.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, monday).await.status, StatusCode::OK);
    let mut b = signed_in(&t, "staff@huanan.example.cn").await;
    let page = format!("/institution/registrations/{id}");
    let action = format!("/institution/registrations/{id}/result");

    // Before the exam has ended: refused beside the form.
    let res = b.submit(&page, &action, &[("score", "88")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(
        text_of(&res.body, "result-error").contains("考试尚未结束"),
        "{}",
        res.body
    );

    clock(&t, "2026-05-18T18:00:00+08:00").await;
    let mut b = signed_in(&t, "staff@huanan.example.cn").await;
    // A score out of range is named on its field.
    let res = b.submit(&page, &action, &[("score", "101")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "score-error"), "{}", res.body);
    // Recorded: the candidate's registration says passed; the form is gone.
    let res = b.submit(&page, &action, &[("score", "88")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        location(&res),
        format!("/institution/registrations/{id}?resulted=1")
    );
    let shown = b.get(&location(&res)).await;
    assert!(shown.body.contains("成绩已登记"), "{}", shown.body);
    assert!(!has(&shown.body, "result-form"));
    let r = t
        .get(&format!("/api/v1/registrations/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(
        (r["status"].as_str(), r["result"]["score"].as_i64()),
        (Some("passed"), Some(88))
    );
}
