//! The official channel on PostgreSQL: exam periods and seats (O1–O3), the wallet and
//! vouchers (O5), gateway payments, register-and-pay (O5), refunds (O10) and promises (P1).
//!
//! Transactions run at READ COMMITTED. Every decision that concurrency could break is a
//! conditional UPDATE (`… WHERE taken < capacity`, `… AND cash >= $n`, `… WHERE used_by_order
//! IS NULL`, `… WHERE status = 'paid'`) or a unique key (A2's live registration, the
//! idempotency key, one refund per order): a concurrent writer waits for the row, and
//! PostgreSQL re-checks the condition on the committed row before it updates. Row locks are
//! taken in one order everywhere — order, wallet, voucher, registration, seat pool — so two
//! commits never wait on each other in a cycle.

mod context;
mod group;
mod ledger;
mod orders;
mod paid;
mod payments;
mod periods;
mod promises;
mod refund;
mod rows;
mod wallet;

pub(crate) use group::PostgresGroupWrite;
