#![doc = include_str!("../README.md")]

pub mod channel;
pub mod dispatch;
pub mod email;
pub mod inbox;
pub mod message;
mod message_institution;
pub mod notice;
pub mod payload;
pub mod resolve;
pub mod senders;
pub mod site;
pub mod sms;
pub mod templates;
#[cfg(feature = "testing")]
pub mod testing;
pub mod wechat;

pub use channel::{ChannelHandler, Outgoing, SendError, Sender};
pub use dispatch::Notifier;
pub use inbox::InboxChannel;
pub use message::{CertificationNames, InstitutionContact, Message, Rendered};
pub use notice::Notice;
pub use payload::{
    Channels, INBOX_CHANNEL, NOTIFY_KIND, NotifyPayload, Recipient, inbox_job, notify_job,
};
pub use resolve::resolve;
pub use site::{ManageLinks, Site};
