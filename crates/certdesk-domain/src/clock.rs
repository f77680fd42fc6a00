//! T3: the clock is injected. Rules never read it; use cases read it once per request.

use jiff::Timestamp;
use std::sync::{Arc, Mutex};

/// Where "now" comes from. Every clock answers in whole microseconds, the precision the store
/// keeps (UTC microseconds): an answer made from `now` and one read back from the store then
/// agree to the byte (issue 11: an order's first `201` and its replay).
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;
}

/// `ts` cut to whole microseconds, exactly as a stored copy of it reads back.
pub fn stored_precision(ts: Timestamp) -> Timestamp {
    Timestamp::from_microsecond(ts.as_microsecond()).unwrap_or(ts)
}

/// The wall clock. The only place in certdesk allowed to read it (see clippy.toml).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "the one sanctioned wall-clock read"
    )]
    fn now(&self) -> Timestamp {
        stored_precision(Timestamp::now())
    }
}

/// T3: a frozen clock that stands where it was last set.
#[derive(Debug, Clone)]
pub struct TestClock(Arc<Mutex<Timestamp>>);

impl TestClock {
    pub fn new(start: Timestamp) -> TestClock {
        TestClock(Arc::new(Mutex::new(start)))
    }

    pub fn set(&self, now: Timestamp) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = now;
    }

    /// Moves the clock forward (or back, with a negative span).
    pub fn advance(&self, by: jiff::SignedDuration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now = now
            .checked_add(by)
            .expect("test clock stays within jiff's range");
    }
}

impl Clock for TestClock {
    /// Where the clock was set, in the store's precision (a test may set nanoseconds).
    fn now(&self) -> Timestamp {
        stored_precision(*self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t3_clocks_answer_in_the_stores_precision() {
        let at: Timestamp = "2027-03-02T01:00:00.123456789Z".parse().unwrap();
        let clock = TestClock::new(at);
        assert_eq!(clock.now().to_string(), "2027-03-02T01:00:00.123456Z");
        assert_eq!(stored_precision(clock.now()), clock.now(), "already in it");
        assert_eq!(SystemClock.now().subsec_nanosecond() % 1_000, 0);
    }
}
