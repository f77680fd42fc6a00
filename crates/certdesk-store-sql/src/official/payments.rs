//! O5: cash top-ups through a payment gateway. A "paid" report credits the cash balance exactly
//! once: the status change is a conditional UPDATE, and only the call whose UPDATE changed the
//! row writes the ledger entry — repeats and concurrent duplicates find nothing to change.

use certdesk_domain::{Balance, LedgerEntryKind, PaymentId, PaymentStatus};
use certdesk_store::{Conflict, NewPayment, Payment, PaymentOutcome, StoreError, StoreResult};
use jiff::Timestamp;

use super::ledger::{self, Entry};
use super::rows::{self, PAYMENT_COLUMNS};
use crate::SqlStore;
use crate::convert::ts;
use crate::db::{Exec, missing_reference, query};

pub(crate) async fn get<'c>(executor: impl Exec<'c>, id: PaymentId) -> StoreResult<Payment> {
    let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payments WHERE id = $1");
    let row = query(&sql).bind(id.get()).fetch_optional(executor).await?;
    rows::payment(&row.ok_or(StoreError::NotFound)?)
}

pub(super) async fn create(store: &SqlStore, payment: NewPayment) -> StoreResult<Payment> {
    let sql = format!(
        "INSERT INTO payments (account_id, gateway, amount, status, created_at)
         VALUES ($1, $2, $3, 'pending', $4) RETURNING {PAYMENT_COLUMNS}"
    );
    let mut tx = store.begin().await?;
    let row = query(&sql)
        .bind(payment.account_id.get())
        .bind(&payment.gateway)
        .bind(payment.amount.get())
        .bind(ts(payment.created_at))
        .fetch_one(&mut tx)
        .await
        .map_err(missing_reference)?;
    let created = rows::payment(&row)?;
    tx.commit().await?;
    Ok(created)
}

/// `PaymentStatus::on_gateway_report(paid)`: pending or cancelled → succeeded with a credit;
/// succeeded stays as it is (a repeat).
pub(super) async fn succeeded(
    store: &SqlStore,
    id: PaymentId,
    gateway_ref: &str,
    at: Timestamp,
) -> StoreResult<PaymentOutcome> {
    let mut tx = store.begin().await?;
    let sql = format!(
        "UPDATE payments SET status = 'succeeded', gateway_ref = $2, completed_at = $3
         WHERE id = $1 AND status IN ('pending', 'cancelled') AND purpose = 'top_up'
         RETURNING {PAYMENT_COLUMNS}"
    );
    let row = query(&sql)
        .bind(id.get())
        .bind(gateway_ref)
        .bind(ts(at))
        .fetch_optional(&mut tx)
        .await?;
    let Some(row) = row else {
        // Nothing changed: already succeeded (a repeat), or no such payment.
        let payment = get(&mut tx, id).await?;
        return Ok(PaymentOutcome {
            payment,
            credited: false,
        });
    };
    let payment = rows::payment(&row)?;
    let amount = payment.amount.get();
    ledger::credit(&mut tx, payment.account_id, amount, 0).await?;
    ledger::append(
        &mut tx,
        &[Entry {
            account: payment.account_id,
            balance: Balance::Cash,
            kind: LedgerEntryKind::TopUp,
            amount,
            reason: "",
            order: None,
            payment: Some(payment.id),
            actor: None,
            at,
        }],
    )
    .await?;
    tx.commit().await?;
    tracing::debug!(payment_id = %id, "payment credited");
    Ok(PaymentOutcome {
        payment,
        credited: true,
    })
}

/// Pending → cancelled; an already cancelled payment is answered unchanged; a succeeded one is
/// `Conflict::PaymentNotPending` (the money arrived).
pub(super) async fn cancelled(
    store: &SqlStore,
    id: PaymentId,
    at: Timestamp,
) -> StoreResult<Payment> {
    let mut tx = store.begin().await?;
    let sql = format!(
        "UPDATE payments SET status = 'cancelled', completed_at = $2
         WHERE id = $1 AND status = 'pending' RETURNING {PAYMENT_COLUMNS}"
    );
    let row = query(&sql)
        .bind(id.get())
        .bind(ts(at))
        .fetch_optional(&mut tx)
        .await?;
    let payment = match row {
        Some(row) => rows::payment(&row)?,
        None => {
            let payment = get(&mut tx, id).await?;
            if payment.status != PaymentStatus::Cancelled {
                return Err(StoreError::Conflict(Conflict::PaymentNotPending));
            }
            payment
        }
    };
    tx.commit().await?;
    Ok(payment)
}
