//! The WeChat client against the local server that speaks the vendor's endpoints.
#![cfg(feature = "testing")]

use std::collections::HashSet;
use std::sync::Arc;

use certdesk_domain::TestClock;
use certdesk_notify::templates::TemplateIds;
use certdesk_notify::testing::wechat_server::{SentTemplate, WeChatServer};
use certdesk_notify::wechat::{Step, TemplateMessage, WeChatClient, WeChatConfig, WeChatError};
use jiff::SignedDuration;
use secrecy::SecretString;

const APP_ID: &str = "wx0123456789abcdef";
const APP_SECRET: &str = "s3cr3t-0f-the-official-account";

fn clock() -> TestClock {
    TestClock::new("2026-12-01T00:00:00Z".parse().unwrap())
}

fn client_with(base_url: &str, secret: &str, clock: &TestClock) -> WeChatClient {
    let config = WeChatConfig {
        api_base: base_url.to_owned(),
        app_id: APP_ID.to_owned(),
        app_secret: SecretString::from(secret.to_owned()),
        templates: TemplateIds::default(),
    };
    WeChatClient::new(config, reqwest::Client::new(), Arc::new(clock.clone()))
}

fn client(server: &WeChatServer, clock: &TestClock) -> WeChatClient {
    client_with(server.base_url(), APP_SECRET, clock)
}

fn message(openid: &str) -> TemplateMessage {
    TemplateMessage {
        openid: openid.to_owned(),
        template_id: "TPL-registration-confirmed".to_owned(),
        url: Some("https://certdesk.example/registrations/42".to_owned()),
        data: vec![
            ("thing1".to_owned(), "CAA-101 云架构师".to_owned()),
            ("time2".to_owned(), "2026年12月12日 09:00".to_owned()),
        ],
        client_msg_id: Some(format!("job-{openid}")),
    }
}

async fn send_concurrently(client: &WeChatClient, n: usize) -> Vec<Result<String, WeChatError>> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                let accepted = client
                    .send_template(&message(&format!("o-user-{i}")))
                    .await?;
                Ok(accepted.msgid)
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("send task"));
    }
    results
}

#[tokio::test]
async fn a_send_reaches_the_server_with_the_documented_json() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let clock = clock();
    let accepted = client(&server, &clock)
        .send_template(&message("o-candidate-1"))
        .await
        .unwrap();

    let sent = server.sent();
    assert_eq!(
        sent,
        vec![SentTemplate {
            openid: "o-candidate-1".into(),
            template_id: "TPL-registration-confirmed".into(),
            url: Some("https://certdesk.example/registrations/42".into()),
            data: vec![
                ("thing1".into(), "CAA-101 云架构师".into()),
                ("time2".into(), "2026年12月12日 09:00".into()),
            ],
            client_msg_id: Some("job-o-candidate-1".into()),
            msgid: sent[0].msgid,
        }]
    );
    assert_eq!(accepted.msgid, sent[0].msgid.to_string());
    assert_eq!(server.token_fetches(), 1);
}

#[tokio::test]
async fn optional_fields_are_left_out() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let msg = TemplateMessage {
        url: None,
        client_msg_id: None,
        ..message("o-candidate-2")
    };
    client(&server, &clock()).send_template(&msg).await.unwrap();
    let sent = server.sent();
    assert_eq!(sent[0].url, None);
    assert_eq!(sent[0].client_msg_id, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_sends_fetch_one_token() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let client = client(&server, &clock());
    let results = send_concurrently(&client, 50).await;

    let msgids: HashSet<String> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(msgids.len(), 50);
    assert_eq!(server.sent().len(), 50);
    assert_eq!(server.token_fetches(), 1);
}

#[tokio::test]
async fn the_token_is_reused_until_five_minutes_before_expiry() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let clock = clock();
    let client = client(&server, &clock);
    client.send_template(&message("o-1")).await.unwrap();

    // expires_in 7200 s: refreshed at 6900 s.
    clock.advance(SignedDuration::from_secs(6899));
    client.send_template(&message("o-2")).await.unwrap();
    assert_eq!(server.token_fetches(), 1);

    clock.advance(SignedDuration::from_secs(1));
    client.send_template(&message("o-3")).await.unwrap();
    assert_eq!(server.token_fetches(), 2);
    client.send_template(&message("o-4")).await.unwrap();
    assert_eq!(server.token_fetches(), 2);
    assert_eq!(server.send_attempts(), 4, "no send was refused on the way");
}

#[tokio::test]
async fn a_short_lived_token_is_refreshed_a_tenth_early() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    server.set_expires_in(600);
    let clock = clock();
    let client = client(&server, &clock);
    client.send_template(&message("o-1")).await.unwrap();

    clock.advance(SignedDuration::from_secs(539));
    client.send_template(&message("o-2")).await.unwrap();
    assert_eq!(server.token_fetches(), 1);
    clock.advance(SignedDuration::from_secs(1));
    client.send_template(&message("o-3")).await.unwrap();
    assert_eq!(server.token_fetches(), 2);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_message_delivered() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let client = client(&server, &clock());
    client.send_template(&message("o-1")).await.unwrap();

    server.expire_tokens(); // the next send presents the old token: 42001
    client.send_template(&message("o-2")).await.unwrap();
    assert_eq!(server.token_fetches(), 2);
    assert_eq!(server.send_attempts(), 3);
    let delivered: Vec<String> = server.sent().into_iter().map(|m| m.openid).collect();
    assert_eq!(delivered, ["o-1", "o-2"]);

    // 40001 (token not the latest) is handled the same way.
    server.fail_next(1, 40001);
    client.send_template(&message("o-3")).await.unwrap();
    assert_eq!(server.token_fetches(), 3);
    assert_eq!(server.sent().len(), 3);
}

#[tokio::test]
async fn a_token_rejected_twice_is_a_retryable_error() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    server.fail_next(2, 40014);
    let err = client(&server, &clock())
        .send_template(&message("o-1"))
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.errcode(), Some(40014));
    assert_eq!(server.token_fetches(), 2, "one refresh, not a loop");
    assert_eq!(server.send_attempts(), 2);
    assert!(server.sent().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_token_rejections_cause_one_refresh() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let client = client(&server, &clock());
    client.tokens().get().await.unwrap();
    server.expire_tokens();

    let results = send_concurrently(&client, 12).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.token_fetches(), 2);
    assert_eq!(server.sent().len(), 12);
}

#[tokio::test]
async fn not_following_is_final_and_not_retried() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    server.set_not_following("o-stranger");
    let err = client(&server, &clock())
        .send_template(&message("o-stranger"))
        .await
        .unwrap_err();
    assert!(err.is_not_following());
    assert!(!err.is_retryable());
    assert_eq!(err.errcode(), Some(43004));
    assert_eq!(server.send_attempts(), 1);
    assert_eq!(server.token_fetches(), 1);
    assert!(server.sent().is_empty());
}

#[tokio::test]
async fn refused_openid_template_or_data_are_final() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let client = client(&server, &clock());
    for (i, code) in [40003, 40037, 47003].into_iter().enumerate() {
        server.fail_next(1, code);
        let err = client.send_template(&message("o-1")).await.unwrap_err();
        assert!(
            matches!(err, WeChatError::Rejected { errcode, .. } if errcode == code),
            "{err:?}"
        );
        assert!(!err.is_retryable());
        assert_eq!(server.send_attempts(), i + 1);
    }
}

#[tokio::test]
async fn busy_quota_and_an_unknown_errcode_are_retryable() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let client = client(&server, &clock());
    for code in [-1, 45009, 40164, 61234] {
        server.fail_next(1, code);
        let err = client.send_template(&message("o-1")).await.unwrap_err();
        assert!(err.is_retryable(), "{code}");
        assert_eq!(err.errcode(), Some(code));
    }
    assert_eq!(
        server.send_attempts(),
        4,
        "retrying is the job runner's call"
    );
    client.send_template(&message("o-1")).await.unwrap();
}

#[tokio::test]
async fn a_server_that_is_down_is_retryable_at_either_step() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let client = client(&server, &clock());
    server.set_down(true);
    let err = client.send_template(&message("o-1")).await.unwrap_err();
    assert_eq!(
        err,
        WeChatError::Status {
            step: Step::Token,
            status: 503
        }
    );
    assert!(err.is_retryable());

    server.set_down(false);
    client.send_template(&message("o-1")).await.unwrap();
    server.set_down(true);
    let err = client.send_template(&message("o-2")).await.unwrap_err();
    assert_eq!(
        err,
        WeChatError::Status {
            step: Step::Send,
            status: 503
        }
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn an_unreachable_server_is_retryable_and_names_no_secret() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = client_with(&base, APP_SECRET, &clock())
        .send_template(&message("o-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            WeChatError::Transport {
                step: Step::Token,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(APP_SECRET), "{shown}");
        assert!(!shown.contains(APP_ID), "the URL is left out: {shown}");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_reported_without_leaking_it() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let wrong = "wrong-secret-that-must-not-show";
    let client = client_with(server.base_url(), wrong, &clock());
    let err = client.send_template(&message("o-1")).await.unwrap_err();
    assert!(
        matches!(
            err,
            WeChatError::Api {
                step: Step::Token,
                errcode: 40125,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_retryable(), "a fixed setting lets the job through");
    for shown in [err.to_string(), format!("{err:?}"), format!("{client:?}")] {
        assert!(!shown.contains(wrong), "{shown}");
    }
    assert_eq!(server.send_attempts(), 0);
}

#[tokio::test]
async fn tokens_are_not_shown_in_debug_output() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let client = client(&server, &clock());
    let token = client.tokens().get().await.unwrap();
    assert!(token.expose().starts_with("MOCK_"));
    for shown in [format!("{token:?}"), format!("{client:?}")] {
        assert!(!shown.contains(token.expose()), "{shown}");
        assert!(!shown.contains(APP_SECRET), "{shown}");
    }
}

#[tokio::test]
async fn a_failed_refresh_falls_back_to_the_old_token_until_it_expires() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    let clock = clock();
    let client = client(&server, &clock);
    client.send_template(&message("o-1")).await.unwrap();
    server.set_token_endpoint_down(true);

    // Inside the 5-minute margin: the refresh fails, the old token still serves.
    clock.advance(SignedDuration::from_secs(7000));
    client.send_template(&message("o-2")).await.unwrap();
    assert_eq!(server.token_requests(), 2);

    // Past the vendor's expiry it no longer does.
    clock.advance(SignedDuration::from_secs(200));
    let err = client.send_template(&message("o-3")).await.unwrap_err();
    assert_eq!(
        err,
        WeChatError::Status {
            step: Step::Token,
            status: 503
        }
    );
    assert_eq!(server.sent().len(), 2);

    server.set_token_endpoint_down(false);
    client.send_template(&message("o-3")).await.unwrap();
    assert_eq!(server.token_fetches(), 2);
}

#[tokio::test]
async fn tasks_waiting_on_a_failed_fetch_share_its_failure() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    server.set_token_endpoint_down(true);
    let client = client(&server, &clock());
    // On this single-threaded runtime every task queues on the cache before the first fetch
    // is answered, so they all wait on that one fetch.
    let results = send_concurrently(&client, 20).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().is_err_and(WeChatError::is_retryable))
    );
    assert_eq!(server.token_requests(), 1);
    assert_eq!(server.send_attempts(), 0);
}

/// Several processes share one official account, each with its own token cache: with the
/// vendor's overlap, a fetch by one does not break the other's token (each fetches once).
#[tokio::test]
async fn two_processes_each_with_a_token_share_the_account_within_the_overlap() {
    let server = WeChatServer::start(APP_ID, APP_SECRET).await;
    server.set_overlap(std::time::Duration::from_secs(300));
    let (a, b) = (client(&server, &clock()), client(&server, &clock()));
    a.send_template(&message("o-a-1")).await.unwrap();
    b.send_template(&message("o-b-1")).await.unwrap();
    // `a`'s token was replaced by `b`'s fetch, and still works.
    a.send_template(&message("o-a-2")).await.unwrap();
    assert_eq!(server.token_fetches(), 2);
    assert_eq!(server.sent().len(), 3);

    // Without the overlap, the replaced token is refused and `a` fetches again.
    server.set_overlap(std::time::Duration::ZERO);
    b.send_template(&message("o-b-2")).await.unwrap();
    let strict = WeChatServer::start(APP_ID, APP_SECRET).await;
    let (c, d) = (client(&strict, &clock()), client(&strict, &clock()));
    c.send_template(&message("o-c-1")).await.unwrap();
    d.send_template(&message("o-d-1")).await.unwrap();
    c.send_template(&message("o-c-2")).await.unwrap();
    assert_eq!(strict.token_fetches(), 3, "c's token was replaced at once");
}
