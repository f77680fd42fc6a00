//! I8: every staff refund is reported to the institution's payment gateway, which pays the
//! money back — as a job enqueued by the refund's own commit, retried with backoff until the
//! gateway answers (P2). The job reports every refund of the registration; each carries its
//! own reference (`certdesk-refund-<id>`), so a gateway told twice refunds once.

use std::sync::Arc;

use async_trait::async_trait;
use certdesk_domain::RegistrationId;
use certdesk_store::runner::{JobFailure, JobHandler};
use certdesk_store::{Job, NewJob};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::App;

/// The job kind.
pub const REPORT_REFUNDS_KIND: &str = "report_refunds";

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    registration_id: RegistrationId,
}

/// The job a refund's commit enqueues (the registration is the enrolment's first attempt).
pub(crate) fn report_refunds_job(
    app: &App,
    registration: RegistrationId,
    now: Timestamp,
) -> NewJob {
    NewJob {
        kind: REPORT_REFUNDS_KIND.to_owned(),
        payload: serde_json::json!(Payload {
            registration_id: registration
        }),
        channel: None,
        dedup_key: Some(format!(
            "report_refunds:{registration}:{}",
            now.as_microsecond()
        )),
        run_at: now,
        max_attempts: app.policy().notify_max_attempts,
        keeps_promise: None,
    }
}

struct RefundReporter {
    app: App,
}

#[async_trait]
impl JobHandler for RefundReporter {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let payload: Payload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobFailure::permanent(format!("bad payload: {e}")))?;
        let store = self.app.store();
        let retry = |e: certdesk_store::StoreError| JobFailure::retry(e.to_string());
        let r = store
            .get_institution_registration(payload.registration_id)
            .await
            .map_err(retry)?;
        let payment = store
            .get_payment(r.enrolment.payment_id)
            .await
            .map_err(retry)?;
        let gateway = self
            .app
            .gateway(&payment.gateway)
            .map_err(|_| JobFailure::permanent(format!("no gateway {:?}", payment.gateway)))?;
        for refund in store
            .list_institution_refunds(r.enrolment.registration_id)
            .await
            .map_err(retry)?
        {
            let reference = format!("certdesk-refund-{}", refund.id);
            gateway
                .refund(&payment, refund.amount, &reference)
                .await
                .map_err(|e| JobFailure::retry(format!("gateway refund {reference}: {e:#}")))?;
        }
        Ok(())
    }
}

pub(crate) fn refund_reporter(app: &App) -> Arc<dyn JobHandler> {
    Arc::new(RefundReporter { app: app.clone() })
}
