//! Test doubles of the vendors' services (feature `testing`).

pub mod sinks;
pub mod sms_server;
pub mod smtp_server;
pub mod wechat_server;
