//! `/manage/{token}` (I1, I3, I5, I8, I9): the registration with its appointment in Beijing
//! time spelled out and I5's deadline (E3), the institution's contacts instead of a refund
//! button, the slot picker booking and moving with CSRF-protected posts that need no account,
//! and the refusals shown on the page with their E1 message: `slot_full`, `payment_pending`,
//! `appointment_change_too_late` with its deadline. On SQLite, and on PostgreSQL with
//! `CERTDESK_TEST_DATABASE=postgres`.

use axum::http::{Method, StatusCode};

use crate::institution_journey::{T0, book, institution, paid, register, slot_id};
use crate::institution_page_support::{attr_of, english, has, location, text_of};
use crate::shop::clock;
use crate::support::{TestApp, csrf_token};

#[tokio::test]
async fn a_candidate_books_and_moves_a_slot_until_the_business_day_before() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let monday_pm = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "14:00").await;
    let gz_monday = slot_id(&t, &s.staff, s.guangzhou, "2026-05-18", "10:00").await;
    let (id, token) = paid(&t, s.institution, 1, 1).await;
    let page_path = format!("/manage/{token}");
    let mut b = t.browser();

    // The registration, the institution's contacts (I8, I9), no centre chosen yet.
    let page = b.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        attr_of(&page.body, &format!("attempt-{id}-status"), "data-status"),
        "confirmed"
    );
    assert!(has(&page.body, &format!("appointment-{id}-none")));
    assert!(text_of(&page.body, "institution-help").contains("电话 0755-8888 6666"));
    assert!(!page.body.contains("/refund"), "no refund button (I8)");
    assert_eq!(attr_of(&page.body, "slot-picker", "data-state"), "open");
    assert!(has(&page.body, "centre-select") && !has(&page.body, "slots"));

    // Shenzhen's slots with their seats.
    let shenzhen = format!("{page_path}?centre={}", s.shenzhen);
    let page = b.get(&shenzhen).await;
    assert_eq!(
        attr_of(&page.body, &format!("slot-{monday}"), "data-seats-left"),
        "2"
    );
    assert!(page.body.contains("2026年5月18日（星期一） 09:00"));
    assert!(
        !has(&page.body, &format!("slot-{gz_monday}")),
        "another centre's"
    );

    // Without its CSRF token the post is refused and nothing is booked.
    let id_s = id.to_string();
    let book_form = |slot: i64| {
        vec![
            ("registration_id", id_s.clone()),
            ("slot_id", slot.to_string()),
            ("centre", s.shenzhen.to_string()),
        ]
    };
    let action = format!("{page_path}/appointment");
    let form = book_form(monday);
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = b.request(Method::POST, &action, Some(&fields), &[]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let r = t
        .get(&format!("/api/v1/registrations/{id}"), Some(&token))
        .await;
    assert!(r.json()["appointment"].is_null(), "{}", r.body);

    // Booked with the page's token: the appointment in Beijing time, I5's deadline (E3).
    let res = b.submit(&shenzhen, &action, &fields).await;
    assert_eq!(location(&res), format!("/manage/{token}?booked=1#slots"));
    let page = b.get(&format!("{page_path}?booked=1")).await;
    assert!(has(&page.body, "manage-banner"));
    let when = text_of(&page.body, &format!("appointment-{id}-time"));
    assert!(when.starts_with("2026年5月18日（星期一）09:00–"), "{when}");
    assert!(when.ends_with("（北京时间）"), "{when}");
    assert!(text_of(&page.body, &format!("appointment-{id}-centre")).contains("福田考点"));
    assert!(page.body.contains("深圳市某区某路 1 号"));
    assert_eq!(
        text_of(&page.body, &format!("change-until-{id}")),
        "2026年5月16日 00:00（北京时间）之前"
    );
    assert!(has(&page.body, "slot-current"));
    let en = english(&mut b, &page_path).await;
    assert!(en.contains("Monday, 18 May 2026, 09:00–"), "{en}");
    assert!(en.contains("before 00:00, 16 May 2026 (UTC+8)"), "{en}");

    // I3: the afternoon slot fills up while the page is open: `slot_full` on the page.
    let open_page = b.get(&shenzhen).await;
    assert!(has(&open_page.body, &format!("book-{monday_pm}")));
    let csrf = csrf_token(&open_page.body);
    for n in [2, 3] {
        let (other, other_token) = paid(&t, s.institution, 1, n).await;
        let res = book(&t, &other_token, other, monday_pm).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let mut form = book_form(monday_pm);
    form.push(("csrf_token", csrf));
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = b.request(Method::POST, &action, Some(&fields), &[]).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(attr_of(&res.body, "manage-error", "data-code"), "slot_full");
    assert!(text_of(&res.body, "manage-error").contains("该时段已约满"));
    assert_eq!(
        attr_of(&res.body, &format!("slot-{monday}"), "data-seats-left"),
        "1"
    );

    // I5: moved on Friday 23:59:59 (to Guangzhou, same Monday), refused at Saturday 00:00
    // with the deadline.
    clock(&t, "2026-05-15T23:59:59+08:00").await;
    let guangzhou = format!("{page_path}?centre={}", s.guangzhou);
    let gz_monday_s = gz_monday.to_string();
    let move_fields = [
        ("registration_id", id_s.as_str()),
        ("slot_id", gz_monday_s.as_str()),
    ];
    let res = b.submit(&guangzhou, &action, &move_fields).await;
    assert_eq!(location(&res), format!("/manage/{token}?booked=1#slots"));
    // The page is still open from Friday when the candidate clicks on Saturday 00:00.
    let open_page = b.get(&shenzhen).await;
    let csrf = csrf_token(&open_page.body);
    let monday_s = monday.to_string();
    let back = [
        ("csrf_token", csrf.as_str()),
        ("registration_id", id_s.as_str()),
        ("slot_id", monday_s.as_str()),
    ];
    clock(&t, "2026-05-16T00:00:00+08:00").await;
    let res = b.request(Method::POST, &action, Some(&back), &[]).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(
        attr_of(&res.body, "manage-error", "data-code"),
        "appointment_change_too_late"
    );
    assert!(
        text_of(&res.body, "manage-error")
            .contains("截止时间：2026年5月16日 00:00（北京时间）之前"),
        "{}",
        res.body
    );
    let page = b.get(&page_path).await;
    assert_eq!(attr_of(&page.body, "slot-picker", "data-state"), "closed");
    assert!(has(&page.body, "change-closed"));
    assert!(
        text_of(&page.body, &format!("appointment-{id}-time"))
            .starts_with("2026年5月18日（星期一）10:00")
    );
}

#[tokio::test]
async fn an_unpaid_registration_is_asked_to_pay_before_booking() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let made = register(&t, s.institution, 1, 1).await.json();
    let token = made["manage_token"].as_str().unwrap();
    let id = made["registration_id"].to_string();
    let page_path = format!("/manage/{token}");
    let mut b = t.browser();
    let page = b.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(has(&page.body, "manage-pay-first"));
    assert_eq!(
        attr_of(&page.body, "manage-go-pay", "href"),
        format!("/manage/{token}/payment")
    );
    let monday_s = monday.to_string();
    let res = b
        .submit(
            &format!("{page_path}?centre={}", s.shenzhen),
            &format!("{page_path}/appointment"),
            &[
                ("registration_id", id.as_str()),
                ("slot_id", monday_s.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(
        attr_of(&res.body, "manage-error", "data-code"),
        "payment_pending"
    );
    assert!(text_of(&res.body, "manage-error").contains("尚未完成支付"));
}

#[tokio::test]
async fn a_token_opens_its_own_registration_only() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let (mine, token) = paid(&t, s.institution, 1, 1).await;
    let (theirs, _) = paid(&t, s.institution, 1, 2).await;
    let mut b = t.browser();
    let page_path = format!("/manage/{token}?centre={}", s.shenzhen);
    let action_base = format!("/manage/{token}");

    // Another registration's id with my token: not found, nothing booked for them.
    let (theirs_s, monday_s) = (theirs.to_string(), monday.to_string());
    let res = b
        .submit(
            &page_path,
            &format!("{action_base}/appointment"),
            &[
                ("registration_id", theirs_s.as_str()),
                ("slot_id", monday_s.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    let staff = t
        .get(
            &format!("/api/v1/institution/registrations/{theirs}"),
            Some(&s.staff),
        )
        .await;
    assert!(staff.json()["appointment"].is_null(), "{}", staff.body);

    // A forged or mangled token opens nothing: 404, never the log-in page.
    let forged = format!("/manage/{mine}.{}", "0".repeat(32));
    for path in [forged.as_str(), "/manage/not-a-token", "/manage/1.abc"] {
        let res = b.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}: {}", res.body);
        assert!(res.header("location").is_none(), "{path}");
    }
    let res = b
        .submit(
            &page_path,
            &format!("{forged}/appointment"),
            &[("registration_id", "1"), ("slot_id", monday_s.as_str())],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
    let res = b
        .submit(&page_path, &format!("{forged}/payment"), &[])
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
}
