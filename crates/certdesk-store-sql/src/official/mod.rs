//! The official channel: exam periods and seats (O1–O3), the wallet and vouchers (O5),
//! gateway payments, register-and-pay (O5), refunds (O10), reschedules (O7),
//! retakes (O8) and promises (P1).
//!
//! Every decision that concurrency could break is a conditional UPDATE (`… WHERE taken <
//! capacity`, `… AND cash >= $n`, `… WHERE used_by_order IS NULL`, `… WHERE status = 'paid'`)
//! or a unique key (A2's live registration, the idempotency key, one refund per order), so the
//! rules hold on both databases whatever the concurrency: on SQLite the single writer
//! serialises every write transaction; on PostgreSQL (READ COMMITTED) a concurrent writer
//! waits for the row and the condition is re-checked on the committed row. Row locks are
//! taken in one order everywhere — order, wallet, voucher, registration, seat pool — so two
//! commits never wait on each other in a cycle.

mod certificates;
mod context;
mod ledger;
pub(crate) mod orders;
pub(crate) mod paid;
pub(crate) mod payments;
mod periods;
pub(crate) mod promises;
mod refund;
mod reschedule;
pub(crate) mod retake;
pub(crate) mod rows;
mod seats;
mod tickets;
mod wallet;
