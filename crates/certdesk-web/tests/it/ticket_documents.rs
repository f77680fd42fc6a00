//! O4 for the holder, through the pages: the admission ticket's printable section on the exam
//! page, its `.ics` (read back with an independent iCalendar parser, folding checked octet by
//! octet with Chinese text) and its PDF (rendered and read back with poppler), and that nobody
//! else gets any of them.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::pdf_check::check_pdf;
use crate::shop::{CERT, FEE, STARTS, bought, clock, credit, period_of};
use crate::support::{Browser, PASSWORD, TestApp, id_number};

/// The ticket window's opening for `STARTS` (start − 5 days).
pub const OPENS: &str = "2027-04-05T09:00:00+08:00";
pub const ADDRESS: &str =
    "广东省深圳市南山区科技园科苑路 8 号腾讯滨海大厦北塔三楼第一考场，请从北门进入并出示准考证";

/// A candidate with a verified identity named `name`; API token and account id.
pub async fn verified_as(t: &TestApp, email: &str, n: u32, name: &str) -> (String, i64) {
    let id = t.sign_up(email).await;
    let token = t.log_in(email).await;
    let number = id_number(&format!("11010519900101{n:03}"));
    let res = t
        .put(
            "/api/v1/me/identity",
            Some(&token),
            json!({"real_name": name, "id_number": number}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    (token, id)
}

/// Signs in through the log-in page: a cookie session.
pub async fn page_session<'a>(t: &'a TestApp, email: &str) -> Browser<'a> {
    let mut b = t.browser();
    let res = b
        .submit(
            "/login",
            "/login",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    assert!(res.status.is_redirection(), "{}: {}", res.status, res.body);
    b
}

/// A period at `STARTS` in 深圳 with one venue, and candidates `names` who bought it, their
/// tickets issued (the clock at the window's opening). Answers the period and each
/// candidate's (email, registration id, ticket as the API shows it).
pub async fn ticketed(t: &TestApp, names: &[&str]) -> (i64, Vec<(String, i64, Value)>) {
    let admin = t.admin("ops@example.com").await;
    let res = t
        .post(
            "/api/v1/admin/venues",
            Some(&admin),
            json!({"city": "深圳", "name": "南山考点", "address": ADDRESS, "seats": 30}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let period = period_of(t, &admin, CERT, STARTS, &[("深圳", 10)]).await;
    let mut bought_by = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let email = format!("holder{i}@example.com");
        let n = u32::try_from(i).unwrap() + 300;
        let (token, account) = verified_as(t, &email, n, name).await;
        credit(t, &admin, account, "cash", FEE).await;
        let placed = bought(t, &token, period, "深圳").await;
        bought_by.push((email, placed["registration"]["id"].as_i64().unwrap()));
    }
    clock(t, OPENS).await;
    let mut out = Vec::new();
    for (email, reg) in bought_by {
        let token = t.log_in(&email).await;
        let r = t
            .get(&format!("/api/v1/registrations/{reg}"), Some(&token))
            .await
            .json();
        assert_eq!(r["status"], "ticket_issued", "{r}");
        out.push((email, reg, r["admission_ticket"].clone()));
    }
    (period, out)
}

#[tokio::test]
async fn o4_the_exam_page_shows_a_printable_ticket_with_its_qr_code() {
    let t = TestApp::new().await;
    let (_, holders) = ticketed(&t, &["张三"]).await;
    let (email, reg, ticket) = &holders[0];
    let mut b = page_session(&t, email).await;
    let page = b.get(&format!("/exams/{reg}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = &page.body;
    let number = ticket["number"].as_str().unwrap();
    assert!(html.contains("data-testid=\"admission-ticket\""), "{html}");
    for want in [
        number,
        "张三",
        "深圳 南山考点",
        "广东省深圳市南山区科技园科苑路 8 号",
        // zh-CN first, English second, Beijing time, the date spelled out.
        "2027年4月10日（星期六）09:00–11:00（北京时间）",
        "Saturday, 10 April 2027, 09:00–11:00 (Beijing time, UTC+8)",
        "data-testid=\"ticket-seat\">1<",
        "<svg",
        &format!("href=\"/exams/{reg}/ticket.pdf\""),
        &format!("href=\"/exams/{reg}/ticket.ics\""),
    ] {
        assert!(html.contains(want), "the ticket section lacks {want}");
    }
    let zh = html.find("2027年4月10日（星期六）").unwrap();
    let en = html.find("Saturday, 10 April 2027").unwrap();
    assert!(zh < en, "zh-CN comes first");
    // The QR code carries the signed payload check-in verifies.
    let code = ticket["code"].as_str().unwrap();
    assert!(html.contains(&format!("data-code=\"{code}\"")));
    assert!(code.starts_with("CDT1:"));
    // Printing the page prints the ticket alone.
    let css = b.get("/static/site.css").await.body;
    assert!(css.contains("@media print"), "print styles");
}

/// Every line of `ics` ends in CRLF and is at most 75 octets; answers the unfolded lines.
fn unfold_checked(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    let body = ics.strip_suffix("\r\n").unwrap();
    for line in body.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let mut lines: Vec<String> = Vec::new();
    for line in body.split("\r\n") {
        match line.strip_prefix(' ') {
            Some(rest) => lines.last_mut().unwrap().push_str(rest),
            None => lines.push(line.to_owned()),
        }
    }
    lines
}

#[tokio::test]
async fn o4_the_ticket_ics_is_rfc_5545_with_chinese_text_folded_and_parses() {
    let t = TestApp::new().await;
    let (_, holders) = ticketed(&t, &["张三"]).await;
    let (email, reg, ticket) = &holders[0];
    let number = ticket["number"].as_str().unwrap();
    let mut b = page_session(&t, email).await;
    let res = b.get(&format!("/exams/{reg}/ticket.ics")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let ics = res.body.clone();
    let lines = unfold_checked(&ics);
    assert!(ics.contains("\r\n "), "the long Chinese lines are folded");
    let field = |name: &str| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_else(|| panic!("no {name}"))
            .to_owned()
    };
    assert_eq!(field("DTSTART"), "20270410T010000Z");
    assert_eq!(field("DTEND"), "20270410T030000Z");
    assert_eq!(field("UID"), format!("admission-ticket-{number}@certdesk"));
    assert!(field("SUMMARY").contains(number));
    assert!(field("DESCRIPTION").contains(number));
    // Unfolding gives back the address intact, multi-byte characters included.
    assert!(
        field("LOCATION").contains(
            "广东省深圳市南山区科技园科苑路 8 号腾讯滨海大厦北塔三楼第一考场，请从北门进入"
        )
    );

    // An independent parser reads it.
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("icalendar parses the file");
    let event = cal
        .components
        .iter()
        .find(|c| c.name == "VEVENT")
        .expect("one VEVENT");
    let prop = |name: &str| {
        event
            .properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.val.to_string())
            .unwrap_or_else(|| panic!("parser found no {name}"))
    };
    assert!(prop("SUMMARY").contains(number));
    assert!(prop("LOCATION").contains("腾讯滨海大厦北塔三楼"));
    assert_eq!(prop("DTSTART"), "20270410T010000Z");

    // Stable: downloading again gives the same event (same UID, same bytes).
    let again = b.get(&format!("/exams/{reg}/ticket.ics")).await;
    assert_eq!(again.body, ics);
}

#[tokio::test]
async fn o4_the_ticket_pdf_renders_the_chinese_name_and_number() {
    let t = TestApp::new().await;
    let (_, holders) = ticketed(&t, &["张三", "𠮷田花子"]).await;
    let (email, reg, ticket) = &holders[0];
    let number = ticket["number"].as_str().unwrap();
    let mut b = page_session(&t, email).await;
    let res = b.get(&format!("/exams/{reg}/ticket.pdf")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.header("content-type"), Some("application/pdf"));
    assert_eq!(res.header("cache-control"), Some("private, no-store"));
    let pdf = check_pdf(&res.bytes);
    assert!(pdf.ink > 0.01, "the page is blank ({:.4} inked)", pdf.ink);
    for want in [
        "张三",
        number,
        "准考证",
        "南山考点",
        "2027年4月10日",
        "座位号",
    ] {
        assert!(pdf.text.contains(want), "no {want} in:\n{}", pdf.text);
    }
    // The printed QR code is the signed payload the desk verifies.
    assert_eq!(pdf.qr_codes, [ticket["code"].as_str().unwrap()]);

    // A name character outside the embedded font's GB2312 subset is drawn as □ (decided in
    // `documents/font.rs`); the rest of the name and the ticket come out whole.
    let (email, reg, ticket) = &holders[1];
    let mut b = page_session(&t, email).await;
    let res = b.get(&format!("/exams/{reg}/ticket.pdf")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let pdf = check_pdf(&res.bytes);
    assert!(pdf.text.contains("□田花子"), "{}", pdf.text);
    assert!(pdf.text.contains(ticket["number"].as_str().unwrap()));
}

#[tokio::test]
async fn o4_ticket_downloads_are_the_holders_alone() {
    let t = TestApp::new().await;
    let (_, holders) = ticketed(&t, &["张三", "李四"]).await;
    let (_, reg, _) = &holders[0];
    let (other, other_reg, _) = &holders[1];
    let mut b = page_session(&t, other).await;
    for path in [
        format!("/exams/{reg}/ticket.ics"),
        format!("/exams/{reg}/ticket.pdf"),
        format!("/exams/{reg}"),
    ] {
        let res = b.get(&path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!res.body.contains("张三"), "{path} shows the holder");
    }
    assert_eq!(
        b.get(&format!("/exams/{other_reg}/ticket.pdf"))
            .await
            .status,
        StatusCode::OK
    );
    // Signed out: no document.
    let mut anon = t.browser();
    for path in [
        format!("/exams/{reg}/ticket.ics"),
        format!("/exams/{reg}/ticket.pdf"),
    ] {
        let res = anon.get(&path).await;
        assert!(
            res.status == StatusCode::UNAUTHORIZED || res.status.is_redirection(),
            "{path}: {}",
            res.status
        );
        assert!(!res.body.contains("%PDF") && !res.body.contains("BEGIN:VCALENDAR"));
    }
}

#[tokio::test]
async fn o4_no_ticket_yet_means_no_section_and_no_downloads() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let period = period_of(&t, &admin, CERT, STARTS, &[("深圳", 10)]).await;
    let (token, account) = verified_as(&t, "early@example.com", 330, "王五").await;
    credit(&t, &admin, account, "cash", FEE).await;
    let reg = bought(&t, &token, period, "深圳").await["registration"]["id"]
        .as_i64()
        .unwrap();
    let mut b = page_session(&t, "early@example.com").await;
    let page = b.get(&format!("/exams/{reg}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("data-testid=\"admission-ticket\""));
    for path in ["ticket.ics", "ticket.pdf"] {
        let res = b.get(&format!("/exams/{reg}/{path}")).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
}
