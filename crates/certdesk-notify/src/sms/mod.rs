//! Tencent Cloud SMS (`SendSms`, API 2021-01-11): account config, TC3 signing, the client
//! and its errors. Which notices go out by SMS, and when, is the job handler's business.

pub mod client;
pub mod config;
pub mod error;
pub mod tc3;

pub use client::{SmsAccepted, SmsClient, SmsSend, phone_e164};
pub use config::{SmsConfig, SmsConfigError};
pub use error::{SmsError, vendor_code_is_retryable};
