//! Issue 10's acceptance journey over HTTP with the test clock, on SQLite and (with
//! `CERTDESK_TEST_DATABASE=postgres`) on PostgreSQL: the agreement (a stale version refused),
//! registration without an account, payment, the confirmation email within I4's 10 minutes
//! (received by a real SMTP server), a Monday slot booked, moved on Friday 23:59:59 and refused
//! at Saturday 00:00 (I5), a failed exam, the retake refused at another centre and booked at
//! the same one (I6), and staff refunds (I8) — with the 2026 holiday calendar for I3's slots,
//! a make-up working Saturday included.

use axum::http::StatusCode;
use certdesk_domain::Role;
use certdesk_notify::testing::smtp_server::SmtpServer;
use serde_json::{Value, json};

use crate::shop::{CERT, FEE, clock, refusal};
use crate::support::{PASSWORD, TestApp, id_number};

/// Monday 20 April 2026, 09:00 Beijing time: the journey starts.
pub const T0: &str = "2026-04-20T09:00:00+08:00";

/// An institution with two centres (深圳, 广州) and a staff account; their ids and tokens.
pub struct Setup {
    pub admin: String,
    pub institution: i64,
    pub shenzhen: i64,
    pub guangzhou: i64,
    pub staff: String,
}

/// Adds an institution (agreement version 1), its two centres and a staff member.
pub async fn institution(t: &TestApp, name: &str, staff_email: &str) -> Setup {
    let admin = match t
        .post(
            "/api/v1/sessions",
            None,
            json!({"email": "ops@example.com", "password": PASSWORD}),
        )
        .await
    {
        r if r.status == StatusCode::OK => r.json()["token"].as_str().unwrap().to_owned(),
        _ => t.admin("ops@example.com").await,
    };
    let res = t
        .post(
            "/api/v1/admin/institutions",
            Some(&admin),
            json!({"name": name, "hotline": "0755-8888 6666",
                   "email": "exam@huanan.example.cn", "agreement_text": "第一版协议。"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.json()["agreement_version"], 1);
    let institution = res.json()["id"].as_i64().unwrap();
    let mut centres = Vec::new();
    for (city, centre) in [("深圳", "福田考点"), ("广州", "天河考点")] {
        let res = t
            .post(
                "/api/v1/admin/test-centres",
                Some(&admin),
                json!({"institution_id": institution, "name": format!("{name}{centre}"),
                       "city": city, "address": format!("{city}市某区某路 1 号"),
                       "contact_name": "王老师", "contact_phone": "0755-1234 5678"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        centres.push(res.json()["id"].as_i64().unwrap());
    }
    t.app
        .add_user(
            staff_email,
            PASSWORD,
            Role::InstitutionStaff,
            Some(certdesk_domain::InstitutionId(institution)),
        )
        .await
        .expect("add staff");
    let staff = t.log_in(staff_email).await;
    Setup {
        admin,
        institution,
        shenzhen: centres[0],
        guangzhou: centres[1],
        staff,
    }
}

/// Publishes a slot as `staff`; the answer.
pub async fn slot(
    t: &TestApp,
    staff: &str,
    centre: i64,
    date: &str,
    time: &str,
) -> crate::support::Res {
    t.post(
        "/api/v1/institution/slots",
        Some(staff),
        json!({"centre_id": centre, "date": date, "starts_at": time, "capacity": 2}),
    )
    .await
}

/// Publishes a slot that must be accepted; its id.
pub async fn slot_id(t: &TestApp, staff: &str, centre: i64, date: &str, time: &str) -> i64 {
    let res = slot(t, staff, centre, date, time).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()["id"].as_i64().unwrap()
}

/// Registers a candidate through `institution` accepting `version`; the answer.
pub async fn register(t: &TestApp, institution: i64, version: i64, n: u32) -> crate::support::Res {
    t.post(
        "/api/v1/institution-registrations",
        None,
        json!({"institution_id": institution, "certification": CERT,
               "agreement_version": version, "real_name": "韩梅梅",
               "id_number": id_number(&format!("44030519920202{n:03}")),
               "phone": "13800138000", "email": format!("meimei{n}@example.com")}),
    )
    .await
}

/// A paid registration: its id and management token.
pub async fn paid(t: &TestApp, institution: i64, version: i64, n: u32) -> (i64, String) {
    let res = register(t, institution, version, n).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let body = res.json();
    let payment = body["payment"]["id"].as_i64().unwrap();
    let res = t
        .post(
            &format!("/api/v1/test/payments/{payment}/succeed"),
            None,
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    (
        body["registration_id"].as_i64().unwrap(),
        body["manage_token"].as_str().unwrap().to_owned(),
    )
}

/// Books (or moves to) `slot` through the management link; the answer.
pub async fn book(t: &TestApp, token: &str, id: i64, slot: i64) -> crate::support::Res {
    t.post(
        &format!("/api/v1/registrations/{id}/appointment"),
        Some(token),
        json!({ "slot_id": slot }),
    )
    .await
}

fn promise(t: &Value, kind: &str) -> Value {
    t.as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no {kind} in {t}"))
}

#[tokio::test]
async fn institution_journey_from_agreement_to_staff_refund() {
    let smtp = SmtpServer::start().await;
    let t = TestApp::with_email(&smtp.url()).await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;

    // I1: the agreement is versioned; once version 2 is out, version 1 is refused.
    let res = t
        .put(
            &format!("/api/v1/admin/institutions/{}/agreement", s.institution),
            Some(&s.admin),
            json!({"text": "第二版协议：新增退款说明。"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let res = t
        .get(
            &format!("/api/v1/institutions/{}/agreement", s.institution),
            None,
        )
        .await;
    assert_eq!(res.json()["version"], 2);
    let stale = register(&t, s.institution, 1, 1).await;
    assert_eq!(
        (stale.status, stale.code()),
        (StatusCode::CONFLICT, "agreement_outdated".to_owned())
    );
    assert_eq!(stale.json()["error"]["rule"], "I1");

    // I3 with the 2026 calendar: weekends and holidays refused, a make-up working Saturday
    // (9 May 2026) and ordinary weekdays accepted, a past slot refused.
    for (date, why) in [
        ("2026-05-10", "a Sunday"),
        ("2026-05-04", "Labour Day holiday (a Monday)"),
        ("2026-04-20", "today at 09:00: already started"),
    ] {
        let res = slot(&t, &s.staff, s.shenzhen, date, "09:00").await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::CONFLICT, "slot_not_bookable".to_owned()),
            "{why}: {}",
            res.body
        );
    }
    slot_id(&t, &s.staff, s.shenzhen, "2026-05-09", "09:00").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let monday_pm = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "14:00").await;

    // I1: registered without an account, awaiting payment; nothing can be booked yet.
    let res = register(&t, s.institution, 2, 1).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let made = res.json();
    assert_eq!(made["payment"]["status"], "pending");
    assert_eq!(made["payment"]["amount_fen"], FEE);
    assert_eq!(made["institution"]["hotline"], "0755-8888 6666");
    let id = made["registration_id"].as_i64().unwrap();
    let token = made["manage_token"].as_str().unwrap().to_owned();
    let res = book(&t, &token, id, monday).await;
    assert_eq!(res.code(), "payment_pending", "{}", res.body);
    let res = t
        .post(
            &format!("/api/v1/test/payments/{}/succeed", made["payment"]["id"]),
            None,
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // I4: the confirmation email with the management link, within 10 minutes of payment.
    clock(&t, "2026-04-20T09:05:00+08:00").await;
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "one confirmation email");
    assert_eq!(mail[0].recipients, vec!["meimei1@example.com".to_owned()]);
    let text = mail[0].text().expect("a text part");
    assert!(text.contains(&format!("/manage/{token}")), "{text}");
    assert!(text.contains("0755-8888 6666"), "I9: the hotline: {text}");
    let promises = t.get("/api/v1/admin/promises", Some(&s.admin)).await.json();
    let i4 = promise(&promises, "institution_confirmation");
    assert_eq!(
        (i4["kept_on_time"].as_i64(), i4["overdue"].as_i64()),
        (Some(1), Some(0)),
        "{promises}"
    );

    // I1: the link is sent again on request — to the registration's email only; the answer
    // is the same either way.
    for (email, sent) in [("someone@example.com", 1), ("meimei1@example.com", 2)] {
        let res = t
            .post(
                &format!("/api/v1/institution-registrations/{id}/manage-link"),
                None,
                json!({ "email": email }),
            )
            .await;
        assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
        clock(&t, "2026-04-20T09:06:00+08:00").await;
        assert_eq!(smtp.messages().len(), sent, "after asking for {email}");
    }
    assert!(
        smtp.messages()[1]
            .text()
            .is_some_and(|text| text.contains(&format!("/manage/{token}")))
    );

    // I3: a Monday slot booked; the registration shows I5's deadline (Friday 24:00).
    let res = book(&t, &token, id, monday).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let r = res.json();
    assert_eq!(r["status"], "confirmed");
    assert_eq!(r["appointment"]["slot_id"], monday);
    assert_eq!(r["exam_starts_at"], "2026-05-18T09:00:00+08:00");
    assert_eq!(
        r["deadlines"]["reschedule_until"],
        "2026-05-16T00:00:00+08:00"
    );

    // I5: moved on Friday 23:59:59, refused at Saturday 00:00 with the deadline.
    clock(&t, "2026-05-15T23:59:59+08:00").await;
    let res = book(&t, &token, id, monday_pm).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["exam_starts_at"], "2026-05-18T14:00:00+08:00");
    clock(&t, "2026-05-16T00:00:00+08:00").await;
    let res = book(&t, &token, id, monday).await;
    let (status, code, deadline) = refusal(&res);
    assert_eq!(
        (status, code.as_str(), deadline.as_str()),
        (
            StatusCode::CONFLICT,
            "appointment_change_too_late",
            Some("2026-05-16T00:00:00+08:00")
        )
    );
    // I5: staff may still move it, with a reason.
    let res = t
        .post(
            &format!("/api/v1/institution/registrations/{id}/appointment"),
            Some(&s.staff),
            json!({"slot_id": monday, "reason": "考生来电，改回上午场"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["appointment"]["slot_id"], monday);

    // The exam: failed, recorded by the institution's staff (I7).
    clock(&t, "2026-05-18T18:00:00+08:00").await;
    let staff = t.log_in("staff@huanan.example.cn").await;
    let res = t
        .post(
            "/api/v1/institution/results",
            Some(&staff),
            json!({"results": [{"registration_id": id, "score": 41}]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["accepted"], 1, "{}", res.body);
    let r = t
        .get(&format!("/api/v1/registrations/{id}"), Some(&token))
        .await
        .json();
    assert_eq!(r["status"], "failed");
    assert_eq!(
        r["deadlines"]["retake_apply_until"],
        "2026-08-18T09:00:00+08:00"
    );

    // I6: the retake at another centre is refused, at the same centre booked.
    let elsewhere = slot_id(&t, &staff, s.guangzhou, "2026-06-16", "09:00").await;
    let same = slot_id(&t, &staff, s.shenzhen, "2026-06-17", "09:00").await;
    let retake = |slot: i64| {
        let t = &t;
        let token = token.clone();
        async move {
            t.post(
                &format!("/api/v1/registrations/{id}/retake"),
                Some(&token),
                json!({ "slot_id": slot }),
            )
            .await
        }
    };
    let res = retake(elsewhere).await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::CONFLICT, "retake_wrong_centre".to_owned()),
        "{}",
        res.body
    );
    let res = retake(same).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let r = res.json();
    assert_eq!(
        (r["attempt"].as_str(), r["retake_of"].as_i64()),
        (Some("retake"), Some(id))
    );
    assert_eq!(r["appointment"]["slot_id"], same);
    let retake_id = r["id"].as_i64().unwrap();
    // The link opens the retake too.
    let res = t
        .get(&format!("/api/v1/registrations/{retake_id}"), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    // I8: staff refund at most what remains, with a reason.
    let refund = |amount: i64, reason: &str| {
        let t = &t;
        let staff = staff.clone();
        let reason = reason.to_owned();
        async move {
            t.post(
                &format!("/api/v1/institution/registrations/{id}/refund"),
                Some(&staff),
                json!({"amount_fen": amount, "reason": reason}),
            )
            .await
        }
    };
    let res = refund(FEE + 1, "全额退款").await;
    assert_eq!(res.code(), "refund_exceeds_paid", "{}", res.body);
    let res = refund(100, "  ").await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field".to_owned())
    );
    let res = refund(20_000, "考生申请部分退款").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["remaining_fen"], FEE - 20_000);
    assert_eq!(res.json()["cancelled"], false);
    let res = refund(FEE - 20_000, "考生放弃补考，退余款").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        (
            res.json()["remaining_fen"].as_i64(),
            res.json()["cancelled"].as_bool()
        ),
        (Some(0), Some(true))
    );
    let res = refund(1, "再退一分").await;
    assert_eq!(res.code(), "already_refunded", "{}", res.body);
    let refunds = t
        .get(
            &format!("/api/v1/institution/registrations/{id}/refunds"),
            Some(&staff),
        )
        .await
        .json();
    assert_eq!(refunds.as_array().unwrap().len(), 2, "{refunds}");
    // I8: both were reported to the gateway (a job per refund commit, run when due).
    clock(&t, "2026-05-18T18:01:00+08:00").await;
    let reported: Vec<(i64, i64)> = t
        .app
        .sandbox_refunds()
        .iter()
        .map(|r| (r.payment_id.get(), r.amount.get()))
        .collect();
    let payment = made["payment"]["id"].as_i64().unwrap();
    assert_eq!(reported, vec![(payment, 20_000), (payment, FEE - 20_000)]);
    // The live retake was cancelled with the purchase, its seat released.
    let slots = t
        .get(
            &format!(
                "/api/v1/test-centres/{}/slots?from=2026-06-17&to=2026-06-17",
                s.shenzhen
            ),
            None,
        )
        .await
        .json();
    assert_eq!(slots[0]["seats_left"], 2, "{slots}");
}
