//! O6 on the pages: the account's notification channels and WeChat binding, the language
//! notifications are written in, the operators' template preview, and the outbox on /metrics.

use certdesk_domain::{Email, Locale};
use certdesk_notify::notice::KINDS;
use certdesk_store::{AccountStore, DeliveryStore};

use crate::support::{PASSWORD, TestApp};

async fn account(t: &TestApp, email: &str) -> certdesk_store::Account {
    t.store
        .find_account_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_candidate_chooses_channels_binds_wechat_and_is_written_to_in_their_language() {
    let t = TestApp::new().await;
    let mut b = t.browser();
    b.sign_up("notify.me@example.com").await;
    let page = b.get("/account").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-testid=\"notify-channels\""));
    // Every outside channel starts on.
    for channel in ["notify-email", "notify-sms", "notify-wechat"] {
        let at = page
            .body
            .find(&format!("data-testid=\"{channel}\""))
            .unwrap();
        let tag_end = at + page.body[at..].find('>').unwrap();
        assert!(
            page.body[at..tag_end].contains("checked"),
            "{channel} on by default"
        );
    }

    // SMS and WeChat off, email kept; a WeChat openid bound.
    let res = b
        .submit(
            "/account",
            "/account/contacts",
            &[
                ("phone", "13800138000"),
                ("wechat_openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"),
                ("email_on", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let me = account(&t, "notify.me@example.com").await;
    assert_eq!(me.opted_out, vec!["sms".to_owned(), "wechat".to_owned()]);
    assert_eq!(
        me.wechat_openid.as_deref(),
        Some("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o")
    );
    let page = b.get("/account?saved=1").await;
    let at = page.body.find("data-testid=\"notify-sms\"").unwrap();
    let tag_end = at + page.body[at..].find('>').unwrap();
    assert!(!page.body[at..tag_end].contains("checked"), "SMS shown off");

    // A malformed openid is refused on its field, nothing changed.
    let res = b
        .submit(
            "/account",
            "/account/contacts",
            &[
                ("phone", "13800138000"),
                ("wechat_openid", "not an openid!"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("data-testid=\"wechat-error\""));
    assert_eq!(
        account(&t, "notify.me@example.com").await.opted_out.len(),
        2
    );

    // The language chosen on the site is the language of the notifications.
    assert_eq!(
        t.store.find_account_locale(me.id).await.unwrap(),
        Locale::ZhCn
    );
    let res = b.get("/lang/en?next=/account").await;
    assert_eq!(res.status, 303);
    assert_eq!(
        t.store.find_account_locale(me.id).await.unwrap(),
        Locale::En
    );
}

#[tokio::test]
async fn operators_preview_every_kind_on_every_channel_and_candidates_cannot() {
    let t = TestApp::new().await;
    t.admin("ops@example.com").await;
    let mut ops = t.browser();
    ops.submit(
        "/login",
        "/login",
        &[("email", "ops@example.com"), ("password", PASSWORD)],
    )
    .await;
    let page = ops.get("/admin/notifications").await;
    assert_eq!(page.status, 200, "{}", page.body);
    for kind in KINDS {
        assert!(
            page.body
                .contains(&format!("data-testid=\"preview-{kind}\"")),
            "{kind} previewed"
        );
    }
    // Sample data in both languages, with each channel's form.
    for text in [
        "准考证已发放",
        "Admission ticket issued",
        "T2027000120000158",
        "thing1=",
        "character_string5=T2027000120000158",
        "未配置邮件、短信或微信",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    let mut candidate = t.browser();
    candidate.sign_up("someone@example.com").await;
    let res = candidate.get("/admin/notifications").await;
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn metrics_count_the_outbox_per_channel() {
    let t = TestApp::new().await;
    // A sign-up leaves its welcome waiting in the inbox channel's outbox.
    t.sign_up("metrics@example.com").await;
    let res = t.get("/metrics", None).await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("# HELP certdesk_notification_jobs"));
    assert!(
        res.body
            .contains("certdesk_notification_jobs{channel=\"inbox\",state=\"waiting\"} 1"),
        "{}",
        res.body
    );
    assert!(
        res.body
            .contains("certdesk_notification_outbox_oldest_seconds{channel=\"inbox\"}")
    );
}
