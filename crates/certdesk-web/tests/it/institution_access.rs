//! I1/I8/E2: who may act on the institution channel. Staff of one institution can neither see
//! nor change another's centres, slots, candidates or refunds (`not_found`, nothing changed);
//! other accounts are `forbidden`; a management token opens its own registration (and the
//! retake that follows) only, a forged one nothing, an expired one `link_expired`.

use axum::http::StatusCode;
use serde_json::json;

use crate::institution_journey::{T0, book, institution, paid, slot, slot_id};
use crate::shop::clock;
use crate::support::TestApp;

#[tokio::test]
async fn staff_of_one_institution_cannot_touch_another() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let a = institution(&t, "甲机构", "staff@a.example.cn").await;
    let b = institution(&t, "乙机构", "staff@b.example.cn").await;
    let a_slot = slot_id(&t, &a.staff, a.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, a.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, a_slot).await.status, StatusCode::OK);

    // B's staff, on every staff route, with A's ids: not found, nothing changed.
    let res = slot(&t, &b.staff, a.shenzhen, "2026-05-19", "09:00").await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::NOT_FOUND, "not_found".to_owned()),
        "{}",
        res.body
    );
    for path in [
        format!("/api/v1/institution/registrations/{id}"),
        format!("/api/v1/institution/registrations/{id}/refunds"),
        format!(
            "/api/v1/institution/registrations?institution_id={}",
            a.institution
        ),
    ] {
        let res = t.get(&path, Some(&b.staff)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.body);
    }
    let b_slot = slot_id(&t, &b.staff, b.shenzhen, "2026-05-19", "09:00").await;
    let moves = [
        (
            format!("/api/v1/institution/registrations/{id}/appointment"),
            json!({"slot_id": b_slot, "reason": "换到我们的考点"}),
        ),
        (
            format!("/api/v1/institution/registrations/{id}/refund"),
            json!({"amount_fen": 100, "reason": "不是我们的考生"}),
        ),
    ];
    for (path, body) in &moves {
        let res = t.post(path, Some(&b.staff), body.clone()).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.body);
    }
    // B's staff cannot record A's candidate's result: to them it does not exist (I7).
    clock(&t, "2026-05-18T18:00:00+08:00").await;
    let b_staff = t.log_in("staff@b.example.cn").await;
    let res = t
        .post(
            "/api/v1/institution/results",
            Some(&b_staff),
            json!({"results": [{"registration_id": id, "score": 90}]}),
        )
        .await;
    let outcome = res.json();
    assert_eq!(outcome["accepted"], 0, "{outcome}");
    assert_eq!(
        outcome["rejected"][0]["error"]["code"], "unknown_registration",
        "{outcome}"
    );
    // B's own list does not show A's candidate; A's staff see it, untouched.
    let mine = t
        .get("/api/v1/institution/registrations", Some(&b.staff))
        .await
        .json();
    assert!(mine["items"].as_array().unwrap().is_empty(), "{mine}");
    let theirs = t
        .get(
            &format!("/api/v1/institution/registrations/{id}"),
            Some(&a.staff),
        )
        .await
        .json();
    assert_eq!(
        (
            theirs["refunded_fen"].as_i64(),
            theirs["appointment"]["slot_id"].as_i64()
        ),
        (Some(0), Some(a_slot))
    );
    let refunds = t
        .get(
            &format!("/api/v1/institution/registrations/{id}/refunds"),
            Some(&a.staff),
        )
        .await
        .json();
    assert!(refunds.as_array().unwrap().is_empty());
    // A's staff cannot move their candidate onto B's slot either.
    let res = t
        .post(
            &format!("/api/v1/institution/registrations/{id}/appointment"),
            Some(&a.staff),
            json!({"slot_id": b_slot, "reason": "试试别家的考点"}),
        )
        .await;
    assert_eq!(
        (res.status, res.json()["error"]["field"].as_str()),
        (StatusCode::NOT_FOUND, Some("slot_id"))
    );
    // Their own centres only.
    let centres = t
        .get("/api/v1/institution/test-centres", Some(&b.staff))
        .await
        .json();
    let ids: Vec<i64> = centres
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&a.shenzhen) && !ids.contains(&a.guangzhou));

    // A candidate account is no staff.
    let candidate = t.candidate("someone@example.com").await;
    for path in [
        "/api/v1/institution/registrations",
        "/api/v1/institution/test-centres",
    ] {
        let res = t.get(path, Some(&candidate)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    let res = slot(&t, &candidate, a.shenzhen, "2026-05-20", "09:00").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

/// I3: a slot never takes more bookings than its capacity (`slot_full`, nothing changed).
#[tokio::test]
async fn i3_a_full_slot_is_refused() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let a = institution(&t, "甲机构", "staff@a.example.cn").await;
    let res = t
        .post(
            "/api/v1/institution/slots",
            Some(&a.staff),
            json!({"centre_id": a.shenzhen, "date": "2026-05-18", "starts_at": "09:00", "capacity": 1}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let one = res.json()["id"].as_i64().unwrap();
    let (first, first_token) = paid(&t, a.institution, 1, 1).await;
    let (second, second_token) = paid(&t, a.institution, 1, 2).await;
    assert_eq!(
        book(&t, &first_token, first, one).await.status,
        StatusCode::OK
    );
    let res = book(&t, &second_token, second, one).await;
    assert_eq!(
        (res.status, res.code(), res.json()["error"]["rule"].as_str()),
        (StatusCode::CONFLICT, "slot_full".to_owned(), Some("I3")),
        "{}",
        res.body
    );
    let r = t
        .get(
            &format!("/api/v1/registrations/{second}"),
            Some(&second_token),
        )
        .await
        .json();
    assert_eq!(r["appointment"], serde_json::Value::Null, "{r}");
    let slots = t
        .get(
            &format!(
                "/api/v1/test-centres/{}/slots?from=2026-05-18&to=2026-05-18",
                a.shenzhen
            ),
            None,
        )
        .await
        .json();
    assert_eq!(
        (
            slots[0]["capacity"].as_i64(),
            slots[0]["seats_left"].as_i64()
        ),
        (Some(1), Some(0))
    );
}

#[tokio::test]
async fn a_management_link_opens_its_own_registration_only() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let a = institution(&t, "甲机构", "staff@a.example.cn").await;
    let b = institution(&t, "乙机构", "staff@b.example.cn").await;
    let a_slot = slot_id(&t, &a.staff, a.shenzhen, "2026-05-18", "09:00").await;
    let b_slot = slot_id(&t, &b.staff, b.shenzhen, "2026-05-18", "09:00").await;
    let (mine, token) = paid(&t, a.institution, 1, 1).await;
    let (other, _) = paid(&t, a.institution, 1, 2).await;

    // Another registration with my token: not found; a forged token: unauthenticated.
    let res = t
        .get(&format!("/api/v1/registrations/{other}"), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = book(&t, &token, other, a_slot).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let forged = format!("{other}.{}", &token[token.find('.').unwrap() + 1..]);
    let res = t
        .get(&format!("/api/v1/registrations/{other}"), Some(&forged))
        .await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::UNAUTHORIZED, "unauthenticated".to_owned())
    );
    let res = t.get(&format!("/api/v1/registrations/{mine}"), None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    // Another institution's slot does not exist for this registration.
    let res = book(&t, &token, mine, b_slot).await;
    assert_eq!(
        (res.status, res.json()["error"]["field"].as_str()),
        (StatusCode::NOT_FOUND, Some("slot_id"))
    );

    // I1: valid until three months after the first exam, then expired (and re-sendable).
    assert_eq!(book(&t, &token, mine, a_slot).await.status, StatusCode::OK);
    clock(&t, "2026-08-18T08:59:59+08:00").await;
    let res = t
        .get(&format!("/api/v1/registrations/{mine}"), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    clock(&t, "2026-08-18T09:00:00+08:00").await;
    let res = t
        .get(&format!("/api/v1/registrations/{mine}"), Some(&token))
        .await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::UNAUTHORIZED, "link_expired".to_owned()),
        "{}",
        res.body
    );
    assert_eq!(res.json()["error"]["deadline"], "2026-08-18T09:00:00+08:00");
}

/// I7/A2: a pass on the institution channel earns a certificate as O9 says (by the end of the
/// next business day), publicly verifiable; and when the person later verifies their real
/// name on the official site with the same ID number, it shows up there too.
#[tokio::test]
async fn i7_an_institution_pass_earns_a_certificate_the_person_sees_on_the_official_site() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let a = institution(&t, "甲机构", "staff@a.example.cn").await;
    let monday = slot_id(&t, &a.staff, a.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, a.institution, 1, 7).await;
    assert_eq!(book(&t, &token, id, monday).await.status, StatusCode::OK);
    clock(&t, "2026-05-18T18:00:00+08:00").await;
    let staff = t.log_in("staff@a.example.cn").await;
    let res = t
        .post(
            "/api/v1/institution/results",
            Some(&staff),
            json!({"results": [{"registration_id": id, "score": 92}]}),
        )
        .await;
    assert_eq!(res.json()["accepted"], 1, "{}", res.body);
    // O9: queryable by the end of the first business day after the exam date.
    clock(&t, "2026-05-19T23:59:59+08:00").await;
    let r = t
        .get(&format!("/api/v1/registrations/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(r["status"], "passed", "{r}");
    let promises = t.get("/api/v1/admin/promises", Some(&a.admin)).await.json();
    let e_cert = promises
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "e_certificate")
        .cloned()
        .unwrap();
    assert_eq!(e_cert["kept_on_time"], 1, "{promises}");

    // The same person (same ID number) verifies on the official site: the certificate is
    // theirs there too (A2).
    t.sign_up("meimei@official.example.com").await;
    let official = t.log_in("meimei@official.example.com").await;
    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&official),
            json!({"real_name": "韩梅梅", "id_number": crate::support::id_number("44030519920202007")}),
        )
        .await;
    assert_eq!(res.json()["status"], "verified", "{}", res.body);
    let mine = t
        .get("/api/v1/me/certificates", Some(&official))
        .await
        .json();
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["holder_name"], "韩梅梅");
    let number = mine[0]["number"].as_str().unwrap();
    let public = t.get(&format!("/api/v1/certificates/{number}"), None).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    assert_eq!(public.json()["status"], "valid", "{}", public.body);

    // O9: the paper copy ships to the address the candidate gives through the link.
    let pending = t
        .get(
            "/api/v1/admin/paper-certificates?status=pending",
            Some(&a.admin),
        )
        .await
        .json();
    let paper = pending[0]["id"]
        .as_i64()
        .expect("a paper certificate is owed");
    let ship = format!("/api/v1/admin/paper-certificates/{paper}/shipment");
    let parcel = json!({"carrier": "顺丰速运", "tracking_number": "SF1234567890123"});
    let res = t.post(&ship, Some(&a.admin), parcel.clone()).await;
    assert_eq!(res.code(), "mailing_address_missing", "{}", res.body);
    let res = t
        .put(
            "/api/v1/me/mailing-address",
            Some(&token),
            json!({"recipient": "韩梅梅", "phone": "13800138000", "province": "广东省",
                   "city": "深圳市", "address": "福田区深南大道 1 号", "postcode": "518000"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = t.post(&ship, Some(&a.admin), parcel).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

/// I3: staff check a candidate in from 2 hours before the appointment until the exam ends —
/// over the API and from the desk — and never another institution's.
#[tokio::test]
async fn i3_staff_check_in_inside_the_window_only() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let a = institution(&t, "甲机构", "staff@a.example.cn").await;
    institution(&t, "乙机构", "staff@b.example.cn").await;
    let monday = slot_id(&t, &a.staff, a.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, a.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, monday).await.status, StatusCode::OK);
    let path = format!("/api/v1/institution/registrations/{id}/check-in");

    clock(&t, "2026-05-18T06:59:59+08:00").await;
    let staff = t.log_in("staff@a.example.cn").await;
    let res = t.post(&path, Some(&staff), json!({})).await;
    assert_eq!(
        (
            res.status,
            res.code(),
            res.json()["error"]["deadline"].as_str()
        ),
        (
            StatusCode::CONFLICT,
            "check_in_closed".to_owned(),
            Some("2026-05-18T07:00:00+08:00")
        ),
        "{}",
        res.body
    );
    clock(&t, "2026-05-18T07:00:00+08:00").await;
    let other = t.log_in("staff@b.example.cn").await;
    assert_eq!(
        t.post(&path, Some(&other), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let staff = t.log_in("staff@a.example.cn").await;
    let res = t.post(&path, Some(&staff), json!({})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["checked_in_at"], "2026-05-18T07:00:00+08:00");
    // A second check-in keeps the first time.
    clock(&t, "2026-05-18T08:00:00+08:00").await;
    let staff = t.log_in("staff@a.example.cn").await;
    let res = t.post(&path, Some(&staff), json!({})).await;
    assert_eq!(res.json()["checked_in_at"], "2026-05-18T07:00:00+08:00");

    // From the desk: a second candidate's check-in is refused before its window opens
    // (beside the button), accepted inside it.
    let (late, late_token) = paid(&t, a.institution, 1, 2).await;
    let noon = slot_id(&t, &staff, a.shenzhen, "2026-05-19", "09:00").await;
    assert_eq!(
        book(&t, &late_token, late, noon).await.status,
        StatusCode::OK
    );
    let mut desk = crate::official_pages::signed_in(&t, "staff@a.example.cn").await;
    let page = format!("/institution/registrations/{late}");
    let action = format!("/institution/registrations/{late}/check-in");
    let res = desk.submit(&page, &action, &[]).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("当前不在签到时间内"), "{}", res.body);
    clock(&t, "2026-05-19T08:30:00+08:00").await;
    let mut desk = crate::official_pages::signed_in(&t, "staff@a.example.cn").await;
    let res = desk.submit(&page, &action, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let shown = desk.get(&format!("{page}?checked_in=1")).await;
    assert!(shown.body.contains("考生已签到"), "{}", shown.body);
    assert!(
        shown.body.contains("data-testid=\"checked-in-at\""),
        "{}",
        shown.body
    );
}
