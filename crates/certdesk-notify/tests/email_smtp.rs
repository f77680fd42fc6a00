//! The email transport against a real SMTP server on loopback: what arrives, and how each kind
//! of failure is classified. Run with `cargo test -p certdesk-notify --features testing`.
#![cfg(feature = "testing")]

use std::time::Duration;

use certdesk_domain::Email;
use certdesk_notify::email::{EmailConfig, Mailer, OutgoingEmail, html_email, text_email};
use certdesk_notify::testing::smtp_server::{ServerTls, SmtpServer, TEST_CA_DER};

const FROM: &str = "认证考试中心 <exams@example.cn>";
const SUBJECT: &str = "准考证已发放：云计算架构师";
const TICKET_URL: &str = "https://exams.example.cn/registrations/42/ticket?lang=zh-CN&v=1";
const WAIT: Duration = Duration::from_secs(10);

fn mailer(server: &SmtpServer) -> Mailer {
    let config = EmailConfig::new(&server.url(), FROM)
        .unwrap()
        .with_timeout(Duration::from_secs(5));
    Mailer::new(config).unwrap()
}

fn ticket_email(to: &str, message_id: &str) -> OutgoingEmail {
    let paragraphs = vec![
        "张三，您好：".to_owned(),
        "您报名的云计算架构师考试准考证已发放，考试时间为 2027年3月6日 09:00（北京时间），地点：北京。"
            .to_owned(),
        // A line starting with a dot must survive the SMTP dot-stuffing round trip.
        ".请携带身份证原件 & 准考证 <打印件> 按时到场。".to_owned(),
    ];
    let link = Some(("查看并下载准考证", TICKET_URL));
    let footer = "此邮件由系统自动发送，请勿直接回复。";
    OutgoingEmail {
        to: Email::parse(to).unwrap(),
        subject: SUBJECT.to_owned(),
        text: text_email(SUBJECT, &paragraphs, link, footer),
        html: html_email("zh-CN", SUBJECT, &paragraphs, link, footer),
        message_id: message_id.to_owned(),
        date: "2027-02-20T02:00:00Z".parse().unwrap(),
    }
}

#[tokio::test]
async fn a_chinese_ticket_email_arrives_whole_and_decodes() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    let message_id = mailer.message_id("notify-123");
    let sent = mailer
        .send(&ticket_email("zhangsan@example.com", &message_id))
        .await
        .unwrap();
    assert_eq!(sent.message_id, "<notify-123@example.cn>");
    assert!(
        sent.server_reply.starts_with("250 "),
        "{}",
        sent.server_reply
    );
    assert!(sent.server_reply.contains("queued as test-1"));

    let received = server.wait_for(1, WAIT).await;
    let email = &received[0];
    assert_eq!(email.envelope_from, "exams@example.cn");
    assert_eq!(email.recipients, ["zhangsan@example.com"]);

    // On the wire the subject is RFC 2047 encoded ASCII; decoded, it is the Chinese we sent.
    let raw_subject = email.header("Subject").unwrap();
    assert!(
        raw_subject.is_ascii() && raw_subject.contains("=?utf-8?"),
        "{raw_subject}"
    );
    assert_eq!(email.subject().as_deref(), Some(SUBJECT));

    let from = email.from().unwrap();
    assert_eq!(from.name.as_deref(), Some("认证考试中心"));
    assert_eq!(from.address, "exams@example.cn");
    let to = email.to();
    assert_eq!(to.len(), 1);
    assert_eq!(to[0].address, "zhangsan@example.com");
    assert_eq!(
        email.message_id().as_deref(),
        Some("<notify-123@example.cn>")
    );
    assert_eq!(
        email.content_type().as_deref(),
        Some("multipart/alternative")
    );
    assert!(
        email
            .header("Date")
            .unwrap()
            .contains("20 Feb 2027 02:00:00")
    );

    // The wire form has CRLF line ends; compare content, not line-end convention.
    let text = email
        .text()
        .expect("a text/plain part")
        .replace("\r\n", "\n");
    assert!(
        text.contains("考试时间为 2027年3月6日 09:00（北京时间）"),
        "{text}"
    );
    assert!(
        text.contains(&format!("查看并下载准考证:\n{TICKET_URL}")),
        "{text}"
    );
    assert!(
        text.contains("\n.请携带身份证原件 & 准考证 <打印件>"),
        "{text}"
    );

    let html = email.html().expect("a text/html part");
    assert!(
        html.contains(
            "href=\"https://exams.example.cn/registrations/42/ticket?lang=zh-CN&amp;v=1\""
        )
    );
    assert!(html.contains("&lt;打印件&gt;"), "{html}");
    assert!(html.contains("<html lang=\"zh-CN\">"));
    // text/plain comes first, so clients that can render HTML pick the last alternative.
    let raw = email.raw_text();
    let plain_at = raw.find("Content-Type: text/plain").unwrap();
    let html_at = raw.find("Content-Type: text/html").unwrap();
    assert!(plain_at < html_at);
}

#[tokio::test]
async fn a_retried_send_carries_the_same_message_id() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    let email = ticket_email("lisi@example.com", "<notify-9@example.cn>");
    mailer.send(&email).await.unwrap();
    mailer.send(&email).await.unwrap();
    let received = server.wait_for(2, WAIT).await;
    assert_eq!(received[0].message_id(), received[1].message_id());
    assert_eq!(
        received[1].message_id().as_deref(),
        Some("<notify-9@example.cn>")
    );
}

#[tokio::test]
async fn a_transient_451_is_retryable_and_the_next_attempt_goes_through() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    server.fail_next(1, 451);
    let email = ticket_email("wangwu@example.com", "<notify-2@example.cn>");
    let err = mailer.send(&email).await.unwrap_err();
    assert!(err.retryable, "{err}");
    assert_eq!(err.code, Some(451));
    assert!(server.messages().is_empty());
    mailer.send(&email).await.unwrap();
    assert_eq!(server.wait_for(1, WAIT).await.len(), 1);
}

#[tokio::test]
async fn a_550_recipient_is_final_for_that_message_only() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    server.reject_recipient("nobody@example.com", 550);
    let err = mailer
        .send(&ticket_email("nobody@example.com", "<notify-3@example.cn>"))
        .await
        .unwrap_err();
    assert!(!err.retryable, "{err}");
    assert_eq!(err.code, Some(550));
    // The server is fine: the next recipient gets theirs.
    mailer
        .send(&ticket_email(
            "zhaoliu@example.com",
            "<notify-4@example.cn>",
        ))
        .await
        .unwrap();
    let received = server.wait_for(1, WAIT).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].recipients, ["zhaoliu@example.com"]);
}

#[tokio::test]
async fn a_553_at_mail_from_is_final_and_a_450_mailbox_busy_is_not() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    server.fail_next(1, 553);
    let err = mailer
        .send(&ticket_email("a@example.com", "<notify-5@example.cn>"))
        .await
        .unwrap_err();
    assert!(!err.retryable && err.code == Some(553), "{err:?}");
    server.reject_recipient("busy@example.com", 450);
    let err = mailer
        .send(&ticket_email("busy@example.com", "<notify-6@example.cn>"))
        .await
        .unwrap_err();
    assert!(err.retryable && err.code == Some(450), "{err:?}");
}

#[tokio::test]
async fn a_server_that_is_down_is_retryable_and_back_up_takes_mail() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    server.set_down(true).await;
    let email = ticket_email("sunqi@example.com", "<notify-7@example.cn>");
    let err = mailer.send(&email).await.unwrap_err();
    assert!(err.retryable, "{err}");
    assert_eq!(err.code, None);
    server.set_down(false).await;
    mailer.send(&email).await.unwrap();
    assert_eq!(
        server.wait_for(1, WAIT).await[0].recipients,
        ["sunqi@example.com"]
    );
}

#[tokio::test]
async fn a_message_over_the_size_limit_is_refused_for_good() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    server.set_size_limit(2_000);
    let err = mailer
        .send(&ticket_email("big@example.com", "<notify-8@example.cn>"))
        .await
        .unwrap_err();
    assert!(!err.retryable && err.code == Some(552), "{err:?}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn a_malformed_message_id_never_reaches_the_server() {
    let server = SmtpServer::start().await;
    let err = mailer(&server)
        .send(&ticket_email(
            "a@example.com",
            "<x@y>\r\nBcc: spy@example.com",
        ))
        .await
        .unwrap_err();
    assert!(!err.retryable, "{err}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn a_hung_server_times_out_as_retryable() {
    // Accepts the connection but never greets.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let hold = tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    let config = EmailConfig::new(&url, FROM)
        .unwrap()
        .with_timeout(Duration::from_millis(300));
    let started = tokio::time::Instant::now();
    let err = Mailer::new(config)
        .unwrap()
        .send(&ticket_email("a@example.com", "<notify-10@example.cn>"))
        .await
        .unwrap_err();
    assert!(err.retryable, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the timeout bounds the wait"
    );
    hold.abort();
}

/// A relay with TLS, as the URL `server.url()` names it, trusting the test CA.
fn tls_mailer(url: &str) -> Mailer {
    let config = EmailConfig::new(url, FROM)
        .unwrap()
        .with_root_certificate(TEST_CA_DER.to_vec())
        .with_timeout(Duration::from_secs(5));
    Mailer::new(config).unwrap()
}

/// `smtp://127.0.0.1:1234?tls=required` → the same with `user:password@` in it.
fn with_login(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    format!("{scheme}://{user}:{password}@{rest}")
}

#[tokio::test]
async fn implicit_tls_and_starttls_carry_the_message_encrypted_after_login() {
    for tls in [ServerTls::Implicit, ServerTls::StartTls] {
        let server = SmtpServer::start_with(tls).await;
        server.require_login("exams@example.cn", "p@ss/word");
        // The URL carries the user and password percent-encoded, as a URL must.
        let url = with_login(&server.url(), "exams%40example.cn", "p%40ss%2Fword");
        let mailer = tls_mailer(&url);
        mailer
            .send(&ticket_email(
                "zhangsan@example.com",
                "<notify-11@example.cn>",
            ))
            .await
            .unwrap_or_else(|e| panic!("{tls:?}: {e}"));
        let got = &server.wait_for(1, WAIT).await[0];
        assert!(got.encrypted, "{tls:?}: the message travelled over TLS");
        assert_eq!(got.login.as_deref(), Some("exams@example.cn"), "{tls:?}");
        assert_eq!(got.subject().as_deref(), Some(SUBJECT), "{tls:?}");
    }
}

#[tokio::test]
async fn a_wrong_password_is_retryable_and_nothing_is_sent() {
    let server = SmtpServer::start_with(ServerTls::Implicit).await;
    server.require_login("exams@example.cn", "right");
    let mailer = tls_mailer(&with_login(&server.url(), "exams%40example.cn", "wrong"));
    let err = mailer
        .send(&ticket_email("a@example.com", "<notify-12@example.cn>"))
        .await
        .unwrap_err();
    // Our configuration is at fault, not the message: it waits for the operator's fix.
    assert!(err.retryable && err.code == Some(535), "{err:?}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn a_relay_certificate_we_do_not_trust_is_refused_and_retryable() {
    for tls in [ServerTls::Implicit, ServerTls::StartTls] {
        let server = SmtpServer::start_with(tls).await;
        // Only the public roots: the test CA is not among them.
        let config = EmailConfig::new(&server.url(), FROM)
            .unwrap()
            .with_timeout(Duration::from_secs(5));
        let err = Mailer::new(config)
            .unwrap()
            .send(&ticket_email("a@example.com", "<notify-13@example.cn>"))
            .await
            .unwrap_err();
        assert!(err.retryable, "{tls:?}: {err:?}");
        assert!(server.messages().is_empty(), "{tls:?}");
    }
}

#[tokio::test]
async fn starttls_is_required_or_opportunistic_as_the_url_says() {
    // A relay that offers no STARTTLS: `tls=required` sends nothing in the clear and waits for
    // the fix; `tls=opportunistic` sends in the clear.
    let plain = SmtpServer::start().await;
    let required = tls_mailer(&format!("{}?tls=required", plain.url()));
    let err = required
        .send(&ticket_email("a@example.com", "<notify-14@example.cn>"))
        .await
        .unwrap_err();
    assert!(err.retryable && err.message.contains("STARTTLS"), "{err:?}");
    assert!(plain.messages().is_empty());
    let opportunistic = tls_mailer(&format!("{}?tls=opportunistic", plain.url()));
    opportunistic
        .send(&ticket_email("a@example.com", "<notify-14@example.cn>"))
        .await
        .unwrap();
    assert!(!plain.wait_for(1, WAIT).await[0].encrypted);

    // A relay that offers it: opportunistic takes it.
    let offering = SmtpServer::start_with(ServerTls::StartTls).await;
    let url = offering.url().replace("tls=required", "tls=opportunistic");
    tls_mailer(&url)
        .send(&ticket_email("a@example.com", "<notify-15@example.cn>"))
        .await
        .unwrap();
    assert!(offering.wait_for(1, WAIT).await[0].encrypted);
}

#[tokio::test]
async fn messages_in_a_row_share_one_connection_and_a_closed_one_is_replaced() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    for n in 0..5 {
        mailer
            .send(&ticket_email(
                "a@example.com",
                &format!("<notify-2{n}@example.cn>"),
            ))
            .await
            .unwrap();
    }
    server.wait_for(5, WAIT).await;
    assert_eq!(
        server.connections(),
        1,
        "one open dialogue for five messages"
    );

    // Five at once open up to five, kept for the next messages.
    let email = |n: usize| ticket_email("b@example.com", &format!("<notify-3{n}@example.cn>"));
    let (e0, e1, e2, e3, e4) = (email(0), email(1), email(2), email(3), email(4));
    let sent = tokio::join!(
        mailer.send(&e0),
        mailer.send(&e1),
        mailer.send(&e2),
        mailer.send(&e3),
        mailer.send(&e4)
    );
    for result in [sent.0, sent.1, sent.2, sent.3, sent.4] {
        result.unwrap();
    }
    server.wait_for(10, WAIT).await;
    let opened = server.connections();
    assert!((1..=5).contains(&opened), "{opened}");

    // Fifteen at once: never more than ten connections open (the relay's slots are finite);
    // the rest wait their turn and all fifteen go through.
    let batch: Vec<OutgoingEmail> = (0..15)
        .map(|n| ticket_email("d@example.com", &format!("<notify-6{n}@example.cn>")))
        .collect();
    let mut sends = tokio::task::JoinSet::new();
    let shared = std::sync::Arc::new(mailer);
    for email in batch {
        let mailer = shared.clone();
        sends.spawn(async move { mailer.send(&email).await });
    }
    while let Some(sent) = sends.join_next().await {
        sent.unwrap().unwrap();
    }
    server.wait_for(25, WAIT).await;
    let before = opened;
    let opened = server.connections();
    assert!(
        (before..=10).contains(&opened),
        "{opened} connections in all after 15 at once"
    );
    let mailer = shared;

    // The relay drops every session (a restart): the idle connections are dead. The next
    // message fails at most once (retryable, nothing half-sent), and with it every idle
    // connection is forgotten, so the one after goes through on a new connection.
    server.cut_connections().await;
    let email = ticket_email("c@example.com", "<notify-40@example.cn>");
    if let Err(e) = mailer.send(&email).await {
        assert!(e.retryable, "{e:?}");
        mailer.send(&email).await.unwrap();
    }
    assert_eq!(server.wait_for(26, WAIT).await.len(), 26);
    assert_eq!(server.connections(), opened + 1);
}

/// Not a benchmark: a guard against the 40 ms stall per email that Nagle's algorithm and the
/// server's delayed ACK caused when the body and its closing `.` went out in two writes on a
/// socket without `TCP_NODELAY` (measured here: 44 ms per email then, 0.05 ms now, release).
/// The median of 21 sends is far from both, so a loaded machine does not make it flaky.
#[tokio::test]
async fn an_email_does_not_wait_for_the_servers_delayed_ack() {
    let server = SmtpServer::start().await;
    let mailer = mailer(&server);
    let mut took = Vec::new();
    for n in 0..21 {
        let email = ticket_email("a@example.com", &format!("<notify-5{n}@example.cn>"));
        let started = std::time::Instant::now();
        mailer.send(&email).await.unwrap();
        took.push(started.elapsed());
    }
    took.sort();
    let median = took[took.len() / 2];
    assert!(median < Duration::from_millis(20), "median {median:?}");
    assert_eq!(server.connections(), 1);
}
