//! O9/P1 on the operators' pages: look a certificate up and revoke it with a reason (CSRF,
//! audited; the public page then says so), the paper shipping queue (missing address,
//! overdue marks, a shipment recorded per item), the promise dashboard's kinds and its
//! venue-seat alert (O4), and the favicon.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::certificate_pages::{ADDRESS, mistyped, number_of, post_address};
use crate::certificates_api::certified;
use crate::official_pages::signed_in;
use crate::shop::{CERT, FEE, bought, clock, credit, period_of, verified};
use crate::support::TestApp;

fn has(body: &str, id: &str) -> bool {
    body.contains(&format!(r#"data-testid="{id}""#))
}

async fn audited(t: &TestApp, admin: &str, action: &str, target: &str) -> bool {
    let audit = t
        .get("/api/v1/admin/audit?limit=50", Some(admin))
        .await
        .json();
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == action && e["target_id"] == target)
}

#[tokio::test]
async fn o9_an_operator_revokes_a_certificate_from_its_page() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = number_of(&cert);
    let lookup = format!("/admin/certificates?number={number}");

    // Candidates may not.
    let mut candidate = signed_in(&t, "sat0@example.com").await;
    assert_eq!(candidate.get(&lookup).await.status, StatusCode::FORBIDDEN);

    let mut ops = signed_in(&t, "ops@example.com").await;
    let page = ops.get(&lookup).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains(r#"data-testid="found-certificate" data-status="valid""#)
    );
    assert!(page.body.contains("李雷") && has(&page.body, "revoke-form"));
    assert!(
        page.body.contains(r#"href="/admin/paper-certificates""#),
        "nav"
    );
    // A mistyped number is named next to the field.
    let bad = ops
        .get(&format!("/admin/certificates?number={}", mistyped(&number)))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(has(&bad.body, "number-error"), "{}", bad.body);

    // A reason is required.
    let res = ops
        .submit(
            &lookup,
            "/admin/certificates/revocation",
            &[("number", number.as_str()), ("reason", " ")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(has(&res.body, "reason-error"), "{}", res.body);
    // Without the CSRF token nothing happens.
    let res = ops
        .request(
            Method::POST,
            "/admin/certificates/revocation",
            Some(&[("number", number.as_str()), ("reason", "冒名顶替")][..]),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let public = t.get(&format!("/certificates/{number}"), None).await;
    assert!(public.body.contains(r#"data-status="valid""#));

    let res = ops
        .submit(
            &lookup,
            "/admin/certificates/revocation",
            &[("number", number.as_str()), ("reason", "冒名顶替考试")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let done = ops.get(res.header("location").unwrap()).await;
    assert!(has(&done.body, "revoked-done") && has(&done.body, "found-revoked"));
    assert!(!has(&done.body, "revoke-form"), "revoked once");
    // A second revocation (a stale tab) is refused and says why.
    let token = crate::support::csrf_token(&done.body);
    let again = ops
        .request(
            Method::POST,
            "/admin/certificates/revocation",
            Some(
                &[
                    ("csrf_token", token.as_str()),
                    ("number", number.as_str()),
                    ("reason", "再次"),
                ][..],
            ),
            &[],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(has(&again.body, "form-error") && again.body.contains("该证书已被撤销"));

    // The public page says so, prominently, with the reason.
    let public = t.get(&format!("/certificates/{number}"), None).await;
    assert!(
        public
            .body
            .contains(r#"data-testid="certificate-status" data-status="revoked""#),
        "{}",
        public.body
    );
    assert!(has(&public.body, "revoked-reason") && public.body.contains("冒名顶替考试"));
    // The holder's list too.
    let mine = candidate.get("/account").await;
    assert!(has(&mine.body, "my-cert-revoked") && mine.body.contains("冒名顶替考试"));
    let admin = t.log_in("ops@example.com").await;
    assert!(audited(&t, &admin, "certificate.revoke", &number).await);
}

#[tokio::test]
async fn o9_p1_operators_ship_paper_certificates_from_the_queue() {
    let t = TestApp::new().await;
    let (_, _, cert) = certified(&t).await;
    let number = number_of(&cert);
    let mut ops = signed_in(&t, "ops@example.com").await;

    let page = ops.get("/admin/paper-certificates").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let id = {
        let marker = r#"data-testid="paper-"#;
        let at = page
            .body
            .match_indices(marker)
            .map(|(i, _)| &page.body[i + marker.len()..])
            .find(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            .expect("a queued paper certificate");
        at[..at.find('"').unwrap()].to_owned()
    };
    assert!(page.body.contains(&number));
    assert!(has(&page.body, &format!("paper-{id}-no-address")));
    assert!(!has(&page.body, &format!("paper-{id}-overdue")));
    let ship = format!("/admin/paper-certificates/{id}/shipment");
    let parcel = [
        ("carrier", "顺丰速运"),
        ("tracking_number", "SF1234567890123"),
    ];

    // No address yet: the refusal is shown on the page, nothing ships.
    let res = ops
        .submit("/admin/paper-certificates", &ship, &parcel)
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("持证人尚未填写邮寄地址"));

    let mut holder = signed_in(&t, "sat0@example.com").await;
    let res = post_address(&mut holder, &ADDRESS).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    // Past the due time (10 May 11:00) it is marked overdue.
    clock(&t, "2027-05-10T11:00:00+08:00").await;
    let mut ops = signed_in(&t, "ops@example.com").await;
    let page = ops.get("/admin/paper-certificates").await;
    assert!(
        has(&page.body, &format!("paper-{id}-overdue")),
        "{}",
        page.body
    );
    assert!(page.body.contains("广东省深圳市南山区科技园科苑路 15 号"));
    // P1: the dashboard counts it overdue and lists it.
    let dash = ops.get("/admin/promises").await;
    assert!(
        has(&dash.body, "overdue-link-paper_certificate"),
        "{}",
        dash.body
    );
    let overdue = ops
        .get("/admin/promises/overdue?kind=paper_certificate")
        .await;
    assert_eq!(overdue.status, StatusCode::OK);
    assert!(has(&overdue.body, "overdue-promises") && !has(&overdue.body, "overdue-empty"));

    // The carrier is required; then it ships, once, without a CSRF-less post getting in.
    let res = ops
        .submit(
            "/admin/paper-certificates",
            &ship,
            &[("carrier", ""), ("tracking_number", "SF1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(has(&res.body, "carrier-error") && res.body.contains(r#"value="SF1""#));
    let res = ops
        .request(Method::POST, &ship, Some(&parcel[..]), &[])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = ops
        .submit("/admin/paper-certificates", &ship, &parcel)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = ops.get(res.header("location").unwrap()).await;
    assert!(has(&page.body, "shipment-done") && has(&page.body, "paper-pending-empty"));
    // Shipping it again (a stale tab) is refused on top of the page.
    let token = crate::support::csrf_token(&page.body);
    let mut again = vec![("csrf_token", token.as_str())];
    again.extend_from_slice(&parcel);
    let res = ops
        .request(Method::POST, &ship, Some(&again[..]), &[])
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert!(has(&res.body, "form-error") && res.body.contains("该纸质证书已寄出"));
    assert!(
        page.body.contains(r#"data-testid="shipped-"#) && page.body.contains("SF1234567890123")
    );

    // The holder sees it shipped with the carrier and tracking number.
    let mut holder = signed_in(&t, "sat0@example.com").await;
    let mine = holder.get("/account").await;
    assert!(
        mine.body
            .contains(r#"data-testid="paper-status" data-state="shipped""#)
    );
    assert!(mine.body.contains("顺丰速运") && mine.body.contains("SF1234567890123"));
    let admin = t.log_in("ops@example.com").await;
    assert!(audited(&t, &admin, "paper_certificate.ship", &id).await);
    // P1: shipped at its due instant is late (T4).
    let dash = ops.get("/admin/promises").await;
    assert!(has(&dash.body, "promise-paper_certificate"));
    let p = crate::certificates_api::promise(&t, &admin, "paper_certificate").await;
    assert_eq!(p["kept_late"], 1, "{p}");
}

#[tokio::test]
async fn p1_the_dashboard_shows_every_kind_and_warns_of_missing_venue_seats() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let period = period_of(&t, &admin, CERT, crate::shop::STARTS, &[("深圳", 5)]).await;
    let (token, me) = verified(&t, "a@example.com", 1).await;
    credit(&t, &admin, me, "cash", FEE).await;
    bought(&t, &token, period, "深圳").await;

    let mut ops = signed_in(&t, "ops@example.com").await;
    let page = ops.get("/admin/promises").await;
    assert_eq!(page.status, StatusCode::OK);
    for kind in [
        "confirmation",
        "admission_ticket",
        "score",
        "e_certificate",
        "paper_certificate",
    ] {
        assert!(has(&page.body, &format!("promise-{kind}")), "{kind}");
        assert!(has(&page.body, &format!("overdue-{kind}")), "{kind}");
    }
    // No venue in 深圳 yet: one registration waits for a seat that does not exist.
    let alert = format!("seat-alert-{period}-深圳");
    assert!(
        has(&page.body, "seat-alerts") && has(&page.body, &alert),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"data-missing="1""#));

    let res = t
        .post(
            "/api/v1/admin/venues",
            Some(&admin),
            json!({"city": "深圳", "name": "南山考点", "address": "深圳南山路 8 号", "seats": 30}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let page = ops.get("/admin/promises").await;
    assert!(!has(&page.body, "seat-alerts"), "{}", page.body);
}

#[tokio::test]
async fn the_favicon_is_served_and_linked() {
    let t = TestApp::new().await;
    let res = t.get("/favicon.ico", None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("image/x-icon"));
    assert!(res.header("cache-control").unwrap().contains("max-age"));
    let svg = t.get("/static/favicon.svg", None).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.header("content-type"), Some("image/svg+xml"));
    let home = t.get("/", None).await;
    assert!(home.body.contains(r#"rel="icon""#) && home.body.contains("/favicon.ico"));
}
