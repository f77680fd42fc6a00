//! Issue 8's acceptance journey over HTTP with the test clock, on SQLite and (with
//! `CERTDESK_TEST_DATABASE=postgres`) on PostgreSQL: register, reschedule (O7), the ticket at
//! start − 5 days and not a second earlier (O4), check in, fail (O6), the free retake (O8),
//! its ticket and check-in, pass, the certificate (O9) verified publicly with the DID key,
//! the Open Badges credential verified with an independent JOSE library, and the paper
//! certificate shipped to the address given.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::certificates_api::{issuer_key, my_certificates, signed_by};
use crate::reschedule_api::reschedule;
use crate::retake_api::{import, registration, retake, to};
use crate::shop::{CERT, FEE, STARTS, bought, clock, credit, period_of, shifted, verified};
use crate::support::TestApp;

const EMAIL: &str = "li.lei@example.com";
/// The sitting moved to, a week after `STARTS`, and its ticket window (start − 5 days).
const MOVED_STARTS: &str = "2027-04-17T09:00:00+08:00";
const MOVED_TICKETS: &str = "2027-04-12T09:00:00+08:00";
/// The retake's sitting, inside O8's three months, and its ticket window.
const RETAKE_STARTS: &str = "2027-05-22T09:00:00+08:00";
const RETAKE_TICKETS: &str = "2027-05-17T09:00:00+08:00";

fn one_second_before(instant: &str) -> String {
    shifted(instant, -1)
}

/// Sets the clock (the due jobs run) and logs in again: API sessions last 30 days.
async fn at(t: &TestApp, instant: &str) -> (String, String) {
    clock(t, instant).await;
    (t.log_in("ops@example.com").await, t.log_in(EMAIL).await)
}

/// The desk of `period` scans the ticket's QR code: recorded present, first time.
async fn check_in(t: &TestApp, admin: &str, period: i64, ticket: &Value) {
    let res = t
        .post(
            "/api/v1/admin/check-ins",
            Some(admin),
            json!({"period_id": period, "code": ticket["code"]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["first"], true, "{}", res.body);
}

#[tokio::test]
async fn register_reschedule_ticket_fail_retake_pass_certificate_verify_ship() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let cities = [("深圳", 5)];
    let first = period_of(&t, &admin, CERT, STARTS, &cities).await;
    let moved = period_of(&t, &admin, CERT, MOVED_STARTS, &cities).await;
    let again = period_of(&t, &admin, CERT, RETAKE_STARTS, &cities).await;
    let res = t
        .post(
            "/api/v1/admin/venues",
            Some(&admin),
            json!({"city": "深圳", "name": "南山考点", "address": "深圳市南山区科苑路 15 号", "seats": 20}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);

    // Register and pay; then move once to the later sitting (O7).
    let (me, account) = verified(&t, EMAIL, 1).await;
    credit(&t, &admin, account, "cash", FEE).await;
    let placed = bought(&t, &me, first, "深圳").await;
    let reg = placed["registration"]["id"].as_i64().unwrap();
    let res = reschedule(&t, &me, reg, json!({"period_id": moved, "city": "深圳"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r = registration(&t, &me, reg).await;
    assert_eq!(
        (r["period_id"].as_i64(), &r["rescheduled"]),
        (Some(moved), &json!(true))
    );

    // O4: no ticket a second before the window, one at it — from the sitting it is on now.
    let (_, me) = at(&t, &one_second_before(MOVED_TICKETS)).await;
    let early = registration(&t, &me, reg).await;
    assert!(early["admission_ticket"].is_null(), "{early}");
    let (_, me) = at(&t, MOVED_TICKETS).await;
    let r = registration(&t, &me, reg).await;
    assert_eq!(r["status"], "ticket_issued", "{r}");
    let ticket = r["admission_ticket"].clone();
    assert_eq!(ticket["venue_name"], "南山考点");
    assert_eq!(ticket["starts_at"], MOVED_STARTS);

    // The day: checked in at the desk; then a fail, and the free retake's deadline (E3).
    let (admin, _) = at(&t, MOVED_STARTS).await;
    check_in(&t, &admin, moved, &ticket).await;
    let (admin, me) = at(&t, "2027-04-17T12:00:00+08:00").await;
    import(
        &t,
        &admin,
        vec![json!({"ticket_number": ticket["number"], "score": 41})],
    )
    .await;
    let r = registration(&t, &me, reg).await;
    assert_eq!(r["status"], "failed", "{r}");
    assert_eq!(r["result"]["score"], 41);
    assert!(r["deadlines"]["retake_apply_until"].is_string(), "{r}");

    // O8: the retake, no payment; its ticket at its own window, checked in, passed.
    let res = retake(&t, &me, reg, to(again, "深圳")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let second = res.json()["id"].as_i64().unwrap();
    assert_eq!(res.json()["attempt"], "retake");
    let (_, me) = at(&t, &one_second_before(RETAKE_TICKETS)).await;
    let early = registration(&t, &me, second).await;
    assert!(early["admission_ticket"].is_null(), "{early}");
    let (_, me) = at(&t, RETAKE_TICKETS).await;
    let ticket = registration(&t, &me, second).await["admission_ticket"].clone();
    assert!(ticket["number"].is_string(), "{ticket}");
    let (admin, _) = at(&t, RETAKE_STARTS).await;
    check_in(&t, &admin, again, &ticket).await;
    let (admin, _) = at(&t, "2027-05-22T12:00:00+08:00").await;
    import(
        &t,
        &admin,
        vec![json!({"registration_id": second, "score": 88})],
    )
    .await;
    // The issuing job runs with the next tick of the clock.
    let (admin, me) = at(&t, "2027-05-22T12:00:01+08:00").await;
    assert_eq!(registration(&t, &me, second).await["status"], "passed");

    // O9: the certificate, verified by anyone against the DID document's key.
    let mine = my_certificates(&t, &me).await;
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    let number = mine[0]["number"].as_str().unwrap().to_owned();
    assert_eq!(
        (&mine[0]["certification"], &mine[0]["status"]),
        (&json!(CERT), &json!("valid"))
    );
    let res = t.get(&format!("/api/v1/certificates/{number}"), None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let public = res.json();
    assert_eq!(public["holder_name_masked"], "李*");
    let (key_id, x, key) = issuer_key(&t).await;
    assert!(signed_by(&key, &public), "{public}");

    // The Open Badges 3.0 credential, checked with jsonwebtoken (not the signing code).
    let path = format!("/api/v1/me/certificates/{number}/credential");
    let res = t.get(&path, Some(&me)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let header = jsonwebtoken::decode_header(&res.body).unwrap();
    assert_eq!(header.kid.as_deref(), Some(key_id.as_str()));
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let decoding = jsonwebtoken::DecodingKey::from_ed_components(&x).unwrap();
    let vc = jsonwebtoken::decode::<Value>(&res.body, &decoding, &validation)
        .expect("the credential verifies")
        .claims;
    assert!(
        vc["type"]
            .as_array()
            .unwrap()
            .contains(&json!("OpenBadgeCredential"))
    );

    // The paper copy: the address given, shipped by the operator, the holder told.
    let address = json!({"recipient": "李雷", "phone": "13800138000", "province": "广东省",
        "city": "深圳市", "address": "南山区科技园科苑路 15 号", "postcode": "518057"});
    let res = t
        .put("/api/v1/me/mailing-address", Some(&me), address)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let queue = t
        .get(
            "/api/v1/admin/paper-certificates?status=pending",
            Some(&admin),
        )
        .await
        .json();
    let paper = queue["items"]
        .as_array()
        .or(queue.as_array())
        .and_then(|items| {
            items
                .iter()
                .find(|p| p["certificate_number"] == number.as_str())
        })
        .cloned()
        .unwrap_or_else(|| panic!("not queued: {queue}"));
    assert_eq!(paper["recipient"], "李雷");
    let res = t
        .post(
            &format!("/api/v1/admin/paper-certificates/{}/shipment", paper["id"]),
            Some(&admin),
            json!({"carrier": "顺丰速运", "tracking_number": "SF1234567890123"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let inbox = t.get("/api/v1/me/messages", Some(&me)).await.json();
    let shipped = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "paper_certificate_shipped")
        .unwrap_or_else(|| panic!("not told: {inbox}"));
    assert!(
        shipped["body"]
            .as_str()
            .unwrap()
            .contains("SF1234567890123")
    );
}
