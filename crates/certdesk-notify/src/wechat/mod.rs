//! O6: the WeChat channel's protocol client — official-account (服务号) template messages,
//! the process-wide access-token cache, the settings and the errors.

pub mod client;
pub mod config;
pub mod error;
pub mod fields;
pub mod token;

pub use client::{TemplateMessage, WeChatAccepted, WeChatClient};
pub use config::{WeChatConfig, WeChatConfigError};
pub use error::{Step, WeChatError};
pub use token::{AccessToken, TokenCache};
