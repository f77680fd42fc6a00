//! O11 over the API: candidates open support tickets (about their own registration or none),
//! see only their own, and reply; operators answer from a queue; each reply tells the other
//! side in the inbox; a closed ticket takes no reply (`ticket_closed`, 409).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::reschedule_api::{e1, registered};
use crate::shop::{FEE, bought, clock, credit, period, verified};
use crate::support::{Res, START, TestApp};

async fn open(t: &TestApp, token: &str, body: Value) -> Res {
    t.post("/api/v1/me/tickets", Some(token), body).await
}

/// Opens a plain ticket and expects 201; its id.
async fn opened(t: &TestApp, token: &str, subject: &str) -> i64 {
    let res = open(
        t,
        token,
        json!({"category": "other", "subject": subject, "message": "请帮忙"}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()["id"].as_i64().unwrap()
}

async fn answer(t: &TestApp, admin: &str, id: i64, body: Value) -> Res {
    t.post(
        &format!("/api/v1/admin/tickets/{id}/messages"),
        Some(admin),
        body,
    )
    .await
}

async fn reply(t: &TestApp, token: &str, id: i64, message: &str) -> Res {
    t.post(
        &format!("/api/v1/me/tickets/{id}/messages"),
        Some(token),
        json!({ "message": message }),
    )
    .await
}

/// Runs the jobs due now (the inbox channel's), then the kinds of `token`'s inbox.
async fn inbox(t: &TestApp, token: &str) -> Vec<Value> {
    clock(t, START).await;
    let res = t.get("/api/v1/me/messages", Some(token)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.json()["items"].as_array().unwrap().clone()
}

fn of_kind<'a>(messages: &'a [Value], kind: &str) -> Vec<&'a Value> {
    messages.iter().filter(|m| m["kind"] == kind).collect()
}

#[tokio::test]
async fn o11_open_a_ticket_with_and_without_a_linked_registration() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.cn").await;
    let pid = period(&t, &admin).await;
    let (token, registration) = registered(&t, &admin, "a@example.cn", 1, pid).await;

    let res = open(
        &t,
        &token,
        json!({"category": "registration", "subject": "  改考场城市  ", "message": "能否改到北京？", "registration_id": registration}),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let ticket = res.json();
    assert_eq!(ticket["status"], "open");
    assert_eq!(ticket["category"], "registration");
    assert_eq!(ticket["subject"], "改考场城市", "trimmed");
    assert_eq!(ticket["registration_id"], registration);
    assert_eq!(ticket["messages"][0]["side"], "candidate");
    assert_eq!(ticket["messages"][0]["message"], "能否改到北京？");
    assert!(ticket.get("account_email").is_none(), "{ticket}");

    let plain = opened(&t, &token, "发票").await;
    let res = t
        .get(&format!("/api/v1/me/tickets/{plain}"), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["registration_id"], Value::Null);
    assert_eq!(res.json()["messages"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn o11_someone_elses_registration_or_order_is_not_found_with_its_field() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.cn").await;
    let pid = period(&t, &admin).await;
    let (a, a_id) = verified(&t, "a@example.cn", 1).await;
    credit(&t, &admin, a_id, "cash", FEE).await;
    let placed = bought(&t, &a, pid, "深圳").await;
    let theirs = placed["registration"]["id"].as_i64().unwrap();
    let order_of_a = placed["order"]["id"].as_i64().unwrap();
    let (mine, _) = registered(&t, &admin, "b@example.cn", 2, pid).await;
    let base = json!({"category": "registration", "subject": "关于报名", "message": "请看"});
    let mut with_registration = base.clone();
    with_registration["registration_id"] = json!(theirs);
    let res = open(&t, &mine, with_registration).await;
    let (status, code, _, field, _) = e1(&res);
    assert_eq!(
        (status, code.as_str(), field),
        (StatusCode::NOT_FOUND, "not_found", json!("registration_id"))
    );
    let mut with_order = base.clone();
    with_order["order_id"] = json!(order_of_a);
    let (status, _, _, field, _) = e1(&open(&t, &mine, with_order).await);
    assert_eq!((status, field), (StatusCode::NOT_FOUND, json!("order_id")));
    // Nothing was opened by the refused attempts.
    let list = t.get("/api/v1/me/tickets", Some(&mine)).await.json();
    assert_eq!(list["items"], json!([]));
}

#[tokio::test]
async fn o11_candidates_see_and_answer_only_their_own_tickets() {
    let t = TestApp::new().await;
    let a = t.candidate("a@example.cn").await;
    let b = t.candidate("b@example.cn").await;
    let id = opened(&t, &a, "A 的问题").await;
    for res in [
        t.get(&format!("/api/v1/me/tickets/{id}"), Some(&b)).await,
        reply(&t, &b, id, "我也想知道").await,
        t.post(
            &format!("/api/v1/me/tickets/{id}/close"),
            Some(&b),
            json!({}),
        )
        .await,
    ] {
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{}",
            res.body
        );
    }
    let theirs = t.get("/api/v1/me/tickets", Some(&b)).await.json();
    assert_eq!(theirs["items"], json!([]));
    let mine = t.get("/api/v1/me/tickets", Some(&a)).await.json();
    assert_eq!(mine["items"][0]["id"], id);
    // A's thread is untouched by B's attempts.
    let thread = t
        .get(&format!("/api/v1/me/tickets/{id}"), Some(&a))
        .await
        .json();
    assert_eq!(thread["messages"].as_array().unwrap().len(), 1);
    assert_eq!(
        t.get("/api/v1/me/tickets", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn o11_a_new_ticket_tells_every_operator_in_their_inbox() {
    let t = TestApp::new().await;
    let first = t.admin("ops1@example.cn").await;
    let second = t.admin("ops2@example.cn").await;
    let a = t.candidate("a@example.cn").await;
    let b = t.candidate("b@example.cn").await;
    let id = opened(&t, &a, "准考证打印").await;
    for operator in [&first, &second] {
        let messages = inbox(&t, operator).await;
        let told = of_kind(&messages, "support_ticket_opened");
        assert_eq!(told.len(), 1, "one notice per operator: {messages:?}");
        assert_eq!(told[0]["title"], "新工单待处理");
        let body = told[0]["body"].as_str().unwrap();
        assert!(
            body.contains("准考证打印") && body.contains(&format!("/admin/tickets/{id}")),
            "{body}"
        );
    }
    // Candidates are not told of each other's tickets, nor of their own.
    for candidate in [&a, &b] {
        assert!(of_kind(&inbox(&t, candidate).await, "support_ticket_opened").is_empty());
    }
    // A second ticket is a second notice.
    opened(&t, &b, "发票抬头").await;
    assert_eq!(
        of_kind(&inbox(&t, &first).await, "support_ticket_opened").len(),
        2
    );
}

#[tokio::test]
async fn o11_replies_move_the_status_and_notify_the_other_side() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.cn").await;
    let a = t.candidate("a@example.cn").await;
    let id = opened(&t, &a, "准考证打印").await;
    assert!(of_kind(&inbox(&t, &admin).await, "support_ticket_updated").is_empty());

    let res = answer(&t, &admin, id, json!({"message": "请在考试页面下载 PDF。"})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let answered = res.json();
    assert_eq!(answered["status"], "waiting_for_candidate");
    assert_eq!(answered["account_email"], "a@example.cn");
    assert_eq!(answered["messages"][1]["side"], "operator");
    let told = inbox(&t, &a).await;
    let told = of_kind(&told, "support_ticket_answered");
    assert_eq!(told.len(), 1, "one notice per reply");
    assert_eq!(told[0]["title"], "您的工单有新回复");
    assert!(
        told[0]["body"]
            .as_str()
            .unwrap()
            .contains(&format!("/support/{id}")),
        "{}",
        told[0]
    );

    // The candidate's reply reopens it and tells the operator who answered.
    let res = reply(&t, &a, id, "下载按钮在哪里？").await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(res.json()["status"], "open");
    assert_eq!(res.json()["messages"].as_array().unwrap().len(), 3);
    assert_eq!(
        of_kind(&inbox(&t, &admin).await, "support_ticket_updated").len(),
        1
    );

    // An operator may name the status; the audit log records the reply without its text.
    let res = answer(
        &t,
        &admin,
        id,
        json!({"message": "已在页面顶部。", "status": "resolved"}),
    )
    .await;
    assert_eq!(res.json()["status"], "resolved");
    let audit = t.get("/api/v1/admin/audit", Some(&admin)).await.json();
    let entries: Vec<&Value> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "support_ticket.reply")
        .collect();
    assert_eq!(entries.len(), 2, "{audit}");
    assert!(
        !audit.to_string().contains("已在页面顶部"),
        "no message text in the log"
    );
    assert_eq!(
        of_kind(&inbox(&t, &a).await, "support_ticket_answered").len(),
        2
    );
}

#[tokio::test]
async fn o11_a_closed_ticket_refuses_replies_with_ticket_closed() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.cn").await;
    let a = t.candidate("a@example.cn").await;
    let id = opened(&t, &a, "已解决").await;
    let res = t
        .post(
            &format!("/api/v1/me/tickets/{id}/close"),
            Some(&a),
            json!({}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(res.json()["status"], "closed");
    for res in [
        reply(&t, &a, id, "还有一个问题").await,
        answer(&t, &admin, id, json!({"message": "好的"})).await,
        t.post(
            &format!("/api/v1/me/tickets/{id}/close"),
            Some(&a),
            json!({}),
        )
        .await,
    ] {
        let (status, code, rule, _, _) = e1(&res);
        assert_eq!(
            (status, code.as_str(), rule),
            (StatusCode::CONFLICT, "ticket_closed", json!("O11"))
        );
    }
    let thread = t
        .get(&format!("/api/v1/me/tickets/{id}"), Some(&a))
        .await
        .json();
    assert_eq!(thread["messages"].as_array().unwrap().len(), 1);
    // An operator can close one too, with a last word.
    let other = opened(&t, &a, "另一个").await;
    let res = answer(
        &t,
        &admin,
        other,
        json!({"message": "已处理，关闭。", "status": "closed"}),
    )
    .await;
    assert_eq!(res.json()["status"], "closed");
    assert_eq!(reply(&t, &a, other, "谢谢").await.code(), "ticket_closed");
}

#[tokio::test]
async fn o11_admin_routes_are_for_operators_only() {
    let t = TestApp::new().await;
    let a = t.candidate("a@example.cn").await;
    let id = opened(&t, &a, "问题").await;
    for res in [
        t.get("/api/v1/admin/tickets", Some(&a)).await,
        t.get(&format!("/api/v1/admin/tickets/{id}"), Some(&a))
            .await,
        answer(&t, &a, id, json!({"message": "自问自答"})).await,
    ] {
        assert_eq!(
            (res.status, res.code().as_str()),
            (StatusCode::FORBIDDEN, "forbidden"),
            "{}",
            res.body
        );
    }
    assert_eq!(
        t.get("/api/v1/admin/tickets", None).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn o11_bad_bodies_are_422_naming_the_field() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.cn").await;
    let a = t.candidate("a@example.cn").await;
    let long = "字".repeat(5001);
    let cases = [
        (
            json!({"category": "other", "subject": "   ", "message": "x"}),
            "subject",
        ),
        (
            json!({"category": "other", "subject": "字".repeat(101), "message": "x"}),
            "subject",
        ),
        (
            json!({"category": "other", "subject": "s", "message": long}),
            "message",
        ),
        (
            json!({"category": "billing", "subject": "s", "message": "x"}),
            "category",
        ),
        (json!({"subject": "s", "message": "x"}), "category"),
        (
            json!({"category": "other", "subject": "s", "message": "x", "registration_id": "one"}),
            "registration_id",
        ),
    ];
    for (body, field) in cases {
        let res = open(&t, &a, body.clone()).await;
        let (status, _, _, got, _) = e1(&res);
        assert_eq!(
            (status, got),
            (StatusCode::UNPROCESSABLE_ENTITY, json!(field)),
            "{body}"
        );
    }
    let id = opened(&t, &a, "正常").await;
    let (status, _, _, field, _) = e1(&reply(&t, &a, id, "").await);
    assert_eq!(
        (status, field),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("message"))
    );
    let res = answer(&t, &admin, id, json!({"message": "x", "status": "pending"})).await;
    let (status, _, _, field, _) = e1(&res);
    assert_eq!(
        (status, field),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("status"))
    );
    let res = t
        .get("/api/v1/admin/tickets?status=new", Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing was written by any refused body.
    let list = t.get("/api/v1/me/tickets", Some(&a)).await.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let thread = t
        .get(&format!("/api/v1/me/tickets/{id}"), Some(&a))
        .await
        .json();
    assert_eq!(thread["status"], "open");
}

#[tokio::test]
async fn o11_lists_page_and_the_queue_serves_open_tickets_first() {
    let t = TestApp::new().await;
    let admin = t.admin("ops@example.cn").await;
    let a = t.candidate("a@example.cn").await;
    let b = t.candidate("b@example.cn").await;
    let mut ids = Vec::new();
    for (i, token) in [&a, &b, &a, &a].into_iter().enumerate() {
        ids.push(opened(&t, token, &format!("问题 {i}")).await);
    }
    // The first is answered: it now waits for its candidate, behind every open one.
    answer(&t, &admin, ids[0], json!({"message": "已回复"})).await;

    let mut seen = Vec::new();
    let mut path = "/api/v1/admin/tickets?limit=2".to_owned();
    loop {
        let page = t.get(&path, Some(&admin)).await.json();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2, "{page}");
        seen.extend(items.iter().map(|x| x["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/admin/tickets?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, vec![ids[1], ids[2], ids[3], ids[0]]);
    let waiting = t
        .get(
            "/api/v1/admin/tickets?status=waiting_for_candidate",
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(waiting["items"].as_array().unwrap().len(), 1);
    assert_eq!(waiting["items"][0]["id"], ids[0]);

    // A's own list: three, newest first, two a page.
    let first = t.get("/api/v1/me/tickets?limit=2", Some(&a)).await.json();
    let got: Vec<i64> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert_eq!(got, vec![ids[3], ids[2]]);
    let cursor = first["next_cursor"].as_str().expect("a second page");
    let second = t
        .get(
            &format!("/api/v1/me/tickets?limit=2&cursor={cursor}"),
            Some(&a),
        )
        .await
        .json();
    assert_eq!(second["items"][0]["id"], ids[0]);
    assert_eq!(second["next_cursor"], Value::Null);
    let bad = t.get("/api/v1/me/tickets?limit=0", Some(&a)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
