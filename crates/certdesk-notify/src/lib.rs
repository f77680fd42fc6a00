#![doc = include_str!("../README.md")]

pub mod dispatch;
pub mod inbox;
pub mod message;
pub mod notice;
pub mod payload;
pub mod resolve;
#[cfg(feature = "testing")]
pub mod testing;
pub mod wechat;

pub use dispatch::Notifier;
pub use inbox::InboxChannel;
pub use message::{CertificationNames, Message, Rendered};
pub use notice::Notice;
pub use payload::{INBOX_CHANNEL, NOTIFY_KIND, NotifyPayload, Recipient, inbox_job, notify_job};
pub use resolve::resolve;
