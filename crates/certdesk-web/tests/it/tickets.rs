//! O4 through the API with the test clock: venues; tickets issued when the window opens
//! (start − 5 days, not a second earlier), seating in venue order, the promise kept (P1) and
//! the holder told; check-in by QR code or number, once; forged codes and other periods'
//! tickets refused; a city short of seats waits for its venue and is issued late.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::shop::{CERT, FEE, STARTS, bought, clock, credit, period_of, verified};
use crate::support::TestApp;

/// `STARTS` minus five days (the ticket window opens), and one second before it.
const OPENS: &str = "2027-04-05T09:00:00+08:00";
const JUST_BEFORE: &str = "2027-04-05T08:59:59+08:00";

async fn venue(t: &TestApp, admin: &str, city: &str, name: &str, seats: i64) -> Value {
    let res = t
        .post(
            "/api/v1/admin/venues",
            Some(admin),
            json!({"city": city, "name": name, "address": format!("{city}{name}路 8 号"), "seats": seats}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()
}

async fn registration(t: &TestApp, token: &str, id: i64) -> Value {
    let res = t
        .get(&format!("/api/v1/registrations/{id}"), Some(token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()
}

/// A candidate who bought `period` in `city`: (token, registration id).
async fn buyer(
    t: &TestApp,
    admin: &str,
    email: &str,
    n: u32,
    period: i64,
    city: &str,
) -> (String, i64) {
    let (token, account) = verified(t, email, n).await;
    credit(t, admin, account, "cash", FEE).await;
    let placed = bought(t, &token, period, city).await;
    (token, placed["registration"]["id"].as_i64().unwrap())
}

#[tokio::test]
async fn o4_venues_are_added_per_city_and_refused_twice() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let a = venue(&t, &admin, "深圳", "南山考点", 30).await;
    assert_eq!(
        (a["city"].as_str(), a["seats"].as_i64()),
        (Some("深圳"), Some(30))
    );
    venue(&t, &admin, "北京", "海淀考点", 10).await;
    venue(&t, &admin, "深圳", "福田考点", 20).await;
    let list = t
        .get("/api/v1/admin/venues?city=深圳", Some(&admin))
        .await
        .json();
    let names: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["南山考点", "福田考点"],
        "in the order they were added"
    );
    let again = t
        .post(
            "/api/v1/admin/venues",
            Some(&admin),
            json!({"city": "深圳", "name": "南山考点", "address": "x", "seats": 5}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "venue_name_taken".into())
    );
    for (body, field) in [
        (
            json!({"city": "深圳", "name": "X", "address": "y", "seats": 0}),
            "seats",
        ),
        (
            json!({"city": "深圳", "name": " ", "address": "y", "seats": 3}),
            "name",
        ),
        (
            json!({"city": "", "name": "X", "address": "y", "seats": 3}),
            "city",
        ),
    ] {
        let res = t.post("/api/v1/admin/venues", Some(&admin), body).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert_eq!(res.json()["error"]["field"], field);
    }
    let candidate = t.candidate("cand@example.com").await;
    let res = t
        .post(
            "/api/v1/admin/venues",
            Some(&candidate),
            json!({"city": "深圳", "name": "Y", "address": "y", "seats": 3}),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn o4_tickets_arrive_when_the_window_opens_and_admit_their_holder_once() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let first = venue(&t, &admin, "深圳", "南山考点", 1).await;
    let second = venue(&t, &admin, "深圳", "福田考点", 5).await;
    let period = period_of(&t, &admin, CERT, STARTS, &[("深圳", 3)]).await;
    let (_, ann_reg) = buyer(&t, &admin, "ann@example.com", 1, period, "深圳").await;
    let (_, bob_reg) = buyer(&t, &admin, "bob@example.com", 2, period, "深圳").await;

    clock(&t, JUST_BEFORE).await;
    // Sessions do not outlive a month of test-clock time: sign in again.
    let (ann, bob) = (
        t.log_in("ann@example.com").await,
        t.log_in("bob@example.com").await,
    );
    let admin = t.log_in("ops@example.com").await;
    let before = registration(&t, &ann, ann_reg).await;
    assert_eq!(before["status"], "confirmed");
    assert!(before["admission_ticket"].is_null(), "not a second early");

    clock(&t, OPENS).await;
    let a = registration(&t, &ann, ann_reg).await;
    assert_eq!(a["status"], "ticket_issued");
    let ticket = &a["admission_ticket"];
    assert_eq!(ticket["venue_name"], first["name"]);
    assert_eq!(ticket["seat"], 1);
    assert_eq!(ticket["starts_at"], a["exam_starts_at"]);
    let number = ticket["number"].as_str().unwrap().to_owned();
    assert_eq!(number.len(), 13);
    let b = registration(&t, &bob, bob_reg).await;
    assert_eq!(
        b["admission_ticket"]["venue_name"], second["name"],
        "the first venue is full"
    );
    assert_eq!(b["admission_ticket"]["seat"], 1);

    let inbox = t.get("/api/v1/me/messages", Some(&ann)).await.json();
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "admission_ticket_issued")
        .expect("a ticket notice");
    assert!(told["body"].as_str().unwrap().contains(&number), "{told}");

    let promises = t.get("/api/v1/admin/promises", Some(&admin)).await.json();
    let ticket_promise = promises
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "admission_ticket")
        .unwrap();
    assert_eq!(ticket_promise["kept_on_time"], 2, "{promises}");

    // Check-in at the desk: the QR code, then again (harmless), then by the typed number.
    let code = ticket["code"].as_str().unwrap().to_owned();
    let scan = |code: String, period: i64| {
        let t = &t;
        let admin = admin.clone();
        async move {
            t.post(
                "/api/v1/admin/check-ins",
                Some(&admin),
                json!({"period_id": period, "code": code}),
            )
            .await
        }
    };
    let once = scan(code.clone(), period).await;
    assert_eq!(once.status, StatusCode::OK, "{}", once.body);
    assert_eq!(once.json()["first"], true);
    assert_eq!(once.json()["number"], number.as_str());
    let twice = scan(code.clone(), period).await;
    assert_eq!(twice.json()["first"], false);
    assert_eq!(twice.json()["checked_in_at"], once.json()["checked_in_at"]);
    let typed = scan(
        b["admission_ticket"]["number"].as_str().unwrap().to_owned(),
        period,
    )
    .await;
    assert_eq!(typed.status, StatusCode::OK, "{}", typed.body);

    // A forged signature, an altered number, a mistyped number, another period's desk.
    let forged = format!("{}A", &code[..code.len() - 1]);
    let altered = code.replacen(
        &number,
        b["admission_ticket"]["number"].as_str().unwrap(),
        1,
    );
    let mut mistyped = number.clone().into_bytes();
    mistyped[5] = if mistyped[5] == b'9' {
        b'0'
    } else {
        mistyped[5] + 1
    };
    for bad in [forged, altered, String::from_utf8(mistyped).unwrap()] {
        let res = scan(bad.clone(), period).await;
        assert_eq!(
            (res.status, res.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "ticket_invalid".into()),
            "{bad}"
        );
    }
    let other = period_of(
        &t,
        &admin,
        CERT,
        "2027-05-20T09:00:00+08:00",
        &[("深圳", 3)],
    )
    .await;
    let res = scan(code, other).await;
    assert_eq!(
        (res.status, res.code()),
        (StatusCode::CONFLICT, "ticket_wrong_period".into())
    );
    let candidate_scan = t
        .post(
            "/api/v1/admin/check-ins",
            Some(&ann),
            json!({"period_id": period, "code": number}),
        )
        .await;
    assert_eq!(candidate_scan.status, StatusCode::FORBIDDEN);

    // O6: after the exam, results keyed by ticket number reach the ticket's registration.
    clock(&t, "2027-04-10T12:00:00+08:00").await;
    let admin = t.log_in("ops@example.com").await;
    let csv = format!(
        "ticket_number,score,absent\n{number},88,false\n{},,true\n",
        b["admission_ticket"]["number"].as_str().unwrap()
    );
    let res = crate::results_support::upload(&t, Some(&admin), "text/csv", csv.into_bytes()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["accepted"], 2, "{}", res.body);
    let ann = t.log_in("ann@example.com").await;
    let a = registration(&t, &ann, ann_reg).await;
    assert_eq!(
        (a["status"].as_str(), a["result"]["score"].as_i64()),
        (Some("passed"), Some(88))
    );
}

#[tokio::test]
async fn o4_a_city_without_seats_waits_for_its_venue_and_is_issued_late() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    venue(&t, &admin, "深圳", "南山考点", 5).await;
    let period = period_of(&t, &admin, CERT, STARTS, &[("深圳", 2), ("北京", 2)]).await;
    let (_, sz_reg) = buyer(&t, &admin, "sz@example.com", 1, period, "深圳").await;
    let (_, bj_reg) = buyer(&t, &admin, "bj@example.com", 2, period, "北京").await;

    clock(&t, OPENS).await;
    // Sessions do not outlive a month of test-clock time: sign in again.
    let (sz, bj) = (
        t.log_in("sz@example.com").await,
        t.log_in("bj@example.com").await,
    );
    let admin = t.log_in("ops@example.com").await;
    assert_eq!(
        registration(&t, &sz, sz_reg).await["status"],
        "ticket_issued"
    );
    assert!(registration(&t, &bj, bj_reg).await["admission_ticket"].is_null());
    let jobs = t
        .get("/api/v1/admin/jobs?status=pending", Some(&admin))
        .await
        .json();
    let waiting = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["kind"] == "issue_tickets")
        .expect("the issuing job waits to retry");
    assert!(
        waiting["last_error"].as_str().unwrap().contains("北京"),
        "{waiting}"
    );

    // Past the window's end (start − 3 days) an operator adds a venue; the retry seats them.
    venue(&t, &admin, "北京", "海淀考点", 3).await;
    clock(&t, "2027-04-08T12:00:00+08:00").await;
    let bj = t.log_in("bj@example.com").await;
    let admin = t.log_in("ops@example.com").await;
    let late = registration(&t, &bj, bj_reg).await;
    assert_eq!(late["admission_ticket"]["venue_name"], "海淀考点", "{late}");
    let promises = t.get("/api/v1/admin/promises", Some(&admin)).await.json();
    let ticket_promise = promises
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "admission_ticket")
        .unwrap();
    assert_eq!(
        (
            ticket_promise["kept_on_time"].as_i64(),
            ticket_promise["kept_late"].as_i64()
        ),
        (Some(1), Some(1)),
        "{promises}"
    );
}
