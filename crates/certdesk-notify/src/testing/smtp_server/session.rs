//! One SMTP session: the command dialogue of RFC 5321 that a submission client uses, with
//! the scripted failures of the server applied.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::{ReceivedEmail, Shared};

/// RFC 5321 §4.5.3.1.6: a command or text line is at most 1000 octets with its CRLF; we allow
/// some slack and refuse beyond it rather than buffer without bound.
const MAX_LINE: u64 = 4096;

/// Where the client is in the dialogue.
#[derive(Default)]
struct Transaction {
    greeted: bool,
    from: Option<String>,
    recipients: Vec<String>,
}

impl Transaction {
    fn reset(&mut self) {
        self.from = None;
        self.recipients.clear();
    }
}

pub(super) async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut tx = Transaction::default();
    if write
        .write_all(b"220 127.0.0.1 certdesk test ESMTP ready\r\n")
        .await
        .is_err()
    {
        return;
    }
    loop {
        let line = match read_line(&mut reader).await {
            Line::Text(line) => line,
            Line::TooLong => {
                let _ = write.write_all(b"500 5.5.2 line too long\r\n").await;
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
        let reply = match verb.as_str() {
            "EHLO" | "HELO" if arg.is_empty() => "501 5.5.4 a domain or address is required".into(),
            "EHLO" => {
                tx.greeted = true;
                tx.reset();
                let limit = shared.state().size_limit;
                format!(
                    "250-127.0.0.1 greets {arg}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n\
                     250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 SIZE {limit}"
                )
            }
            "HELO" => {
                tx.greeted = true;
                tx.reset();
                format!("250 127.0.0.1 greets {arg}")
            }
            "MAIL" => mail_from(&shared, &mut tx, arg),
            "RCPT" => rcpt_to(&shared, &mut tx, arg),
            "DATA" if tx.recipients.is_empty() => "503 5.5.1 no valid recipients".into(),
            "DATA" => {
                if write
                    .write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n")
                    .await
                    .is_err()
                {
                    return;
                }
                let limit = shared.state().size_limit;
                let Some(raw) = read_data(&mut reader, limit).await else {
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
                let _ = write.write_all(b"221 2.0.0 bye\r\n").await;
                return;
            }
            "VRFY" | "EXPN" | "HELP" | "STARTTLS" | "AUTH" | "BDAT" | "ETRN" => {
                "502 5.5.1 command not implemented".into()
            }
            _ => "500 5.5.2 command unrecognized".into(),
        };
        if write
            .write_all(format!("{reply}\r\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
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
