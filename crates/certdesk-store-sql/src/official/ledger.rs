//! O5: the wallet's ledger and balances, always moved together inside the caller's
//! transaction, so a balance equals the sum of its account's entries at every commit.

use certdesk_domain::{AccountId, Balance, LedgerEntryKind, OrderId, PaymentId};
use certdesk_store::{LedgerEntry, StoreResult};
use jiff::Timestamp;

use crate::convert::ts;
use crate::db::{Tx, missing_reference, query};

/// One ledger entry to append. `amount` is signed: credits positive, debits negative.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub account: AccountId,
    pub balance: Balance,
    pub kind: LedgerEntryKind,
    pub amount: i64,
    /// The operator's reason; empty where the kind and reference say it all.
    pub reason: &'a str,
    pub order: Option<OrderId>,
    pub payment: Option<PaymentId>,
    pub actor: Option<AccountId>,
    pub at: Timestamp,
}

impl Entry<'_> {
    fn into_record(self, id: i64) -> LedgerEntry {
        LedgerEntry {
            id,
            account_id: self.account,
            balance: self.balance,
            kind: self.kind,
            amount: self.amount,
            reason: self.reason.to_owned(),
            order_id: self.order,
            payment_id: self.payment,
            actor: self.actor,
            at: self.at,
        }
    }
}

/// Appends entries (one multi-row INSERT); zero amounts are skipped.
pub(crate) async fn append(tx: &mut Tx, entries: &[Entry<'_>]) -> StoreResult<()> {
    let entries: Vec<&Entry<'_>> = entries.iter().filter(|e| e.amount != 0).collect();
    if entries.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..entries.len())
        .map(|i| {
            let p: Vec<String> = (1..=9).map(|k| format!("${}", 9 * i + k)).collect();
            format!("({})", p.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO ledger_entries (account_id, balance, kind, amount, reason, order_id, payment_id, actor_id, at)
         VALUES {}",
        values.join(", ")
    );
    let mut insert = query(&sql);
    for e in entries {
        insert = insert
            .bind(e.account.get())
            .bind(e.balance.as_str())
            .bind(e.kind.as_str())
            .bind(e.amount)
            .bind(e.reason)
            .bind(e.order.map(OrderId::get))
            .bind(e.payment.map(PaymentId::get))
            .bind(e.actor.map(AccountId::get))
            .bind(ts(e.at));
    }
    insert.execute(tx).await.map_err(missing_reference)?;
    Ok(())
}

/// Appends one entry and answers it as stored.
pub(crate) async fn append_one(tx: &mut Tx, entry: Entry<'_>) -> StoreResult<LedgerEntry> {
    let id = query(
        "INSERT INTO ledger_entries (account_id, balance, kind, amount, reason, order_id, payment_id, actor_id, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(entry.account.get())
    .bind(entry.balance.as_str())
    .bind(entry.kind.as_str())
    .bind(entry.amount)
    .bind(entry.reason)
    .bind(entry.order.map(OrderId::get))
    .bind(entry.payment.map(PaymentId::get))
    .bind(entry.actor.map(AccountId::get))
    .bind(ts(entry.at))
    .fetch_one(tx)
    .await
    .map_err(missing_reference)?
    .int("id")?;
    Ok(entry.into_record(id))
}

/// Adds to the balances, creating the wallet on its first credit.
pub(crate) async fn credit(
    tx: &mut Tx,
    account: AccountId,
    cash: i64,
    gift: i64,
) -> StoreResult<()> {
    query(
        "INSERT INTO wallets (account_id, cash, gift) VALUES ($1, $2, $3)
         ON CONFLICT (account_id) DO UPDATE SET cash = wallets.cash + excluded.cash,
                                                gift = wallets.gift + excluded.gift",
    )
    .bind(account.get())
    .bind(cash)
    .bind(gift)
    .execute(tx)
    .await
    .map_err(missing_reference)?;
    Ok(())
}
