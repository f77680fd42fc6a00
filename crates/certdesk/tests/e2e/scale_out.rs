//! P2 scaled out (issue 9's acceptance): two `certdesk serve` nodes and two `certdesk worker`
//! processes on one PostgreSQL database, the notification channels pointed at local sinks
//! that speak the vendors' protocols. Candidates pay on both nodes at once while one worker is
//! killed with SIGKILL: every confirmation reaches each provider exactly once, and nothing is
//! left pending or dead.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use certdesk_notify::testing::sinks::Sinks;
use certdesk_store_sql::testing::TestDatabase;
use serde_json::json;

use crate::http::{api, id_number, token};
use crate::server::{Server, binary};

const CANDIDATES: usize = 24;
const SECRET_KEY: &str = "6a1f3c9e0b7d4a2f8e5c1b9d7a3f6e2c4b8d0a9f1e7c3b5d2a8f4e6c0b9d1a3f";

/// A `certdesk` command on the shared database, `stdin` fed to it.
fn run(args: &[&str], env: &[(&str, String)], stdin: &str) {
    let mut child = Command::new(binary())
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("CERTDESK_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("run certdesk");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "certdesk {args:?} failed");
}

/// A `certdesk worker` process, killed when dropped (also when the test fails).
struct Worker(Child);

impl Worker {
    fn start(env: &[(&str, String)]) -> Worker {
        let child = Command::new(binary())
            .arg("worker")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env("CERTDESK_LOG", "error")
            .stdout(Stdio::null())
            .spawn()
            .expect("start a worker");
        Worker(child)
    }

    /// SIGKILL: no shutdown, its leases left to expire.
    fn kill(&mut self) {
        self.0.kill().expect("SIGKILL a worker");
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_and_two_workers_deliver_every_confirmation_exactly_once() {
    let Some(db) = TestDatabase::postgres("e2e_scale_out").await else {
        return;
    };
    let sinks = Sinks::start().await;
    let mut env = sinks.env(
        "registration_confirmed=3001",
        "registration_confirmed=T-scale",
    );
    env.extend([
        ("CERTDESK_DATABASE_URL", db.url().to_owned()),
        ("CERTDESK_SECRET_KEY", SECRET_KEY.to_owned()),
        ("CERTDESK_JOB_LEASE_SECS", "5".to_owned()),
    ]);
    let (sms, wechat) = (&sinks.sms, &sinks.wechat);
    run(&["migrate"], &env, "");
    run(
        &[
            "user",
            "add",
            "--email",
            "ops@scale.certdesk.cn",
            "--role",
            "admin",
            "--password-stdin",
        ],
        &env,
        "operator-password-1\n",
    );
    let nodes = [
        Server::start_on(db.url(), &[], &env),
        Server::start_on(db.url(), &[], &env),
    ];
    let mut doomed = Worker::start(&env);
    let _survivor = Worker::start(&env);
    let http = reqwest::Client::new();
    let admin = token(
        &http,
        &nodes[0],
        "ops@scale.certdesk.cn",
        "operator-password-1",
    )
    .await;

    // A period two months ahead, 深圳, room for everyone.
    let period = api(http
        .post(nodes[1].url("/api/v1/admin/exam-periods"))
        .bearer_auth(&admin)
        .json(&json!({
            "certification": "TCCA-ARC-A",
            "starts_at": period_start(),
            "cities": [{"city": "深圳", "capacity": 100}],
        })))
    .await;

    // Candidates sign up on alternate nodes, verify, give a phone and WeChat, get cash.
    let mut tokens = Vec::new();
    for i in 0..CANDIDATES {
        let node = &nodes[i % 2];
        let email = format!("c{i}@scale.certdesk.cn");
        let phone = format!("1380013{i:04}");
        let signup = json!({"email": email, "password": "candidate-password-1", "phone": phone});
        let account = api(http.post(node.url("/api/v1/accounts")).json(&signup)).await;
        let me = token(&http, node, &email, "candidate-password-1").await;
        let identity = json!({"real_name": "张伟", "id_number": id_number(&format!("11010519900101{:03}", 100 + i))});
        api(http
            .put(node.url("/api/v1/me/identity"))
            .bearer_auth(&me)
            .json(&identity))
        .await;
        let contacts =
            json!({"phone": phone, "wechat_openid": format!("o-scale-{i}"), "opted_out": []});
        api(http
            .put(node.url("/api/v1/me/contacts"))
            .bearer_auth(&me)
            .json(&contacts))
        .await;
        let credit = json!({"kind": "cash", "amount_fen": 500_000, "reason": "测试"});
        let path = format!("/api/v1/admin/accounts/{}/credits", account["id"]);
        api(http.post(node.url(&path)).bearer_auth(&admin).json(&credit)).await;
        tokens.push(me);
    }

    // The rush, on both nodes at once; one worker dies with SIGKILL in the middle of it.
    let order = json!({"period_id": period["id"], "city": "深圳"});
    let rush: Vec<_> = tokens
        .iter()
        .enumerate()
        .map(|(i, me)| {
            let req = http
                .post(nodes[i % 2].url("/api/v1/orders"))
                .bearer_auth(me)
                .json(&order);
            tokio::spawn(async move { api(req).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    doomed.kill();
    for paid in rush {
        paid.await.unwrap();
    }

    // Every confirmation reaches each provider exactly once (the sinks count).
    let confirmations = |sinks: &Sinks| sinks.emails_titled("报名成功");
    for _ in 0..300 {
        if confirmations(&sinks) >= CANDIDATES
            && sms.accepted().len() >= CANDIDATES
            && wechat.sent().len() >= CANDIDATES
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A little longer, so a duplicate would have time to show.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(confirmations(&sinks), CANDIDATES, "one email each");
    let mut phones: Vec<_> = sms.accepted().into_iter().map(|m| m.phone).collect();
    phones.sort();
    phones.dedup();
    assert_eq!(
        (sms.accepted().len(), phones.len()),
        (CANDIDATES, CANDIDATES),
        "one SMS each"
    );
    let mut openids: Vec<_> = wechat.sent().into_iter().map(|m| m.openid).collect();
    openids.sort();
    openids.dedup();
    assert_eq!(
        (wechat.sent().len(), openids.len()),
        (CANDIDATES, CANDIDATES),
        "one WeChat each"
    );

    // Nothing lost: the killed worker's claimed jobs are taken over once their lease (5 s
    // here) runs out, so every notification job ends done; none is dead.
    let open_jobs = |status: &'static str| {
        let req = http
            .get(nodes[0].url(&format!("/api/v1/admin/jobs?status={status}&limit=200")))
            .bearer_auth(&admin);
        async move {
            let jobs = api(req).await;
            jobs.as_array()
                .unwrap()
                .iter()
                .filter(|j| j["kind"] == "notify")
                .cloned()
                .collect::<Vec<_>>()
        }
    };
    let mut left = Vec::new();
    for _ in 0..300 {
        left = open_jobs("pending").await;
        left.extend(open_jobs("running").await);
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(left.is_empty(), "still open: {left:?}");
    let dead = open_jobs("dead").await;
    assert!(dead.is_empty(), "dead: {dead:?}");
}

/// 60 days from now at 09:00 Beijing time, RFC 3339.
fn period_start() -> String {
    let now = certdesk_domain::Clock::now(&certdesk_domain::SystemClock);
    let day = now
        .to_zoned(certdesk_domain::time::programme_zone())
        .date()
        .checked_add(jiff::Span::new().days(60))
        .unwrap();
    let start = day
        .at(9, 0, 0, 0)
        .to_zoned(certdesk_domain::time::programme_zone())
        .unwrap();
    start.timestamp().to_string()
}
