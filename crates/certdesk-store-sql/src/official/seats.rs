//! O3: a seat pool's `taken` moves only through these two statements outside register-and-pay
//! (whose writers take the seat inside their own statement): a seat is taken only while one
//! is left, under any concurrency, and released by the refund (O10) or reschedule (O7) that
//! gives it up.

use certdesk_store::{StoreError, StoreResult};

use crate::db::{Tx, query};

/// A sitting to move or register into: a city's seat pool and its period's times.
pub(super) struct Target {
    pub pool: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

/// The seat pool of `city` in `period`, a period of `certification` (O7's and O8's target);
/// `NotFound` for an unknown period, a city it does not offer, or another certification's.
pub(super) async fn target(
    tx: &mut Tx,
    period: i64,
    city: &str,
    certification: i64,
) -> StoreResult<Target> {
    let row = query(
        "SELECT s.id AS pool_id, p.starts_at, p.ends_at
         FROM seat_pools s JOIN exam_periods p ON p.id = s.period_id
         WHERE s.period_id = $1 AND s.city = $2 AND p.certification_id = $3",
    )
    .bind(period)
    .bind(city)
    .bind(certification)
    .fetch_optional(tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(Target {
        pool: row.int("pool_id")?,
        starts_at: row.int("starts_at")?,
        ends_at: row.int("ends_at")?,
    })
}

/// Takes a seat of pool `pool` if one is left; `false` when the pool is full (nothing
/// written). On PostgreSQL a concurrent taker waits for the row and re-checks the condition on
/// the committed row.
pub(super) async fn take(tx: &mut Tx, pool: i64) -> StoreResult<bool> {
    let taken = query("UPDATE seat_pools SET taken = taken + 1 WHERE id = $1 AND taken < capacity")
        .bind(pool)
        .execute(tx)
        .await?;
    Ok(taken == 1)
}

/// Gives a seat of pool `pool` back.
pub(super) async fn release(tx: &mut Tx, pool: i64) -> StoreResult<()> {
    query("UPDATE seat_pools SET taken = taken - 1 WHERE id = $1")
        .bind(pool)
        .execute(tx)
        .await?;
    Ok(())
}
