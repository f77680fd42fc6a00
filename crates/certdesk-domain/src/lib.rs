//! certdesk-domain: the pure rules core (no I/O, no async, no clock reads); see README.md.
#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod catalogue;
pub mod clock;
pub mod contact;
mod error_code;
pub mod id_number;
pub mod ids;
pub mod money;
pub mod policy;
pub mod refusal;
pub mod roles;
pub mod rules;
pub mod time;

pub use calendar::{BusinessCalendar, CalendarOverrides, DayKind, Judged};
pub use catalogue::{CertCode, Family, Level, Track};
pub use clock::{Clock, SystemClock, TestClock};
pub use contact::{Email, Phone};
pub use id_number::{IdNumber, IdNumberError};
pub use ids::*;
pub use money::Fen;
pub use policy::Policy;
pub use refusal::{ErrorCode, ErrorKind, Locale, LocalizedText, Refusal};
pub use roles::{IdentityStatus, Role};
pub use rules::{AttemptOutcome, Window};
