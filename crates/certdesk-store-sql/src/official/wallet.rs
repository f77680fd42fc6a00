//! O5: the wallet — balances, the append-only ledger, operators' credits and vouchers. Gateway
//! payments are in `payments.rs`.

use async_trait::async_trait;
use certdesk_domain::{AccountId, Balance, LedgerEntryKind, PaymentId, VoucherCode};
use certdesk_store::{
    Conflict, LedgerEntry, NewCredit, NewPayment, NewVoucher, Page, PageRequest, Payment,
    PaymentOutcome, StoreError, StoreResult, Voucher, WalletBalance, WalletStore,
};
use jiff::Timestamp;

use super::ledger::{self, Entry};
use super::rows::{self, LEDGER_COLUMNS, VOUCHER_COLUMNS};
use crate::SqlStore;
use crate::convert::{before, fetch_limit, into_page, ts};
use crate::db::{missing_reference, query};

#[async_trait]
impl WalletStore for SqlStore {
    async fn wallet_balance(&self, account: AccountId) -> StoreResult<WalletBalance> {
        let row = query("SELECT cash, gift FROM wallets WHERE account_id = $1")
            .bind(account.get())
            .fetch_optional(self.read())
            .await?;
        match row {
            Some(row) => Ok(WalletBalance {
                cash: rows::fen(&row, "cash")?,
                gift: rows::fen(&row, "gift")?,
            }),
            None => Ok(WalletBalance::default()),
        }
    }

    async fn list_ledger(
        &self,
        account: AccountId,
        page: PageRequest,
    ) -> StoreResult<Page<LedgerEntry>> {
        let sql = format!(
            "SELECT {LEDGER_COLUMNS} FROM ledger_entries WHERE account_id = $1 AND id < $2
             ORDER BY id DESC LIMIT $3"
        );
        let rows = query(&sql)
            .bind(account.get())
            .bind(before(page))
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(rows::ledger_entry)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |e| e.id))
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %credit.account_id))]
    async fn commit_credit(&self, credit: NewCredit) -> StoreResult<LedgerEntry> {
        let amount = credit.amount.get();
        let (cash, gift) = match credit.balance {
            Balance::Cash => (amount, 0),
            Balance::Gift => (0, amount),
        };
        let mut tx = self.begin().await?;
        ledger::credit(&mut tx, credit.account_id, cash, gift).await?;
        let entry = ledger::append_one(
            &mut tx,
            Entry {
                account: credit.account_id,
                balance: credit.balance,
                kind: LedgerEntryKind::OperatorCredit,
                amount,
                reason: &credit.reason,
                order: None,
                payment: None,
                actor: Some(credit.actor),
                at: credit.at,
            },
        )
        .await?;
        crate::audit::insert(&mut tx, &credit.audit).await?;
        crate::jobs::enqueue(&mut tx, &credit.jobs, Some(credit.at)).await?;
        tx.commit().await?;
        Ok(entry)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %voucher.account_id))]
    async fn commit_voucher(&self, voucher: NewVoucher) -> StoreResult<Voucher> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "INSERT INTO vouchers (code, account_id, face_value, min_spend, expires_at, issued_by, issued_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {VOUCHER_COLUMNS}"
        );
        let row = query(&sql)
            .bind(voucher.code.as_str())
            .bind(voucher.account_id.get())
            .bind(voucher.face_value.get())
            .bind(voucher.min_spend.get())
            .bind(ts(voucher.expires_at))
            .bind(voucher.issued_by.get())
            .bind(ts(voucher.issued_at))
            .fetch_one(&mut tx)
            .await
            .map_err(|e| {
                if e.is_unique_violation("vouchers_code_unique") {
                    StoreError::Conflict(Conflict::VoucherCodeTaken)
                } else {
                    missing_reference(e)
                }
            })?;
        let stored = rows::voucher(&row)?;
        crate::audit::insert(&mut tx, &voucher.audit).await?;
        crate::jobs::enqueue(&mut tx, &voucher.jobs, Some(voucher.issued_at)).await?;
        tx.commit().await?;
        Ok(stored)
    }

    async fn list_vouchers(&self, account: AccountId) -> StoreResult<Vec<Voucher>> {
        let sql = format!(
            "SELECT {VOUCHER_COLUMNS} FROM vouchers WHERE account_id = $1 ORDER BY id DESC"
        );
        let rows = query(&sql)
            .bind(account.get())
            .fetch_all(self.read())
            .await?;
        rows.iter().map(rows::voucher).collect()
    }

    async fn find_voucher(&self, code: &VoucherCode) -> StoreResult<Option<Voucher>> {
        let sql = format!("SELECT {VOUCHER_COLUMNS} FROM vouchers WHERE code = $1");
        let row = query(&sql)
            .bind(code.as_str())
            .fetch_optional(self.read())
            .await?;
        row.as_ref().map(rows::voucher).transpose()
    }

    async fn commit_payment(&self, payment: NewPayment) -> StoreResult<Payment> {
        super::payments::create(self, payment).await
    }

    async fn get_payment(&self, id: PaymentId) -> StoreResult<Payment> {
        super::payments::get(self.read(), id).await
    }

    async fn commit_payment_succeeded(
        &self,
        id: PaymentId,
        gateway_ref: &str,
        at: Timestamp,
    ) -> StoreResult<PaymentOutcome> {
        super::payments::succeeded(self, id, gateway_ref, at).await
    }

    async fn commit_payment_cancelled(&self, id: PaymentId, at: Timestamp) -> StoreResult<Payment> {
        super::payments::cancelled(self, id, at).await
    }
}
