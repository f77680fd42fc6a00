//! O6/P1 through `POST /api/v1/admin/results`: JSON and CSV (BOM, CRLF, GB18030), every
//! per-line error with its line number, nothing stored on a bad file, operators only, and the
//! result visible to the candidate afterwards with the score promise kept.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::results_support::{after_exam, rejected, sat, upload, upload_in};
use crate::shop::{FEE, bought, credit, period_of, verified};
use crate::support::TestApp;

async fn registration(t: &TestApp, token: &str, id: i64) -> Value {
    let res = t
        .get(&format!("/api/v1/registrations/{id}"), Some(token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

async fn score_promises(t: &TestApp, admin: &str) -> Value {
    let res = t.get("/api/v1/admin/promises", Some(admin)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "score")
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn o6_json_import_releases_results_the_candidate_sees() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 3).await;
    assert_eq!(
        registration(&t, &regs[0].0, regs[0].1).await["result"],
        Value::Null
    );
    let (admin, regs) = after_exam(&t, &regs).await;
    let body = json!({"results": [
        {"registration_id": regs[0].1, "score": 70},
        {"registration_id": regs[1].1, "score": 69, "absent": false},
        {"registration_id": regs[2].1, "absent": true},
    ]});
    let res = upload(
        &t,
        Some(&admin),
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json(), json!({"accepted": 3, "rejected": []}));

    let want = [
        ("passed", json!(70), true, false),
        ("failed", json!(69), false, false),
        ("absent", Value::Null, false, true),
    ];
    for ((token, id), (status, score, passed, absent)) in regs.iter().zip(want) {
        let r = registration(&t, token, *id).await;
        assert_eq!(r["status"], status);
        assert_eq!(r["result"]["score"], score);
        assert_eq!(
            (r["result"]["passed"].clone(), r["result"]["absent"].clone()),
            (json!(passed), json!(absent))
        );
        assert_eq!(r["result"]["released_at"], "2027-04-10T12:00:00+08:00");
        let inbox = t.get("/api/v1/me/messages", Some(token)).await.json();
        let newest = &inbox["items"][0];
        assert_eq!(
            (newest["kind"].as_str(), newest["title"].as_str()),
            (Some("result_released"), Some("成绩已公布"))
        );
    }
    // P1: the score promise of each is kept at release, on time (due 7 days after the exam).
    let score = score_promises(&t, &admin).await;
    assert_eq!(
        (score["kept_on_time"].clone(), score["pending"].clone()),
        (json!(3), json!(0))
    );
    // A second import of the same registrations is refused line by line.
    let again = upload(
        &t,
        Some(&admin),
        "application/json",
        body.to_string().into_bytes(),
    )
    .await;
    let codes = rejected(&again);
    assert_eq!(
        codes,
        (1..=3)
            .map(|l| (l, "result_already_recorded".to_owned()))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn o6_csv_utf8_with_bom_crlf_and_a_charset_parameter() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 2).await;
    let (admin, regs) = after_exam(&t, &regs).await;
    let csv = format!(
        "\u{FEFF}Registration_ID , Score,ABSENT\r\n{},88,FALSE\r\n{},,true\r\n\r\n",
        regs[0].1, regs[1].1
    );
    let res = upload(
        &t,
        Some(&admin),
        "text/csv; charset=utf-8",
        csv.into_bytes(),
    )
    .await;
    assert_eq!(
        res.json(),
        json!({"accepted": 2, "rejected": []}),
        "{}",
        res.body
    );
    assert_eq!(
        registration(&t, &regs[0].0, regs[0].1).await["result"]["score"],
        88
    );
    assert_eq!(
        registration(&t, &regs[1].0, regs[1].1).await["status"],
        "absent"
    );
}

/// A results file larger than any other body (64 KiB), its length declared as every HTTP
/// client declares it, is read — not refused before its route is known.
#[tokio::test]
async fn o6_a_results_file_beyond_the_ordinary_body_limit_is_imported() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 2).await;
    let (admin, regs) = after_exam(&t, &regs).await;
    let mut csv = format!(
        "registration_id,score,absent\r\n{},91,false\r\n{},40,false\r\n",
        regs[0].1, regs[1].1
    );
    csv.push_str(&"\r\n".repeat(60 * 1024));
    assert!(csv.len() > 100 * 1024);
    let req = with_declared_length(
        Method::POST,
        "/api/v1/admin/results",
        "text/csv",
        &admin,
        csv,
    );
    let res = t.send(req).await;
    assert_eq!(
        res.json(),
        json!({"accepted": 2, "rejected": []}),
        "{}",
        res.body
    );
    assert_eq!(
        registration(&t, &regs[0].0, regs[0].1).await["result"]["score"],
        91
    );

    // Other routes keep the ordinary limit, declared or not.
    let big = "x".repeat(100 * 1024);
    let req = with_declared_length(
        Method::PUT,
        "/api/v1/me/contacts",
        "application/json",
        &admin,
        big,
    );
    assert_eq!(t.send(req).await.code(), "payload_too_large");
}

/// A request whose `Content-Length` is declared up front, as every HTTP client sends it.
fn with_declared_length(
    method: Method,
    uri: &str,
    content_type: &str,
    token: &str,
    body: String,
) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len().to_string())
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn o6_csv_in_gb18030_as_excel_in_china_saves_it() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 1).await;
    let (admin, regs) = after_exam(&t, &regs).await;
    // Full-width spaces from a Chinese input method: A1 A1 in GB18030, not UTF-8.
    let text = format!(
        "registration_id,score,absent\r\n{}\u{3000},75,false\u{3000}\r\n",
        regs[0].1
    );
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    assert!(std::str::from_utf8(&bytes).is_err());
    let res = upload(
        &t,
        Some(&admin),
        "text/csv; charset=gb18030",
        bytes.into_owned(),
    )
    .await;
    assert_eq!(
        res.json(),
        json!({"accepted": 1, "rejected": []}),
        "{}",
        res.body
    );
    assert_eq!(
        registration(&t, &regs[0].0, regs[0].1).await["status"],
        "passed"
    );
    // Ticket numbers nobody holds are unknown, line by line; a mistyped one (its check digit
    // fails) is refused as such, with the line's field.
    let (bytes, _, _) = encoding_rs::GB18030.encode(
        "ticket_number,score,absent\r\n0000420000012,80,false\r\n0000420000013,,true\r\n准考证-0002,,true\r\n",
    );
    let res = upload(&t, Some(&admin), "text/csv", bytes.into_owned()).await;
    assert_eq!(
        rejected(&res),
        vec![
            (2, "unknown_ticket_number".into()),
            (3, "invalid_field".into()),
            (4, "invalid_field".into())
        ]
    );
    assert_eq!(res.json()["rejected"][0]["error"]["field"], "ticket_number");
}

#[tokio::test]
async fn o6_every_bad_line_is_listed_and_nothing_is_stored() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 4).await;
    // A registration of a later sitting, whose exam has not ended.
    let later = period_of(
        &t,
        &admin,
        "TCCA-OPS-A",
        "2027-04-20T09:00:00+08:00",
        &[("深圳", 5)],
    )
    .await;
    let (token, me) = verified(&t, "later@example.com", 300).await;
    credit(&t, &admin, me, "cash", FEE).await;
    let not_ended = bought(&t, &token, later, "深圳").await["registration"]["id"]
        .as_i64()
        .unwrap();
    // One registration refunded (cancelled).
    let order = registration(&t, &regs[3].0, regs[3].1).await["order_id"]
        .as_i64()
        .unwrap();
    let res = t
        .post(
            &format!("/api/v1/orders/{order}/refund"),
            Some(&regs[3].0),
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (admin, regs) = after_exam(&t, &regs).await;
    // One already resulted.
    let first = format!("registration_id,score,absent\n{},90,false\n", regs[2].1);
    assert_eq!(
        upload(&t, Some(&admin), "text/csv", first.into_bytes())
            .await
            .json()["accepted"],
        1
    );

    let (a, b) = (regs[0].1, regs[1].1);
    let csv = format!(
        "registration_id,score,absent\n\
         {a},80,false\n\
         999999,80,false\n\
         {a},70,false\n\
         {b},101,false\n\
         {b},80,true\n\
         {b},,false\n\
         {b},80,maybe\n\
         {b},80\n\
         abc,80,false\n\
         {},80,false\n\
         {not_ended},80,false\n\
         {},80,false\n",
        regs[3].1, regs[2].1
    );
    let res = upload(&t, Some(&admin), "text/csv", csv.into_bytes()).await;
    assert_eq!(
        rejected(&res),
        vec![
            (3, "unknown_registration".into()),
            (4, "duplicate_result".into()),
            (5, "invalid_score".into()),
            (6, "score_with_absent".into()),
            (7, "score_missing".into()),
            (8, "invalid_absent".into()),
            (9, "invalid_csv_line".into()),
            (10, "invalid_field".into()),
            (11, "registration_cancelled".into()),
            (12, "exam_not_ended".into()),
            (13, "result_already_recorded".into()),
        ]
    );
    let j = res.json();
    let not_ended_error = &j["rejected"][9]["error"];
    assert_eq!(not_ended_error["deadline"], "2027-04-20T11:00:00+08:00");
    assert!(
        j["rejected"][1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("第 2 行")
    );
    // Line 2 was fine, but a file is all or nothing.
    let untouched = registration(&t, &regs[0].0, a).await;
    assert_eq!(
        (untouched["status"].as_str(), &untouched["result"]),
        (Some("confirmed"), &Value::Null)
    );
    let score = score_promises(&t, &admin).await;
    assert_eq!(
        score["kept_on_time"], 1,
        "only the first import kept a promise"
    );
}

#[tokio::test]
async fn o6_a_json_import_numbers_its_items_and_speaks_english() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 1).await;
    let (admin, regs) = after_exam(&t, &regs).await;
    let body = json!({"results": [
        {"registration_id": regs[0].1, "score": 85},
        {"registration_id": regs[0].1, "score": "85"},
        {"ticket_number": "T-1", "registration_id": 3, "score": 1},
    ]});
    let res = upload_in(
        &t,
        Some(&admin),
        "application/json",
        body.to_string().into_bytes(),
        "en",
    )
    .await;
    assert_eq!(
        rejected(&res),
        vec![(2, "invalid_score".into()), (3, "invalid_field".into())]
    );
    let message = res.json()["rejected"][0]["error"]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(message, "The score must be a whole number from 0 to 100.");
    assert_eq!(
        registration(&t, &regs[0].0, regs[0].1).await["status"],
        "confirmed"
    );
}

#[tokio::test]
async fn results_are_for_operators_and_must_be_an_upload() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let candidate = t.candidate("c@example.com").await;
    let csv = b"registration_id,score,absent\n1,80,false\n".to_vec();
    let res = upload(&t, Some(&candidate), "text/csv", csv.clone()).await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::FORBIDDEN, "forbidden".into())
    );
    let res = upload(&t, None, "text/csv", csv.clone()).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = upload(&t, Some(&admin), "text/plain", csv).await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_input".into())
    );
    for body in [
        "{\"results\": ",
        "{\"rows\": []}",
        "[]",
        "{\"results\": {}}",
    ] {
        let res = upload(&t, Some(&admin), "application/json", body.into()).await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json".into()),
            "{body}"
        );
    }
    // A wrong header is line 1; an empty list or a header alone stores nothing, refuses nothing.
    let res = upload(
        &t,
        Some(&admin),
        "text/csv",
        b"id,score,absent\n1,2,false\n".to_vec(),
    )
    .await;
    assert_eq!(rejected(&res), vec![(1, "invalid_csv_header".into())]);
    let res = upload(
        &t,
        Some(&admin),
        "text/csv",
        b"registration_id,score,absent\r\n".to_vec(),
    )
    .await;
    assert_eq!(res.json(), json!({"accepted": 0, "rejected": []}));
    let res = upload(
        &t,
        Some(&admin),
        "application/json",
        b"{\"results\": []}".to_vec(),
    )
    .await;
    assert_eq!(res.json(), json!({"accepted": 0, "rejected": []}));
}

#[tokio::test]
async fn e2_hostile_bytes_are_refused_lines_never_a_crash() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let mut hostile = b"registration_id,score,absent\n".to_vec();
    hostile.extend_from_slice(b"\xFF\xFE\x00\x01,\"\x00\",true\n");
    hostile.extend_from_slice(b"99999999999999999999999,1,false\n");
    hostile.extend_from_slice(format!("{},1,false\n", "9".repeat(5_000)).as_bytes());
    let res = upload(&t, Some(&admin), "text/csv", hostile).await;
    assert_eq!(
        rejected(&res),
        vec![
            (2, "invalid_field".into()),
            (3, "invalid_field".into()),
            (4, "invalid_field".into())
        ]
    );
}
