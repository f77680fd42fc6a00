#![doc = include_str!("../README.md")]

pub mod catalogue;
pub mod clock;
pub mod contact;
mod error_code;
pub mod id_number;
pub mod ids;
pub mod money;
pub mod refusal;
pub mod roles;
pub mod time;

pub use catalogue::{CertCode, Family, Level, Track};
pub use clock::{Clock, SystemClock, TestClock};
pub use contact::{Email, Phone};
pub use id_number::{IdNumber, IdNumberError};
pub use ids::*;
pub use money::Fen;
pub use refusal::{ErrorCode, ErrorKind, Locale, LocalizedText, Refusal};
pub use roles::{IdentityStatus, Role};
