//! A real SMTP server (the RFC 5321 subset a submission client uses) on 127.0.0.1, for tests
//! that send email and read what arrived. It speaks over a real socket, so the client under
//! test runs its real code path: greeting, EHLO, envelope, DATA with dot-stuffing, QUIT.
//!
//! Scriptable failures: a recipient refused with a chosen code, the next n transactions refused
//! at MAIL FROM, and the whole server down (connections refused) and up again on the same port.
//!
//! Like a real provider it can also speak TLS — STARTTLS or implicit TLS ([`ServerTls`]), with
//! a certificate signed by [`TEST_CA_DER`] — and require `AUTH PLAIN` ([`SmtpServer::require_login`]).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

mod received;
mod session;

pub use received::{HeaderMailbox, ReceivedEmail};

/// Messages above this many bytes are refused with 552 (advertised as `SIZE`).
pub const DEFAULT_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// The CA that signed the test server's certificate (for `localhost` and `127.0.0.1`); a client
/// trusts it through `EmailConfig::with_root_certificate`. Test-only, see `tls/README.md`.
pub const TEST_CA_DER: &[u8] = include_bytes!("smtp_server/tls/ca.der");
const SERVER_CERT_DER: &[u8] = include_bytes!("smtp_server/tls/server.der");
const SERVER_KEY_DER: &[u8] = include_bytes!("smtp_server/tls/server.key.der");

/// How the server protects its sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerTls {
    /// Plain SMTP, as a local relay speaks.
    None,
    /// Plain at first, `STARTTLS` offered (port 587's way).
    StartTls,
    /// TLS from the first byte (port 465's way).
    Implicit,
}

/// The running server; it stops when dropped.
#[derive(Debug)]
pub struct SmtpServer {
    addr: SocketAddr,
    tls: ServerTls,
    shared: Arc<Shared>,
    pub(super) down: watch::Sender<bool>,
    /// Asks the accept loop to close every open session; it answers when it has.
    cut: mpsc::UnboundedSender<oneshot::Sender<()>>,
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
    /// (user, password) that `AUTH PLAIN` must give before `MAIL FROM`.
    pub(super) login: Option<(String, String)>,
    /// TCP connections accepted so far.
    connections: usize,
    down: bool,
}

impl Shared {
    pub(super) fn state(&self) -> MutexGuard<'_, State> {
        // A panicking session must not hide what the others received.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SmtpServer {
    /// Binds 127.0.0.1 on a free port and starts accepting plain SMTP.
    pub async fn start() -> SmtpServer {
        SmtpServer::start_with(ServerTls::None).await
    }

    /// Binds 127.0.0.1 on a free port and starts accepting, with `tls`.
    pub async fn start_with(tls: ServerTls) -> SmtpServer {
        let acceptor = (tls != ServerTls::None).then(tls_acceptor);
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the test SMTP server");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared::default());
        shared.state().size_limit = DEFAULT_SIZE_LIMIT;
        let (down, down_rx) = watch::channel(false);
        let (cut, cut_rx) = mpsc::unbounded_channel();
        let accept_task = tokio::spawn(accept_loop(
            listener,
            addr,
            shared.clone(),
            down_rx,
            cut_rx,
            tls,
            acceptor,
        ));
        SmtpServer {
            addr,
            tls,
            shared,
            down,
            cut,
            accept_task,
        }
    }

    /// What `CERTDESK_SMTP_URL` takes for this server: `smtp://127.0.0.1:PORT` (a plain local
    /// relay), `…?tls=required` (STARTTLS) or `smtps://…` (implicit TLS).
    pub fn url(&self) -> String {
        match self.tls {
            ServerTls::None => format!("smtp://{}", self.addr),
            ServerTls::StartTls => format!("smtp://{}?tls=required", self.addr),
            ServerTls::Implicit => format!("smtps://{}", self.addr),
        }
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

    /// How many TCP connections clients have opened so far: a client that keeps its
    /// connections open sends many messages over one.
    pub fn connections(&self) -> usize {
        self.shared.state().connections
    }

    /// Closes every open session at once, as a relay does when it restarts or times out idle
    /// clients; the port keeps accepting.
    pub async fn cut_connections(&self) {
        let (done, closed) = oneshot::channel();
        if self.cut.send(done).is_ok() {
            let _ = closed.await;
        }
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

    /// From now on `MAIL FROM` needs `AUTH PLAIN` with this user and password first (530
    /// otherwise, 535 for wrong credentials). `AUTH PLAIN` is advertised in `EHLO`.
    pub fn require_login(&self, user: &str, password: &str) {
        self.shared.state().login = Some((user.to_owned(), password.to_owned()));
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

/// The server's certificate and key, with the ring provider the product's rustls uses.
fn tls_acceptor() -> TlsAcceptor {
    let provider = crate::email::connection::crypto_provider();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(SERVER_KEY_DER.to_vec()));
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(SERVER_CERT_DER.to_vec())], key)
        .expect("the test certificate and key match");
    TlsAcceptor::from(Arc::new(config))
}

/// Starts one session on an accepted connection; for implicit TLS, after the handshake.
async fn serve(
    stream: TcpStream,
    shared: Arc<Shared>,
    tls: ServerTls,
    acceptor: Option<TlsAcceptor>,
) {
    match (tls, acceptor) {
        (ServerTls::Implicit, Some(acceptor)) => {
            if let Ok(tls) = acceptor.accept(stream).await {
                session::session(Box::new(tls), shared, None, true).await;
            }
        }
        (ServerTls::StartTls, acceptor) => {
            session::session(Box::new(stream), shared, acceptor, false).await;
        }
        _ => session::session(Box::new(stream), shared, None, false).await,
    }
}

async fn accept_loop(
    listener: TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
    mut down: watch::Receiver<bool>,
    mut cut: mpsc::UnboundedReceiver<oneshot::Sender<()>>,
    tls: ServerTls,
    acceptor: Option<TlsAcceptor>,
) {
    let mut listener = Some(listener);
    let mut sessions = tokio::task::JoinSet::new();
    loop {
        let Some(bound) = listener.as_ref() else {
            // Down: nothing listens, so clients get "connection refused" like a dead host.
            tokio::select! {
                up = async { down.wait_for(|down| !*down).await.is_ok() } => {
                    if !up {
                        return;
                    }
                    listener = Some(
                        TcpListener::bind(addr)
                            .await
                            .expect("re-bind the test SMTP port"),
                    );
                }
                Some(done) = cut.recv() => {
                    sessions.shutdown().await;
                    let _ = done.send(());
                }
            }
            continue;
        };
        tokio::select! {
            accepted = bound.accept() => {
                if let Ok((stream, _)) = accepted {
                    shared.state().connections += 1;
                    sessions.spawn(serve(stream, shared.clone(), tls, acceptor.clone()));
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
            Some(done) = cut.recv() => {
                // Aborted tasks drop their sockets, which closes them.
                sessions.shutdown().await;
                let _ = done.send(());
            }
            Some(_) = sessions.join_next(), if !sessions.is_empty() => {}
        }
    }
}
