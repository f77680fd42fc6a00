//! O9/P1: paper certificates — the holder's mailing address, the operators' queue, a shipment
//! recorded once with its carrier and tracking number, the promise kept and the holder told.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::certificates_api::{certified, promise};
use crate::shop::clock;
use crate::support::TestApp;

async fn queue(t: &TestApp, admin: &str, status: &str) -> Vec<Value> {
    let res = t
        .get(
            &format!("/api/v1/admin/paper-certificates?status={status}"),
            Some(admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json().as_array().unwrap().clone()
}

fn address() -> Value {
    json!({
        "recipient": "李雷", "phone": "13800138000", "province": "广东省",
        "city": "深圳市", "address": "南山区科技园科苑路 15 号", "postcode": "518057",
    })
}

#[tokio::test]
async fn o9_paper_certificate_ships_once_to_the_address_given() {
    let t = TestApp::new().await;
    let (admin, regs, cert) = certified(&t).await;
    let holder = &regs[0].0;

    let pending = queue(&t, &admin, "pending").await;
    assert_eq!(pending.len(), 1, "{pending:?}");
    let paper = &pending[0];
    assert_eq!(paper["certificate_number"], cert["number"]);
    // Due 30 days after the exam's end (11:00 on 10 April).
    assert_eq!(paper["due_at"], "2027-05-10T11:00:00+08:00");
    assert_eq!(paper["recipient"], Value::Null);
    let ship = format!("/api/v1/admin/paper-certificates/{}/shipment", paper["id"]);
    let parcel = json!({"carrier": "顺丰速运", "tracking_number": "SF1234567890123"});

    // Nowhere to send it yet.
    let res = t.post(&ship, Some(&admin), parcel.clone()).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::CONFLICT, "mailing_address_missing")
    );

    // The holder gives an address; bad fields are named.
    let mut bad = address();
    bad["phone"] = json!("12345");
    let res = t.put("/api/v1/me/mailing-address", Some(holder), bad).await;
    assert_eq!(res.json()["error"]["field"], "phone", "{}", res.body);
    let mut bad = address();
    bad["postcode"] = json!("51805");
    let res = t.put("/api/v1/me/mailing-address", Some(holder), bad).await;
    assert_eq!(res.json()["error"]["field"], "postcode", "{}", res.body);
    let res = t
        .put("/api/v1/me/mailing-address", Some(holder), address())
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["city"], "深圳市");
    assert_eq!(
        queue(&t, &admin, "pending").await[0]["address"],
        "广东省深圳市南山区科技园科苑路 15 号"
    );

    // Only operators ship; the carrier is required.
    let res = t.post(&ship, Some(holder), parcel.clone()).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = t
        .post(
            &ship,
            Some(&admin),
            json!({"carrier": " ", "tracking_number": "SF1"}),
        )
        .await;
    assert_eq!(res.json()["error"]["field"], "carrier", "{}", res.body);

    clock(&t, "2027-04-20T10:00:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    let holder = t.log_in("sat0@example.com").await;
    let res = t.post(&ship, Some(&admin), parcel.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let shipped = res.json();
    assert_eq!(shipped["tracking_number"], "SF1234567890123");
    assert_eq!(shipped["shipped_at"], "2027-04-20T10:00:00+08:00");
    let res = t.post(&ship, Some(&admin), parcel).await;
    assert_eq!(
        (res.status, res.code().as_str()),
        (StatusCode::CONFLICT, "already_shipped")
    );

    // A later change of address does not rewrite where the parcel went.
    let mut moved = address();
    moved["city"] = json!("广州市");
    let res = t
        .put("/api/v1/me/mailing-address", Some(&holder), moved)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(queue(&t, &admin, "pending").await.is_empty());
    let done = queue(&t, &admin, "shipped").await;
    assert_eq!(done[0]["address"], "广东省深圳市南山区科技园科苑路 15 号");
    assert_eq!(done[0]["carrier"], "顺丰速运");

    // P1: kept on time; the holder was told with the tracking number.
    let p = promise(&t, &admin, "paper_certificate").await;
    assert_eq!(
        (p["kept_on_time"].as_i64(), p["pending"].as_i64()),
        (Some(1), Some(0)),
        "{p}"
    );
    let inbox = t.get("/api/v1/me/messages", Some(&holder)).await.json();
    let newest = &inbox["items"][0];
    assert_eq!(newest["kind"], "paper_certificate_shipped", "{inbox}");
    assert!(newest["body"].as_str().unwrap().contains("SF1234567890123"));

    let res = t
        .get("/api/v1/admin/paper-certificates?status=lost", Some(&admin))
        .await;
    assert_eq!(res.json()["error"]["field"], "status", "{}", res.body);
}

#[tokio::test]
async fn o9_p1_a_shipment_after_its_deadline_is_kept_late() {
    let t = TestApp::new().await;
    let (_, regs, _) = certified(&t).await;
    let res = t
        .put("/api/v1/me/mailing-address", Some(&regs[0].0), address())
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Due 10 May 2027 11:00 (T4: kept on time iff before it).
    clock(&t, "2027-05-10T11:00:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    let p = promise(&t, &admin, "paper_certificate").await;
    assert_eq!(p["overdue"], 1, "{p}");
    let id = queue(&t, &admin, "pending").await[0]["id"].clone();
    let res = t
        .post(
            &format!("/api/v1/admin/paper-certificates/{id}/shipment"),
            Some(&admin),
            json!({"carrier": "EMS", "tracking_number": "EA123456789CN"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let p = promise(&t, &admin, "paper_certificate").await;
    assert_eq!(
        (p["kept_late"].as_i64(), p["overdue"].as_i64()),
        (Some(1), Some(0)),
        "{p}"
    );
}
