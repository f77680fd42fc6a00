//! One SMTP session: the command dialogue of RFC 5321 that a submission client uses, with
//! the scripted failures of the server applied, STARTTLS (RFC 3207) and `AUTH PLAIN`
//! (RFC 4954) when the server is set up for them.

use std::sync::Arc;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio_rustls::TlsAcceptor;

use super::{ReceivedEmail, Shared};

/// RFC 5321 §4.5.3.1.6: a command or text line is at most 1000 octets with its CRLF; we allow
/// some slack and refuse beyond it rather than buffer without bound.
const MAX_LINE: u64 = 4096;

/// A plain or TLS stream: a session may start on one and continue on the other.
pub(super) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Where the client is in the dialogue.
#[derive(Default)]
struct Transaction {
    greeted: bool,
    encrypted: bool,
    /// The user name a successful `AUTH` gave.
    login: Option<String>,
    from: Option<String>,
    recipients: Vec<String>,
}

impl Transaction {
    fn reset(&mut self) {
        self.from = None;
        self.recipients.clear();
    }
}

/// `starttls`: offered (and used when asked) on a plain session. `encrypted`: the stream is
/// already TLS (implicit TLS).
pub(super) async fn session(
    stream: Box<dyn Io>,
    shared: Arc<Shared>,
    starttls: Option<TlsAcceptor>,
    encrypted: bool,
) {
    let mut conn = BufReader::new(stream);
    let mut tx = Transaction {
        encrypted,
        ..Transaction::default()
    };
    if conn
        .get_mut()
        .write_all(b"220 127.0.0.1 certdesk test ESMTP ready\r\n")
        .await
        .is_err()
    {
        return;
    }
    loop {
        let line = match read_line(&mut conn).await {
            Line::Text(line) => line,
            Line::TooLong => {
                let _ = conn
                    .get_mut()
                    .write_all(b"500 5.5.2 line too long\r\n")
                    .await;
                continue;
            }
            Line::Closed => return,
        };
        if shared.state().down {
            return;
        }
        let (verb, arg) = match line.split_once(' ') {
            Some((verb, arg)) => (verb.to_ascii_uppercase(), arg.trim()),
            None => (line.to_ascii_uppercase(), ""),
        };
        let offers_starttls = starttls.is_some() && !tx.encrypted;
        let login_required = shared.state().login.is_some();
        let reply = match verb.as_str() {
            "EHLO" | "HELO" if arg.is_empty() => "501 5.5.4 a domain or address is required".into(),
            "EHLO" => {
                tx.greeted = true;
                tx.reset();
                let limit = shared.state().size_limit;
                let starttls = if offers_starttls {
                    "250-STARTTLS\r\n"
                } else {
                    ""
                };
                let auth = if login_required {
                    "250-AUTH PLAIN\r\n"
                } else {
                    ""
                };
                format!(
                    "250-127.0.0.1 greets {arg}\r\n{starttls}{auth}250-8BITMIME\r\n\
                     250-SMTPUTF8\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE {limit}"
                )
            }
            "HELO" => {
                tx.greeted = true;
                tx.reset();
                format!("250 127.0.0.1 greets {arg}")
            }
            "STARTTLS" if offers_starttls => {
                if conn
                    .get_mut()
                    .write_all(b"220 2.0.0 ready to start TLS\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                // RFC 3207 §4.2: anything the client sent before the handshake is discarded,
                // and the dialogue starts again with EHLO.
                let plain = conn.into_inner();
                let Some(acceptor) = &starttls else { return };
                let Ok(tls) = acceptor.accept(plain).await else {
                    return;
                };
                conn = BufReader::new(Box::new(tls));
                tx = Transaction {
                    encrypted: true,
                    ..Transaction::default()
                };
                continue;
            }
            "AUTH" if login_required => auth(&shared, &mut tx, arg),
            "MAIL" if login_required && tx.login.is_none() => {
                "530 5.7.0 authentication required".into()
            }
            "MAIL" => mail_from(&shared, &mut tx, arg),
            "RCPT" => rcpt_to(&shared, &mut tx, arg),
            "DATA" if tx.recipients.is_empty() => "503 5.5.1 no valid recipients".into(),
            "DATA" => {
                if conn
                    .get_mut()
                    .write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let limit = shared.state().size_limit;
                let Some(raw) = read_data(&mut conn, limit).await else {
                    return;
                };
                let reply = store(&shared, &tx, raw);
                tx.reset();
                reply
            }
            "RSET" => {
                tx.reset();
                "250 2.0.0 OK".into()
            }
            "NOOP" => "250 2.0.0 OK".into(),
            "QUIT" => {
                let _ = conn.get_mut().write_all(b"221 2.0.0 bye\r\n").await;
                return;
            }
            "VRFY" | "EXPN" | "HELP" | "STARTTLS" | "AUTH" | "BDAT" | "ETRN" => {
                "502 5.5.1 command not implemented".into()
            }
            _ => "500 5.5.2 command unrecognized".into(),
        };
        if conn
            .get_mut()
            .write_all(format!("{reply}\r\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}

/// `AUTH PLAIN <base64 of "\0user\0password">`, the one mechanism offered; the initial
/// response is required (lettre sends it).
fn auth(shared: &Shared, tx: &mut Transaction, arg: &str) -> String {
    if !tx.greeted {
        return "503 5.5.1 EHLO first".into();
    }
    if tx.login.is_some() {
        return "503 5.5.1 already authenticated".into();
    }
    let Some((mechanism, response)) = arg.split_once(' ') else {
        return "501 5.5.2 AUTH PLAIN needs its initial response".into();
    };
    if !mechanism.eq_ignore_ascii_case("PLAIN") {
        return "504 5.5.4 unrecognized authentication type".into();
    }
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(response.trim()) else {
        return "501 5.5.2 cannot decode the response".into();
    };
    let mut parts = decoded.split(|b| *b == 0);
    let (_authzid, user, password) = (parts.next(), parts.next(), parts.next());
    let expected = shared.state().login.clone();
    match (user, password, expected) {
        (Some(user), Some(password), Some((want_user, want_password)))
            if user == want_user.as_bytes() && password == want_password.as_bytes() =>
        {
            tx.login = Some(want_user);
            "235 2.7.0 authentication successful".into()
        }
        _ => "535 5.7.8 authentication credentials invalid".into(),
    }
}

fn mail_from(shared: &Shared, tx: &mut Transaction, arg: &str) -> String {
    if !tx.greeted {
        return "503 5.5.1 EHLO first".into();
    }
    if tx.from.is_some() {
        return "503 5.5.1 nested MAIL command".into();
    }
    let Some((path, params)) = path_after(arg, "FROM:") else {
        return "501 5.5.4 syntax: MAIL FROM:<address>".into();
    };
    let mut state = shared.state();
    if let Some((left, code)) = state.fail_next.as_mut() {
        let code = *code;
        *left -= 1;
        if *left == 0 {
            state.fail_next = None;
        }
        return format!("{code} {} scripted failure", enhanced(code));
    }
    let declared_size = params.split_whitespace().find_map(|p| {
        p.to_ascii_uppercase()
            .strip_prefix("SIZE=")?
            .parse::<usize>()
            .ok()
    });
    if declared_size.is_some_and(|size| size > state.size_limit) {
        return "552 5.3.4 message size exceeds fixed limit".into();
    }
    tx.from = Some(path);
    "250 2.1.0 OK".into()
}

fn rcpt_to(shared: &Shared, tx: &mut Transaction, arg: &str) -> String {
    if tx.from.is_none() {
        return "503 5.5.1 MAIL first".into();
    }
    let Some((path, _)) = path_after(arg, "TO:") else {
        return "501 5.5.4 syntax: RCPT TO:<address>".into();
    };
    if let Some(code) = shared.state().rejected.get(&path.to_lowercase()) {
        return format!("{code} {} mailbox unavailable", enhanced(*code));
    }
    tx.recipients.push(path);
    "250 2.1.5 OK".into()
}

fn store(shared: &Shared, tx: &Transaction, raw: Vec<u8>) -> String {
    let mut state = shared.state();
    if raw.len() > state.size_limit {
        return "552 5.3.4 message size exceeds fixed limit".into();
    }
    let envelope_from = tx.from.clone().unwrap_or_default();
    state.messages.push(ReceivedEmail::new(
        envelope_from,
        tx.recipients.clone(),
        raw,
        tx.encrypted,
        tx.login.clone(),
    ));
    let queued = state.messages.len();
    drop(state);
    shared.arrived.notify_waiters();
    format!("250 2.0.0 OK queued as test-{queued}")
}

/// `FROM:<a@b.cn> SIZE=123` → (`a@b.cn`, `SIZE=123`); the keyword is case-insensitive and
/// a space after the colon is tolerated, as real servers do.
fn path_after(arg: &str, keyword: &str) -> Option<(String, String)> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    let inner = rest.strip_prefix('<')?;
    let (path, params) = inner.split_once('>')?;
    Some((path.to_owned(), params.trim().to_owned()))
}

/// The RFC 3463 class that goes with a reply code.
fn enhanced(code: u16) -> &'static str {
    if code >= 500 { "5.0.0" } else { "4.0.0" }
}

enum Line {
    Text(String),
    TooLong,
    Closed,
}

async fn read_line<R: AsyncRead + Unpin>(reader: &mut BufReader<R>) -> Line {
    let mut buf = Vec::new();
    match (&mut *reader)
        .take(MAX_LINE)
        .read_until(b'\n', &mut buf)
        .await
    {
        Ok(0) | Err(_) => Line::Closed,
        Ok(_) if !buf.ends_with(b"\n") => {
            // Skip the rest of the oversized line so the dialogue stays in step.
            loop {
                buf.clear();
                match (&mut *reader)
                    .take(MAX_LINE)
                    .read_until(b'\n', &mut buf)
                    .await
                {
                    Ok(0) | Err(_) => return Line::Closed,
                    Ok(_) if buf.ends_with(b"\n") => return Line::TooLong,
                    Ok(_) => {}
                }
            }
        }
        Ok(_) => {
            let text = String::from_utf8_lossy(&buf);
            Line::Text(text.trim_end_matches(['\r', '\n']).to_owned())
        }
    }
}

/// The message after DATA, up to the lone `.` line, with one leading dot taken off each line
/// that the client doubled (RFC 5321 §4.5.2). Keeps at most `limit + 1` bytes, so an oversized
/// message is read to its end (the dialogue stays in step) and then refused. `None`: the
/// connection closed mid-message.
async fn read_data<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
    limit: usize,
) -> Option<Vec<u8>> {
    let mut raw = Vec::new();
    let mut chunk = Vec::new();
    let mut at_line_start = true;
    loop {
        chunk.clear();
        let n = (&mut *reader)
            .take(MAX_LINE)
            .read_until(b'\n', &mut chunk)
            .await
            .ok()?;
        if n == 0 {
            return None;
        }
        if at_line_start && (chunk == b".\r\n" || chunk == b".\n") {
            return Some(raw);
        }
        let content = match chunk.strip_prefix(b".") {
            Some(unstuffed) if at_line_start => unstuffed,
            _ => &chunk[..],
        };
        if raw.len() <= limit {
            let room = limit + 1 - raw.len();
            raw.extend_from_slice(&content[..content.len().min(room)]);
        }
        at_line_start = chunk.ends_with(b"\n");
    }
}
