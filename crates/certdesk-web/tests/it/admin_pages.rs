//! The operators' pages: catalogue, identity review, verification mode, audit, jobs.

use axum::http::StatusCode;

use crate::support::{PASSWORD, TestApp, id_number};

#[tokio::test]
async fn operator_pages() {
    let t = TestApp::new().await;
    t.admin("ops@example.com").await;
    let mut candidate = t.browser();
    candidate.sign_up("cand@example.com").await;
    for path in [
        "/admin",
        "/admin/certifications",
        "/admin/identities",
        "/admin/settings",
        "/admin/audit",
        "/admin/jobs",
    ] {
        let res = candidate.get(path).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }

    let mut ops = t.browser();
    ops.submit(
        "/login",
        "/login",
        &[("email", "ops@example.com"), ("password", PASSWORD)],
    )
    .await;
    for path in [
        "/admin",
        "/admin/certifications",
        "/admin/identities",
        "/admin/identities?status=all",
        "/admin/settings",
        "/admin/audit",
        "/admin/jobs",
    ] {
        let res = ops.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
    }

    // Create, with an error first; then edit and retire.
    let fields = |code: &'static str, pass: &'static str| {
        vec![
            ("code", code),
            ("name_zh", "数据库工程师"),
            ("name_en", "Database Engineer"),
            ("family", "specialty"),
            ("track", ""),
            ("level", ""),
            ("fee_fen", "50000"),
            ("duration_minutes", "90"),
            ("pass_mark", pass),
            ("validity_months", "24"),
        ]
    };
    let res = ops
        .submit(
            "/admin/certifications",
            "/admin/certifications",
            &fields("TCCS-DB", "abc"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(r#"id="pass_mark-error""#));
    assert!(res.body.contains(r#"value="数据库工程师""#));
    let res = ops
        .submit(
            "/admin/certifications",
            "/admin/certifications",
            &fields("TCCS-DB", "60"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = ops
        .submit(
            "/admin/certifications",
            "/admin/certifications",
            &fields("TCCS-DB", "60"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains(r#"id="code-error""#));

    let mut edit = fields("TCCS-DB", "65");
    edit[6] = ("fee_fen", "55000");
    let res = ops
        .submit(
            "/admin/certifications/TCCS-DB/edit",
            "/admin/certifications/TCCS-DB/edit",
            &edit,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        t.get("/api/v1/certifications/TCCS-DB", None).await.json()["fee_fen"],
        55000
    );
    let res = ops
        .submit(
            "/admin/certifications",
            "/admin/certifications/TCCS-DB/retire",
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        t.get("/api/v1/certifications/TCCS-DB", None).await.json()["retired"],
        true
    );
    assert!(!ops.get("/").await.body.contains("TCCS-DB"));

    // Switch to manual review, then decide a submission from the queue.
    let res = ops
        .submit(
            "/admin/settings",
            "/admin/settings",
            &[("mode", "manual_review")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let number = id_number("11010519491231002");
    candidate
        .submit(
            "/identity",
            "/identity",
            &[("real_name", "李四"), ("id_number", &number)],
        )
        .await;
    assert!(
        candidate
            .get("/identity")
            .await
            .body
            .contains(r#"data-status="pending""#)
    );
    let queue = ops.get("/admin/identities").await;
    assert!(queue.body.contains("李四") && !queue.body.contains(&number));
    let start = queue.body.find("/admin/identities/").unwrap() + "/admin/identities/".len();
    let id: String = queue.body[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let decision = format!("/admin/identities/{id}/decision");
    let res = ops
        .submit(
            "/admin/identities",
            &decision,
            &[("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("驳回实名认证须填写原因"));
    let res = ops
        .submit(
            "/admin/identities",
            &decision,
            &[("decision", "reject"), ("reason", "照片模糊")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let page = candidate.get("/identity").await;
    assert!(page.body.contains(r#"data-status="rejected""#) && page.body.contains("照片模糊"));

    let audit = ops.get("/admin/audit").await;
    assert!(audit.body.contains("certification.retire"));
}

#[tokio::test]
async fn htmx_decisions_swap_the_row() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    t.put(
        "/api/v1/admin/settings/verification-mode",
        Some(&admin),
        serde_json::json!({"mode": "manual_review"}),
    )
    .await;
    let id = t.sign_up("row@example.com").await;
    let token = t.log_in("row@example.com").await;
    t.put(
        "/api/v1/me/identity",
        Some(&token),
        serde_json::json!({"real_name": "赵六", "id_number": id_number("11010519491231002")}),
    )
    .await;

    let mut ops = t.browser();
    ops.submit(
        "/login",
        "/login",
        &[("email", "ops@example.com"), ("password", PASSWORD)],
    )
    .await;
    let csrf = crate::support::csrf_token(&ops.get("/admin/identities").await.body);
    let path = format!("/admin/identities/{id}/decision");
    let htmx = [("hx-request", "true")];
    let res = ops
        .request(
            axum::http::Method::POST,
            &path,
            Some(&[
                ("csrf_token", &csrf),
                ("decision", "reject"),
                ("reason", " "),
            ]),
            &htmx,
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.trim_start().starts_with("<tr"), "{}", res.body);
    assert!(res.body.contains("field-error"));
    let res = ops
        .request(
            axum::http::Method::POST,
            &path,
            Some(&[("csrf_token", &csrf), ("decision", "approve")]),
            &htmx,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(r#"data-status="verified""#));
    // Deciding again: not pending any more, said in the flash area.
    let res = ops
        .request(
            axum::http::Method::POST,
            &path,
            Some(&[("csrf_token", &csrf), ("decision", "approve")]),
            &htmx,
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(res.header("hx-retarget"), Some("#flash"));
    assert!(res.body.contains("identity_not_pending"));
}
