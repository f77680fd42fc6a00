//! The operators' official-channel pages (periods, credits, vouchers, promises), and CSRF on
//! every new form.

use axum::http::{Method, StatusCode};

use crate::official_pages::signed_in;
use crate::shop::{CERT, FEE, STARTS, bought, clock, credit, period, verified, wallet};
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

    // Credits by email (any case, one indexed lookup), in yuan; vouchers by id.
    let res = ops
        .submit(
            "/admin/credits",
            "/admin/credits",
            &[
                ("account", " Cand@Example.com "),
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

/// P1: operators open each overdue promise, through the API and the page.
#[tokio::test]
async fn operators_open_each_overdue_promise() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let (token, me) = verified(&t, "late@example.com", 73).await;
    credit(&t, &admin, me, "cash", FEE).await;
    let placed = bought(&t, &token, pid, "深圳").await;
    let rid = placed["registration"]["id"].as_i64().unwrap();
    const OVERDUE: &str = "/api/v1/admin/promises/overdue";
    // A second registration in another city, for paging.
    let (other_token, other) = verified(&t, "later@example.com", 74).await;
    credit(&t, &admin, other, "cash", FEE).await;
    bought(&t, &other_token, pid, "北京").await;

    // O6: the confirmation was kept at payment; nothing is overdue yet.
    let res = t.get(OVERDUE, Some(&admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(
        res.json(),
        serde_json::json!({"items": [], "next_cursor": null})
    );

    // O4: the admission ticket was due three days before the exam (09:00, 7 April); nobody
    // issued it. Sessions expire over weeks: log in again at the new time.
    clock(&t, "2027-04-08T10:30:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    let candidate = t.log_in("late@example.com").await;
    for path in [
        OVERDUE.to_owned(),
        format!("{OVERDUE}?kind=admission_ticket&limit=1"),
    ] {
        let res = t.get(&path, Some(&admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
        let page = res.json();
        let items = page["items"].as_array().unwrap();
        // Both tickets fell due at the same instant: the older promise first.
        let cursor = page["next_cursor"].as_str();
        if path.ends_with("limit=1") {
            assert_eq!(items.len(), 1, "{path}");
            let next = format!("{path}&cursor={}", cursor.unwrap());
            let rest = t.get(&next, Some(&admin)).await.json();
            assert_eq!(rest["items"][0]["city"], "北京");
            assert_eq!(rest["next_cursor"], serde_json::Value::Null);
        } else {
            assert_eq!((items.len(), cursor), (2, None), "{path}");
            assert_eq!(items[1]["city"], "北京");
        }
        let item = &items[0];
        assert_eq!(item["kind"], "admission_ticket");
        assert_eq!(item["rule"], "O4");
        assert_eq!(item["due_at"], "2027-04-07T09:00:00+08:00");
        assert_eq!(item["registration_id"], rid);
        assert_eq!(item["account_id"], me);
        assert_eq!(item["certification"], CERT);
        assert_eq!(item["city"], "深圳");
        assert_eq!(item["exam_starts_at"], STARTS);
        assert_eq!(item["registration_status"], "confirmed");
    }
    let res = t
        .get(&format!("{OVERDUE}?kind=confirmation"), Some(&admin))
        .await;
    assert_eq!(res.json()["items"], serde_json::json!([]));

    // Candidates and strangers are refused; an unknown kind is named.
    let res = t.get(OVERDUE, Some(&candidate)).await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::FORBIDDEN, "forbidden".into())
    );
    let res = t.get(OVERDUE, None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = t.get(&format!("{OVERDUE}?kind=ticket"), Some(&admin)).await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field".into())
    );
    assert_eq!(res.json()["error"]["field"], "kind");

    // The summary page links the kind to its overdue list.
    let mut ops = signed_in(&t, "ops@example.com").await;
    let summary = ops.get("/admin/promises").await;
    assert!(
        summary
            .body
            .contains(r#"href="/admin/promises/overdue?kind=admission_ticket""#),
        "{}",
        summary.body
    );
    assert!(!testid(&summary.body, "overdue-link-confirmation"));
    let page = ops
        .get("/admin/promises/overdue?kind=admission_ticket")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(r#"lang="zh-CN""#));
    let id = t.get(OVERDUE, Some(&admin)).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    assert!(
        testid(&page.body, &format!("overdue-{id}")),
        "{}",
        page.body
    );
    for text in [
        "逾期未兑现的承诺：准考证",
        &format!(r#"data-testid="overdue-{id}-registration">{rid}<"#),
        CERT,
        "深圳",
        "2027年4月10日 09:00（北京时间）",
        "2027年4月7日 09:00（北京时间）",
        "1 天 1 小时",
        "报名成功",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    assert!(!testid(&page.body, "overdue-next"));
    let first = ops
        .get("/admin/promises/overdue?kind=admission_ticket&limit=1")
        .await;
    let next = format!(
        r#"href="/admin/promises/overdue?cursor={id}&#38;kind=admission_ticket&#38;limit=1""#
    );
    assert!(first.body.contains(&next), "{}", first.body);
    let second = ops
        .get(&format!(
            "/admin/promises/overdue?cursor={id}&kind=admission_ticket&limit=1"
        ))
        .await;
    assert!(second.body.contains("北京") && !testid(&second.body, &format!("overdue-{id}")));
    let empty = ops.get("/admin/promises/overdue?kind=confirmation").await;
    assert!(testid(&empty.body, "overdue-empty") && empty.body.contains("当前没有逾期的承诺。"));
    let bad = ops.get("/admin/promises/overdue?kind=ticket").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    ops.get("/lang/en?next=/").await;
    let page = ops.get("/admin/promises/overdue").await;
    for text in [
        "Overdue promises",
        "09:00, 7 April 2027 (UTC+8)",
        "1 day 1 hour",
        "Confirmed",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }

    let mut cand = signed_in(&t, "late@example.com").await;
    let res = cand.get("/admin/promises/overdue").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}
