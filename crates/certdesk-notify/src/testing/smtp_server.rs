//! A real SMTP server (the RFC 5321 subset a submission client uses) on 127.0.0.1, for tests
//! that send email and read what arrived. It speaks over a real socket, so the client under
//! test runs its real code path: greeting, EHLO, envelope, DATA with dot-stuffing, QUIT.
//!
//! Scriptable failures: a recipient refused with a chosen code, the next n transactions refused
//! at MAIL FROM, and the whole server down (connections refused) and up again on the same port.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

mod received;
mod session;

pub use received::{HeaderMailbox, ReceivedEmail};

/// Messages above this many bytes are refused with 552 (advertised as `SIZE`).
pub const DEFAULT_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// The running server; it stops when dropped.
#[derive(Debug)]
pub struct SmtpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    pub(super) down: watch::Sender<bool>,
    accept_task: JoinHandle<()>,
}

#[derive(Debug, Default)]
pub(super) struct Shared {
    state: Mutex<State>,
    pub(super) arrived: Notify,
}

#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) messages: Vec<ReceivedEmail>,
    pub(super) rejected: HashMap<String, u16>,
    pub(super) fail_next: Option<(usize, u16)>,
    pub(super) size_limit: usize,
    down: bool,
}

impl Shared {
    pub(super) fn state(&self) -> MutexGuard<'_, State> {
        // A panicking session must not hide what the others received.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SmtpServer {
    /// Binds 127.0.0.1 on a free port and starts accepting.
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the test SMTP server");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared::default());
        shared.state().size_limit = DEFAULT_SIZE_LIMIT;
        let (down, down_rx) = watch::channel(false);
        let accept_task = tokio::spawn(accept_loop(listener, addr, shared.clone(), down_rx));
        SmtpServer {
            addr,
            shared,
            down,
            accept_task,
        }
    }

    /// `smtp://127.0.0.1:PORT`: plain SMTP, what `CERTDESK_SMTP_URL` takes for a local relay.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every message accepted so far, in order.
    pub fn messages(&self) -> Vec<ReceivedEmail> {
        self.shared.state().messages.clone()
    }

    /// How many messages have arrived (cheap: nothing is copied or parsed).
    pub fn count(&self) -> usize {
        self.shared.state().messages.len()
    }

    /// Waits until at least `n` messages have arrived and returns them all; panics after
    /// `timeout`, naming how many did arrive.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedEmail> {
        let waiting = async {
            loop {
                let notified = self.shared.arrived.notified();
                tokio::pin!(notified);
                // Registered before the count is read, so an arrival in between is not missed.
                notified.as_mut().enable();
                if self.shared.state().messages.len() >= n {
                    return;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(timeout, waiting).await.is_err() {
            let got = self.shared.state().messages.len();
            panic!("expected {n} email(s) within {timeout:?}, {got} arrived");
        }
        self.messages()
    }

    /// Answers `RCPT TO:<address>` with `code` (e.g. 550, or 450 for a busy mailbox).
    pub fn reject_recipient(&self, address: &str, code: u16) {
        self.shared
            .state()
            .rejected
            .insert(address.to_lowercase(), code);
    }

    /// Answers the next `n` `MAIL FROM` commands with `code` (e.g. 451), then accepts again.
    pub fn fail_next(&self, n: usize, code: u16) {
        self.shared.state().fail_next = (n > 0).then_some((n, code));
    }

    /// Messages (after dot-unstuffing) above `bytes` are refused with 552.
    pub fn set_size_limit(&self, bytes: usize) {
        self.shared.state().size_limit = bytes;
    }

    /// Down: the port refuses connections and open sessions are cut at their next command.
    /// Up again: the same port accepts again.
    pub async fn set_down(&self, down: bool) {
        self.shared.state().down = down;
        self.down.send_replace(down);
        // Let the accept loop drop or re-bind its listener before the caller connects.
        for _ in 0..200 {
            let listening = TcpStream::connect(self.addr).await.is_ok();
            if listening != down {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!(
            "the test SMTP server did not go {}",
            if down { "down" } else { "up" }
        );
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
    mut down: watch::Receiver<bool>,
) {
    let mut listener = Some(listener);
    let mut sessions = tokio::task::JoinSet::new();
    loop {
        let Some(bound) = listener.as_ref() else {
            // Down: nothing listens, so clients get "connection refused" like a dead host.
            if down.wait_for(|down| !*down).await.is_err() {
                return;
            }
            listener = Some(
                TcpListener::bind(addr)
                    .await
                    .expect("re-bind the test SMTP port"),
            );
            continue;
        };
        tokio::select! {
            accepted = bound.accept() => {
                if let Ok((stream, _)) = accepted {
                    sessions.spawn(session::session(stream, shared.clone()));
                }
            }
            changed = down.changed() => {
                if changed.is_err() {
                    return;
                }
                if *down.borrow_and_update() {
                    listener = None;
                }
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
}
