//! How many requests the web is answering right now. `serve` runs a job worker beside the web
//! on the same cores; the worker gives way while the web is busy
//! (`certdesk_store::Foreground`), so a registration rush is answered first and notified right
//! after.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// The web's load: requests in flight, and how many count as busy.
#[derive(Debug, Clone)]
pub struct WebLoad {
    in_flight: Arc<AtomicUsize>,
    /// Busy from this many requests in flight on: more than the cores can run at once.
    busy_from: usize,
}

impl WebLoad {
    /// Busy once more requests are in flight than this machine has cores.
    pub fn new() -> WebLoad {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        WebLoad::busy_from(cores + 1)
    }

    /// Busy from `requests` in flight on (at least 1).
    pub fn busy_from(requests: usize) -> WebLoad {
        WebLoad {
            in_flight: Arc::new(AtomicUsize::new(0)),
            busy_from: requests.max(1),
        }
    }

    /// Requests being answered now.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }
}

impl Default for WebLoad {
    fn default() -> Self {
        WebLoad::new()
    }
}

impl certdesk_store::Foreground for WebLoad {
    fn busy(&self) -> bool {
        self.in_flight() >= self.busy_from
    }
}

/// Counts a request from its arrival until its answer is handed on (or the client leaves).
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(counter: &Arc<AtomicUsize>) -> InFlight {
        counter.fetch_add(1, Ordering::Relaxed);
        InFlight(counter.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Middleware: see the module docs.
pub(crate) async fn count(State(load): State<WebLoad>, req: Request, next: Next) -> Response {
    let _in_flight = InFlight::enter(&load.in_flight);
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use certdesk_store::Foreground as _;

    #[test]
    fn busy_from_the_threshold_on() {
        let load = WebLoad::busy_from(3);
        let a = InFlight::enter(&load.in_flight);
        let b = InFlight::enter(&load.in_flight);
        assert!(!load.busy(), "two of three");
        let c = InFlight::enter(&load.in_flight);
        assert!(load.busy(), "three of three");
        drop((a, b, c));
        assert_eq!(load.in_flight(), 0);
        assert!(!load.busy());
    }
}
