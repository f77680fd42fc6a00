//! The outside channels' senders: each turns a rendered notice into its provider's request.

mod email;
mod sms;
mod wechat;

pub use email::EmailSender;
pub use sms::SmsSender;
pub use wechat::WeChatSender;
