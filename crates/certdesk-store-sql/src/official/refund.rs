//! O10: a refund in one transaction — the order turns refunded (a conditional UPDATE: of two
//! simultaneous refunds the second waits for the row, then finds it refunded; the `refunds`
//! primary key backs it up), cash and gift go back with their ledger entries, the
//! registration is cancelled, its open promises voided and its seat released. The voucher
//! stays spent: it is forfeited.

use certdesk_domain::{AccountId, Balance, LedgerEntryKind, OrderId};
use certdesk_store::{Conflict, Refund, RefundCommit, StoreError, StoreResult};

use super::ledger::{self, Entry};
use crate::SqlStore;
use crate::convert::ts;
use crate::db::{Tx, query};

pub(super) async fn commit(store: &SqlStore, refund: RefundCommit) -> StoreResult<Refund> {
    let mut tx = store.begin().await?;
    let order = query(
        "UPDATE orders SET status = 'refunded' WHERE id = $1 AND status = 'paid'
         RETURNING account_id, cash, gift",
    )
    .bind(refund.order_id.get())
    .fetch_optional(&mut tx)
    .await?;
    let Some(order) = order else {
        return Err(not_refundable(&mut tx, refund.order_id).await);
    };
    let account = AccountId(order.get("account_id")?);
    let (cash, gift) = (refund.cash.get(), refund.gift.get());
    // O10: never more than was paid by a method.
    if cash > order.get::<i64>("cash")? || gift > order.get::<i64>("gift")? {
        return Err(StoreError::Other(anyhow::anyhow!(
            "refund of order {} exceeds what it paid by cash or gift",
            refund.order_id
        )));
    }
    query(
        "INSERT INTO refunds (order_id, cash, gift, voucher_forfeited, requested_at, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(refund.order_id.get())
    .bind(cash)
    .bind(gift)
    .bind(refund.voucher_forfeited.get())
    .bind(ts(refund.requested_at))
    .bind(ts(refund.completed_at))
    .execute(&mut tx)
    .await
    .map_err(|e| {
        if e.is_unique_violation("refunds_pkey") {
            StoreError::Conflict(Conflict::AlreadyRefunded)
        } else {
            StoreError::from(e)
        }
    })?;
    if cash != 0 || gift != 0 {
        ledger::credit(&mut tx, account, cash, gift).await?;
    }
    let back = |balance, amount| Entry {
        account,
        balance,
        kind: LedgerEntryKind::Refund,
        amount,
        reason: "",
        order: Some(refund.order_id),
        payment: None,
        actor: None,
        at: refund.completed_at,
    };
    ledger::append(
        &mut tx,
        &[back(Balance::Cash, cash), back(Balance::Gift, gift)],
    )
    .await?;
    let pool = cancel_registration(&mut tx, &refund).await?;
    crate::jobs::enqueue(&mut tx, &refund.jobs, Some(refund.completed_at)).await?;
    // O3: the seat is released last: buyers of the city all update this row, so its lock
    // should be held for little more than the commit.
    if let Some(pool) = pool {
        super::seats::release(&mut tx, pool).await?;
    }
    tx.commit().await?;
    tracing::debug!(order_id = %refund.order_id, "order refunded");
    Ok(Refund {
        order_id: refund.order_id,
        cash: refund.cash,
        gift: refund.gift,
        voucher_forfeited: refund.voucher_forfeited,
        requested_at: refund.requested_at,
        completed_at: refund.completed_at,
    })
}

/// The order was not paid-and-unrefunded: refunded already, or unknown.
async fn not_refundable(tx: &mut Tx, order: OrderId) -> StoreError {
    let found = query("SELECT 1 FROM orders WHERE id = $1")
        .bind(order.get())
        .fetch_optional(tx)
        .await;
    match found {
        Ok(Some(_)) => StoreError::Conflict(Conflict::AlreadyRefunded),
        Ok(None) => StoreError::NotFound,
        Err(e) => StoreError::from(e),
    }
}

/// O10: the registration is cancelled and its open promises voided; answers its seat pool.
async fn cancel_registration(tx: &mut Tx, refund: &RefundCommit) -> StoreResult<Option<i64>> {
    let row = query(
        "UPDATE registrations SET status = 'cancelled', cancelled_at = $2
         WHERE order_id = $1 AND status IN ('confirmed', 'ticket_issued')
         RETURNING id, seat_pool_id",
    )
    .bind(refund.order_id.get())
    .bind(ts(refund.completed_at))
    .fetch_optional(&mut *tx)
    .await?
    // A registration that sat its exam (a result is out) has nothing left to cancel.
    .ok_or(StoreError::Conflict(Conflict::RegistrationChanged))?;
    let registration: i64 = row.get("id")?;
    super::promises::void_open(tx, registration, refund.completed_at).await?;
    row.int_opt("seat_pool_id")
}
