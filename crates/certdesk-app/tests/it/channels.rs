//! O6/P2/P1 over the outside channels: a paid registration's confirmation reaches the
//! candidate by email (a real SMTP server on loopback), SMS (a server that checks Tencent
//! Cloud's TC3 signature) and WeChat (a server speaking the template-message endpoints); what
//! each provider accepted is recorded once; a provider down for an hour loses nothing and
//! sends nothing twice; opt-outs, missing addresses and non-followers are skipped, not retried;
//! the confirmation promise is kept when the last channel is done.

use std::sync::Arc;
use std::time::Duration;

use certdesk_app::ContactsInput;
use certdesk_app::Placed;
use certdesk_domain::Clock as _;
use certdesk_domain::{JobId, PromiseKind};
use certdesk_notify::email::{EmailConfig, Mailer};
use certdesk_notify::senders::{EmailSender, SmsSender, WeChatSender};
use certdesk_notify::sms::SmsClient;
use certdesk_notify::templates::TemplateIds;
use certdesk_notify::testing::sms_server::SmsServer;
use certdesk_notify::testing::smtp_server::SmtpServer;
use certdesk_notify::testing::wechat_server::WeChatServer;
use certdesk_notify::wechat::{WeChatClient, WeChatConfig};
use certdesk_store::{Account, DeliveryStatus, JobStatus, PageRequest};
use secrecy::SecretString;

use crate::official::{World, hours};

/// The three providers, on loopback.
struct Providers {
    smtp: SmtpServer,
    sms: SmsServer,
    wechat: WeChatServer,
}

impl Providers {
    async fn start() -> Providers {
        Providers {
            smtp: SmtpServer::start().await,
            sms: SmsServer::start("AKIDtest", "test-secret-key", "1400000001").await,
            wechat: WeChatServer::start("wx-test", "wechat-secret").await,
        }
    }

    async fn set_down(&self, down: bool) {
        self.smtp.set_down(down).await;
        self.sms.set_down(down);
        self.wechat.set_down(down);
    }
}

/// A world whose app sends on all three channels.
async fn world(p: &Providers) -> World {
    let mut w = World::new().await;
    let mailer = Mailer::new(
        EmailConfig::new(&p.smtp.url(), "认证考试中心 <exams@certdesk.example.cn>").unwrap(),
    )
    .unwrap();
    let http = reqwest::Client::new();
    let real = Arc::new(certdesk_domain::SystemClock);
    let sms = SmsClient::new(p.sms.client_config(), http.clone(), real.clone());
    let ids = "registration_confirmed=2001,admission_ticket_issued=2002";
    let wechat = WeChatClient::new(
        WeChatConfig {
            api_base: p.wechat.base_url().to_owned(),
            app_id: "wx-test".into(),
            app_secret: SecretString::from("wechat-secret"),
            templates: TemplateIds::parse("X", "registration_confirmed=tmpl-confirm").unwrap(),
        },
        http,
        real,
    );
    w.t.app =
        w.t.app
            .clone()
            .with_public_url("https://exams.example.cn")
            .with_sender(Arc::new(EmailSender::new(mailer)))
            .with_sender(Arc::new(SmsSender::new(
                sms,
                TemplateIds::parse("X", ids).unwrap(),
            )))
            .with_sender(Arc::new(WeChatSender::new(
                wechat,
                TemplateIds::parse("X", "registration_confirmed=tmpl-confirm").unwrap(),
            )));
    w
}

async fn reachable(w: &World, email: &str, id17: &str, openid: &str) -> Account {
    let me = w.verified(email, id17).await;
    w.t.app
        .update_contacts(
            &me,
            ContactsInput {
                phone: Some("13800138000".into()),
                email: None,
                wechat_openid: Some(openid.into()),
                opted_out: Vec::new(),
            },
        )
        .await
        .unwrap()
}

async fn buy(w: &World, me: &Account) -> Placed {
    let period = w.period().await;
    w.credit(me.id, "cash", 100_000).await;
    w.t.app
        .register_and_pay(me, crate::official::order(&period, "深圳"), None)
        .await
        .unwrap()
}

/// The confirmation's jobs on the outside channels (the sign-up's identity and credit
/// notices have theirs too).
async fn notify_jobs(w: &World, status: JobStatus) -> Vec<certdesk_store::Job> {
    w.t.store()
        .list_jobs(Some(status), PageRequest::first(200))
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|j| j.kind == "notify" && j.channel.as_deref() != Some("inbox"))
        .filter(|j| j.payload["notice"] == "registration_confirmed")
        .collect()
}

async fn confirmation(w: &World, placed: &Placed) -> certdesk_store::Promise {
    let all =
        w.t.store()
            .list_promises(placed.registration.id)
            .await
            .unwrap();
    all.into_iter()
        .find(|p| p.kind == PromiseKind::Confirmation)
        .unwrap()
}

async fn delivery(w: &World, job: JobId) -> certdesk_store::Delivery {
    w.t.store().find_delivery(job).await.unwrap().unwrap()
}

#[tokio::test]
async fn a_confirmation_reaches_every_channel_once_and_keeps_its_promise() {
    let p = Providers::start().await;
    let w = world(&p).await;
    let me = reachable(&w, "li.lei@example.com", "11010519900101100", "o-lilei").await;
    let placed = buy(&w, &me).await;
    // P2: one outbox job per outside channel, committed with the payment; the promise waits.
    let waiting = notify_jobs(&w, JobStatus::Pending).await;
    let channels: Vec<_> = waiting.iter().filter_map(|j| j.channel.clone()).collect();
    assert!(
        ["email", "sms", "wechat"]
            .iter()
            .all(|c| channels.contains(&c.to_string()))
    );
    assert_eq!(confirmation(&w, &placed).await.kept_at, None);

    w.t.run_jobs().await;
    let emails = p.smtp.wait_for(3, Duration::from_secs(5)).await;
    let email = emails
        .iter()
        .find(|e| e.subject().as_deref() == Some("报名成功"))
        .expect("the confirmation email");
    assert_eq!(email.subject().as_deref(), Some("报名成功"));
    assert!(email.text().unwrap().contains("深圳"));
    let link = "https://exams.example.cn/exams".to_owned();
    assert!(email.text().unwrap().contains(&link));
    assert!(email.html().unwrap().contains(&link));
    assert_eq!(email.to()[0].address, "li.lei@example.com");

    // SMS carries the kinds it has templates for: the confirmation only, here.
    let sms = p.sms.accepted();
    assert_eq!(sms.len(), 1);
    assert_eq!(sms[0].phone, "+8613800138000");
    assert_eq!(sms[0].template_id, "2001");
    assert_eq!(sms[0].params[1], "深圳");

    let wechat = p.wechat.sent();
    assert_eq!(wechat.len(), 1);
    assert_eq!(wechat[0].openid, "o-lilei");
    assert_eq!(wechat[0].template_id, "tmpl-confirm");
    assert_eq!(wechat[0].url.as_deref(), Some(link.as_str()));
    assert!(
        wechat[0]
            .data
            .iter()
            .any(|(k, v)| k == "thing1" && v == "报名成功")
    );

    // What each provider accepted is recorded with its id; the promise is kept now.
    for job in notify_jobs(&w, JobStatus::Done).await {
        let d = delivery(&w, job.id).await;
        assert_eq!(d.status, DeliveryStatus::Sent, "{:?}", job.channel);
        assert!(d.provider_id.is_some());
    }
    let kept = confirmation(&w, &placed).await;
    assert_eq!(kept.kept_at, Some(w.t.clock.now()));
    let inbox = w.messages(&me).await;
    assert!(
        inbox.iter().any(|m| m.title_zh == "报名成功"),
        "and the inbox, as always"
    );

    // A job that runs again (a lost lease after the send) never sends twice.
    let done = notify_jobs(&w, JobStatus::Done).await;
    let handler_runs_again = done.iter().map(|j| j.id).collect::<Vec<_>>();
    assert_eq!(handler_runs_again.len(), 3);
    w.t.run_jobs().await;
    assert_eq!(p.sms.accepted().len(), 1);
    assert_eq!(p.smtp.messages().len(), 3);
}

#[tokio::test]
async fn providers_down_for_an_hour_lose_nothing_and_send_once() {
    let p = Providers::start().await;
    let w = world(&p).await;
    let me = reachable(&w, "han.meimei@example.com", "11010519900101101", "o-han").await;
    w.t.run_jobs().await;
    let before = p.smtp.wait_for(1, Duration::from_secs(5)).await.len();
    p.set_down(true).await;
    let placed = buy(&w, &me).await;
    let start = w.t.clock.now();
    // An hour of test-clock time, the worker running every five minutes.
    for minute in (0..=60).step_by(5) {
        w.t.clock.set(start + certdesk_app_minutes(minute));
        w.t.run_jobs().await;
    }
    assert_eq!(p.smtp.messages().len(), before);
    assert!(p.sms.accepted().is_empty() && p.wechat.sent().is_empty());
    let retrying = notify_jobs(&w, JobStatus::Pending).await;
    assert_eq!(retrying.len(), 3, "every channel still waiting, none dead");
    assert!(
        retrying
            .iter()
            .all(|j| j.attempts >= 5 && j.last_error.is_some())
    );
    assert_eq!(confirmation(&w, &placed).await.kept_at, None);

    p.set_down(false).await;
    w.t.clock.set(start + hours(3));
    w.t.run_jobs().await;
    let after = p.smtp.wait_for(before + 2, Duration::from_secs(5)).await;
    let confirmations = after
        .iter()
        .filter(|e| e.subject().as_deref() == Some("报名成功"))
        .count();
    assert_eq!(confirmations, 1);
    assert_eq!(p.sms.accepted().len(), 1);
    assert_eq!(p.wechat.sent().len(), 1);
    assert!(notify_jobs(&w, JobStatus::Pending).await.is_empty());
    assert!(notify_jobs(&w, JobStatus::Dead).await.is_empty());
    let kept = confirmation(&w, &placed).await;
    assert_eq!(kept.kept_at, Some(start + hours(3)));
    assert!(
        kept.kept_at.unwrap() <= kept.due_at,
        "kept on time: due the next business day"
    );
}

fn certdesk_app_minutes(n: i64) -> jiff::SignedDuration {
    jiff::SignedDuration::from_mins(n)
}

#[tokio::test]
async fn opt_outs_missing_addresses_and_non_followers_are_skipped_not_retried() {
    let p = Providers::start().await;
    let w = world(&p).await;
    let me = w.verified("quiet@example.com", "11010519900101102").await;
    // No phone; email turned off; WeChat bound to an openid that does not follow the account.
    let me =
        w.t.app
            .update_contacts(
                &me,
                ContactsInput {
                    phone: None,
                    email: None,
                    wechat_openid: Some("o-unfollowed".into()),
                    opted_out: vec!["email".into()],
                },
            )
            .await
            .unwrap();
    p.wechat.set_not_following("o-unfollowed");
    let placed = buy(&w, &me).await;
    w.t.run_jobs().await;
    assert!(p.smtp.messages().is_empty() && p.sms.accepted().is_empty());
    let done = notify_jobs(&w, JobStatus::Done).await;
    assert_eq!(done.len(), 3, "no retry, no dead job");
    let mut seen = Vec::new();
    for job in &done {
        let d = delivery(&w, job.id).await;
        seen.push((job.channel.clone().unwrap(), d.status));
    }
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        vec![
            ("email".to_owned(), DeliveryStatus::Skipped),
            ("sms".to_owned(), DeliveryStatus::Skipped),
            ("wechat".to_owned(), DeliveryStatus::Undeliverable),
        ]
    );
    assert_eq!(p.wechat.sent().len(), 0);
    assert!(confirmation(&w, &placed).await.kept_at.is_some());
}

#[tokio::test]
async fn a_final_failure_is_dead_for_an_operator_and_a_retry_sends_it() {
    let p = Providers::start().await;
    let w = world(&p).await;
    let me = reachable(&w, "retry@example.com", "11010519900101103", "o-retry").await;
    p.sms
        .fail_next(1, "FailedOperation.TemplateIncorrectOrUnapproved");
    let placed = buy(&w, &me).await;
    w.t.run_jobs().await;
    let dead = notify_jobs(&w, JobStatus::Dead).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].channel.as_deref(), Some("sms"));
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("TemplateIncorrectOrUnapproved")
    );
    // P1: finally failed counts as done for the promise; P2: it waits for an operator.
    assert!(confirmation(&w, &placed).await.kept_at.is_some());
    w.t.app.retry_job(&w.admin, dead[0].id).await.unwrap();
    w.t.clock.advance(hours(1));
    w.t.run_jobs().await;
    assert_eq!(p.sms.accepted().len(), 1);
    assert!(notify_jobs(&w, JobStatus::Dead).await.is_empty());
}
