//! O12: the official channel's reschedule and retake applications are listed for the
//! authorised institutions' staff (read-only, with the rule that decided each and its
//! inputs); candidates are refused.

use axum::http::StatusCode;
use serde_json::json;

use crate::institution_journey::institution;
use crate::reschedule_api::reschedule;
use crate::retake_api::{RETAKE_STARTS, fail, resulted, retake, to};
use crate::shop::{CERT, bought, period_of, verified};
use crate::support::TestApp;

/// A failed first attempt (李雷's) and its retake in 上海 at `RETAKE_STARTS`: the operator's
/// token, the retake's period and the retake's id.
async fn retaken(t: &TestApp) -> (String, i64, i64) {
    let (admin, regs) = resulted(t, &[fail()]).await;
    let (token, first) = regs[0].clone();
    let target = period_of(t, &admin, CERT, RETAKE_STARTS, &[("上海", 3)]).await;
    let res = retake(t, &token, first, to(target, "上海")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let id = res.json()["id"].as_i64().unwrap();
    (admin, target, id)
}

#[tokio::test]
async fn o12_staff_see_official_reschedules_and_retakes_with_their_rules() {
    let t = TestApp::new().await;
    let (admin, target, _) = retaken(&t).await;
    let later = period_of(
        &t,
        &admin,
        CERT,
        "2027-06-20T09:00:00+08:00",
        &[("北京", 3)],
    )
    .await;
    let (buyer, buyer_id) = verified(&t, "mover@example.com", 77).await;
    crate::shop::credit(&t, &admin, buyer_id, "cash", 100_000).await;
    let bought = bought(&t, &buyer, target, "上海").await;
    let moved = bought["registration"]["id"].as_i64().unwrap();
    let res = reschedule(
        &t,
        &buyer,
        moved,
        json!({"period_id": later, "city": "北京"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let res = t
        .get("/api/v1/institution/official-applications", Some(&s.staff))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let items = res.json();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 2, "{items:?}");
    let moved_item = items.iter().find(|a| a["kind"] == "reschedule").unwrap();
    assert_eq!(moved_item["registration_id"], moved);
    assert_eq!(
        (moved_item["rule"].as_str(), moved_item["decision"].as_str()),
        (Some("O7"), Some("allowed"))
    );
    assert_eq!(
        (
            moved_item["from_city"].as_str(),
            moved_item["to_city"].as_str()
        ),
        (Some("上海"), Some("北京"))
    );
    // O7's inputs: applied before the old sitting's start − 10 days, the target within
    // three months of the sitting first bought.
    assert_eq!(moved_item["apply_before"], "2027-05-10T09:00:00+08:00");
    assert_eq!(moved_item["latest_start"], "2027-08-20T09:00:00+08:00");
    let retake_item = items.iter().find(|a| a["kind"] == "retake").unwrap();
    assert_eq!(
        (
            retake_item["rule"].as_str(),
            retake_item["decision"].as_str()
        ),
        (Some("O8"), Some("allowed"))
    );
    assert_eq!(retake_item["to_starts_at"], RETAKE_STARTS);
    assert_eq!(retake_item["latest_start"], "2027-07-10T09:00:00+08:00");
    assert_eq!(retake_item["holder_name"], "李雷");

    // Candidates do not see them.
    let res = t
        .get("/api/v1/institution/official-applications", Some(&buyer))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// O12 on the staff desk: the same applications, read-only, with their rule's decision.
#[tokio::test]
async fn o12_the_staff_desk_lists_the_official_applications() {
    let t = TestApp::new().await;
    let (_, _, retake_id) = retaken(&t).await;
    institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let mut b = crate::official_pages::signed_in(&t, "staff@huanan.example.cn").await;
    let page = b.get("/institution").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let decision =
        crate::institution_page_support::text_of(&page.body, &format!("o12-{retake_id}-decision"));
    assert!(decision.starts_with("O8 · 符合规定"), "{decision}");
    assert!(
        page.body.contains("目标场次不晚于 2027年7月10日"),
        "O8's horizon, spelled out"
    );
}
