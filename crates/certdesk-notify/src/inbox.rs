//! O6: the inbox channel (站内信, always on). Resolves a notice against the store, renders it
//! and stores it, keyed by the job, so a job that runs twice still stores one message.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use certdesk_domain::Clock;
use certdesk_store::runner::{JobFailure, JobHandler};
use certdesk_store::{Job, NewInboxMessage, Store, StoreError};

use crate::payload::{NotifyPayload, Recipient};
use crate::resolve::{resolve, store_failure};
use crate::site::Site;

/// The handler of `notify` jobs on channel `inbox`.
pub struct InboxChannel {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    site: Site,
}

impl InboxChannel {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, site: Site) -> InboxChannel {
        InboxChannel { store, clock, site }
    }
}

impl fmt::Debug for InboxChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InboxChannel").finish_non_exhaustive()
    }
}

#[async_trait]
impl JobHandler for InboxChannel {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        let payload: NotifyPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobFailure::permanent(format!("malformed notify payload: {e}")))?;
        let account = match payload.recipient() {
            None => return Err(JobFailure::permanent("notify payload names no recipient")),
            Some(Recipient::Account(id)) => match self.store.get_account(id).await {
                Ok(account) => account,
                Err(StoreError::NotFound) => {
                    return Err(JobFailure::permanent(format!(
                        "account {id} does not exist"
                    )));
                }
                Err(e) => return Err(store_failure(e)),
            },
            Some(Recipient::NewAccount(email)) => self
                .store
                .find_account_by_email(&email)
                .await
                .map_err(store_failure)?
                // The job commits with the account, so it exists unless something is very wrong.
                .ok_or_else(|| {
                    JobFailure::permanent("no account has the email of this welcome job")
                })?,
        };
        let rendered = resolve(self.store.as_ref(), account.id, &payload.notice, &self.site)
            .await?
            .render();
        let message = self
            .store
            .commit_inbox_message(NewInboxMessage {
                account_id: account.id,
                kind: payload.notice.kind().to_owned(),
                title_zh: rendered.title_zh,
                body_zh: rendered.body_zh,
                title_en: rendered.title_en,
                body_en: rendered.body_en,
                source_job: Some(job.id),
                created_at: self.clock.now(),
                deliveries: Vec::new(),
            })
            .await
            .map_err(store_failure)?;
        tracing::info!(account_id = %account.id, message_id = %message.id, kind = payload.notice.kind(), "inbox message delivered");
        Ok(())
    }
}
