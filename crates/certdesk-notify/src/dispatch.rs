//! P2: one job per notice per channel, all of kind `notify`; this handler routes each job to
//! its channel's handler, so a failing channel never holds up (or re-sends) another.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use certdesk_store::Job;
use certdesk_store::runner::{JobFailure, JobHandler};

/// The handler registered for kind `notify`.
#[derive(Default)]
pub struct Notifier {
    channels: HashMap<String, Arc<dyn JobHandler>>,
}

impl Notifier {
    pub fn new() -> Notifier {
        Notifier::default()
    }

    /// Routes `notify` jobs of `channel` (`inbox`, `email`, `sms`, `wechat`) to `handler`.
    pub fn with_channel(mut self, channel: &str, handler: Arc<dyn JobHandler>) -> Notifier {
        self.channels.insert(channel.to_owned(), handler);
        self
    }
}

impl fmt::Debug for Notifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut channels: Vec<&str> = self.channels.keys().map(String::as_str).collect();
        channels.sort_unstable();
        f.debug_struct("Notifier")
            .field("channels", &channels)
            .finish()
    }
}

#[async_trait]
impl JobHandler for Notifier {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let Some(channel) = job.channel.as_deref() else {
            return Err(JobFailure::permanent("notify job without a channel"));
        };
        match self.channels.get(channel) {
            Some(handler) => handler.run(job).await,
            // Retried, not dead: the channel may be configured by the time it runs again,
            // and once out of attempts it stays visible to operators (P2).
            None => Err(JobFailure::retry(format!(
                "notification channel {channel:?} is not configured"
            ))),
        }
    }

    /// The inbox lists a candidate's messages by arrival, so inbox jobs keep claim order
    /// (which follows the events); provider calls carry no order and run beside them.
    fn ordered(&self, job: &Job) -> bool {
        job.channel.as_deref() == Some(crate::INBOX_CHANNEL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use certdesk_domain::JobId;
    use certdesk_store::JobStatus;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Default)]
    struct Counting(AtomicUsize);

    #[async_trait]
    impl JobHandler for Counting {
        async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    fn job(channel: Option<&str>) -> Job {
        let now: jiff::Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        Job {
            id: JobId(1),
            kind: "notify".into(),
            payload: serde_json::json!({"account_id": 1, "notice": "welcome"}),
            channel: channel.map(Into::into),
            dedup_key: None,
            status: JobStatus::Running,
            attempts: 1,
            max_attempts: 8,
            run_at: now,
            locked_by: None,
            locked_until: None,
            last_error: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[tokio::test]
    async fn routes_by_channel_and_retries_unknown_channels() {
        let inbox = Arc::new(Counting::default());
        let notifier = Notifier::new().with_channel("inbox", inbox.clone());
        notifier.run(&job(Some("inbox"))).await.unwrap();
        assert_eq!(inbox.0.load(Ordering::SeqCst), 1);
        let sms = notifier.run(&job(Some("sms"))).await.unwrap_err();
        assert!(
            !sms.permanent,
            "an unconfigured channel may be configured later"
        );
        assert!(notifier.run(&job(None)).await.unwrap_err().permanent);
        assert_eq!(
            format!("{notifier:?}"),
            "Notifier { channels: [\"inbox\"] }"
        );
    }

    #[test]
    fn only_inbox_jobs_keep_claim_order() {
        let notifier = Notifier::new();
        assert!(notifier.ordered(&job(Some("inbox"))));
        for other in [Some("email"), Some("sms"), Some("wechat"), None] {
            assert!(!notifier.ordered(&job(other)), "{other:?}");
        }
    }
}
