//! API.md's `Idempotency-Key` on every unsafe route (`middleware::idempotency`): the same key
//! and request within 24 h answer the first answer byte for byte and do nothing twice — a
//! top-up pays once, a reschedule answers its first 200 rather than `reschedule_used`, an
//! institution registration without an account registers once; another request under the
//! key is 422, the same one still running 409; a 5xx frees the key; keys are per caller; a
//! record lives 24 h. On SQLite and (with `CERTDESK_TEST_DATABASE=postgres`) PostgreSQL.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::institution_journey::institution;
use crate::reschedule_api::{later_period, registered};
use crate::shop::{CERT, period};
use crate::support::{Res, START, TestApp, id_number};

const REPLAYED: &str = "idempotent-replayed";

fn request(
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &Value,
    key: &str,
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header("Idempotency-Key", key);
    if let Some(token) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}

/// `POST path` as `token` (or anonymously) with `body` under `key`.
async fn keyed(t: &TestApp, path: &str, token: Option<&str>, body: &Value, key: &str) -> Res {
    t.send(request(Method::POST, path, token, body, key)).await
}

/// How many rows of `table` match `filter` (a no-op UPDATE counts them on both databases).
async fn rows(t: &TestApp, table: &str, column: &str, filter: &str) -> u64 {
    t.store
        .execute_for_test(&format!(
            "UPDATE {table} SET {column} = {column} WHERE {filter}"
        ))
        .await
        .expect("count rows")
}

async fn account_id(t: &TestApp, token: &str) -> i64 {
    t.get("/api/v1/me", Some(token)).await.json()["id"]
        .as_i64()
        .unwrap()
}

async fn payments_of(t: &TestApp, account: i64) -> u64 {
    rows(t, "payments", "status", &format!("account_id = {account}")).await
}

fn assert_replay_of(again: &Res, first: &Res) {
    assert_eq!(again.status, first.status, "{}", again.body);
    assert_eq!(again.bytes, first.bytes, "byte for byte");
    assert_eq!(again.header(REPLAYED), Some("true"));
    assert_eq!(
        again.header("content-type"),
        first.header("content-type"),
        "the first answer's content type"
    );
    assert_eq!(
        first.header(REPLAYED),
        None,
        "the first answer is no replay"
    );
}

fn assert_refused(res: &Res, status: StatusCode, code: &str) {
    assert_eq!(
        (res.status, res.code().as_str()),
        (status, code),
        "{}",
        res.body
    );
    assert_eq!(res.json()["error"]["field"], "Idempotency-Key");
}

const TOP_UPS: &str = "/api/v1/me/top-ups";

#[tokio::test]
async fn a_top_up_repeated_under_one_key_pays_once_and_answers_the_same_bytes() {
    let t = TestApp::new().await;
    let token = t.candidate("payer@example.com").await;
    let me = account_id(&t, &token).await;
    let body = json!({"amount_fen": 5_000});
    let first = keyed(&t, TOP_UPS, Some(&token), &body, "top-up-1").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = keyed(&t, TOP_UPS, Some(&token), &body, "top-up-1").await;
    assert_replay_of(&again, &first);
    assert_eq!(payments_of(&t, me).await, 1, "one payment");

    // The key with another request: refused, nothing made.
    let other = keyed(
        &t,
        TOP_UPS,
        Some(&token),
        &json!({"amount_fen": 6_000}),
        "top-up-1",
    )
    .await;
    assert_refused(
        &other,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    );
    // …and on another route.
    let ticket = json!({"category": "other", "subject": "发票", "message": "请开发票"});
    let elsewhere = keyed(&t, "/api/v1/me/tickets", Some(&token), &ticket, "top-up-1").await;
    assert_refused(
        &elsewhere,
        StatusCode::UNPROCESSABLE_ENTITY,
        "idempotency_key_reused",
    );
    // A malformed key is refused before anything runs.
    for bad in ["a b", &"k".repeat(256)] {
        let res = keyed(&t, TOP_UPS, Some(&token), &body, bad).await;
        assert_refused(&res, StatusCode::UNPROCESSABLE_ENTITY, "invalid_field");
    }
    assert_eq!(payments_of(&t, me).await, 1);
    // The replay still answers, in the first answer's bytes, after all that.
    let later = keyed(&t, TOP_UPS, Some(&token), &body, "top-up-1").await;
    assert_replay_of(&later, &first);
    // Without a key nothing is remembered: a second top-up is a second payment.
    let res = t.post(TOP_UPS, Some(&token), body.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(res.header(REPLAYED), None);
    assert_eq!(payments_of(&t, me).await, 2);
}

#[tokio::test]
async fn a_replayed_reschedule_answers_its_first_200_not_reschedule_used() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let pid = period(&t, &admin).await;
    let later = later_period(&t, &admin, 3).await;
    let (token, r) = registered(&t, &admin, "mover@example.com", 40, pid).await;
    let path = format!("/api/v1/registrations/{r}/reschedule");
    let body = json!({"period_id": later, "city": "上海"});
    let first = keyed(&t, &path, Some(&token), &body, "move-1").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.json()["period_id"], later);
    let again = keyed(&t, &path, Some(&token), &body, "move-1").await;
    assert_replay_of(&again, &first);
    // Without the key the same request is the second reschedule, which O7 refuses.
    let unkeyed = t.post(&path, Some(&token), body.clone()).await;
    assert_eq!(
        (unkeyed.status, unkeyed.code().as_str()),
        (StatusCode::CONFLICT, "reschedule_used")
    );
    // A refusal is an answer too: recorded and replayed.
    let refused = keyed(&t, &path, Some(&token), &body, "move-2").await;
    assert_eq!(refused.code(), "reschedule_used");
    let replayed = keyed(&t, &path, Some(&token), &body, "move-2").await;
    assert_replay_of(&replayed, &refused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_identical_top_ups_at_once_under_one_key_make_one_payment() {
    let t = TestApp::new().await;
    let token = t.candidate("racer@example.com").await;
    let me = account_id(&t, &token).await;
    let body = json!({"amount_fen": 8_800});
    for round in 0..3u64 {
        let key = format!("race-{round}");
        let answers = futures::future::join_all(
            (0..8).map(|_| keyed(&t, TOP_UPS, Some(&token), &body, &key)),
        )
        .await;
        let made: Vec<&Res> = answers
            .iter()
            .filter(|r| r.status == StatusCode::CREATED)
            .collect();
        assert!(!made.is_empty(), "someone's answer is the payment");
        for res in &answers {
            match res.status {
                StatusCode::CREATED => assert_eq!(res.bytes, made[0].bytes, "one payment's answer"),
                StatusCode::CONFLICT => {
                    assert_refused(res, StatusCode::CONFLICT, "idempotency_key_in_flight");
                    assert_eq!(res.header("retry-after"), Some("1"));
                }
                other => panic!("answered {other}: {}", res.body),
            }
        }
        assert_eq!(
            made.iter().filter(|r| r.header(REPLAYED).is_none()).count(),
            1,
            "exactly one ran"
        );
        assert_eq!(payments_of(&t, me).await, round + 1, "never two payments");
        // Once it has answered, every repeat gets that answer.
        let after = keyed(&t, TOP_UPS, Some(&token), &body, &key).await;
        assert_eq!(after.bytes, made[0].bytes);
        assert_eq!(after.header(REPLAYED), Some("true"));
    }
}

#[tokio::test]
async fn an_anonymous_institution_registration_replayed_registers_once() {
    let t = TestApp::new().await;
    let setup = institution(&t, "华南考试中心", "staff@example.com").await;
    let body = json!({"institution_id": setup.institution, "certification": CERT,
        "agreement_version": 1, "real_name": "韩梅梅",
        "id_number": id_number("44030519920202071"),
        "phone": "13800138000", "email": "meimei@example.com"});
    let path = "/api/v1/institution-registrations";
    let first = keyed(&t, path, None, &body, "enrol-1").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let token = first.json()["manage_token"].as_str().unwrap().to_owned();
    let again = keyed(&t, path, None, &body, "enrol-1").await;
    assert_replay_of(&again, &first);
    assert_eq!(again.json()["manage_token"], token.as_str());
    let all = rows(
        &t,
        "institution_registrations",
        "agreement_version",
        "1 = 1",
    )
    .await;
    assert_eq!(all, 1, "one registration");
    // Recorded at rest encrypted: neither the management token nor the phone is in the row.
    let anonymous = "scope = 'anonymous'";
    assert_eq!(rows(&t, "idempotency_records", "state", anonymous).await, 1);
    for secret in [token.as_str(), "13800138000"] {
        let filter = format!("{anonymous} AND body LIKE '%{secret}%'");
        assert_eq!(rows(&t, "idempotency_records", "state", &filter).await, 0);
    }
    // Through the management token the key is the token's own: the same key names another
    // request there.
    let slots = format!(
        "/api/v1/registrations/{}/appointment",
        first.json()["registration_id"]
    );
    let res = keyed(
        &t,
        &slots,
        Some(&token),
        &json!({"slot_id": 999_999}),
        "enrol-1",
    )
    .await;
    assert_eq!(res.header(REPLAYED), None);
    assert!(res.status.is_client_error(), "{}", res.body);
    assert_ne!(res.code(), "idempotency_key_reused");
}

#[tokio::test]
async fn a_5xx_frees_the_key_for_a_retry() {
    let t = TestApp::new().await;
    let token = t.candidate("asker@example.com").await;
    let me = account_id(&t, &token).await;
    let body = json!({"category": "other", "subject": "发票", "message": "请开发票"});
    let path = "/api/v1/me/tickets";
    // The tickets table out of reach: the handler fails on our side.
    t.store
        .execute_for_test("ALTER TABLE support_tickets RENAME TO support_tickets_away")
        .await
        .unwrap();
    for _ in 0..2 {
        let res = t
            .send_allowing_5xx(request(Method::POST, path, Some(&token), &body, "ask-1"))
            .await;
        assert_eq!(
            res.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{}",
            res.body
        );
        assert_eq!(res.code(), "internal_error", "not in flight: released");
    }
    t.store
        .execute_for_test("ALTER TABLE support_tickets_away RENAME TO support_tickets")
        .await
        .unwrap();
    let retry = keyed(&t, path, Some(&token), &body, "ask-1").await;
    assert_eq!(retry.status, StatusCode::CREATED, "{}", retry.body);
    assert_eq!(retry.header(REPLAYED), None, "the retry ran");
    let again = keyed(&t, path, Some(&token), &body, "ask-1").await;
    assert_replay_of(&again, &retry);
    let filter = format!("account_id = {me}");
    assert_eq!(rows(&t, "support_tickets", "status", &filter).await, 1);
}

#[tokio::test]
async fn one_accounts_key_is_not_anothers() {
    let t = TestApp::new().await;
    let ann = t.candidate("ann@example.com").await;
    let bob = t.candidate("bob@example.com").await;
    let body = json!({"amount_fen": 5_000});
    let a = keyed(&t, TOP_UPS, Some(&ann), &body, "same-key").await;
    let b = keyed(&t, TOP_UPS, Some(&bob), &body, "same-key").await;
    for res in [&a, &b] {
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        assert_eq!(res.header(REPLAYED), None);
    }
    assert_ne!(a.json()["payment"]["id"], b.json()["payment"]["id"]);
    for token in [&ann, &bob] {
        let id = account_id(&t, token).await;
        assert_eq!(payments_of(&t, id).await, 1);
    }
    // Another session of the same account is the same caller: its retry is a replay.
    let second_session = t.log_in("ann@example.com").await;
    let res = keyed(&t, TOP_UPS, Some(&second_session), &body, "same-key").await;
    assert_replay_of(&res, &a);
}

#[tokio::test]
async fn a_record_answers_for_24_hours_then_the_key_is_free() {
    let t = TestApp::new().await;
    let token = t.candidate("daily@example.com").await;
    let me = account_id(&t, &token).await;
    let body = json!({"amount_fen": 5_000});
    let first = keyed(&t, TOP_UPS, Some(&token), &body, "daily").await;
    assert_eq!(first.status, StatusCode::CREATED);
    let start: jiff::Timestamp = START.parse().unwrap();
    t.clock
        .set(start + jiff::SignedDuration::from_hours(24) - jiff::SignedDuration::from_secs(1));
    let within = keyed(&t, TOP_UPS, Some(&token), &body, "daily").await;
    assert_replay_of(&within, &first);
    // T4: 24 h after the first request the record is gone; the request runs again.
    t.clock.set(start + jiff::SignedDuration::from_hours(24));
    let next_day = keyed(&t, TOP_UPS, Some(&token), &body, "daily").await;
    assert_eq!(next_day.status, StatusCode::CREATED, "{}", next_day.body);
    assert_eq!(next_day.header(REPLAYED), None);
    assert_ne!(
        next_day.json()["payment"]["id"],
        first.json()["payment"]["id"]
    );
    assert_eq!(payments_of(&t, me).await, 2);
    let replay = keyed(&t, TOP_UPS, Some(&token), &body, "daily").await;
    assert_replay_of(&replay, &next_day);
}

#[tokio::test]
async fn signing_in_ignores_the_key() {
    let t = TestApp::new().await;
    t.sign_up("again@example.com").await;
    let body = json!({"email": "again@example.com", "password": crate::support::PASSWORD});
    let one = keyed(&t, "/api/v1/sessions", None, &body, "log-in").await;
    let two = keyed(&t, "/api/v1/sessions", None, &body, "log-in").await;
    for res in [&one, &two] {
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.header(REPLAYED), None);
    }
    assert_ne!(one.json()["token"], two.json()["token"], "two sessions");
}

/// Every unsafe operation of the document but the excepted ones documents the header and
/// the layer's refusals.
#[tokio::test]
async fn every_covered_operation_documents_the_header_and_its_refusals() {
    let t = TestApp::new().await;
    let doc = t.get("/api/v1/openapi.json", None).await.json();
    let mut covered = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let unsafe_method = matches!(method.as_str(), "post" | "put" | "patch" | "delete");
            let excepted = path.starts_with("/api/v1/test/")
                || path.ends_with("/callback")
                || path == "/api/v1/sessions"
                || (method == "post" && path == "/api/v1/orders");
            let header = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["name"] == "Idempotency-Key" && p["in"] == "header");
            let in_flight = op["responses"]["409"]["description"]
                .as_str()
                .is_some_and(|d| d.contains("`idempotency_key_in_flight`"));
            if !unsafe_method || excepted {
                assert!(!in_flight, "{method} {path}");
                continue;
            }
            covered += 1;
            let d422 = op["responses"]["422"]["description"].as_str().unwrap_or("");
            assert!(
                header
                    && in_flight
                    && d422.contains("`idempotency_key_reused`")
                    && d422.contains("`invalid_field`"),
                "{method} {path}: {op}"
            );
        }
    }
    assert!(covered >= 30, "{covered}");
}
