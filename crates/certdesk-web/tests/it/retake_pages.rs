//! O8 on the exam page (`/exams/{id}`): a failed first attempt's retake section — the last
//! moment to apply in Beijing time (E3), only the periods and cities O8 allows with each
//! period's own deadline, the retake through a CSRF-protected form landing on the retake's
//! page, a refusal next to the forms, and why no retake can be taken — in zh-CN and English.

use axum::http::{Method, StatusCode};

use crate::official_pages::signed_in;
use crate::retake_api::{APPLY_UNTIL, HORIZON, RETAKE_STARTS, fail, resulted, retake, to};
use crate::shop::{CERT, clock, period_of};
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

/// The retake section's `data-state`: `open`, or why not; `None` without a section.
fn retake_state(body: &str) -> Option<&str> {
    let marker = r#"data-testid="retake" data-state=""#;
    let at = body.find(marker)? + marker.len();
    let len = body[at..].find('"').unwrap();
    Some(&body[at..at + len])
}

async fn english(b: &mut Browser<'_>, path: &str) -> String {
    let page = b
        .request(Method::GET, path, None, &[("accept-language", "en")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.body
}

#[tokio::test]
async fn candidate_takes_the_retake_through_the_exam_page() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(&t, &[fail(), fail()]).await;
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 3), ("北京", 1)]).await;
    let beyond = period_of(
        &t,
        &admin,
        CERT,
        "2027-07-10T09:00:01+08:00",
        &[("上海", 3)],
    )
    .await;
    let other = period_of(&t, &admin, "TCCA-OPS-A", RETAKE_STARTS, &[("上海", 3)]).await;
    // Someone else takes the one seat of 北京.
    let res = retake(&t, &regs[1].0, regs[1].1, to(target, "北京")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);

    let first = regs[0].1;
    let mut b = signed_in(&t, "sat0@example.com").await;
    let path = format!("/exams/{first}");
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(retake_state(&page.body), Some("open"));
    assert_eq!(
        text_of(&page.body, "retake-deadline"),
        "2027年6月30日 09:00（北京时间）之前"
    );
    assert!(
        page.body
            .contains("不晚于2027年7月10日 09:00（北京时间）开考")
    );
    assert!(testid(&page.body, &format!("retake-period-{target}")));
    assert!(
        text_of(&page.body, &format!("retake-apply-until-{target}"))
            .contains("2027年5月10日 09:00（北京时间）之前")
    );
    assert!(page.body.contains(&format!(
        r#"data-testid="retake-city-{target}-上海" data-seats-left="3""#
    )));
    assert!(testid(&page.body, &format!("retake-{target}-上海")));
    assert!(
        !testid(&page.body, &format!("retake-{target}-北京")),
        "full"
    );
    for hidden in [beyond, other] {
        assert!(
            !testid(&page.body, &format!("retake-period-{hidden}")),
            "period {hidden} is not one O8 allows"
        );
    }
    let en = english(&mut b, &path).await;
    assert!(en.contains("Last moment to apply for a retake"), "{en}");
    assert!(en.contains("before 09:00, 30 June 2027 (UTC+8)"), "{en}");

    // Without its CSRF token the form is refused; nothing is taken.
    let target_id = target.to_string();
    let res = b
        .request(
            Method::POST,
            &format!("/exams/{first}/retake"),
            Some(&[("period_id", target_id.as_str()), ("city", "上海")]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);

    let res = b
        .submit(
            &path,
            &format!("/exams/{first}/retake"),
            &[("period_id", target_id.as_str()), ("city", "上海")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to_page = res.header("location").unwrap().to_owned();
    assert!(to_page.ends_with("?retaken=1"), "{to_page}");
    let page = b.get(&to_page).await;
    assert!(text_of(&page.body, "retaken-banner").starts_with("补考报名成功"));
    assert!(testid(&page.body, "exam-attempt-retake"));
    assert_eq!(
        text_of(&page.body, "exam-starts"),
        "2027年5月20日 09:00（北京时间）"
    );
    assert_eq!(
        retake_state(&page.body),
        None,
        "a live retake has no section"
    );
    assert!(
        page.body
            .contains(r#"data-state="retake_not_reschedulable""#)
    );

    // The first attempt: the retake used, linked, no deadline any more.
    let page = b.get(&path).await;
    assert_eq!(retake_state(&page.body), Some("retake_used"));
    assert!(
        !testid(&page.body, "retake-deadline"),
        "E3: the right is used"
    );
    let retake_path = to_page.trim_end_matches("?retaken=1");
    assert!(page.body.contains(&format!(
        r#"href="{retake_path}" data-testid="retake-link""#
    )));
}

#[tokio::test]
async fn why_no_retake_and_a_refusal_next_to_the_forms() {
    let t = TestApp::new().await;
    let (admin, regs) = resulted(
        &t,
        &[
            fail(),
            fail(),
            serde_json::json!({"absent": true}),
            serde_json::json!({"score": 99}),
        ],
    )
    .await;
    let mut b = signed_in(&t, "sat0@example.com").await;
    let path = format!("/exams/{}", regs[0].1);
    // No period qualifies yet: why, with the rules.
    let page = b.get(&path).await;
    assert_eq!(retake_state(&page.body), Some("no_eligible_period"));
    assert!(text_of(&page.body, "retake-unavailable").contains("补考须为同一认证的考试"));

    // The last seat goes while the page is open: the refusal beside the forms.
    let target = period_of(&t, &admin, CERT, RETAKE_STARTS, &[("上海", 1)]).await;
    let page = b.get(&path).await;
    assert!(testid(&page.body, &format!("retake-{target}-上海")));
    let res = retake(&t, &regs[1].0, regs[1].1, to(target, "上海")).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let target_id = target.to_string();
    let res = b
        .submit(
            &path,
            &format!("/exams/{}/retake", regs[0].1),
            &[("period_id", target_id.as_str()), ("city", "上海")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(
        text_of(&res.body, "retake-error").contains("考位已满"),
        "{}",
        res.body
    );

    // A no-show forfeits it (default policy); a pass has no retake section.
    let mut absent = signed_in(&t, "sat2@example.com").await;
    let page = absent.get(&format!("/exams/{}", regs[2].1)).await;
    assert_eq!(retake_state(&page.body), Some("retake_not_eligible"));
    assert!(text_of(&page.body, "retake-unavailable").contains("缺考"));
    let en = english(&mut absent, &format!("/exams/{}", regs[2].1)).await;
    assert!(en.contains("A no-show forfeits the retake."), "{en}");
    let mut passed = signed_in(&t, "sat3@example.com").await;
    let page = passed.get(&format!("/exams/{}", regs[3].1)).await;
    assert_eq!(retake_state(&page.body), None);

    // From first start + 3 months − 10 days: too late, the deadline still shown.
    period_of(&t, &admin, CERT, HORIZON, &[("上海", 5)]).await;
    clock(&t, APPLY_UNTIL).await;
    let mut b = signed_in(&t, "sat0@example.com").await;
    let page = b.get(&path).await;
    assert_eq!(retake_state(&page.body), Some("retake_too_late"));
    assert_eq!(
        text_of(&page.body, "retake-deadline"),
        "2027年6月30日 09:00（北京时间）之前"
    );
}
