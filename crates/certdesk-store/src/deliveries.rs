//! P2/O6: what each notification job delivered on its channel, and the outbox's figures.

use async_trait::async_trait;
use certdesk_domain::{AccountId, JobId, Locale};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::StoreResult;

/// How a channel job ended for its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// The provider accepted it (its message id is kept).
    Sent,
    /// Not sent, by design: the recipient opted out, has no address on this channel, or the
    /// deployment has no template for this kind on it.
    Skipped,
    /// The provider will never take it for this recipient (WeChat 43004: not following).
    Undeliverable,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 3] = [
        DeliveryStatus::Sent,
        DeliveryStatus::Skipped,
        DeliveryStatus::Undeliverable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Skipped => "skipped",
            DeliveryStatus::Undeliverable => "undeliverable",
        }
    }
}

impl std::str::FromStr for DeliveryStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DeliveryStatus::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| format!("unknown delivery status {s:?}"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub job_id: JobId,
    pub channel: String,
    pub account_id: AccountId,
    /// The notice's kind (`admission_ticket_issued`, …).
    pub kind: String,
    pub status: DeliveryStatus,
    /// The provider's id for what it accepted (SMTP Message-ID, SMS SerialNo, WeChat msgid).
    pub provider_id: Option<String>,
    /// Why it was skipped or undeliverable, for operators.
    pub detail: Option<String>,
    pub created_at: Timestamp,
}

pub type Delivery = NewDelivery;

/// One channel's figures for `/metrics` and the operators' page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelFigures {
    pub channel: String,
    pub sent: u64,
    pub skipped: u64,
    pub undeliverable: u64,
    /// Jobs waiting to be sent (pending or running), and the oldest one's creation.
    pub waiting: u64,
    pub oldest_waiting_since: Option<Timestamp>,
    /// Jobs that failed (attempts used, some still to come) and that are dead.
    pub retrying: u64,
    pub dead: u64,
}

#[async_trait]
pub trait DeliveryStore {
    /// What job `job` delivered, if it already did.
    async fn find_delivery(&self, job: JobId) -> StoreResult<Option<Delivery>>;
    /// Records a delivery; the first record of a job wins and is answered.
    async fn commit_delivery(&self, delivery: NewDelivery) -> StoreResult<Delivery>;
    /// Per channel of notification jobs (`kind = 'notify'`), in channel order.
    async fn channel_figures(&self) -> StoreResult<Vec<ChannelFigures>>;
    /// The language notifications to this account are written in (zh-CN unless chosen).
    async fn find_account_locale(&self, account: AccountId) -> StoreResult<Locale>;
    /// `NotFound` for an unknown account.
    async fn set_account_locale(&self, account: AccountId, locale: Locale) -> StoreResult<()>;
}
