//! The operators' institution pages (I1, I2): `/admin/institutions` adds an institution with
//! version 1 of its agreement and publishes the next version (which the public form then
//! shows), `/admin/test-centres` opens a centre (which the public list then shows); refusals
//! beside their field; linked from the admin navigation; operators only. On SQLite, and on
//! PostgreSQL with `CERTDESK_TEST_DATABASE=postgres`.

use axum::http::StatusCode;

use crate::institution_page_support::{attr_of, has, location, text_of};
use crate::official_pages::signed_in;
use crate::support::TestApp;

#[tokio::test]
async fn operators_add_an_institution_publish_its_agreement_and_open_a_centre() {
    let t = TestApp::new().await;
    t.admin("ops@example.com").await;
    let mut b = signed_in(&t, "ops@example.com").await;
    let page = b.get("/admin").await;
    assert!(has(&page.body, "admin-nav-institutions") && has(&page.body, "admin-nav-test-centres"));
    let page = b.get("/admin/institutions").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(has(&page.body, "admin-institutions-empty"));

    // Added (a bad email first, refused beside its field).
    let path = "/admin/institutions";
    let mut fields = vec![
        ("name", "华南云计算培训中心"),
        ("hotline", "0755-8888 6666"),
        ("email", "not an email"),
        ("agreement_text", "第一版协议。\n第二条：考试须知。"),
    ];
    let res = b.submit(path, path, &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "email-error"));
    assert!(res.body.contains("第二条：考试须知。"), "the text is kept");
    fields[2] = ("email", "exam@huanan.example.cn");
    let res = b.submit(path, path, &fields).await;
    assert_eq!(location(&res), "/admin/institutions?created=1");
    let list = t.get("/api/v1/institutions", None).await.json();
    let id = list[0]["id"].as_i64().unwrap();
    let page = b.get("/admin/institutions?created=1").await;
    assert!(has(&page.body, "institution-done"));
    assert_eq!(
        attr_of(
            &page.body,
            &format!("admin-institution-{id}-version"),
            "data-version"
        ),
        "1"
    );

    // I1: the next version (an empty text refused), shown on the public form from then on.
    let id_s = id.to_string();
    let action = "/admin/institutions/agreement";
    let res = b
        .submit(
            path,
            action,
            &[("institution_id", id_s.as_str()), ("text", "  ")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "text-error"));
    let res = b
        .submit(
            path,
            action,
            &[("institution_id", id_s.as_str()), ("text", "第二版协议。")],
        )
        .await;
    assert_eq!(location(&res), "/admin/institutions?published=2");
    let page = b.get("/admin/institutions?published=2").await;
    assert_eq!(
        text_of(&page.body, "institution-done"),
        "已发布第 2 版协议。"
    );
    let form = b.get(&format!("/institutions/{id}/register")).await;
    assert_eq!(text_of(&form.body, "agreement-text"), "第二版协议。");

    // I2: a centre (no city: refused beside the field), then public with its contacts.
    let centres = "/admin/test-centres";
    let mut fields = vec![
        ("institution_id", id_s.as_str()),
        ("name", "福田考点"),
        ("city", ""),
        ("address", "深圳市福田区某路 1 号"),
        ("contact_name", "王老师"),
        ("contact_phone", "0755-1234 5678"),
    ];
    let res = b.submit(centres, centres, &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(has(&res.body, "city-error"));
    fields[2] = ("city", "深圳");
    let res = b.submit(centres, centres, &fields).await;
    assert_eq!(location(&res), "/admin/test-centres?created=1");
    let page = b.get("/admin/test-centres?created=1").await;
    assert!(has(&page.body, "centre-created") && page.body.contains("深圳 · 福田考点"));
    let public = b.get("/institutions").await;
    assert!(has(&public.body, "centre-city-深圳") && public.body.contains("0755-1234 5678"));

    // Operators only.
    t.sign_up("lilei@example.com").await;
    let mut candidate = signed_in(&t, "lilei@example.com").await;
    for p in [path, centres] {
        assert_eq!(candidate.get(p).await.status, StatusCode::FORBIDDEN, "{p}");
    }
}
