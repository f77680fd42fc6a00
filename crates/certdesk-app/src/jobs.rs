//! P2: the job runner with every certdesk handler registered.

use std::sync::Arc;

use certdesk_notify::{ChannelHandler, INBOX_CHANNEL, InboxChannel, NOTIFY_KIND, Notifier};
use certdesk_store::runner::{Backoff, JobRunner};
use jiff::SignedDuration;

use crate::App;

/// Jobs of a batch run at once (the batch is `JobRunner::DEFAULT_BATCH`): provider calls
/// wait on the network, so a batch lasts about as long as its slowest send, not their sum.
const JOB_CONCURRENCY: usize = 8;

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
    // An inbox message is stored when its job runs and the inbox lists by arrival: the
    // notifier marks inbox jobs `ordered`, so they run one at a time in claim order while the
    // outside channels' sends run beside them.
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
        crate::housekeeping::HOUSEKEEPING_KIND,
        crate::housekeeping::housekeeper(app),
    );
    runner.register(
        crate::institution::refund_report::REPORT_REFUNDS_KIND,
        crate::institution::refund_report::refund_reporter(app),
    );
    runner
}
