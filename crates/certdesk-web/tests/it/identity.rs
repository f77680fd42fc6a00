//! Real-name identity over the API (A2, A4).

use axum::http::StatusCode;
use serde_json::json;

use crate::support::{TestApp, id_number};

#[tokio::test]
async fn invalid_id_number_names_the_part() {
    let t = TestApp::new().await;
    let token = t.candidate("chen@example.com").await;
    let good = id_number("11010519491231002");
    let wrong_check = format!(
        "{}{}",
        &good[..17],
        if good.ends_with('0') { '1' } else { '0' }
    );
    let res = t
        .call_with(
            axum::http::Method::PUT,
            "/api/v1/me/identity",
            Some(&token),
            Some(json!({"real_name": "陈晨", "id_number": wrong_check})),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &res.json()["error"];
    assert_eq!(e["code"], "invalid_id_number");
    assert_eq!(e["field"], "id_number");
    assert_eq!(e["rule"], "A2");
    assert!(
        e["message"].as_str().unwrap().contains("check character"),
        "{e}"
    );

    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": "陈晨", "id_number": "11010519491331002X"}),
        )
        .await;
    assert_eq!(res.code(), "invalid_id_number");
    assert!(
        res.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("出生日期"),
        "{}",
        res.body
    );

    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": "陈", "id_number": good}),
        )
        .await;
    assert_eq!(
        (res.code().as_str(), res.json()["error"]["field"].clone()),
        ("invalid_real_name", json!("real_name"))
    );
}

#[tokio::test]
async fn fourth_account_of_one_person_is_identity_in_use() {
    let t = TestApp::new().await;
    let number = id_number("44030519900101123");
    for i in 0..3 {
        let token = t.candidate(&format!("same.person{i}@example.com")).await;
        let res = t
            .put(
                "/api/v1/me/identity",
                Some(&token),
                json!({"real_name": "林小明", "id_number": number}),
            )
            .await;
        assert_eq!(res.json()["status"], "verified", "{}", res.body);
    }
    let token = t.candidate("same.person3@example.com").await;
    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": "林小明", "id_number": number}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(res.code(), "identity_in_use");
    assert!(!res.body.contains(&number));
}

#[tokio::test]
async fn manual_review_pending_then_rejected_with_reason_then_approved() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let res = t
        .put(
            "/api/v1/admin/settings/verification-mode",
            Some(&admin),
            json!({"mode": "manual_review"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        t.get("/api/v1/admin/settings/verification-mode", Some(&admin))
            .await
            .json()["mode"],
        "manual_review"
    );
    let res = t
        .put(
            "/api/v1/admin/settings/verification-mode",
            Some(&admin),
            json!({"mode": "by-magic"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    let id = t.sign_up("he@example.com").await;
    let token = t.log_in("he@example.com").await;
    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": "何平", "id_number": id_number("31010419850612002")}),
        )
        .await;
    assert_eq!(res.json()["status"], "pending");

    let queue = t
        .get("/api/v1/admin/identities?status=pending", Some(&admin))
        .await
        .json();
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["account_id"] == id)
        .expect("in the queue")
        .clone();
    assert!(item["id_number_masked"].as_str().unwrap().contains('*'));
    let res = t
        .get("/api/v1/admin/identities?status=sideways", Some(&admin))
        .await;
    assert_eq!(res.json()["error"]["field"], "status");

    let decision = format!("/api/v1/admin/identities/{id}/decision");
    let res = t
        .post(&decision, Some(&admin), json!({"approve": false}))
        .await;
    assert_eq!(
        (res.status, res.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("reason"))
    );
    let res = t
        .post(&decision, Some(&token), json!({"approve": true}))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = t
        .post(
            &decision,
            Some(&admin),
            json!({"approve": false, "reason": "证件照片不清晰"}),
        )
        .await;
    assert_eq!(res.json()["status"], "rejected");
    let me = t.get("/api/v1/me", Some(&token)).await.json();
    assert_eq!(me["identity"]["status"], "rejected");
    assert_eq!(me["identity"]["reason"], "证件照片不清晰");
    let res = t
        .post(&decision, Some(&admin), json!({"approve": true}))
        .await;
    assert_eq!(res.code(), "identity_not_pending");
}
