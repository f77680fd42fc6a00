//! `certdesk_web::serve`: axum's server over our listener. Each request carries its TCP
//! peer (`ConnectInfo<SocketAddr>`, read by `middleware::transport`), and each connection's
//! socket is an `EdgeIo`, so the requests hyper refuses before routing still answer in E1.

use std::convert::Infallible;
use std::future::{Future, Ready, ready};
use std::net::SocketAddr;
use std::task::{Context, Poll};

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::routing::future::RouteFuture;
use axum::serve::{IncomingStream, Listener};
use tokio::net::{TcpListener, TcpStream};
use tower::Service;

use super::io::EdgeIo;

/// Serves `router` on `listener` until `shutdown` completes, then lets requests in flight
/// finish. The binary serves exactly this.
pub async fn serve<F>(listener: TcpListener, router: Router, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    axum::serve(EdgeListener(listener), PerConnection(router))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A TCP listener whose connections are `EdgeIo`s.
#[derive(Debug)]
struct EdgeListener(TcpListener);

impl Listener for EdgeListener {
    type Io = EdgeIo<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // axum's own accept: it logs and retries failed accepts (out of descriptors, …).
        let (stream, addr) = Listener::accept(&mut self.0).await;
        (EdgeIo::new(stream), addr)
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

/// Makes each connection's service: the router, told the connection's peer.
#[derive(Debug, Clone)]
struct PerConnection(Router);

impl<'a> Service<IncomingStream<'a, EdgeListener>> for PerConnection {
    type Response = WithPeer;
    type Error = Infallible;
    type Future = Ready<Result<WithPeer, Infallible>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, stream: IncomingStream<'a, EdgeListener>) -> Self::Future {
        ready(Ok(WithPeer {
            router: self.0.clone(),
            peer: *stream.remote_addr(),
        }))
    }
}

/// The router with the connection's peer put in every request, as axum's
/// `into_make_service_with_connect_info` would.
#[derive(Debug, Clone)]
struct WithPeer {
    router: Router,
    peer: SocketAddr,
}

impl Service<Request> for WithPeer {
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future = RouteFuture<Infallible>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Service::<Request>::poll_ready(&mut self.router, cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        req.extensions_mut().insert(ConnectInfo(self.peer));
        self.router.call(req)
    }
}
