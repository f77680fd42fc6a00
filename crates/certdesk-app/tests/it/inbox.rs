//! O6/P2: inbox messages are delivered by the job runner, once, and only to their owner.

use certdesk_app::SignUpInput;
use certdesk_domain::{ErrorCode, MessageId};
use certdesk_store::runner::JobHandler;
use certdesk_store::{JobStatus, PageRequest};

use crate::{PASSWORD, TestApp, code, id_number};

#[tokio::test]
async fn welcome_message_is_delivered_once_by_the_runner() {
    let t = TestApp::new().await;
    let input = SignUpInput {
        email: "qian@example.com".into(),
        password: PASSWORD.into(),
        phone: None,
    };
    let me = t.app.sign_up(input).await.unwrap();
    assert_eq!(
        t.app.unread_messages(&me).await.unwrap(),
        0,
        "nothing before the job runs"
    );

    assert_eq!(t.run_jobs().await, 1);
    assert_eq!(t.run_jobs().await, 0, "the second run finds nothing to do");
    let inbox = t
        .app
        .list_messages(&me, PageRequest::default())
        .await
        .unwrap()
        .items;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].kind, "welcome");
    assert_eq!(inbox[0].title_zh, "欢迎注册");
    assert_eq!(t.app.unread_messages(&me).await.unwrap(), 1);

    // Another account cannot read or even see someone else's message.
    let other = t.candidate("sun@example.com").await;
    assert_eq!(
        code(t.app.mark_message_read(&other, inbox[0].id).await),
        ErrorCode::NotFound
    );
    assert!(
        t.app
            .list_messages(&other, PageRequest::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        code(t.app.mark_message_read(&me, MessageId(987_654)).await),
        ErrorCode::NotFound
    );

    t.app.mark_message_read(&me, inbox[0].id).await.unwrap();
    assert_eq!(t.app.unread_messages(&me).await.unwrap(), 0);
}

#[tokio::test]
async fn a_job_delivered_twice_stores_one_message() {
    let t = TestApp::new().await;
    let me = t.candidate("feng@example.com").await;
    t.app
        .submit_identity(&me, "冯丽", &id_number("11010519491231002"))
        .await
        .unwrap();

    // Run the same job twice, as after a crash between delivering and recording the outcome.
    let job = t
        .store()
        .claim_job("test", t.app.now(), jiff::SignedDuration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (job.kind.as_str(), job.channel.as_deref()),
        ("notify", Some("inbox"))
    );
    let inbox =
        certdesk_notify::InboxChannel::new(t.store().clone(), t.app.clock().clone(), t.app.site());
    inbox.run(&job).await.unwrap();
    inbox.run(&job).await.unwrap();
    let messages = t
        .app
        .list_messages(&me, PageRequest::default())
        .await
        .unwrap()
        .items;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].kind, "identity_verified");
}

#[tokio::test]
async fn jobs_are_listed_for_operators_and_only_dead_ones_retried() {
    let t = TestApp::new().await;
    let admin = t.admin().await;
    let me = t.candidate("wu@example.com").await;
    t.app
        .submit_identity(&me, "吴磊", &id_number("11010519491231002"))
        .await
        .unwrap();
    t.run_jobs().await;
    let done = t
        .app
        .list_jobs(&admin, Some(JobStatus::Done), PageRequest::default())
        .await
        .unwrap()
        .items;
    assert_eq!(done.len(), 1);
    assert_eq!(
        code(t.app.list_jobs(&me, None, PageRequest::default()).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(t.app.retry_job(&me, done[0].id).await),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code(t.app.retry_job(&admin, done[0].id).await),
        ErrorCode::JobNotDead
    );

    // A notice for an account that does not exist fails permanently: dead, visible (P2).
    let ghost = certdesk_notify::Recipient::Account(certdesk_domain::AccountId(424_242));
    let job = certdesk_notify::inbox_job(
        ghost,
        certdesk_notify::Notice::Welcome,
        "test:ghost",
        t.app.now(),
        3,
    );
    t.store().enqueue_jobs(vec![job]).await.unwrap();
    t.run_jobs().await;
    let dead = t
        .app
        .list_jobs(&admin, Some(JobStatus::Dead), PageRequest::default())
        .await
        .unwrap()
        .items;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].attempts, 1, "a permanent failure is not retried");
    assert!(
        dead[0]
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("424242")
    );

    let retried = t.app.retry_job(&admin, dead[0].id).await.unwrap();
    assert_eq!(retried.status, JobStatus::Pending);
    let audit = t
        .app
        .list_audit(&admin, PageRequest::default())
        .await
        .unwrap()
        .items;
    assert_eq!(
        (audit[0].action.as_str(), audit[0].target_id.clone()),
        ("job.retry", dead[0].id.to_string())
    );
    assert_eq!(audit[0].before.as_ref().unwrap()["status"], "dead");
}
