//! `--channels`: the rush with email, SMS and WeChat on, each pointed at a local server that
//! speaks its vendor's protocol (issue 9: registrations/s within 20% of the inbox-only run,
//! and every confirmation of every paying candidate delivered by the end).

use std::time::{Duration, Instant};

use certdesk_notify::testing::sinks::Sinks;

/// The confirmation's subject in the candidates' language (zh-CN).
const CONFIRMED: &str = "报名成功";

pub async fn start() -> (Sinks, Vec<(&'static str, String)>) {
    let sinks = Sinks::start().await;
    let env = sinks.env(
        "registration_confirmed=4001",
        "registration_confirmed=T-rush",
    );
    (sinks, env)
}

/// How many messages each sink has taken so far: (email, SMS, WeChat).
pub fn arrived(sinks: &Sinks) -> (usize, usize, usize) {
    (
        sinks.smtp.count(),
        sinks.sms.accepted().len(),
        sinks.wechat.sent().len(),
    )
}

/// Waits until each channel has `paid` confirmations (or `limit` passes); answers how long
/// after the rush's last answer they were all in, and the (email, SMS, WeChat) counts.
pub async fn drain(
    sinks: &Sinks,
    paid: usize,
    limit: Duration,
) -> (Duration, (usize, usize, usize)) {
    let started = Instant::now();
    // Counting arrivals is cheap; reading every email's subject is not (it parses MIME), so
    // subjects are read once, when everything is in: the rush sends confirmations only.
    loop {
        let arrived = arrived(sinks);
        let all_in = arrived.0 >= paid && arrived.1 >= paid && arrived.2 >= paid;
        if all_in || started.elapsed() > limit {
            let after = started.elapsed();
            return (
                after,
                (sinks.emails_titled(CONFIRMED), arrived.1, arrived.2),
            );
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
