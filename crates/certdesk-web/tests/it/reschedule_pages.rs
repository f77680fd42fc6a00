//! O7 on the exam page (`/exams/{id}`): the last moment to reschedule in Beijing time (E3),
//! only the periods and cities O7 allows, the move through a CSRF-protected form, success and
//! refusal next to the forms, and why rescheduling is not possible — in zh-CN and English.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::official_pages::signed_in;
use crate::reschedule_api::{later_period, registered, reschedule};
use crate::shop::{CERT, clock, period, period_of};
use crate::support::{Browser, TestApp};

fn testid(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"data-testid="{id}""#))
}

/// The text inside the element with `data-testid=id` (up to its first tag).
fn text_of<'a>(body: &'a str, id: &str) -> &'a str {
    let marker = format!(r#"data-testid="{id}""#);
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {id} in {body}"));
    let rest = &body[at..];
    let start = rest.find('>').unwrap() + 1;
    let len = rest[start..].find('<').unwrap();
    &rest[start..start + len]
}

/// The section's `data-state`: `open`, or why not.
fn section_state(body: &str) -> &str {
    let marker = r#"data-testid="reschedule" data-state=""#;
    let at = body
        .find(marker)
        .unwrap_or_else(|| panic!("no reschedule section in {body}"))
        + marker.len();
    let len = body[at..].find('"').unwrap();
    &body[at..at + len]
}

async fn english(b: &mut Browser<'_>, path: &str) -> String {
    let page = b
        .request(Method::GET, path, None, &[("accept-language", "en")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

#[tokio::test]
async fn candidate_reschedules_through_the_exam_page() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let later = period_of(
        &t,
        &admin,
        CERT,
        "2027-05-08T09:00:00+08:00",
        &[("上海", 3), ("北京", 1)],
    )
    .await;
    let beyond = period_of(
        &t,
        &admin,
        CERT,
        "2027-07-10T09:00:01+08:00",
        &[("上海", 3)],
    )
    .await;
    let other = period_of(
        &t,
        &admin,
        "TCCA-OPS-A",
        "2027-05-08T09:00:00+08:00",
        &[("上海", 3)],
    )
    .await;
    let (_, r) = registered(&t, &admin, "qi@example.com", 50, pid).await;
    // Someone else holds the one seat of 北京 in the later period.
    let (token, theirs) = registered(&t, &admin, "qian@example.com", 51, pid).await;
    let res = reschedule(
        &t,
        &token,
        theirs,
        json!({"period_id": later, "city": "北京"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);

    let mut b = signed_in(&t, "qi@example.com").await;
    let path = format!("/exams/{r}");
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(section_state(&page.body), "open");
    assert_eq!(
        text_of(&page.body, "reschedule-deadline"),
        "2027年3月31日 09:00（北京时间）之前"
    );
    assert!(
        page.body
            .contains("须不晚于2027年7月10日 09:00（北京时间）开考")
    );
    assert!(testid(&page.body, &format!("reschedule-period-{later}")));
    assert!(testid(&page.body, &format!("reschedule-{later}-上海")));
    assert!(page.body.contains(&format!(
        r#"data-testid="reschedule-city-{later}-上海" data-seats-left="3""#
    )));
    assert!(
        !testid(&page.body, &format!("reschedule-{later}-北京")),
        "full"
    );
    for hidden in [pid, beyond, other] {
        assert!(
            !testid(&page.body, &format!("reschedule-period-{hidden}")),
            "period {hidden} is not one O7 allows"
        );
    }
    // zh-CN first, English second.
    let en = english(&mut b, &path).await;
    assert!(en.contains("Last moment to reschedule"));
    assert!(en.contains("before 09:00, 31 March 2027 (UTC+8)"), "{en}");

    // A form without its CSRF token is refused, nothing moves.
    let res = b
        .request(
            Method::POST,
            &format!("/exams/{r}/reschedule"),
            Some(&[("period_id", later.to_string().as_str()), ("city", "上海")]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);

    let later_id = later.to_string();
    let res = b
        .submit(
            &path,
            &format!("/exams/{r}/reschedule"),
            &[("period_id", later_id.as_str()), ("city", "上海")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to = res.header("location").unwrap().to_owned();
    assert_eq!(to, format!("/exams/{r}?rescheduled=1#reschedule"));
    let page = b.get(&to).await;
    assert!(testid(&page.body, "rescheduled-banner"));
    assert!(text_of(&page.body, "rescheduled-banner").starts_with("改期成功"));
    assert_eq!(
        text_of(&page.body, "exam-starts"),
        "2027年5月8日 09:00（北京时间）"
    );
    assert_eq!(section_state(&page.body), "reschedule_used");
    assert!(text_of(&page.body, "reschedule-unavailable").contains("已改期过一次"));
    assert!(
        !testid(&page.body, "reschedule-deadline"),
        "E3: the right is used"
    );
    let en = english(&mut b, &path).await;
    assert!(en.contains("already been rescheduled once"), "{en}");
}

#[tokio::test]
async fn a_refused_move_is_shown_next_to_the_forms() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let later = later_period(&t, &admin, 1).await;
    let (_, r) = registered(&t, &admin, "ren@example.com", 52, pid).await;
    let (token, theirs) = registered(&t, &admin, "rong@example.com", 53, pid).await;
    let mut b = signed_in(&t, "ren@example.com").await;
    let path = format!("/exams/{r}");
    let page = b.get(&path).await;
    assert!(testid(&page.body, &format!("reschedule-{later}-上海")));

    // The last seat goes while the page is open.
    let res = reschedule(
        &t,
        &token,
        theirs,
        json!({"period_id": later, "city": "上海"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let later_id = later.to_string();
    let res = b
        .submit(
            &path,
            &format!("/exams/{r}/reschedule"),
            &[("period_id", later_id.as_str()), ("city", "上海")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(
        text_of(&res.body, "reschedule-error").contains("该城市的考位已满"),
        "{}",
        res.body
    );
    assert_eq!(section_state(&res.body), "no_eligible_period");
    assert!(text_of(&res.body, "reschedule-unavailable").contains("距开考多于 10 天"));

    // A malformed period id is a refusal in place too.
    let res = b
        .submit(
            &path,
            &format!("/exams/{r}/reschedule"),
            &[("period_id", "abc"), ("city", "上海")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(testid(&res.body, "reschedule-error"));
    // Another person's registration: not found, nothing shown of it (E2).
    let theirs_path = format!("/exams/{theirs}/reschedule");
    let res = b
        .submit(
            &path,
            &theirs_path,
            &[("period_id", later_id.as_str()), ("city", "上海")],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_page_says_why_not() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    later_period(&t, &admin, 3).await;
    let (_, r) = registered(&t, &admin, "shen@example.com", 54, pid).await;
    let (_, retake) = registered(&t, &admin, "shi@example.com", 55, pid).await;
    let path = format!("/exams/{r}");

    // Too late: the deadline that decided it, in both languages. (Signed in after the clock
    // moved: a web session lives 7 days.)
    clock(&t, "2027-03-31T09:00:00+08:00").await;
    let mut b = signed_in(&t, "shen@example.com").await;
    let page = b.get(&path).await;
    assert_eq!(section_state(&page.body), "reschedule_too_late");
    let why = text_of(&page.body, "reschedule-unavailable");
    assert!(why.contains("已超过改期截止时间"), "{why}");
    assert!(why.contains("2027年3月31日 09:00（北京时间）之前"), "{why}");
    let en = english(&mut b, &path).await;
    assert!(en.contains("It is too late to reschedule"), "{en}");

    // A retake: no deadline, the reason.
    clock(&t, "2027-03-10T09:00:00+08:00").await;
    t.store
        .execute_for_test(&format!(
            "UPDATE registrations SET attempt = 'retake' WHERE id = {retake}"
        ))
        .await
        .unwrap();
    let mut other = signed_in(&t, "shi@example.com").await;
    let page = other.get(&format!("/exams/{retake}")).await;
    assert_eq!(section_state(&page.body), "retake_not_reschedulable");
    assert!(text_of(&page.body, "reschedule-unavailable").contains("补考报名不能改期"));
    assert!(!testid(&page.body, "reschedule-deadline"));
}
