//! O4 for operators, through the pages: `/admin/venues` (per city with seats; add one; the
//! use case's refusals beside their fields) and `/admin/check-in` (a scanned QR code or a
//! typed number; a second scan harmless and said so; another period's ticket, an unknown
//! number, a forged or altered code refused with their message in zh-CN and in English),
//! every action audited, every form behind CSRF, candidates kept out.

use axum::http::{Method, StatusCode};
use certdesk_domain::{ExamPeriodId, TicketNumber};

use crate::shop::{CERT, clock, period_of};
use crate::support::{Browser, Res, TestApp};
use crate::ticket_documents::{page_session, ticketed};

fn testid(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"data-testid="{id}""#))
}

async fn add_venue(ops: &mut Browser<'_>, city: &str, name: &str, seats: &str) -> Res {
    let address = format!("{city}市{name}路 1 号");
    ops.submit(
        "/admin/venues",
        "/admin/venues",
        &[
            ("city", city),
            ("name", name),
            ("address", address.as_str()),
            ("seats", seats),
        ],
    )
    .await
}

async fn audit_actions(t: &TestApp, admin: &str) -> Vec<String> {
    let res = t.get("/api/v1/admin/audit?limit=100", Some(admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn o4_operators_list_venues_per_city_and_add_them() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    t.sign_up("cand@example.com").await;
    let mut candidate = page_session(&t, "cand@example.com").await;
    for path in ["/admin/venues", "/admin/check-in"] {
        assert_eq!(
            candidate.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mut ops = page_session(&t, "ops@example.com").await;
    let page = ops.get("/admin/venues").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(testid(&page.body, "venues-empty"));
    assert!(
        page.body.contains("href=\"/admin/venues\""),
        "in the admin nav"
    );
    assert!(
        page.body.contains("href=\"/admin/check-in\""),
        "in the admin nav"
    );

    let res = add_venue(&mut ops, "深圳", "南山考点", "30").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), Some("/admin/venues?done=1"));
    add_venue(&mut ops, "北京", "海淀考点", "12").await;
    add_venue(&mut ops, "深圳", "福田考点", "20").await;
    let page = ops.get("/admin/venues?done=1").await;
    assert!(testid(&page.body, "venue-created"));
    assert!(
        page.body
            .contains(r#"data-testid="venue-city-深圳" data-seats="50""#)
    );
    assert!(
        page.body
            .contains(r#"data-testid="venue-city-北京" data-seats="12""#)
    );
    let (nanshan, futian) = (
        page.body.find("南山考点").unwrap(),
        page.body.find("福田考点").unwrap(),
    );
    assert!(nanshan < futian, "a city's venues in the order they fill");

    // Refusals come back beside their field, the form kept.
    let res = add_venue(&mut ops, "深圳", "南山考点", "5").await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(res.body.contains("该城市已有同名考点"), "{}", res.body);
    let res = add_venue(&mut ops, "深圳", "宝安考点", "many").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(testid(&res.body, "seats-error"), "{}", res.body);
    assert!(res.body.contains("value=\"宝安考点\""));
    let res = add_venue(&mut ops, "深圳", "", "5").await;
    assert!(testid(&res.body, "name-error"), "{}", res.body);

    // CSRF: a post without the token is refused and adds nothing.
    for path in ["/admin/venues", "/admin/check-in"] {
        let res = ops
            .request(
                Method::POST,
                path,
                Some(&[("city", "深圳"), ("code", "x")]),
                &[],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    let audit = audit_actions(&t, &admin).await;
    assert_eq!(
        audit.iter().filter(|a| *a == "venue.create").count(),
        3,
        "{audit:?}"
    );
}

/// Scans `code` at the desk of `period`.
async fn scan(ops: &mut Browser<'_>, period: i64, code: &str) -> Res {
    let period = period.to_string();
    ops.submit(
        "/admin/check-in",
        "/admin/check-in",
        &[("period_id", period.as_str()), ("code", code)],
    )
    .await
}

fn state(res: &Res) -> &str {
    let at = res
        .body
        .find("data-testid=\"check-in-result\" data-state=\"")
        .unwrap_or_else(|| panic!("no result in {}", res.body));
    let rest = &res.body[at + "data-testid=\"check-in-result\" data-state=\"".len()..];
    &rest[..rest.find('"').unwrap()]
}

#[tokio::test]
async fn o4_the_check_in_desk_admits_once_and_refuses_what_is_not_a_ticket_of_its_period() {
    let t = TestApp::new().await;
    let (period, holders) = ticketed(&t, &["张三", "李四"]).await;
    let (code, number) = (
        holders[0].2["code"].as_str().unwrap().to_owned(),
        holders[0].2["number"].as_str().unwrap().to_owned(),
    );
    let typed = holders[1].2["number"].as_str().unwrap().to_owned();
    clock(&t, "2027-04-10T08:30:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    let other = period_of(
        &t,
        &admin,
        CERT,
        "2027-05-20T09:00:00+08:00",
        &[("深圳", 3)],
    )
    .await;
    let mut ops = page_session(&t, "ops@example.com").await;

    let page = ops.get("/admin/check-in").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("<option value=\"{period}\" selected>")),
        "today's period is chosen: {}",
        page.body
    );
    assert!(page.body.contains("autofocus"));

    // The scanned QR code: checked in; again: harmless, and it says so.
    let res = scan(&mut ops, period, &code).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(state(&res), "ok");
    assert!(res.body.contains("签到成功"));
    assert!(res.body.contains(&number));
    let res = scan(&mut ops, period, &code).await;
    assert_eq!((res.status, state(&res)), (StatusCode::OK, "again"));
    assert!(res.body.contains("此前已签到"), "{}", res.body);
    // A typed number (with the spaces a person may type).
    let spaced = format!("{} {}", &typed[..6], &typed[6..]);
    let res = scan(&mut ops, period, &spaced).await;
    assert_eq!(
        (res.status, state(&res)),
        (StatusCode::OK, "ok"),
        "{}",
        res.body
    );

    // Refusals, each with its own message.
    let forged = format!("{}A", &code[..code.len() - 1]);
    let altered = code.replacen(&number, &typed, 1);
    let unknown = TicketNumber::new(ExamPeriodId(period), 999)
        .unwrap()
        .to_string();
    let cases = [
        (
            forged.as_str(),
            period,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ticket_invalid",
            "准考证号或二维码无效",
        ),
        (
            altered.as_str(),
            period,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ticket_invalid",
            "准考证号或二维码无效",
        ),
        (
            unknown.as_str(),
            period,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ticket_invalid",
            "没有这张准考证",
        ),
        (
            "not a ticket",
            period,
            StatusCode::UNPROCESSABLE_ENTITY,
            "ticket_invalid",
            "准考证号或二维码无效",
        ),
        (
            code.as_str(),
            other,
            StatusCode::CONFLICT,
            "ticket_wrong_period",
            "该准考证不属于本场考试",
        ),
    ];
    for (input, at, status, error, message) in cases {
        let res = scan(&mut ops, at, input).await;
        assert_eq!(res.status, status, "{input}: {}", res.body);
        assert_eq!(state(&res), "refused", "{input}");
        assert!(
            res.body.contains(&format!("data-code=\"{error}\"")),
            "{input}"
        );
        assert!(res.body.contains(message), "{input}: {}", res.body);
    }
    // The same refusals in English.
    ops.cookies.insert("lang".into(), "en".into());
    let res = scan(&mut ops, other, &code).await;
    assert!(
        res.body
            .contains("This admission ticket is for another exam."),
        "{}",
        res.body
    );
    let res = scan(&mut ops, period, &forged).await;
    assert!(
        res.body
            .contains("This admission ticket number or QR code is not valid.")
    );
    let res = scan(&mut ops, period, &code).await;
    assert!(
        res.body.contains("Already checked in earlier"),
        "{}",
        res.body
    );

    // Each admitted scan is audited, as through the API.
    let audit = audit_actions(&t, &admin).await;
    assert!(
        audit.iter().filter(|a| *a == "ticket.check_in").count() >= 2,
        "{audit:?}"
    );
    // The holder's exam page shows the check-in.
    let mut holder = page_session(&t, &holders[0].0).await;
    let page = holder.get(&format!("/exams/{}", holders[0].1)).await;
    assert!(testid(&page.body, "ticket-checked-in"));
}
