//! Local stand-ins for the vendors' endpoints (feature `testing`).

pub mod wechat_server;
