#![doc = include_str!("../README.md")]

pub mod dispatch;
pub mod inbox;
pub mod notice;
pub mod payload;

pub use dispatch::Notifier;
pub use inbox::InboxChannel;
pub use notice::{Notice, Rendered};
pub use payload::{INBOX_CHANNEL, NOTIFY_KIND, NotifyPayload, Recipient, inbox_job, notify_job};
