//! I1, I2, I9 in the pages, with no account: the public list of institutions and test
//! centres, the registration form (the agreement accepted by ticking the box, a stale version
//! refused with the new one shown, refusals beside their field, the ID number never echoed),
//! the sandbox payment of that registration only, and on to the management page — in zh-CN
//! and English. On SQLite, and on PostgreSQL with `CERTDESK_TEST_DATABASE=postgres`.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::institution_journey::{T0, institution, register};
use crate::institution_page_support::{english, has, location, text_of, token_in};
use crate::shop::{CERT, clock};
use crate::support::{Browser, TestApp, id_number};

/// The registration form's fields, `accept` ticked or not.
fn fields<'a>(version: &'a str, id: &'a str, accept: bool) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("agreement_version", version),
        ("certification", CERT),
        ("real_name", "韩梅梅"),
        ("id_number", id),
        ("phone", "13800138000"),
        ("email", "meimei@example.com"),
    ];
    if accept {
        f.push(("accept", "on"));
    }
    f
}

async fn submit(b: &mut Browser<'_>, path: &str, f: &[(&str, &str)]) -> crate::support::Res {
    b.submit(path, path, f).await
}

#[tokio::test]
async fn the_public_list_shows_institutions_and_centres_with_their_contacts() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let mut b = t.browser();
    let page = b.get("/institutions").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let i = s.institution;
    assert_eq!(
        text_of(&page.body, &format!("institution-{i}-hotline")),
        "0755-8888 6666"
    );
    assert_eq!(
        text_of(&page.body, &format!("institution-{i}-email")),
        "exam@huanan.example.cn"
    );
    assert!(has(&page.body, &format!("register-with-{i}")));
    for (city, centre) in [("深圳", s.shenzhen), ("广州", s.guangzhou)] {
        assert!(has(&page.body, &format!("centre-city-{city}")), "{city}");
        assert_eq!(
            text_of(&page.body, &format!("centre-{centre}-phone")),
            "0755-1234 5678"
        );
    }
    assert!(page.body.contains("深圳市某区某路 1 号") && page.body.contains("王老师"));
    let en = english(&mut b, "/institutions").await;
    assert!(
        en.contains("Authorised exam institutions and test centres"),
        "{en}"
    );
}

#[tokio::test]
async fn a_candidate_registers_accepting_the_agreement_and_pays_in_the_sandbox() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let path = format!("/institutions/{}/register", s.institution);
    let mut b = t.browser();
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(text_of(&page.body, "agreement-text"), "第一版协议。");
    assert!(page.body.contains(r#"name="agreement_version" value="1""#));
    assert!(
        page.body
            .contains("退款及其他问题请联系华南云计算培训中心客服")
    );

    // Not ticked: refused beside the box; nothing registered; the ID number not echoed.
    let id = id_number("44030519920202001");
    let res = submit(&mut b, &path, &fields("1", &id, false)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(text_of(&res.body, "accept-error").contains("请阅读协议并勾选同意"));
    assert!(!res.body.contains(&id), "the ID number is never echoed");
    assert!(res.body.contains(r#"value="韩梅梅""#), "the name is kept");

    // A wrong check character: refused beside the field (A2), not echoed either.
    let bad = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    let res = submit(&mut b, &path, &fields("1", &bad, true)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "id_number-error"), "{}", res.body);
    assert!(!res.body.contains(&bad));

    // Version 2 is published while the form is open: version 1 is refused, the new text shown.
    let put = t
        .put(
            &format!("/api/v1/admin/institutions/{}/agreement", s.institution),
            Some(&s.admin),
            json!({"text": "第二版协议：新增退款说明。"}),
        )
        .await;
    assert_eq!(put.status, StatusCode::CREATED, "{}", put.body);
    let res = submit(&mut b, &path, &fields("1", &id, true)).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(text_of(&res.body, "form-error").contains("协议已更新"));
    assert_eq!(
        text_of(&res.body, "agreement-text"),
        "第二版协议：新增退款说明。"
    );
    assert!(res.body.contains(r#"name="agreement_version" value="2""#));
    assert!(
        !res.body.contains("checked"),
        "the new version must be accepted anew"
    );
    let nobody = t
        .get("/api/v1/institution/registrations", Some(&s.staff))
        .await;
    assert_eq!(nobody.json()["items"], json!([]), "nothing registered");

    // Accepted: on to the payment step of this registration.
    let res = submit(&mut b, &path, &fields("2", &id, true)).await;
    let to = location(&res);
    assert!(to.ends_with("/payment"), "{to}");
    let token = token_in(&to);
    let page = b.get(&to).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(text_of(&page.body, "payment-amount"), "¥700.00");
    assert!(has(&page.body, "sandbox-pay"));

    // Someone else's registration awaits payment too: paying here pays this one only.
    let other = register(&t, s.institution, 2, 2).await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.body);
    let res = b.submit(&to, &to, &[]).await;
    assert_eq!(location(&res), format!("/manage/{token}?paid=1"));
    let page = b.get(&format!("/manage/{token}?paid=1")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(has(&page.body, "manage-banner"));
    assert!(page.body.contains(r#"data-status="confirmed""#));
    let theirs = other.json();
    let res = t
        .get(
            &format!("/api/v1/registrations/{}", theirs["registration_id"]),
            theirs["manage_token"].as_str(),
        )
        .await;
    assert_eq!(res.json()["status"], "awaiting_payment", "{}", res.body);
    // A paid registration has no payment step left.
    let res = b.get(&to).await;
    assert_eq!(location(&res), format!("/manage/{token}"));

    let en = english(&mut b, &path).await;
    assert!(
        en.contains("I have read and accept the agreement above"),
        "{en}"
    );
    assert!(en.contains("Version 2"), "{en}");
}

#[tokio::test]
async fn the_form_needs_its_csrf_token_and_an_unknown_institution_is_not_found() {
    let t = TestApp::new().await;
    clock(&t, T0).await;
    let s = institution(&t, "华南云计算培训中心", "staff@huanan.example.cn").await;
    let path = format!("/institutions/{}/register", s.institution);
    let mut b = t.browser();
    b.get(&path).await;
    let id = id_number("44030519920202001");
    let res = b
        .request(Method::POST, &path, Some(&fields("1", &id, true)), &[])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    let nobody = t
        .get("/api/v1/institution/registrations", Some(&s.staff))
        .await;
    assert_eq!(nobody.json()["items"], json!([]), "nothing registered");
    let res = b.get("/institutions/999999/register").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
}
