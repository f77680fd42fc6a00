//! `/manage/{token}` after the exam: the free retake (I6) offered after a failed first attempt
//! at the first attempt's centre only, with I6's horizon (E3), refused elsewhere and booked
//! there; and the link once it has expired (I1): a friendly page, no log-in form, and the
//! link sent again to the registration's email only. On SQLite, and on PostgreSQL with
//! `CERTDESK_TEST_DATABASE=postgres`.

use axum::http::StatusCode;
use certdesk_notify::testing::smtp_server::SmtpServer;
use serde_json::json;

use crate::institution_journey::{T0, book, institution, paid, slot_id};
use crate::institution_page_support::{attr_of, english, has, location, text_of};
use crate::retake_api::import;
use crate::shop::clock;
use crate::support::TestApp;

#[tokio::test]
async fn after_a_failed_exam_the_free_retake_is_booked_at_the_same_centre() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, s.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, monday).await.status, StatusCode::OK);
    clock(&t, "2026-05-18T18:00:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    import(
        &t,
        &admin,
        vec![json!({"registration_id": id, "score": 41})],
    )
    .await;
    let elsewhere = slot_id(&t, &s.staff, s.guangzhou, "2026-06-16", "09:00").await;
    let same = slot_id(&t, &s.staff, s.shenzhen, "2026-06-17", "09:00").await;

    let page_path = format!("/manage/{token}");
    let mut b = t.browser();
    let page = b.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        attr_of(&page.body, &format!("attempt-{id}-result"), "data-result"),
        "failed"
    );
    let horizon = "须在2026年8月18日 09:00（北京时间）之前开考";
    assert_eq!(text_of(&page.body, "retake-horizon"), horizon);
    assert_eq!(text_of(&page.body, &format!("retake-until-{id}")), horizon);
    assert_eq!(
        attr_of(&page.body, "retake-centre", "data-centre"),
        s.shenzhen.to_string()
    );
    assert!(has(&page.body, &format!("retake-slot-{same}")));
    assert!(
        !has(&page.body, &format!("retake-slot-{elsewhere}")),
        "I6: same centre"
    );
    assert!(
        !has(&page.body, "slot-picker"),
        "a failed sitting cannot be moved"
    );
    let en = english(&mut b, &page_path).await;
    assert!(
        en.contains("must start before 09:00, 18 August 2026 (UTC+8)"),
        "{en}"
    );

    // Another centre's slot posted anyway: refused on the page (I6).
    let action = format!("{page_path}/retake");
    let elsewhere_s = elsewhere.to_string();
    let res = b
        .submit(&page_path, &action, &[("slot_id", elsewhere_s.as_str())])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(
        attr_of(&res.body, "retake-error", "data-code"),
        "retake_wrong_centre"
    );

    // The same centre: booked; the retake shows with its appointment, held at its centre.
    let same_s = same.to_string();
    let res = b
        .submit(&page_path, &action, &[("slot_id", same_s.as_str())])
        .await;
    assert_eq!(location(&res), format!("/manage/{token}?retaken=1"));
    let page = b.get(&format!("{page_path}?retaken=1")).await;
    assert!(has(&page.body, "manage-banner"));
    assert!(!has(&page.body, "retake-offer"), "taken");
    let retake = t
        .get(&format!("/api/v1/registrations/{id}"), Some(&token))
        .await
        .json()["retake_id"]
        .as_i64()
        .expect("a retake id");
    assert!(has(&page.body, &format!("attempt-{retake}-retake")));
    assert!(
        text_of(&page.body, &format!("appointment-{retake}-time"))
            .starts_with("2026年6月17日（星期三）09:00–")
    );
    assert!(
        has(&page.body, "retake-centre-only"),
        "I6: no other centre offered"
    );
    assert!(!has(&page.body, "centre-select"));
}

#[tokio::test]
async fn an_expired_link_shows_a_friendly_page_and_is_sent_again_to_its_email_only() {
    let smtp = SmtpServer::start().await;
    let t = TestApp::with_email(&smtp.url()).await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let monday = slot_id(&t, &s.staff, s.shenzhen, "2026-05-18", "09:00").await;
    let (id, token) = paid(&t, s.institution, 1, 1).await;
    assert_eq!(book(&t, &token, id, monday).await.status, StatusCode::OK);
    let to_her = |smtp: &SmtpServer| {
        smtp.messages()
            .into_iter()
            .filter(|m| m.recipients == vec!["meimei1@example.com".to_owned()])
            .count()
    };
    clock(&t, "2026-04-20T09:10:00+08:00").await;
    let before = to_her(&smtp);
    assert!(before >= 1, "the confirmation was sent");

    // I1: valid until the first exam + 3 months (I6's horizon), then expired.
    clock(&t, "2026-08-18T09:00:00+08:00").await;
    let page_path = format!("/manage/{token}");
    let mut b = t.browser();
    let page = b.get(&page_path).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.body);
    assert!(page.header("location").is_none(), "not the log-in page");
    assert!(has(&page.body, "link-expired") && has(&page.body, "resend-form"));
    assert_eq!(
        text_of(&page.body, "expired-at"),
        "2026年8月18日 09:00（北京时间）"
    );
    let monday_s = monday.to_string();
    let id_s = id.to_string();
    let res = b
        .submit(
            &page_path,
            &format!("{page_path}/appointment"),
            &[
                ("registration_id", id_s.as_str()),
                ("slot_id", monday_s.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    assert!(has(&res.body, "link-expired"));

    // Another address: the same answer, nothing sent.
    let resend = format!("{page_path}/resend");
    let res = b
        .submit(&page_path, &resend, &[("email", "someone@example.com")])
        .await;
    assert_eq!(location(&res), format!("/manage/{token}?resent=1"));
    clock(&t, "2026-08-18T09:00:20+08:00").await;
    assert_eq!(to_her(&smtp), before);
    let res = b
        .submit(&page_path, &resend, &[("email", "meimei1@example.com")])
        .await;
    assert_eq!(location(&res), format!("/manage/{token}?resent=1"));
    clock(&t, "2026-08-18T09:00:40+08:00").await;
    assert_eq!(to_her(&smtp), before + 1, "sent again");
    let last = smtp.messages().into_iter().last().unwrap();
    let text = last.text().expect("a text part");
    assert!(text.contains(&format!("/manage/{token}")), "{text}");
    let page = b.get(&format!("{page_path}?resent=1")).await;
    assert!(has(&page.body, "manage-banner") && has(&page.body, "link-expired"));
}
