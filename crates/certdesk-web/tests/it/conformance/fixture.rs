//! The world the conformance check runs in, made through the API: an operator; a candidate
//! who passed (a certificate, a mailing address), holds a paid registration for a later exam,
//! has credit, a voucher and a support ticket; a candidate who failed (a retake to take); a
//! venue; periods open for sale; an institution with centres, slots, a staff member and a
//! paid registration booked through its management link. Its ids and names become the generator's hints, so generated
//! requests reach real records and not only `not_found`.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::json;

use super::generate::Hints;
use crate::certificates_api::certified;
use crate::institution_journey::{Setup, book, institution, paid, slot_id};
use crate::shop::{CERT, bought, credit, period_of, voucher};
use crate::support::{PASSWORD, TestApp, id_number};

/// Where the clock stands once the fixture is made (just after the certifying exam); the
/// check puts it back here after every call that moved it.
pub const BASE: &str = "2027-04-10T04:00:01Z";

/// A second certification, sold on a later period.
const OTHER: &str = "TCCA-ARC-A";

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caller {
    Candidate,
    Operator,
    Anonymous,
    /// An institution's staff member.
    Staff,
    /// An institution registration's management token (I1).
    Holder,
}

impl Caller {
    pub const ALL: [Caller; 5] = [
        Caller::Candidate,
        Caller::Operator,
        Caller::Anonymous,
        Caller::Staff,
        Caller::Holder,
    ];
}

#[derive(Debug)]
pub struct Fixture {
    pub candidate: String,
    pub operator: String,
    pub staff: String,
    pub holder: String,
    pub hints: Hints,
}

impl Fixture {
    pub fn token(&self, who: Caller) -> Option<&str> {
        match who {
            Caller::Candidate => Some(&self.candidate),
            Caller::Operator => Some(&self.operator),
            Caller::Anonymous => None,
            Caller::Staff => Some(&self.staff),
            Caller::Holder => Some(&self.holder),
        }
    }

    /// Signs `who` in again (after a generated `DELETE /api/v1/sessions` signed it out).
    pub async fn log_in_again(&mut self, t: &TestApp, who: Caller) {
        match who {
            Caller::Candidate => self.candidate = t.log_in("sat0@example.com").await,
            Caller::Operator => self.operator = t.log_in("ops@example.com").await,
            Caller::Staff => self.staff = t.log_in("staff@example.com").await,
            Caller::Anonymous | Caller::Holder => {}
        }
    }
}

fn id_of(res: &crate::support::Res) -> i64 {
    assert!(res.status.is_success(), "{}", res.body);
    res.json()["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {}", res.body))
}

/// A4: an account whose identity waits for an operator's decision; its id.
async fn pending_identity(t: &TestApp, operator: &str) -> i64 {
    let mode = |m: &str| json!({ "mode": m });
    let at = "/api/v1/admin/settings/verification-mode";
    let res = t.put(at, Some(operator), mode("manual_review")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id = t.sign_up("pending@example.com").await;
    let token = t.log_in("pending@example.com").await;
    let body = json!({"real_name": "王芳", "id_number": id_number("11010519920202123")});
    let res = t.put("/api/v1/me/identity", Some(&token), body).await;
    assert_eq!(res.json()["status"], "pending", "{}", res.body);
    let res = t.put(at, Some(operator), mode("checksum")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    id
}

pub async fn fixture(t: &TestApp) -> Fixture {
    // sat0 passed (a certificate), sat1 failed (a retake is due), sat2 was absent.
    let (operator, regs, certificate) = certified(t).await;
    let candidate = regs[0].0.clone();
    assert_eq!(
        certdesk_domain::Clock::now(&t.clock),
        BASE.parse::<jiff::Timestamp>().unwrap()
    );
    let me = t.get("/api/v1/me", Some(&candidate)).await.json()["id"]
        .as_i64()
        .unwrap();
    let later = [("深圳", 50), ("北京", 50)];
    let other = period_of(t, &operator, OTHER, "2027-06-12T09:00:00+08:00", &later).await;
    let retake = period_of(t, &operator, CERT, "2027-06-19T09:00:00+08:00", &later).await;
    credit(t, &operator, me, "cash", 500_000).await;
    credit(t, &operator, me, "gift", 20_000).await;
    let code = voucher(t, &operator, me, 5_000, 10_000).await;
    let placed = bought(t, &candidate, other, "深圳").await;
    let ticket = t
        .post(
            "/api/v1/me/tickets",
            Some(&candidate),
            json!({"category": "registration", "subject": "换城市", "message": "能否改到北京？",
                   "registration_id": placed["registration"]["id"]}),
        )
        .await;
    let ticket = id_of(&ticket);
    let address = json!({"recipient": "李雷", "phone": "13800138000", "province": "广东省",
                         "city": "深圳市", "address": "南山区科苑路 15 号", "postcode": "518057"});
    let res = t
        .put("/api/v1/me/mailing-address", Some(&candidate), address)
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let venue = json!({"city": "深圳", "name": "南山考点", "address": "科苑路 1 号", "seats": 40});
    id_of(&t.post("/api/v1/admin/venues", Some(&operator), venue).await);
    // A later period of the same certification: somewhere to reschedule to (O7).
    let moved = period_of(t, &operator, OTHER, "2027-06-26T09:00:00+08:00", &later).await;
    let top_up = t
        .post(
            "/api/v1/me/top-ups",
            Some(&candidate),
            json!({"amount_fen": 100}),
        )
        .await;
    let payment = top_up.json()["payment"]["id"]
        .as_i64()
        .expect("a pending top-up");
    let pending = pending_identity(t, &operator).await;
    let channel = institution_channel(t).await;
    let logins: Vec<String> = (0..3).map(|n| format!("login{n}@example.com")).collect();
    for email in &logins {
        t.sign_up(email).await;
    }
    let ids = |res: crate::support::Res, at: &str| -> Vec<i64> {
        let list = res.json();
        let items = list
            .pointer(at)
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default();
        items.iter().filter_map(|i| i["id"].as_i64()).collect()
    };
    let messages = ids(
        t.get("/api/v1/me/messages", Some(&candidate)).await,
        "/items",
    );
    let paper = ids(
        t.get("/api/v1/admin/paper-certificates", Some(&operator))
            .await,
        "",
    );
    let jobs = ids(
        t.get("/api/v1/admin/jobs?limit=5", Some(&operator)).await,
        "",
    );
    let order = placed["order"]["id"].as_i64().unwrap();
    let mut registrations = vec![placed["registration"]["id"].as_i64().unwrap(), channel.held];
    registrations.extend(regs.iter().map(|(_, id)| *id));
    let ints: BTreeMap<&'static str, Vec<i64>> = [
        ("", (1..=6).collect()),
        ("account_id", vec![me, pending]),
        ("accounts", vec![me, pending]),
        ("period_id", vec![other, retake, moved]),
        ("registration_id", registrations.clone()),
        ("registrations", registrations),
        ("order_id", vec![order]),
        ("orders", vec![order]),
        ("tickets", vec![ticket]),
        ("messages", messages),
        ("paper-certificates", paper),
        ("jobs", jobs),
        ("payment_id", vec![payment]),
        ("institution_id", vec![channel.setup.institution]),
        ("institutions", vec![channel.setup.institution]),
        (
            "centre_id",
            vec![channel.setup.shenzhen, channel.setup.guangzhou],
        ),
        (
            "test-centres",
            vec![channel.setup.shenzhen, channel.setup.guangzhou],
        ),
        ("slot_id", channel.slots.clone()),
        ("agreement_version", vec![1]),
        ("capacity", vec![30]),
        ("seats", vec![30]),
        ("score", vec![40, 85]),
    ]
    .into_iter()
    .collect();
    let number = certificate["number"].as_str().unwrap().to_owned();
    let strings: BTreeMap<&'static str, Vec<String>> = [
        ("city", vec!["深圳", "北京"]),
        ("certification", vec![CERT, OTHER]),
        ("code", vec![CERT, OTHER]),
        ("number", vec![number.as_str()]),
        ("gateway", vec!["sandbox"]),
        ("voucher_code", vec![code.as_str()]),
        ("pay_first", vec!["gift", "cash"]),
        ("kind", vec!["cash", "gift", "score", "confirmation"]),
        (
            "status",
            vec!["pending", "dead", "open", "shipped", "verified"],
        ),
        ("mode", vec!["checksum", "manual_review"]),
        ("category", vec!["registration", "other"]),
        ("family", vec!["cloud", "specialty"]),
        ("track", vec!["development"]),
        ("level", vec!["associate"]),
        ("real_name", vec!["李雷", "韩梅梅"]),
        ("phone", vec!["13800138000"]),
        ("password", vec![PASSWORD]),
        ("province", vec!["广东省"]),
        ("address", vec!["科苑路 15 号"]),
        ("recipient", vec!["李雷"]),
        ("carrier", vec!["顺丰速运"]),
        ("tracking_number", vec!["SF1234567890"]),
        ("reason", vec!["测试发放"]),
        ("opted_out", vec!["sms", "email", "wechat"]),
        ("cursor", vec!["1", "3", "1000"]),
        // Keys that come back: a replay, or `idempotency_key_reused` with another body.
        ("Idempotency-Key", vec!["conformance-1", "conformance-2"]),
        ("email", logins.iter().map(String::as_str).collect()),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.into_iter().map(str::to_owned).collect()))
    .collect();
    let mut hints = Hints { ints, strings };
    let numbers = (0..4).map(|n| id_number(&format!("11010519850101{:03}", 300 + n)));
    hints.strings.insert("id_number", numbers.collect());
    Fixture {
        candidate,
        operator,
        staff: channel.setup.staff,
        holder: channel.holder,
        hints,
    }
}

/// The institution channel's part of the world (I1–I8).
struct Channel {
    setup: Setup,
    slots: Vec<i64>,
    /// A paid registration booked into the first slot, and its management token.
    held: i64,
    holder: String,
}

async fn institution_channel(t: &TestApp) -> Channel {
    let setup = institution(t, "华南考试中心", "staff@example.com").await;
    // The Monday and Tuesday after BASE (a Saturday), business days (I3).
    let mut slots = Vec::new();
    for (date, time) in [("2027-04-12", "09:00"), ("2027-04-13", "14:00")] {
        slots.push(slot_id(t, &setup.staff, setup.shenzhen, date, time).await);
    }
    let (held, holder) = paid(t, setup.institution, 1, 7).await;
    let res = book(t, &holder, held, slots[0]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    Channel {
        setup,
        slots,
        held,
        holder,
    }
}
