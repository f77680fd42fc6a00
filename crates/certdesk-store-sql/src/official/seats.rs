//! O3: a seat pool's `taken` moves only through these two statements outside register-and-pay
//! (whose writers take the seat inside their own statement): a seat is taken only while one
//! is left, under any concurrency, and released by the refund (O10) or reschedule (O7) that
//! gives it up.

use certdesk_store::StoreResult;

use crate::db::{Tx, query};

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
