//! The outside channels' senders: each turns a rendered notice into its provider's request.

mod email;

pub use email::EmailSender;
