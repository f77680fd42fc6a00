//! The catalogue (C1) and the operators' views.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::TestApp;

fn new_cert(code: &str) -> Value {
    json!({
        "code": code, "name_zh": "腾讯云云安全工程师", "name_en": "Cloud Security Engineer",
        "family": "cloud", "track": "operations", "level": "associate",
        "fee_fen": 70000, "duration_minutes": 90, "pass_mark": 70, "validity_months": 24
    })
}

#[tokio::test]
async fn thirteen_default_certifications_as_a_plain_array() {
    let t = TestApp::new().await;
    let res = t.get("/api/v1/certifications", None).await;
    assert_eq!(res.status, StatusCode::OK);
    let list = res.json();
    let items = list.as_array().expect("a plain array");
    assert_eq!(items.len(), 13);
    for c in items {
        for key in [
            "code",
            "name_zh",
            "name_en",
            "family",
            "track",
            "level",
            "fee_fen",
            "duration_minutes",
            "pass_mark",
            "validity_months",
            "retired",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert_eq!(c["retired"], false);
    }
    assert_eq!(
        items.iter().filter(|c| c["family"] == "specialty").count(),
        3
    );
    let code = items[0]["code"].as_str().unwrap();
    let one = t.get(&format!("/api/v1/certifications/{code}"), None).await;
    assert_eq!(one.json()["code"], code);
    let missing = t.get("/api/v1/certifications/NO-SUCH-CODE", None).await;
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let hostile = t
        .get("/api/v1/certifications/%27%3B%20DROP%20TABLE", None)
        .await;
    assert_eq!(hostile.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn operators_create_edit_and_retire() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;

    let res = t
        .post(
            "/api/v1/admin/certifications",
            Some(&admin),
            new_cert("TCCA-SEC-A"),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.json()["code"], "TCCA-SEC-A");
    let dup = t
        .post(
            "/api/v1/admin/certifications",
            Some(&admin),
            new_cert("tcca-sec-a"),
        )
        .await;
    assert_eq!(
        (dup.status, dup.code().as_str()),
        (StatusCode::CONFLICT, "cert_code_taken")
    );

    let mut edited = new_cert("TCCA-SEC-A");
    edited["fee_fen"] = json!(80000);
    edited.as_object_mut().unwrap().remove("code");
    let res = t
        .put(
            "/api/v1/admin/certifications/TCCA-SEC-A",
            Some(&admin),
            edited,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["fee_fen"], 80000);

    let mut bad = new_cert("TCCA-SEC-B");
    bad["pass_mark"] = json!(101);
    let res = t
        .post("/api/v1/admin/certifications", Some(&admin), bad)
        .await;
    assert_eq!(
        (res.status, res.json()["error"]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("pass_mark"))
    );

    let res = t
        .call(
            Method::POST,
            "/api/v1/admin/certifications/TCCA-SEC-A/retire",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(res.json()["retired"], true);
    let public = t.get("/api/v1/certifications", None).await.json();
    assert!(
        !public
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "TCCA-SEC-A")
    );
    let all = t
        .get("/api/v1/certifications?include_retired=true", Some(&admin))
        .await
        .json();
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "TCCA-SEC-A" && c["retired"] == true)
    );
    let res = t
        .call(
            Method::POST,
            "/api/v1/admin/certifications/TCCA-SEC-A/unretire",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(res.json()["retired"], false);

    let audit = t.get("/api/v1/admin/audit?limit=2", Some(&admin)).await;
    assert_eq!(audit.status, StatusCode::OK);
    let audit = audit.json();
    assert_eq!(audit["items"].as_array().unwrap().len(), 2);
    assert!(audit["next_cursor"].is_string());
    let next = t
        .get(
            &format!(
                "/api/v1/admin/audit?limit=2&cursor={}",
                audit["next_cursor"].as_str().unwrap()
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(next.status, StatusCode::OK);
}

#[tokio::test]
async fn candidates_are_forbidden_and_strangers_unauthenticated() {
    let t = TestApp::new().await;
    let candidate = t.candidate("li@example.com").await;
    let admin_routes: [(Method, &str); 9] = [
        (Method::POST, "/api/v1/admin/certifications"),
        (Method::PUT, "/api/v1/admin/certifications/TCCA-FND"),
        (Method::POST, "/api/v1/admin/certifications/TCCA-FND/retire"),
        (Method::GET, "/api/v1/admin/identities?status=pending"),
        (Method::GET, "/api/v1/admin/settings/verification-mode"),
        (Method::GET, "/api/v1/admin/audit"),
        (Method::GET, "/api/v1/admin/jobs?status=dead"),
        (Method::POST, "/api/v1/admin/jobs/1/retry"),
        (Method::GET, "/api/v1/admin/accounts"),
    ];
    for (method, path) in admin_routes {
        let body = matches!(method, Method::POST | Method::PUT).then(|| new_cert("TCCA-FND"));
        let res = t
            .call(method.clone(), path, Some(&candidate), body.clone())
            .await;
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{method} {path}"
        );
        let res = t.call(method.clone(), path, None, body).await;
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::UNAUTHORIZED, "unauthenticated"),
            "{method} {path}"
        );
    }
    let res = t
        .get(
            "/api/v1/certifications?include_retired=true",
            Some(&candidate),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = t
        .get("/api/v1/certifications?include_retired=true", None)
        .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn operators_list_jobs_and_accounts() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    t.sign_up("candidate@example.com").await;
    let jobs = t.get("/api/v1/admin/jobs?status=dead", Some(&admin)).await;
    assert_eq!(jobs.status, StatusCode::OK);
    assert!(jobs.json().is_array(), "API.md: a plain array");
    let pending = t
        .get("/api/v1/admin/jobs?status=pending", Some(&admin))
        .await
        .json();
    // The sign-up's welcome notice waits in the queue: no runner ran in this test.
    let job = pending
        .as_array()
        .unwrap()
        .first()
        .expect("the welcome job is pending");
    {
        for key in ["id", "kind", "channel", "attempts", "last_error", "status"] {
            assert!(job.get(key).is_some(), "{key} missing in {job}");
        }
        let res = t
            .call(
                Method::POST,
                &format!("/api/v1/admin/jobs/{}/retry", job["id"]),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(res.code(), "job_not_dead");
    }
    let res = t
        .call(
            Method::POST,
            "/api/v1/admin/jobs/999999/retry",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = t
        .get("/api/v1/admin/jobs?status=sideways", Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

    let accounts = t.get("/api/v1/admin/accounts", Some(&admin)).await;
    assert_eq!(accounts.status, StatusCode::OK);
    let items = accounts.json()["items"].as_array().unwrap().clone();
    assert!(items.iter().any(|a| a["email"] == "candidate@example.com"));
    assert!(!accounts.body.contains("argon2"), "no password hashes");
}
