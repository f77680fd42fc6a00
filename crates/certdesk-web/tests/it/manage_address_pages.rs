//! O9/I7 on the management page: once the candidate passed, the page asks where the paper
//! certificate goes (no account needed: the link is the key); a bad field is named beside it;
//! the saved address is where the operator ships. On SQLite, and on PostgreSQL with
//! `CERTDESK_TEST_DATABASE=postgres`.

use axum::http::StatusCode;
use serde_json::json;

use crate::institution_journey::{T0, book, institution, paid, slot_id};
use crate::institution_page_support::{has, location};
use crate::shop::clock;
use crate::support::TestApp;

#[tokio::test]
async fn o9_a_passed_institution_candidate_gives_the_paper_certificates_address() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, s.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, monday).await.status, StatusCode::OK);
    let page = format!("/manage/{token}");
    let mut b = t.browser();
    assert!(
        !has(&b.get(&page).await.body, "address-form"),
        "no certificate yet"
    );

    clock(&t, "2026-05-18T18:00:00+08:00").await;
    let staff = t.log_in("staff@huanan.example.cn").await;
    let res = t
        .post(
            "/api/v1/institution/results",
            Some(&staff),
            json!({"results": [{"registration_id": id, "score": 90}]}),
        )
        .await;
    assert_eq!(res.json()["accepted"], 1, "{}", res.body);
    clock(&t, "2026-05-19T12:00:00+08:00").await;

    let mut b = t.browser();
    let shown = b.get(&page).await;
    assert!(has(&shown.body, "address-form"), "{}", shown.body);
    let action = format!("/manage/{token}/mailing-address");
    let mut fields = vec![
        ("recipient", "韩梅梅"),
        ("phone", "12345"),
        ("province", "广东省"),
        ("city", "深圳市"),
        ("address", "福田区深南大道 1 号"),
        ("postcode", "518000"),
    ];
    let res = b.submit(&page, &action, &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "address-phone-error"), "{}", res.body);
    fields[1] = ("phone", "13800138000");
    let res = b.submit(&page, &action, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let shown = b.get(&location(&res)).await;
    assert!(shown.body.contains("邮寄地址已保存"), "{}", shown.body);
    assert!(shown.body.contains("福田区深南大道 1 号"));

    // The operator ships it to that address.
    let pending = t
        .get(
            "/api/v1/admin/paper-certificates?status=pending",
            Some(&s.admin),
        )
        .await
        .json();
    assert_eq!(
        pending[0]["address"], "广东省深圳市福田区深南大道 1 号",
        "{pending}"
    );
}
