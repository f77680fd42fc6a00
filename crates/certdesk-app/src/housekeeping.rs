//! Housekeeping: an hourly job that deletes what has outlived its use — sessions past their
//! expiry, `Idempotency-Key` records past their 24 hours, log-in throttle counts past their
//! windows and locks — so none of these tables grows for ever. Each run puts the next in the
//! queue; `serve` and `worker` put one back at start (the dedup key is the hour, so any number
//! of starts make one chain).

use std::sync::Arc;

use async_trait::async_trait;
use certdesk_domain::IDEMPOTENCY_LIFETIME;
use certdesk_store::runner::{JobFailure, JobHandler};
use certdesk_store::{Job, NewJob};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::{App, AppResult};

/// The job's kind.
pub const HOUSEKEEPING_KIND: &str = "housekeeping";
/// How often it runs.
const EVERY: SignedDuration = SignedDuration::from_hours(1);

/// What one run deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cleaned {
    pub sessions: u64,
    pub idempotency_records: u64,
    pub login_throttles: u64,
}

impl App {
    /// Deletes the sessions expired by now, the idempotency records whose 24 hours are over,
    /// and the log-in throttle rows past both windows with no lock running.
    pub async fn clean_up(&self) -> AppResult<Cleaned> {
        let now = self.now();
        let longest_window = self
            .policy
            .login_failure_window_minutes
            .max(self.policy.login_address_window_minutes);
        let login_throttles = self
            .store
            .delete_stale_login_throttles(
                now.saturating_sub(SignedDuration::from_mins(longest_window))
                    .unwrap_or(now),
                now,
            )
            .await?;
        let sessions = self.store.delete_expired_sessions(now).await?;
        let idempotency_records = self
            .store
            .delete_expired_idempotency_records(
                now.saturating_sub(IDEMPOTENCY_LIFETIME).unwrap_or(now),
            )
            .await?;
        Ok(Cleaned {
            sessions,
            idempotency_records,
            login_throttles,
        })
    }

    /// Puts a housekeeping run in the queue, due now, unless this hour already has one.
    pub async fn schedule_housekeeping(&self) -> AppResult<()> {
        self.store
            .enqueue_jobs(vec![self.housekeeping_job(self.now())])
            .await?;
        Ok(())
    }

    fn housekeeping_job(&self, run_at: Timestamp) -> NewJob {
        NewJob {
            kind: HOUSEKEEPING_KIND.to_owned(),
            payload: json!({}),
            channel: None,
            dedup_key: Some(format!(
                "{HOUSEKEEPING_KIND}:{}",
                run_at.as_second().div_euclid(EVERY.as_secs())
            )),
            run_at,
            max_attempts: self.policy.job_max_attempts,
            keeps_promise: None,
        }
    }
}

/// The `housekeeping` job: cleans up, then queues the next run an hour on.
#[derive(Debug)]
pub(crate) struct Housekeeper {
    app: App,
}

#[async_trait]
impl JobHandler for Housekeeper {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        let failed = |e: crate::AppError| JobFailure::retry(format!("housekeeping failed: {e}"));
        let cleaned = self.app.clean_up().await.map_err(failed)?;
        tracing::info!(
            sessions = cleaned.sessions,
            idempotency_records = cleaned.idempotency_records,
            login_throttles = cleaned.login_throttles,
            "housekeeping: expired rows deleted"
        );
        let next = self
            .app
            .now()
            .saturating_add(EVERY)
            .unwrap_or(self.app.now());
        self.app
            .store
            .enqueue_jobs(vec![self.app.housekeeping_job(next)])
            .await
            .map_err(|e| JobFailure::retry(format!("queueing the next housekeeping: {e}")))?;
        Ok(())
    }
}

/// The handler, shared by the runner.
pub(crate) fn housekeeper(app: &App) -> Arc<Housekeeper> {
    Arc::new(Housekeeper { app: app.clone() })
}
