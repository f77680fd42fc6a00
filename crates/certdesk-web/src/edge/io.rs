//! The socket as hyper sees it, with one change: when hyper writes its own bare refusal of a
//! request it could not read (400, 414, 431; see `refusal`), and that request was for the
//! JSON API, the E1 answer is written instead. To know which request that was, the first
//! bytes read since the last write are kept: with no pipelining (browsers and HTTP clients
//! do not pipeline) they begin the request being answered.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::refusal;

/// How much of a request's head is kept: enough for its request line's start and, in all
/// but absurd requests, its `Accept-Language`.
const HEAD_KEPT: usize = 16 * 1024;

/// A connection's socket wrapped for `serve`.
#[derive(Debug)]
pub(crate) struct EdgeIo<T> {
    inner: T,
    /// The first bytes read since the last write.
    head: Vec<u8>,
    /// A write happened since the last read: the next read starts a new request.
    wrote: bool,
    /// The E1 answer being written in place of hyper's, and how much of it is out.
    replacement: Option<(Vec<u8>, usize)>,
}

impl<T> EdgeIo<T> {
    pub(crate) fn new(inner: T) -> EdgeIo<T> {
        EdgeIo {
            inner,
            head: Vec::new(),
            wrote: false,
            replacement: None,
        }
    }
}

impl<T: AsyncWrite + Unpin> EdgeIo<T> {
    /// Writes out what is left of the replacement; ready once it is all out.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, sent)) = self.replacement.as_mut()
            && *sent < bytes.len()
        {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *sent += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for EdgeIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        let new = &buf.filled()[before..];
        if !new.is_empty() {
            let this = &mut *self;
            if this.wrote {
                this.head.clear();
                this.wrote = false;
            }
            let room = HEAD_KEPT.saturating_sub(this.head.len());
            this.head.extend_from_slice(&new[..new.len().min(room)]);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for EdgeIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.replacement.is_some() {
            // hyper writes nothing after its refusal; should it, the E1 answer stands alone.
            ready!(this.drain(cx))?;
            return Poll::Ready(Ok(buf.len()));
        }
        this.wrote = true;
        if let Some((version, status)) = refusal::hyper_refusal(buf)
            && refusal::is_api_request(&this.head)
        {
            let locale = refusal::locale_of(&this.head);
            tracing::debug!(
                status = status.as_u16(),
                "unreadable API request answered in E1"
            );
            this.replacement = Some((refusal::e1_response(version, status, locale), 0));
            // Taken whole: the rest goes out on flush or shutdown if the socket is full now.
            if let Poll::Ready(Err(e)) = this.drain(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};

    #[tokio::test]
    async fn a_bare_refusal_of_an_api_request_becomes_e1_and_others_pass() {
        let (client, server) = duplex(64 * 1024);
        let mut io = EdgeIo::new(server);
        let (mut client_read, mut client_write) = tokio::io::split(client);
        client_write
            .write_all(b"GET /api/v1/x\x01 HTTP/1.1\r\nAccept-Language: en\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 256];
        let n = io.read(&mut buf).await.unwrap();
        assert!(n > 0);
        io.write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        io.shutdown().await.unwrap();
        let mut got = String::new();
        client_read.read_to_string(&mut got).await.unwrap();
        assert!(got.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{got}");
        assert!(got.ends_with(r#""code":"bad_request","message":"The request is malformed: its address or a header holds a character that is not allowed.","field":null,"rule":null,"deadline":null}}"#), "{got}");

        // A page request keeps hyper's answer.
        let (client, server) = duplex(64 * 1024);
        let mut io = EdgeIo::new(server);
        let (mut client_read, mut client_write) = tokio::io::split(client);
        client_write
            .write_all(b"GET /login\x01 HTTP/1.1\r\n\r\n")
            .await
            .unwrap();
        let _ = io.read(&mut buf).await.unwrap();
        let bare = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n";
        io.write_all(bare).await.unwrap();
        io.shutdown().await.unwrap();
        let mut got = Vec::new();
        client_read.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, bare);
    }
}
