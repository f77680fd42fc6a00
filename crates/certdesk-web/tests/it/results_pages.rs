//! O6 on the pages: operators import results at `/admin/results` (a file, multipart with the
//! CSRF token, or pasted text), and the candidate's exam page shows the result.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

use crate::official_pages::signed_in;
use crate::results_support::{after_exam, sat};
use crate::support::{Browser, Res, csrf_token};

const BOUNDARY: &str = "certdesk-test-boundary";

/// A multipart body: text fields, then the file (as browsers send a form in DOM order).
fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(bytes) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"成绩.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(b: &mut Browser<'_>, body: Vec<u8>) -> Res {
    let cookies = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = Request::builder()
        .method(Method::POST)
        .uri("/admin/results")
        .header(header::COOKIE, cookies)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    b.send(req).await
}

#[tokio::test]
async fn operator_imports_a_file_and_the_candidate_sees_the_result() {
    let t = crate::support::TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 2).await;
    let (_, regs) = after_exam(&t, &regs).await;
    let mut ops = signed_in(&t, "ops@example.com").await;
    let page = ops.get("/admin/results").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("成绩导入") && page.body.contains(r#"enctype="multipart/form-data""#)
    );
    let token = csrf_token(&page.body);

    // Without the CSRF token the upload is refused.
    let csv = format!(
        "registration_id,score,absent\r\n{},91,false\r\n{},,true\r\n",
        regs[0].1, regs[1].1
    );
    let res = post_multipart(&mut ops, multipart(&[("csv", "")], Some(csv.as_bytes()))).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // A file in GB18030 with the token first, as the page's form sends it.
    let spaced = csv.replace(",91,", ",91\u{3000},");
    let (gb, _, _) = encoding_rs::GB18030.encode(&spaced);
    let body = multipart(&[("csrf_token", &token), ("csv", "")], Some(&gb));
    let res = post_multipart(&mut ops, body).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        res.body
            .contains(r#"data-testid="results-accepted" data-count="2""#),
        "{}",
        res.body
    );

    let mut candidate = signed_in(&t, "sat0@example.com").await;
    let exam = candidate.get(&format!("/exams/{}", regs[0].1)).await;
    assert!(
        exam.body
            .contains(r#"data-testid="exam-result" data-result="passed""#),
        "{}",
        exam.body
    );
    assert!(exam.body.contains("91 分"));
    let mut absent = signed_in(&t, "sat1@example.com").await;
    let exam = absent.get(&format!("/exams/{}", regs[1].1)).await;
    assert!(exam.body.contains(r#"data-result="absent""#) && exam.body.contains("缺考"));
}

#[tokio::test]
async fn a_pasted_file_with_bad_lines_lists_them_and_keeps_the_text() {
    let t = crate::support::TestApp::new().await;
    let admin = t.admin("ops@example.com").await;
    let regs = sat(&t, &admin, 1).await;
    let mut ops = signed_in(&t, "ops@example.com").await;
    // Before the exam has ended; and an unknown registration.
    let csv = format!(
        "registration_id,score,absent\n{},80,false\n424242,80,false\n",
        regs[0].1
    );
    let res = ops
        .submit("/admin/results", "/admin/results", &[("csv", &csv)])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(
        res.body
            .contains(r#"data-testid="rejected-line-2" data-code="exam_not_ended""#)
    );
    assert!(
        res.body
            .contains(r#"data-testid="rejected-line-3" data-code="unknown_registration""#)
    );
    assert!(
        res.body.contains("424242,80,false"),
        "the pasted text is kept"
    );
    let en = ops
        .request(Method::GET, "/lang/en?next=/admin/results", None, &[])
        .await;
    assert!(en.status.is_redirection());
    let page = ops.get("/admin/results").await;
    assert!(page.body.contains("Import results"));
    // A candidate has no business here.
    t.candidate("nosy@example.com").await;
    let mut nosy = signed_in(&t, "nosy@example.com").await;
    assert_eq!(
        nosy.get("/admin/results").await.status,
        StatusCode::FORBIDDEN
    );
}
