//! P2: one outside channel's job handler (email, SMS, WeChat). A job names a recipient and a
//! notice; the handler reads both back, honours the recipient's opt-out and address as they
//! are now, renders the message in their language and hands it to the channel's sender.
//! What the provider accepted is recorded (with its message id) before the job is done, so a
//! job that runs again never sends twice.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use certdesk_domain::{Clock, Locale};
use certdesk_store::runner::{JobFailure, JobHandler};
use certdesk_store::{Account, DeliveryStatus, Job, NewDelivery, Store, StoreError};

use crate::message::Message;
use crate::notice::Notice;
use crate::payload::{NotifyPayload, Recipient};
use crate::resolve::{resolve, store_failure};
use crate::site::Site;

/// What a sender is asked to deliver.
#[derive(Debug)]
pub struct Outgoing<'a> {
    pub job: &'a Job,
    /// The address on this channel (email address, E.164 phone, WeChat openid).
    pub to: &'a str,
    pub locale: Locale,
    pub notice: &'a Notice,
    pub message: &'a Message,
    /// The absolute link to the notice's page.
    pub link: String,
    /// The runner's clock reading (an email's `Date:`).
    pub now: jiff::Timestamp,
}

/// How a send failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth another try later (provider down, rate limit, network).
    Retry(String),
    /// No retry can fix it (a bad template or parameters): the job goes dead, for an operator.
    Final(String),
    /// The provider will never take it for this recipient (WeChat: not following the
    /// account): recorded, and the job is done.
    Undeliverable(String),
}

/// A channel's way out: its address for an account, whether it can carry a kind, and the send.
#[async_trait]
pub trait Sender: Send + Sync + fmt::Debug {
    /// `email`, `sms` or `wechat` (the job's channel, the opt-out's name).
    fn channel(&self) -> &'static str;
    fn address(&self, account: &Account) -> Option<String>;
    /// False when the deployment has no template for this kind on this channel.
    fn carries(&self, kind: &str) -> bool;
    /// Sends; answers the provider's id for what it accepted.
    async fn send(&self, out: &Outgoing<'_>) -> Result<String, SendError>;
}

/// The handler of `notify` jobs on one outside channel.
pub struct ChannelHandler {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    site: Site,
    sender: Arc<dyn Sender>,
}

impl fmt::Debug for ChannelHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChannelHandler")
            .field("channel", &self.sender.channel())
            .finish_non_exhaustive()
    }
}

impl ChannelHandler {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        site: Site,
        sender: Arc<dyn Sender>,
    ) -> ChannelHandler {
        ChannelHandler {
            store,
            clock,
            site,
            sender,
        }
    }

    async fn recipient(&self, payload: &NotifyPayload) -> Result<Account, JobFailure> {
        match payload.recipient() {
            None => Err(JobFailure::permanent("notify payload names no recipient")),
            Some(Recipient::Account(id)) => match self.store.get_account(id).await {
                Ok(account) => Ok(account),
                Err(StoreError::NotFound) => Err(JobFailure::permanent(format!(
                    "account {id} does not exist"
                ))),
                Err(e) => Err(store_failure(e)),
            },
            Some(Recipient::NewAccount(email)) => self
                .store
                .find_account_by_email(&email)
                .await
                .map_err(store_failure)?
                .ok_or_else(|| JobFailure::permanent("no account has the email of this job")),
        }
    }

    async fn record(
        &self,
        job: &Job,
        account: &Account,
        kind: &str,
        status: DeliveryStatus,
        provider_id: Option<String>,
        detail: Option<String>,
    ) -> Result<(), JobFailure> {
        self.store
            .commit_delivery(NewDelivery {
                job_id: job.id,
                channel: self.sender.channel().to_owned(),
                account_id: account.id,
                kind: kind.to_owned(),
                status,
                provider_id,
                detail,
                created_at: self.clock.now(),
            })
            .await
            .map_err(store_failure)?;
        Ok(())
    }
}

#[async_trait]
impl JobHandler for ChannelHandler {
    async fn run(&self, job: &Job) -> Result<(), JobFailure> {
        // Sent before (the worker died between the send and marking the job done): done.
        if self
            .store
            .find_delivery(job.id)
            .await
            .map_err(store_failure)?
            .is_some()
        {
            return Ok(());
        }
        let payload: NotifyPayload = serde_json::from_value(job.payload.clone())
            .map_err(|e| JobFailure::permanent(format!("malformed notify payload: {e}")))?;
        let account = self.recipient(&payload).await?;
        let kind = payload.notice.kind();
        let channel = self.sender.channel();
        let skip = |why: &str| Some(why.to_owned());
        if account.opted_out.iter().any(|c| c == channel) {
            let why = skip("the recipient opted out of this channel");
            return self
                .record(job, &account, kind, DeliveryStatus::Skipped, None, why)
                .await;
        }
        let Some(to) = self.sender.address(&account) else {
            let why = skip("the recipient has no address on this channel");
            return self
                .record(job, &account, kind, DeliveryStatus::Skipped, None, why)
                .await;
        };
        if !self.sender.carries(kind) {
            let why = skip("no template is configured for this kind on this channel");
            return self
                .record(job, &account, kind, DeliveryStatus::Skipped, None, why)
                .await;
        }
        let locale = self
            .store
            .find_account_locale(account.id)
            .await
            .map_err(store_failure)?;
        let message = resolve(self.store.as_ref(), account.id, &payload.notice, &self.site).await?;
        let out = Outgoing {
            job,
            to: &to,
            locale,
            notice: &payload.notice,
            message: &message,
            link: self.site.link(&payload.notice),
            now: self.clock.now(),
        };
        match self.sender.send(&out).await {
            Ok(provider_id) => {
                tracing::info!(account_id = %account.id, channel, kind, "notification sent");
                self.record(
                    job,
                    &account,
                    kind,
                    DeliveryStatus::Sent,
                    Some(provider_id),
                    None,
                )
                .await
            }
            Err(SendError::Undeliverable(why)) => {
                tracing::info!(account_id = %account.id, channel, kind, "notification undeliverable");
                self.record(
                    job,
                    &account,
                    kind,
                    DeliveryStatus::Undeliverable,
                    None,
                    Some(why),
                )
                .await
            }
            Err(SendError::Retry(why)) => Err(JobFailure::retry(why)),
            Err(SendError::Final(why)) => Err(JobFailure::permanent(why)),
        }
    }
}
