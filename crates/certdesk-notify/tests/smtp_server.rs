//! The test SMTP server speaks the protocol, checked byte by byte with a hand-driven client.
#![cfg(feature = "testing")]

use std::time::Duration;

use certdesk_notify::testing::smtp_server::SmtpServer;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

struct Client {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Client {
    async fn connect(server: &SmtpServer) -> Client {
        let (read, writer) = TcpStream::connect(server.addr())
            .await
            .unwrap()
            .into_split();
        let mut client = Client {
            reader: BufReader::new(read),
            writer,
        };
        assert!(client.reply().await.starts_with("220 "));
        client
    }

    /// One reply, all its lines (`250-…` continues, `250 …` ends).
    async fn reply(&mut self) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).await.unwrap();
            assert!(line.ends_with("\r\n"), "replies end in CRLF: {line:?}");
            all.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return all;
            }
        }
    }

    async fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).await.unwrap();
    }

    async fn command(&mut self, line: &str) -> String {
        self.send(&format!("{line}\r\n")).await;
        self.reply().await
    }
}

#[tokio::test]
async fn the_dialogue_follows_rfc_5321_and_unstuffs_dots() {
    let server = SmtpServer::start().await;
    let mut c = Client::connect(&server).await;
    assert!(
        c.command("MAIL FROM:<a@example.cn>")
            .await
            .starts_with("503 ")
    );
    let ehlo = c.command("EHLO client.example.cn").await;
    for extension in ["250-8BITMIME", "SMTPUTF8", "PIPELINING", "SIZE "] {
        assert!(ehlo.contains(extension), "{ehlo}");
    }
    assert!(
        c.command("DATA").await.starts_with("503 "),
        "DATA needs recipients"
    );
    assert!(
        c.command("RCPT TO:<b@example.cn>")
            .await
            .starts_with("503 "),
        "RCPT needs MAIL"
    );
    assert!(c.command("FROB").await.starts_with("500 "));
    assert!(c.command("VRFY b").await.starts_with("502 "));
    assert!(c.command("NOOP").await.starts_with("250 "));
    assert!(
        c.command("mail from:<a@example.cn> SIZE=100")
            .await
            .starts_with("250 ")
    );
    assert!(
        c.command("RCPT TO:<b@example.cn>")
            .await
            .starts_with("250 ")
    );
    assert!(
        c.command("RCPT TO: <c@example.cn>")
            .await
            .starts_with("250 ")
    );
    assert!(c.command("DATA").await.starts_with("354 "));
    c.send("Subject: hi\r\n\r\n..leading dot\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("250 "));
    assert!(c.command("QUIT").await.starts_with("221 "));

    let received = server.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(received[0].envelope_from, "a@example.cn");
    assert_eq!(received[0].recipients, ["b@example.cn", "c@example.cn"]);
    assert_eq!(received[0].raw, b"Subject: hi\r\n\r\n.leading dot\r\n");
}

#[tokio::test]
async fn rset_drops_the_transaction_and_pipelined_commands_are_answered_in_order() {
    let server = SmtpServer::start().await;
    let mut c = Client::connect(&server).await;
    c.command("EHLO x.example.cn").await;
    c.command("MAIL FROM:<a@example.cn>").await;
    assert!(c.command("RSET").await.starts_with("250 "));
    assert!(
        c.command("DATA").await.starts_with("503 "),
        "RSET forgot the sender"
    );
    c.send("MAIL FROM:<a@example.cn>\r\nRCPT TO:<b@example.cn>\r\nDATA\r\n")
        .await;
    for expected in ["250 ", "250 ", "354 "] {
        assert!(c.reply().await.starts_with(expected));
    }
    c.send("one\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("250 "));
    assert_eq!(
        server.wait_for(1, Duration::from_secs(5)).await[0].raw,
        b"one\r\n"
    );
}

#[tokio::test]
async fn scripted_refusals_apply_then_wear_off() {
    let server = SmtpServer::start().await;
    server.fail_next(2, 451);
    server.reject_recipient("Gone@Example.cn", 550);
    let mut c = Client::connect(&server).await;
    c.command("HELO x.example.cn").await;
    assert!(
        c.command("MAIL FROM:<a@example.cn>")
            .await
            .starts_with("451 ")
    );
    assert!(
        c.command("MAIL FROM:<a@example.cn>")
            .await
            .starts_with("451 ")
    );
    assert!(
        c.command("MAIL FROM:<a@example.cn>")
            .await
            .starts_with("250 ")
    );
    assert!(
        c.command("RCPT TO:<gone@example.cn>")
            .await
            .starts_with("550 ")
    );
    assert!(
        c.command("DATA").await.starts_with("503 "),
        "no accepted recipient"
    );
}

#[tokio::test]
async fn an_oversized_message_is_read_to_its_end_then_refused() {
    let server = SmtpServer::start().await;
    server.set_size_limit(10);
    let mut c = Client::connect(&server).await;
    c.command("EHLO x.example.cn").await;
    assert!(
        c.command("MAIL FROM:<a@example.cn> SIZE=11")
            .await
            .starts_with("552 ")
    );
    c.command("MAIL FROM:<a@example.cn>").await;
    c.command("RCPT TO:<b@example.cn>").await;
    c.command("DATA").await;
    c.send("0123456789abcdef\r\n.\r\n").await;
    assert!(c.reply().await.starts_with("552 "));
    assert!(c.command("NOOP").await.starts_with("250 "), "still in step");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn down_refuses_connections_and_cuts_open_sessions() {
    let server = SmtpServer::start().await;
    let mut open = Client::connect(&server).await;
    server.set_down(true).await;
    assert!(TcpStream::connect(server.addr()).await.is_err());
    open.send("NOOP\r\n").await;
    let mut line = String::new();
    let read = open.reader.read_line(&mut line).await;
    assert!(matches!(read, Ok(0) | Err(_)), "closed, got {line:?}");
    server.set_down(false).await;
    Client::connect(&server).await;
}

#[tokio::test]
#[should_panic(expected = "expected 1 email(s) within 50ms, 0 arrived")]
async fn waiting_for_mail_that_never_comes_fails_the_test() {
    let server = SmtpServer::start().await;
    server.wait_for(1, Duration::from_millis(50)).await;
}
