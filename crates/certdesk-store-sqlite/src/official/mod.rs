//! The official channel on SQLite: exam periods and seats (O1–O3), the wallet and vouchers
//! (O5), gateway payments, register-and-pay (O5), refunds (O10) and promises (P1). Every
//! `commit_*` runs on the single writer (`BEGIN IMMEDIATE`), register-and-pay in groups
//! (`group.rs`); seats, balances and vouchers are guarded by the same conditional updates
//! PostgreSQL relies on, so the rules do not depend on there being one writer.

mod group;

pub(crate) use group::SqliteGroupWrite;
mod context;
mod ledger;
mod orders;
mod paid;
mod payments;
mod periods;
pub(crate) mod promises;
mod refund;
mod rows;
mod wallet;
