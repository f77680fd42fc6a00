//! P2: a notification job's payload — who (an id) and which notice — and how to enqueue one.

use certdesk_domain::{AccountId, Email};
use certdesk_store::NewJob;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::notice::Notice;

/// The job kind of every notification; the channel tells them apart.
pub const NOTIFY_KIND: &str = "notify";
/// The inbox channel (站内信): always on (O6).
pub const INBOX_CHANNEL: &str = "inbox";

/// Whom a notice is for. Almost always an account id; a just-created account is named by its
/// (unique) email, because its id does not exist yet when the sign-up's job is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Account(AccountId),
    NewAccount(Email),
}

/// `{"account_id": 42, "notice": "identity_verified"}` or
/// `{"email": "a@b.cn", "notice": "welcome"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyPayload {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<AccountId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Email>,
    #[serde(flatten)]
    pub notice: Notice,
}

impl NotifyPayload {
    pub fn new(recipient: Recipient, notice: Notice) -> NotifyPayload {
        match recipient {
            Recipient::Account(id) => NotifyPayload {
                account_id: Some(id),
                email: None,
                notice,
            },
            Recipient::NewAccount(email) => NotifyPayload {
                account_id: None,
                email: Some(email),
                notice,
            },
        }
    }

    /// `None` when the payload names nobody (a malformed job).
    pub fn recipient(&self) -> Option<Recipient> {
        match (&self.account_id, &self.email) {
            (Some(id), _) => Some(Recipient::Account(*id)),
            (None, Some(email)) => Some(Recipient::NewAccount(email.clone())),
            (None, None) => None,
        }
    }
}

/// A `notify` job for one channel. `dedup_key` names the event (e.g.
/// `identity_verified:account:42:<submitted_at µs>`); the channel is appended so each channel
/// gets its own job and a failure in one never re-sends another.
pub fn notify_job(
    channel: &str,
    recipient: Recipient,
    notice: Notice,
    dedup_key: &str,
    run_at: Timestamp,
    max_attempts: u32,
) -> NewJob {
    let payload = NotifyPayload::new(recipient, notice);
    NewJob {
        kind: NOTIFY_KIND.to_owned(),
        payload: serde_json::to_value(&payload).expect("a notify payload serialises"),
        channel: Some(channel.to_owned()),
        dedup_key: Some(format!("{dedup_key}:{channel}")),
        run_at,
        max_attempts,
        keeps_promise: None,
    }
}

/// The inbox job for a notice (O6: the inbox channel always gets one).
pub fn inbox_job(
    recipient: Recipient,
    notice: Notice,
    dedup_key: &str,
    run_at: Timestamp,
    max_attempts: u32,
) -> NewJob {
    notify_job(
        INBOX_CHANNEL,
        recipient,
        notice,
        dedup_key,
        run_at,
        max_attempts,
    )
}

/// The outside channels (email, SMS, WeChat) that exist in this deployment: each notice gets
/// one job on each, in the commit of the event that causes it (P2). Whether a recipient is
/// reached on one (opt-out, address, template) is decided when the job runs, as things are then.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channels(Vec<&'static str>);

impl Channels {
    pub const EMAIL: &'static str = "email";
    pub const SMS: &'static str = "sms";
    pub const WECHAT: &'static str = "wechat";

    pub fn none() -> Channels {
        Channels(Vec::new())
    }

    /// Adds an outside channel (`Channels::EMAIL`, …); each at most once, in a fixed order.
    pub fn with(mut self, channel: &'static str) -> Channels {
        if !self.0.contains(&channel) {
            self.0.push(channel);
            let rank = |c: &&str| {
                [Self::EMAIL, Self::SMS, Self::WECHAT]
                    .iter()
                    .position(|k| k == c)
            };
            self.0.sort_by_key(rank);
        }
        self
    }

    pub fn names(&self) -> &[&'static str] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The notice's jobs on the outside channels (not the inbox).
    pub fn deliveries(
        &self,
        recipient: &Recipient,
        notice: &Notice,
        dedup_key: &str,
        run_at: Timestamp,
        max_attempts: u32,
    ) -> Vec<NewJob> {
        self.0
            .iter()
            .map(|channel| {
                notify_job(
                    channel,
                    recipient.clone(),
                    notice.clone(),
                    dedup_key,
                    run_at,
                    max_attempts,
                )
            })
            .collect()
    }

    /// The inbox job and the outside channels' jobs of a notice. The inbox is this database
    /// and fails only with it, so it keeps its own (usually lower) attempt limit.
    pub fn jobs(
        &self,
        recipient: Recipient,
        notice: Notice,
        dedup_key: &str,
        run_at: Timestamp,
        inbox_attempts: u32,
        outside_attempts: u32,
    ) -> Vec<NewJob> {
        let outside = self.deliveries(&recipient, &notice, dedup_key, run_at, outside_attempts);
        let inbox = inbox_job(recipient, notice, dedup_key, run_at, inbox_attempts);
        std::iter::once(inbox).chain(outside).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_holds_ids_and_round_trips() {
        let now: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let job = inbox_job(
            Recipient::Account(AccountId(42)),
            Notice::IdentityVerified,
            "identity_verified:account:42:1",
            now,
            5,
        );
        assert_eq!(job.kind, "notify");
        assert_eq!(job.channel.as_deref(), Some("inbox"));
        assert_eq!(
            job.dedup_key.as_deref(),
            Some("identity_verified:account:42:1:inbox")
        );
        assert_eq!(
            job.payload,
            serde_json::json!({"account_id": 42, "notice": "identity_verified"})
        );
        let back: NotifyPayload = serde_json::from_value(job.payload).unwrap();
        assert_eq!(back.recipient(), Some(Recipient::Account(AccountId(42))));

        let email = Email::parse("a@b.cn").unwrap();
        let p = NotifyPayload::new(Recipient::NewAccount(email.clone()), Notice::Welcome);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"email": "a@b.cn", "notice": "welcome"})
        );
        let back: NotifyPayload = serde_json::from_value(json).unwrap();
        assert_eq!(back.recipient(), Some(Recipient::NewAccount(email)));
    }

    #[test]
    fn each_channel_gets_its_own_job() {
        let now: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let channels = Channels::none()
            .with(Channels::WECHAT)
            .with(Channels::EMAIL)
            .with(Channels::EMAIL);
        assert_eq!(channels.names(), ["email", "wechat"]);
        let jobs = channels.jobs(
            Recipient::Account(AccountId(7)),
            Notice::IdentityVerified,
            "identity_verified:account:7:1",
            now,
            8,
            12,
        );
        let keys: Vec<_> = jobs.iter().map(|j| j.dedup_key.clone().unwrap()).collect();
        assert_eq!(
            keys,
            [
                "identity_verified:account:7:1:inbox",
                "identity_verified:account:7:1:email",
                "identity_verified:account:7:1:wechat"
            ]
        );
        assert!(jobs.iter().all(|j| j.payload == jobs[0].payload));
        assert!(
            Channels::none()
                .deliveries(
                    &Recipient::Account(AccountId(7)),
                    &Notice::Welcome,
                    "k",
                    now,
                    8
                )
                .is_empty()
        );
    }

    #[test]
    fn malformed_payloads_are_refused() {
        assert!(
            serde_json::from_value::<NotifyPayload>(serde_json::json!({"account_id": 1})).is_err()
        );
        assert!(
            serde_json::from_value::<NotifyPayload>(
                serde_json::json!({"account_id": 1, "notice": "nope"})
            )
            .is_err()
        );
        let nobody: NotifyPayload =
            serde_json::from_value(serde_json::json!({"notice": "welcome"})).unwrap();
        assert_eq!(nobody.recipient(), None);
    }
}
