//! The staff portal `/institution` (I3, I5, I8): candidates listed with masked phones,
//! slots published (weekends refused), an appointment moved with a reason, refunds typed in
//! yuan and made exactly in fen, with their refusals beside the fields; and the portal's
//! walls: another institution's registration, centre and refunds are not found on every
//! staff page, other roles are forbidden. On SQLite, and on PostgreSQL with
//! `CERTDESK_TEST_DATABASE=postgres`.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::institution_journey::{T0, book, institution, paid, slot_id};
use crate::institution_page_support::{attr_of, has, location, text_of};
use crate::official_pages::signed_in;
use crate::shop::{FEE, clock};
use crate::support::{Browser, Res, TestApp};

/// Publishes a slot at 10:00 through the desk's form.
async fn publish(b: &mut Browser<'_>, centre: &str, date: &str, capacity: &str) -> Res {
    let fields = [
        ("centre_id", centre),
        ("date", date),
        ("starts_at", "10:00"),
        ("capacity", capacity),
    ];
    b.submit("/institution", "/institution/slots", &fields)
        .await
}

#[tokio::test]
async fn staff_publish_slots_move_appointments_and_refund_from_their_desk() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, s.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, monday).await.status, StatusCode::OK);
    let mut b = signed_in(&t, "staff@huanan.example.cn").await;

    let page = b.get("/institution").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(has(&page.body, "nav-staff"));
    assert_eq!(
        text_of(&page.body, "staff-institution"),
        "华南云计算培训中心"
    );
    assert_eq!(
        text_of(&page.body, &format!("staff-reg-{id}-phone")),
        "138****8000"
    );
    assert!(
        !page.body.contains("13800138000"),
        "phones are masked in the list"
    );
    assert!(page.body.contains("韩梅梅"));

    // I3: a Sunday is refused beside the form; a capacity that is no number beside its field.
    let sz = s.shenzhen.to_string();
    let res = publish(&mut b, &sz, "2026-05-10", "3").await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(text_of(&res.body, "form-error").contains("该时段不可预约"));
    let res = publish(&mut b, &sz, "2026-05-19", "many").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "capacity-error"));
    let res = publish(&mut b, &sz, "2026-05-19", "3").await;
    assert_eq!(location(&res), "/institution?published=1#slots");
    let page = b.get("/institution?published=1").await;
    assert!(has(&page.body, "slot-published"));
    assert!(page.body.contains("2026年5月19日（星期二） 10:00"));
    assert!(page.body.contains("已约 0/3"));
    let tuesday = t
        .get(
            &format!(
                "/api/v1/test-centres/{}/slots?from=2026-05-19&to=2026-05-19",
                s.shenzhen
            ),
            None,
        )
        .await
        .json()[0]["id"]
        .as_i64()
        .unwrap();

    // I5: moved with a reason (none: refused beside the field).
    let detail = format!("/institution/registrations/{id}");
    let page = b.get(&detail).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(text_of(&page.body, "staff-paid"), "¥700.00");
    assert_eq!(
        attr_of(&page.body, "staff-appointment", "data-slot"),
        monday.to_string()
    );
    let tuesday_s = tuesday.to_string();
    let action = format!("{detail}/appointment");
    let res = b
        .submit(
            &detail,
            &action,
            &[("slot_id", tuesday_s.as_str()), ("reason", " ")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "move-reason-error"));
    let res = b
        .submit(
            &detail,
            &action,
            &[("slot_id", tuesday_s.as_str()), ("reason", "考生来电改期")],
        )
        .await;
    assert_eq!(location(&res), format!("{detail}?moved=1"));
    let page = b.get(&format!("{detail}?moved=1")).await;
    assert!(has(&page.body, "staff-banner"));
    assert_eq!(
        attr_of(&page.body, "staff-appointment", "data-slot"),
        tuesday_s
    );

    // I8: at most what remains, with a reason; yuan to fen exactly.
    let refund = format!("{detail}/refund");
    let res = b
        .submit(
            &detail,
            &refund,
            &[("amount_yuan", "700.01"), ("reason", "全额退款")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(
        text_of(&res.body, "amount_yuan-error").contains("超过可退金额"),
        "{}",
        res.body
    );
    let res = b
        .submit(
            &detail,
            &refund,
            &[("amount_yuan", "123.45"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "refund-reason-error"));
    let res = b
        .submit(
            &detail,
            &refund,
            &[("amount_yuan", "123.45"), ("reason", "考生申请部分退款")],
        )
        .await;
    assert_eq!(location(&res), format!("{detail}?refunded=1"));
    let page = b.get(&format!("{detail}?refunded=1")).await;
    assert_eq!(text_of(&page.body, "staff-refunded"), "¥123.45");
    assert_eq!(text_of(&page.body, "staff-remaining"), "¥576.55");
    assert!(page.body.contains("考生申请部分退款"));
    let refunds = t
        .get(
            &format!("/api/v1/institution/registrations/{id}/refunds"),
            Some(&s.staff),
        )
        .await
        .json();
    assert_eq!(refunds[0]["amount_fen"], 12_345, "{refunds}");
    assert_eq!(refunds[0]["remaining_fen"], FEE - 12_345, "{refunds}");
}

#[tokio::test]
async fn staff_pages_refuse_another_institutions_ids_and_other_roles() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let a = institution(&t, "甲机构", "staff@a.example.cn").await;
    let b_inst = institution(&t, "乙机构", "staff@b.example.cn").await;
    let a_slot = slot_id(&t, &a.staff, a.shenzhen, "2026-05-18", "09:00").await;
    let b_slot = slot_id(&t, &b_inst.staff, b_inst.shenzhen, "2026-05-18", "10:00").await;
    let (id, token) = paid(&t, a.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, a_slot).await.status, StatusCode::OK);

    let mut b = signed_in(&t, "staff@b.example.cn").await;
    let page = b.get("/institution").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        !has(&page.body, &format!("staff-reg-{id}")),
        "not B's candidate"
    );
    assert!(!has(&page.body, &format!("staff-centre-{}", a.shenzhen)));
    let detail = format!("/institution/registrations/{id}");
    assert_eq!(b.get(&detail).await.status, StatusCode::NOT_FOUND);
    let b_slot_s = b_slot.to_string();
    let a_centre = a.shenzhen.to_string();
    let posts: [(String, Vec<(&str, &str)>); 3] = [
        (
            format!("{detail}/appointment"),
            vec![("slot_id", b_slot_s.as_str()), ("reason", "换到我们的考点")],
        ),
        (
            format!("{detail}/refund"),
            vec![("amount_yuan", "1"), ("reason", "不是我们的考生")],
        ),
        (
            "/institution/slots".to_owned(),
            vec![
                ("centre_id", a_centre.as_str()),
                ("date", "2026-05-19"),
                ("starts_at", "09:00"),
                ("capacity", "5"),
            ],
        ),
    ];
    for (path, fields) in &posts {
        let res = b.submit("/institution", path, fields).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.body);
    }
    // Nothing changed: A's candidate keeps the slot and the money; no slot at A's centre.
    let r = t
        .get(
            &format!("/api/v1/institution/registrations/{id}"),
            Some(&a.staff),
        )
        .await
        .json();
    assert_eq!(r["appointment"]["slot_id"], a_slot, "{r}");
    let refunds = t
        .get(
            &format!("/api/v1/institution/registrations/{id}/refunds"),
            Some(&a.staff),
        )
        .await
        .json();
    assert_eq!(refunds, json!([]));
    let slots = t
        .get(
            &format!(
                "/api/v1/test-centres/{}/slots?from=2026-05-19&to=2026-05-19",
                a.shenzhen
            ),
            None,
        )
        .await
        .json();
    assert_eq!(slots, json!([]));

    // Not staff: forbidden; not signed in: to the log-in page.
    t.sign_up("lilei@example.com").await;
    let mut candidate = signed_in(&t, "lilei@example.com").await;
    assert_eq!(
        candidate.get("/institution").await.status,
        StatusCode::FORBIDDEN
    );
    let mut admin = signed_in(&t, "ops@example.com").await;
    assert_eq!(admin.get(&detail).await.status, StatusCode::FORBIDDEN);
    let mut anonymous = t.browser();
    let res = anonymous.get("/institution").await;
    assert!(location(&res).starts_with("/login?next="), "{res:?}");
    let res = anonymous
        .request(
            Method::POST,
            "/institution/slots",
            Some(&[("centre_id", "1")]),
            &[],
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "no CSRF token: {}",
        res.body
    );
}
