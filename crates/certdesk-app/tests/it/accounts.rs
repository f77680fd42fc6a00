//! Sign-up, log-in, sessions, log-out, contacts, operator accounts.

use certdesk_app::{ContactsInput, SignUpInput};
use certdesk_domain::{Clock, ErrorCode, Role};
use certdesk_store::{PageRequest, SessionKind};
use jiff::SignedDuration;
use secrecy::ExposeSecret;

use crate::{PASSWORD, TestApp, code, field};

fn sign_up(email: &str, password: &str, phone: Option<&str>) -> SignUpInput {
    SignUpInput {
        email: email.into(),
        password: password.into(),
        phone: phone.map(Into::into),
    }
}

#[tokio::test]
async fn sign_up_log_in_authenticate_log_out() {
    let t = TestApp::new().await;
    let account = t
        .app
        .sign_up(sign_up(
            " Li.Lei@Example.COM ",
            PASSWORD,
            Some("138 0000 0000"),
        ))
        .await
        .unwrap();
    assert_eq!(account.email.as_str(), "Li.Lei@example.com");
    assert_eq!(account.roles, vec![Role::Candidate]);
    assert_eq!(account.phone.as_ref().unwrap().e164(), "+8613800000000");
    assert!(account.password_hash.starts_with("$argon2id$"));

    // Emails compare case-insensitively.
    let logged_in = t
        .app
        .log_in("li.lei@example.com", PASSWORD, SessionKind::Web, None)
        .await
        .unwrap();
    assert_eq!(logged_in.account.id, account.id);
    assert_eq!(
        logged_in.expires_at,
        t.clock
            .now()
            .checked_add(SignedDuration::from_hours(7 * 24))
            .unwrap()
    );
    let token = logged_in.token.expose_secret().to_owned();
    let (session, who) = t
        .app
        .authenticate(&token)
        .await
        .unwrap()
        .expect("a live session");
    assert_eq!((session.kind, who.id), (SessionKind::Web, account.id));
    assert_ne!(
        session.token_hash,
        token.as_bytes(),
        "the token itself is never stored"
    );

    // Sessions expire (exclusive instant, T4).
    t.clock.advance(SignedDuration::from_hours(7 * 24));
    assert!(t.app.authenticate(&token).await.unwrap().is_none());

    let api = t
        .app
        .log_in("Li.Lei@example.com", PASSWORD, SessionKind::Api, None)
        .await
        .unwrap();
    assert_eq!(
        api.expires_at,
        t.clock
            .now()
            .checked_add(SignedDuration::from_hours(30 * 24))
            .unwrap()
    );
    let token = api.token.expose_secret().to_owned();
    assert!(t.app.authenticate(&token).await.unwrap().is_some());
    t.app.log_out(&token).await.unwrap();
    assert!(t.app.authenticate(&token).await.unwrap().is_none());
    t.app.log_out(&token).await.unwrap();
    assert!(t.app.authenticate("").await.unwrap().is_none());
    assert!(
        t.app
            .authenticate(&"x".repeat(10_000))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn sign_up_refuses_bad_input_naming_the_field() {
    let t = TestApp::new().await;
    let r = t.app.sign_up(sign_up("not-an-email", PASSWORD, None)).await;
    assert_eq!(field(r), Some("email".into()));
    let r = t.app.sign_up(sign_up("a@example.com", "short", None)).await;
    assert_eq!(code(r), ErrorCode::InvalidPassword);
    let r = t
        .app
        .sign_up(sign_up("a@example.com", PASSWORD, Some("12345")))
        .await;
    assert_eq!(field(r), Some("phone".into()));
}

#[tokio::test]
async fn sign_up_twice_is_email_taken_and_wrong_passwords_are_refused_alike() {
    let t = TestApp::new().await;
    t.app
        .sign_up(sign_up("wang@example.com", PASSWORD, None))
        .await
        .unwrap();
    let r = t
        .app
        .sign_up(sign_up("WANG@example.com", PASSWORD, None))
        .await;
    assert_eq!(code(r), ErrorCode::EmailTaken);

    let wrong = t
        .app
        .log_in("wang@example.com", "wrong password", SessionKind::Api, None)
        .await;
    let unknown = t
        .app
        .log_in("nobody@example.com", PASSWORD, SessionKind::Api, None)
        .await;
    let malformed = t
        .app
        .log_in("nobody", PASSWORD, SessionKind::Api, None)
        .await;
    assert_eq!(code(wrong), ErrorCode::InvalidCredentials);
    assert_eq!(code(unknown), ErrorCode::InvalidCredentials);
    assert_eq!(code(malformed), ErrorCode::InvalidCredentials);
}

#[tokio::test]
async fn operators_are_added_with_their_role_and_only_see_accounts_as_admins() {
    let t = TestApp::new().await;
    let admin = t
        .app
        .add_user("root@example.com", PASSWORD, Role::Admin, None)
        .await
        .unwrap();
    assert!(admin.has_role(Role::Admin));
    let r = t
        .app
        .add_user("staff@example.com", PASSWORD, Role::InstitutionStaff, None)
        .await;
    assert_eq!(field(r), Some("institution".into()));

    let candidate = t.candidate("zhang@example.com").await;
    assert_eq!(
        code(
            t.app
                .list_accounts(&candidate, PageRequest::default())
                .await
        ),
        ErrorCode::Forbidden
    );
    let page = t
        .app
        .list_accounts(&admin, PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
}

#[tokio::test]
async fn contacts_are_replaced_and_validated() {
    let t = TestApp::new().await;
    let me = t.candidate("zhao@example.com").await;
    let input = ContactsInput {
        phone: Some("13912345678".into()),
        email: Some("ZHAO@example.com".into()),
        wechat_openid: Some("oAbCdEf123".into()),
        opted_out: vec!["SMS".into()],
    };
    let updated = t.app.update_contacts(&me, input.clone()).await.unwrap();
    assert_eq!(updated.phone.as_ref().unwrap().masked(), "139****5678");
    assert_eq!(updated.wechat_openid.as_deref(), Some("oAbCdEf123"));
    assert_eq!(updated.opted_out, vec!["sms".to_owned()]);

    let r = t
        .app
        .update_contacts(
            &me,
            ContactsInput {
                opted_out: vec!["inbox".into()],
                ..input.clone()
            },
        )
        .await;
    assert_eq!(field(r), Some("opted_out".into()));
    let r = t
        .app
        .update_contacts(
            &me,
            ContactsInput {
                email: Some("other@example.com".into()),
                ..input.clone()
            },
        )
        .await;
    assert_eq!(field(r), Some("email".into()));
    let r = t
        .app
        .update_contacts(
            &me,
            ContactsInput {
                phone: Some("000".into()),
                ..input
            },
        )
        .await;
    assert_eq!(code(r), ErrorCode::InvalidPhone);

    let cleared = t
        .app
        .update_contacts(&me, ContactsInput::default())
        .await
        .unwrap();
    assert_eq!((cleared.phone, cleared.wechat_openid), (None, None));
    let me = t.app.me(&me).await.unwrap();
    assert!(me.identity.is_none());
}

#[tokio::test]
async fn form_key_is_the_same_on_every_node_with_the_same_secret() {
    let t = TestApp::new().await;
    // Another node (a fresh App on the same database and key) keys CSRF tokens alike.
    let other_node = t.reopen().await;
    assert_eq!(t.app.form_key(), other_node.form_key());
    // It is derived, never the secret key itself.
    let fresh = TestApp::new().await;
    assert_ne!(
        t.app.form_key(),
        fresh.app.form_key(),
        "each secret keys its own forms"
    );
}
