//! O11 in the browser: the help page's contact emails, a candidate's ticket opened, answered
//! and closed through the CSRF-protected forms, the operators' queue and reply form.

use axum::http::{Method, StatusCode};

use crate::official_pages::signed_in;
use crate::support::TestApp;

/// The ticket id a `/support/{id}?…` redirect names.
fn ticket_of(location: &str) -> i64 {
    let rest = location.strip_prefix("/support/").expect(location);
    rest.split('?').next().unwrap().parse().expect(location)
}

#[tokio::test]
async fn o11_help_page_shows_the_contact_emails_to_everyone() {
    let t = TestApp::new().await;
    let res = t.browser().get("/help").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("帮助与联系"), "{}", res.body);
    assert!(res.body.contains("mailto:exams@certdesk.example.com"));
    assert!(
        res.body
            .contains("mailto:certificates@certdesk.example.com")
    );
    let home = t.browser().get("/").await;
    assert!(
        home.body.contains("href=\"/help\""),
        "linked from every page's footer"
    );
}

#[tokio::test]
async fn o11_ticket_pages_open_answer_reply_and_close() {
    let t = TestApp::new().await;
    t.candidate("a@example.cn").await;
    t.admin("ops@example.cn").await;
    let mut a = signed_in(&t, "a@example.cn").await;
    let page = a.get("/support").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"nav-support\""));
    assert!(
        page.body.contains("value=\"exam_day\""),
        "the category select"
    );

    // A refused form keeps what was typed and says what is wrong, beside the field.
    let res = a
        .submit(
            "/support",
            "/support",
            &[
                ("category", "exam_day"),
                ("subject", ""),
                ("message", "考场在哪？"),
                ("registration_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.body.contains("data-testid=\"subject-error\""),
        "{}",
        res.body
    );
    assert!(res.body.contains("考场在哪？"));
    let res = a
        .submit(
            "/support",
            "/support",
            &[
                ("category", "exam_day"),
                ("subject", "考场"),
                ("message", "在哪？"),
                ("registration_id", "424242"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(
        res.body.contains("data-testid=\"registration_id-error\""),
        "{}",
        res.body
    );

    let res = a
        .submit(
            "/support",
            "/support",
            &[
                ("category", "exam_day"),
                ("subject", "考场地址"),
                ("message", "考场在哪？"),
                ("registration_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let id = ticket_of(res.header("location").unwrap());
    let thread = a.get(&format!("/support/{id}?opened=1")).await;
    assert!(thread.body.contains("考场地址") && thread.body.contains("data-status=\"open\""));

    // Without the form's token the post is refused (CSRF).
    let res = a
        .request(
            Method::POST,
            &format!("/support/{id}/messages"),
            Some(&[("message", "x")]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // The operator finds it in the queue and answers it, marking it resolved.
    let mut ops = signed_in(&t, "ops@example.cn").await;
    let queue = ops.get("/admin/tickets?status=open").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.body.contains(&format!("data-testid=\"queue-{id}\"")),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("a@example.cn"));
    let path = format!("/admin/tickets/{id}");
    let res = ops
        .submit(
            &path,
            &format!("{path}/messages"),
            &[("message", "在三号楼。"), ("status", "resolved")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = ops
        .submit(
            &path,
            &format!("{path}/messages"),
            &[("message", ""), ("status", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("data-testid=\"message-error\""));
    let candidate_pages = a.get("/admin/tickets").await;
    assert_eq!(candidate_pages.status, StatusCode::FORBIDDEN);

    // The candidate reads the answer, replies (it reopens), then closes it.
    let thread = a.get(&format!("/support/{id}")).await;
    assert!(thread.body.contains("在三号楼。") && thread.body.contains("data-status=\"resolved\""));
    let here = format!("/support/{id}");
    let res = a
        .submit(
            &here,
            &format!("{here}/messages"),
            &[("message", "谢谢，几点开门？")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(a.get(&here).await.body.contains("data-status=\"open\""));
    let res = a.submit(&here, &format!("{here}/close"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let closed = a.get(&here).await;
    assert!(closed.body.contains("data-testid=\"ticket-closed\""));
    assert!(!closed.body.contains("data-testid=\"reply-form\""));

    // Someone else's ticket page is not found.
    t.candidate("b@example.cn").await;
    let mut b = signed_in(&t, "b@example.cn").await;
    assert_eq!(b.get(&here).await.status, StatusCode::NOT_FOUND);
}
