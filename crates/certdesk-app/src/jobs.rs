//! P2: the job runner with every certdesk handler registered.

use std::sync::Arc;

use certdesk_notify::{ChannelHandler, INBOX_CHANNEL, InboxChannel, NOTIFY_KIND, Notifier};
use certdesk_store::runner::{Backoff, JobRunner};
use jiff::SignedDuration;

use crate::App;

/// Jobs of a batch run at once (the batch is `JobRunner::DEFAULT_BATCH`).
const JOB_CONCURRENCY: usize = 1;

pub(crate) fn job_runner(app: &App) -> JobRunner {
    let policy = app.policy();
    let backoff = Backoff {
        base: SignedDuration::from_secs(policy.job_backoff_base_secs),
        cap: SignedDuration::from_secs(policy.job_backoff_cap_secs),
    };
    let inbox = InboxChannel::new(app.store().clone(), app.clock().clone(), app.site());
    let mut notifier = Notifier::new().with_channel(INBOX_CHANNEL, Arc::new(inbox));
    for sender in app.senders() {
        let handler = ChannelHandler::new(
            app.store().clone(),
            app.clock().clone(),
            app.site(),
            sender.clone(),
        );
        notifier = notifier.with_channel(sender.channel(), Arc::new(handler));
    }
    // One job at a time: an inbox message is stored when its job runs, and the inbox lists by
    // arrival, so concurrent jobs would list a candidate's notices out of order. Running
    // outside-channel jobs concurrently (they wait on providers) needs the inbox ordered by
    // event time first (docs/performance.md, "The rush with every notification channel on").
    let mut runner = JobRunner::new(app.store().clone(), app.clock().clone(), backoff)
        .with_concurrency(JOB_CONCURRENCY);
    runner.register(NOTIFY_KIND, Arc::new(notifier));
    runner.register(
        crate::tickets::ISSUE_TICKETS_KIND,
        crate::tickets::ticket_issuer(app),
    );
    runner.register(
        crate::certificates::ISSUE_CERTIFICATES_KIND,
        crate::certificates::certificate_issuer(app),
    );
    runner.register(
        crate::institution::refund_report::REPORT_REFUNDS_KIND,
        crate::institution::refund_report::refund_reporter(app),
    );
    runner
}
