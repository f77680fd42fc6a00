//! Helpers of the results tests: candidates who sat an exam, the clock past it, uploads.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::shop::{CERT, FEE, STARTS, bought, clock, credit, period_of, verified};
use crate::support::{Res, TestApp};

/// After the exam of `STARTS` (two hours long) has ended.
pub const AFTER_EXAM: &str = "2027-04-10T12:00:00+08:00";

/// Moves the clock past the exam; sessions of a month ago have expired, so everyone logs in
/// again: the operator's new token and the candidates' (token, registration id).
pub async fn after_exam(t: &TestApp, regs: &[(String, i64)]) -> (String, Vec<(String, i64)>) {
    clock(t, AFTER_EXAM).await;
    let admin = t.log_in("ops@example.com").await;
    let mut out = Vec::new();
    for (i, (_, id)) in regs.iter().enumerate() {
        out.push((t.log_in(&format!("sat{i}@example.com")).await, *id));
    }
    (admin, out)
}

/// `n` candidates who bought `STARTS` in 深圳: (token, registration id) each.
pub async fn sat(t: &TestApp, admin: &str, n: u32) -> Vec<(String, i64)> {
    let pid = period_of(t, admin, CERT, STARTS, &[("深圳", 20)]).await;
    let mut out = Vec::new();
    for i in 0..n {
        let (token, me) = verified(t, &format!("sat{i}@example.com"), 200 + i).await;
        credit(t, admin, me, "cash", FEE).await;
        let placed = bought(t, &token, pid, "深圳").await;
        out.push((token, placed["registration"]["id"].as_i64().unwrap()));
    }
    out
}

/// Posts `body` as `content_type` to the results route.
pub async fn upload(t: &TestApp, token: Option<&str>, content_type: &str, body: Vec<u8>) -> Res {
    upload_in(t, token, content_type, body, "zh-CN").await
}

pub async fn upload_in(
    t: &TestApp,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
    lang: &str,
) -> Res {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/admin/results")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT_LANGUAGE, lang);
    if let Some(token) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    t.send(b.body(Body::from(body)).unwrap()).await
}

/// The `(line, code)` pairs of a refused file; asserts nothing was accepted.
pub fn rejected(res: &Res) -> Vec<(i64, String)> {
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let j = res.json();
    assert_eq!(j["accepted"], 0, "{}", res.body);
    j["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap(),
                r["error"]["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
