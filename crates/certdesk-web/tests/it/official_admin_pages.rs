//! The operators' official-channel pages (periods, credits, vouchers, promises), and CSRF on
//! every new form.

use axum::http::{Method, StatusCode};

use crate::official_pages::signed_in;
use crate::shop::{FEE, bought, credit, period, verified, wallet};
use crate::support::TestApp;

fn testid(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"data-testid="{id}""#))
}

#[tokio::test]
async fn operators_create_periods_credit_accounts_and_issue_vouchers() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let (token, me) = verified(&t, "cand@example.com", 70).await;
    let mut candidate = signed_in(&t, "cand@example.com").await;
    for path in [
        "/admin/exam-periods",
        "/admin/credits",
        "/admin/vouchers",
        "/admin/promises",
    ] {
        assert_eq!(
            candidate.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mut ops = signed_in(&t, "ops@example.com").await;
    for path in [
        "/admin/exam-periods",
        "/admin/credits",
        "/admin/vouchers",
        "/admin/promises",
    ] {
        let res = ops.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(res.body.contains("考期管理") && res.body.contains(r#"lang="zh-CN""#));
    }

    // A period from the form, in Beijing time, with an error first.
    let fields = |cities: &'static str| {
        vec![
            ("certification", "TCCA-DEV-A"),
            ("starts_at", "2027-05-20T09:00"),
            ("ends_at", "2027-05-20T11:00"),
            ("cities", cities),
            ("registration_opens_at", ""),
            ("registration_closes_at", ""),
        ]
    };
    let res = ops
        .submit(
            "/admin/exam-periods",
            "/admin/exam-periods",
            &fields("深圳 两百"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(testid(&res.body, "cities-error") && res.body.contains("第 1 行"));
    let res = ops
        .submit(
            "/admin/exam-periods",
            "/admin/exam-periods",
            &fields("深圳:30\r\n广州：20\r\n"),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let periods = t
        .get("/api/v1/admin/exam-periods", Some(&admin))
        .await
        .json();
    let pid = periods[0]["id"].as_i64().unwrap();
    assert_eq!(periods[0]["starts_at"], "2027-05-20T09:00:00+08:00");
    assert_eq!(periods[0]["cities"][1]["city"], "广州");

    // Credits by email, in yuan; vouchers by id.
    let res = ops
        .submit(
            "/admin/credits",
            "/admin/credits",
            &[
                ("account", "cand@example.com"),
                ("kind", "cash"),
                ("amount_yuan", "700"),
                ("reason", "活动奖励"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(wallet(&t, &token).await["cash_fen"], FEE);
    for (account, amount, field) in [
        ("nobody@example.com", "1", "account-error"),
        ("999999", "1", "account-error"),
        (&*me.to_string(), "-1", "amount_yuan-error"),
    ] {
        let res = ops
            .submit(
                "/admin/credits",
                "/admin/credits",
                &[
                    ("account", account),
                    ("kind", "gift"),
                    ("amount_yuan", amount),
                    ("reason", "x"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{account}");
        assert!(testid(&res.body, field), "{account}: {}", res.body);
    }
    let res = ops
        .submit(
            "/admin/vouchers",
            "/admin/vouchers",
            &[
                ("account", &me.to_string()),
                ("face_value_yuan", "50"),
                ("min_spend_yuan", "0"),
                ("expires_at", "2027-12-31T00:00"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = ops.get(res.header("location").unwrap()).await;
    assert!(testid(&page.body, "issued-code"));
    let code = wallet(&t, &token).await["vouchers"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(page.body.contains(&code));
    let res = ops
        .submit(
            "/admin/vouchers",
            "/admin/vouchers",
            &[
                ("account", &me.to_string()),
                ("face_value_yuan", "50"),
                ("min_spend_yuan", "0"),
                ("expires_at", "2020-01-01T00:00"),
            ],
        )
        .await;
    assert!(testid(&res.body, "expires_at-error"), "{}", res.body);

    // Seats taken per city and the promises after a sale.
    bought(&t, &token, pid, "广州").await;
    let page = ops.get("/admin/exam-periods").await;
    assert!(
        page.body
            .contains(&format!(r#"data-testid="seats-{pid}-广州">广州：1 / 20"#)),
        "{}",
        page.body
    );
    let page = ops.get("/admin/promises").await;
    assert!(testid(&page.body, "promise-confirmation") && page.body.contains("报名确认通知"));
}

#[tokio::test]
async fn every_new_form_needs_the_csrf_token() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (token, me) = verified(&t, "cand@example.com", 71).await;
    credit(&t, &admin, me, "cash", FEE).await;
    let placed = bought(&t, &token, pid, "深圳").await;
    let rid = placed["registration"]["id"].as_i64().unwrap();
    let mut b = signed_in(&t, "cand@example.com").await;
    let res = b
        .submit("/wallet", "/wallet/top-ups", &[("amount_yuan", "1")])
        .await;
    let sandbox = res.header("location").unwrap().to_owned();
    let mut ops = signed_in(&t, "ops@example.com").await;
    let pid_s = pid.to_string();
    for (path, fields) in [
        (
            "/checkout".to_owned(),
            vec![("period", pid_s.as_str()), ("city", "北京")],
        ),
        (format!("/exams/{rid}/refund"), vec![]),
        ("/wallet/top-ups".to_owned(), vec![("amount_yuan", "1")]),
        (format!("{sandbox}/pay"), vec![]),
        (format!("{sandbox}/cancel"), vec![]),
    ] {
        let res = b.request(Method::POST, &path, Some(&fields), &[]).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        assert!(res.body.contains("csrf_failed"), "{path}");
    }
    for path in ["/admin/exam-periods", "/admin/credits", "/admin/vouchers"] {
        let res = ops
            .request(Method::POST, path, Some(&[("account", "1")]), &[])
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    let w = wallet(&t, &token).await;
    assert_eq!(
        w["cash_fen"], 0,
        "nothing happened: not refunded, not topped up"
    );
    // The gateway's callback is under /api: no CSRF, the signature decides (401 unsigned).
    let res = b
        .request(
            Method::POST,
            "/api/v1/payments/sandbox/callback",
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn pages_speak_english_too() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (_, me) = verified(&t, "cand@example.com", 72).await;
    credit(&t, &admin, me, "gift", FEE).await;
    let mut b = signed_in(&t, "cand@example.com").await;
    b.get("/lang/en?next=/").await;
    let page = b
        .get(&format!("/checkout?period={pid}&city=%E5%8C%97%E4%BA%AC"))
        .await;
    assert!(
        page.body.contains("Pay now") && page.body.contains("before 09:00, 31 March 2027 (UTC+8)")
    );
    let page = b.get("/wallet").await;
    assert!(page.body.contains("Gift credit") && page.body.contains("Credit by staff"));
    let page = b.get("/exams").await;
    assert!(page.body.contains("You have not registered"));
}
