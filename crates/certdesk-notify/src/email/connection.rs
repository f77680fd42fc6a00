//! Opening and keeping SMTP connections. We open the TCP connection ourselves so it can have
//! `TCP_NODELAY`; lettre then speaks SMTP over it.
//!
//! Why: lettre writes a message's body and its closing `\r\n.\r\n` in two writes. With Nagle's
//! algorithm on, the kernel holds the 5-byte terminator until the server acknowledges the
//! body. The server delays that acknowledgement (40 ms on Linux), because it has nothing to
//! answer until it sees the terminator. So every email waited about 40 ms on an idle
//! connection. SMTP is a request-and-answer dialogue: nothing is gained by coalescing writes.
//!
//! lettre's own pool only opens connections it made, so the pool is ours too: at most
//! [`MAX_CONNECTIONS`] open (a send waits for a free one, as with lettre's pool), reused newest
//! first. A connection idle for more than [`PROBE_AFTER`] is checked with `NOOP` before reuse,
//! one idle for more than [`IDLE_LIMIT`] is closed. Every error closes the connection it happened on (lettre sends `QUIT` then).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::transport::{EmailError, classify};

/// Connections open at once per mailer, idle or in use. The job runner sends at most 8
/// messages at once, so 10 covers it with room; relays limit connections per client, and more
/// would only hold their slots.
pub const MAX_CONNECTIONS: usize = 10;
/// An idle connection older than this is asked `NOOP` before it carries a message. Younger
/// ones are trusted: a relay closes idle sessions after minutes, not seconds, and a probe
/// before every email adds a round trip to each of a rush's confirmations.
pub const PROBE_AFTER: Duration = Duration::from_secs(2);
/// Idle connections older than this are closed instead of reused (lettre's pool uses 60 s).
pub const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// How the session is protected, from the URL's scheme and `tls` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// `smtp://`: a local relay, nothing to protect against.
    Plain,
    /// `smtp://…?tls=required` (must upgrade) or `?tls=opportunistic` (upgrades if offered).
    StartTls { required: bool },
    /// `smtps://`: TLS from the first byte (RFC 8314).
    Implicit,
}

/// Where the relay is and how to talk to it, parsed once from `CERTDESK_SMTP_URL`.
#[derive(Clone)]
pub struct Endpoint {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
}

impl Endpoint {
    /// The URL forms lettre documents: `smtp://[user:pass@]host[:port][/ehlo-name]`, with
    /// `?tls=required|opportunistic`, or `smtps://…`. The error never repeats the URL, which
    /// may carry a password.
    pub fn parse(smtp_url: &str) -> Result<Endpoint, String> {
        let url = url::Url::parse(smtp_url).map_err(|e| format!("unparsable: {e}"))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("no host")?
            // An IPv6 literal is bracketed in a URL, not in a socket address or a TLS name.
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTls { required: true }, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTls { required: false }, 587),
            ("smtps", _) => (Security::Implicit, 465),
            (scheme, Some(tls)) => {
                return Err(format!(
                    "scheme {scheme} with tls={tls} is not one we speak"
                ));
            }
            (scheme, None) => return Err(format!("scheme {scheme} is not smtp or smtps")),
        };
        let decode = |part: &str| {
            percent_encoding::percent_decode_str(part)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| "user name or password is not UTF-8 once decoded".to_owned())
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let name = url.path().trim_matches('/');
        let hello = if name.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(name.to_owned())
        };
        Ok(Endpoint {
            port: url.port().unwrap_or(default_port),
            host,
            security,
            credentials,
            hello,
        })
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("login", &self.credentials.is_some())
            .finish()
    }
}

/// The roots a relay's certificate is checked against: the public web's (Mozilla's, from
/// `webpki-roots`), plus any the operator adds for a relay with a private CA.
#[derive(Clone, Default)]
pub struct Roots {
    extra: Vec<CertificateDer<'static>>,
}

impl Roots {
    pub fn add(&mut self, der: Vec<u8>) {
        self.extra.push(CertificateDer::from(der));
    }

    /// For implicit TLS, which we set up ourselves.
    fn client_config(&self) -> Result<rustls::ClientConfig, EmailError> {
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for cert in &self.extra {
            roots
                .add(cert.clone())
                .map_err(|e| config_error(format!("an added root certificate is unusable: {e}")))?;
        }
        Ok(
            rustls::ClientConfig::builder_with_provider(crypto_provider())
                .with_safe_default_protocol_versions()
                .map_err(|e| config_error(format!("TLS set-up failed: {e}")))?
                .with_root_certificates(roots)
                .with_no_client_auth(),
        )
    }

    /// For STARTTLS, which lettre performs on the connection we opened.
    fn starttls_parameters(&self, host: &str) -> Result<TlsParameters, EmailError> {
        let mut builder = TlsParameters::builder(host.to_owned());
        for cert in &self.extra {
            let cert = Certificate::from_der(cert.to_vec())
                .map_err(|e| config_error(format!("an added root certificate is unusable: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        builder
            .build_rustls()
            .map_err(|e| config_error(format!("TLS set-up failed: {e}")))
    }
}

/// The process's rustls provider if one was installed, else *ring*, as lettre chooses for its
/// STARTTLS. *ring* rather than aws-lc-rs keeps cmake and a C toolchain's assembler out of the
/// build; rustls 0.23.48 deprecates its constructor only because *ring* lacks post-quantum key
/// exchange, which no SMTP relay we send through asks for.
pub(crate) fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| {
            #[allow(deprecated)]
            let ring = rustls::crypto::ring::default_provider();
            Arc::new(ring)
        })
}

/// Our configuration, not the message, is at fault: the message waits for the fix.
fn config_error(message: String) -> EmailError {
    EmailError {
        message,
        retryable: true,
        code: None,
    }
}

fn network_error(what: &str, e: impl fmt::Display) -> EmailError {
    EmailError {
        message: format!("SMTP {what} failed: {e}"),
        retryable: true,
        code: None,
    }
}

/// How a new connection gets its TLS, from the URL's security and the roots.
enum Handshake {
    Plain,
    /// Set up by us, before the greeting.
    Implicit {
        connector: TlsConnector,
        name: ServerName<'static>,
    },
    /// Done by lettre after the greeting, if the relay offers it.
    StartTls {
        parameters: TlsParameters,
        required: bool,
    },
}

impl Handshake {
    fn new(endpoint: &Endpoint, roots: &Roots) -> Result<Handshake, EmailError> {
        Ok(match endpoint.security {
            Security::Plain => Handshake::Plain,
            Security::Implicit => Handshake::Implicit {
                connector: TlsConnector::from(Arc::new(roots.client_config()?)),
                name: ServerName::try_from(endpoint.host.clone()).map_err(|e| {
                    config_error(format!("{} is not a TLS server name: {e}", endpoint.host))
                })?,
            },
            Security::StartTls { required } => Handshake::StartTls {
                parameters: roots.starttls_parameters(&endpoint.host)?,
                required,
            },
        })
    }
}

/// Opens connections to one relay and keeps the idle ones.
pub struct Connections {
    endpoint: Endpoint,
    roots: Roots,
    /// Built at the first connection and shared by every one after.
    handshake: OnceLock<Result<Handshake, EmailError>>,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    /// One permit per connection in use. A connection is opened only when none is idle, so
    /// in use plus idle never exceeds [`MAX_CONNECTIONS`] either.
    in_use: Arc<Semaphore>,
}

impl Connections {
    pub fn new(endpoint: Endpoint, roots: Roots) -> Connections {
        Connections {
            endpoint,
            roots,
            handshake: OnceLock::new(),
            idle: Mutex::new(Vec::new()),
            in_use: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        }
    }

    /// Waits until fewer than [`MAX_CONNECTIONS`] are in use; hold the permit while sending.
    pub async fn slot(&self) -> OwnedSemaphorePermit {
        Arc::clone(&self.in_use)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed")
    }

    /// An idle connection that still answers, or a new one.
    pub async fn take(&self) -> Result<AsyncSmtpConnection, EmailError> {
        loop {
            let newest = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
            let Some((mut conn, since)) = newest else {
                return self.open().await;
            };
            let idle_for = since.elapsed();
            if idle_for > IDLE_LIMIT {
                // The rest are older still.
                let stale =
                    std::mem::take(&mut *self.idle.lock().unwrap_or_else(|e| e.into_inner()));
                for (conn, _) in std::iter::once((conn, since)).chain(stale) {
                    close(conn);
                }
                return self.open().await;
            }
            if idle_for <= PROBE_AFTER || conn.test_connected().await {
                return Ok(conn);
            }
        }
    }

    /// Back into the idle list after a message went through; closed if the list is full.
    pub fn give_back(&self, conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            return;
        }
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_CONNECTIONS {
            idle.push((conn, Instant::now()));
        } else {
            drop(idle);
            close(conn);
        }
    }

    /// Drops every idle connection without a word: they are presumed dead.
    pub fn forget_idle(&self) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    async fn open(&self) -> Result<AsyncSmtpConnection, EmailError> {
        let Endpoint {
            host, port, hello, ..
        } = &self.endpoint;
        let tcp = TcpStream::connect((host.as_str(), *port))
            .await
            .map_err(|e| network_error("connect", e))?;
        tcp.set_nodelay(true)
            .map_err(|e| network_error("connect", e))?;
        let handshake = self.handshake()?;
        let stream: Box<dyn AsyncTokioStream> = match handshake {
            Handshake::Implicit { connector, name } => {
                let tls = connector.connect(name.clone(), tcp).await;
                Box::new(Tls(tls.map_err(|e| network_error("TLS handshake", e))?))
            }
            Handshake::Plain | Handshake::StartTls { .. } => Box::new(tcp),
        };
        let mut conn = AsyncSmtpConnection::connect_with_transport(stream, hello)
            .await
            .map_err(|e| classify(&e))?;
        if let Handshake::StartTls {
            parameters,
            required,
        } = handshake
        {
            if conn.can_starttls() {
                conn.starttls(parameters.clone(), hello)
                    .await
                    .map_err(|e| classify(&e))?;
            } else if *required {
                // The relay or the URL is misconfigured; the message is fine and waits.
                conn.abort().await;
                return Err(config_error(format!(
                    "{host} does not offer STARTTLS, which tls=required asks for"
                )));
            }
        }
        if let Some(credentials) = &self.endpoint.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| classify(&e))?;
        }
        Ok(conn)
    }

    fn handshake(&self) -> Result<&Handshake, EmailError> {
        self.handshake
            .get_or_init(|| Handshake::new(&self.endpoint, &self.roots))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl fmt::Debug for Connections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let idle = self.idle.lock().map_or(0, |idle| idle.len());
        f.debug_struct("Connections")
            .field("endpoint", &self.endpoint)
            .field("idle", &idle)
            .finish()
    }
}

/// `QUIT` politely in the background, without holding up the caller on a relay that no
/// longer answers.
fn close(mut conn: AsyncSmtpConnection) {
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(5), conn.quit()).await;
        });
    }
}

/// An implicit-TLS stream in the shape lettre takes (a newtype: both the trait and the stream
/// are other crates'). lettre sees it as a plain stream, so its `is_encrypted()` says false
/// and it never offers STARTTLS on it; nothing else in lettre's dialogue depends on that.
struct Tls(TlsStream<TcpStream>);

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Tls").field(self.0.get_ref().0).finish()
    }
}

impl AsyncTokioStream for Tls {
    fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for Tls {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tls {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_url_form_parses() {
        let plain = Endpoint::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("127.0.0.1", 2525));
        assert_eq!(plain.security, Security::Plain);
        assert!(plain.credentials.is_none());

        let starttls = Endpoint::parse("smtp://user:pw@smtp.example.cn?tls=required").unwrap();
        assert_eq!(starttls.port, 587, "submission port by default");
        assert_eq!(starttls.security, Security::StartTls { required: true });
        assert!(starttls.credentials.is_some());

        let opportunistic = Endpoint::parse("smtp://relay:25?tls=opportunistic").unwrap();
        assert_eq!(
            opportunistic.security,
            Security::StartTls { required: false }
        );

        let implicit = Endpoint::parse("smtps://a%40b.cn:p%2Fw@smtp.exmail.qq.com").unwrap();
        assert_eq!(implicit.port, 465);
        assert_eq!(implicit.security, Security::Implicit);
        assert_eq!(
            implicit.credentials,
            Some(Credentials::new("a@b.cn".into(), "p/w".into())),
            "user and password are percent-decoded"
        );

        let named = Endpoint::parse("smtp://relay:25/exams.example.cn").unwrap();
        assert_eq!(named.hello, ClientId::Domain("exams.example.cn".into()));

        let v6 = Endpoint::parse("smtp://[::1]:2525").unwrap();
        assert_eq!(v6.host, "::1");
    }

    #[test]
    fn unusable_urls_are_refused_without_repeating_them() {
        for url in [
            "not a url",
            "http://smtp.example.cn",
            "smtp://host?tls=sometimes",
            "smtp://user:s3cr3t@",
        ] {
            let err = Endpoint::parse(url).unwrap_err();
            assert!(!err.contains("s3cr3t"), "{err}");
        }
        let debug = format!("{:?}", Endpoint::parse("smtps://u:s3cr3t@h").unwrap());
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }
}
