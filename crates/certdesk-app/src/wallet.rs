//! O5: the wallet — balances derived from the append-only ledger, vouchers, and operators'
//! credits and vouchers (audited, with an inbox notice).

use certdesk_domain::{
    AccountId, CreditRequest, LedgerEntryKind, RawAmount, Role, VoucherCode, VoucherTerms,
    balance_after,
};
use certdesk_notify::{Notice, Recipient};
use certdesk_store::{
    Account, Conflict, LedgerEntry, NewAuditEntry, NewCredit, NewVoucher, Page, PageRequest,
    StoreError, Voucher, WalletBalance,
};
use jiff::Timestamp;
use rand::RngCore;
use serde_json::json;

use crate::App;
use crate::error::{AppResult, require};

/// How often a fresh voucher code is drawn when the random one is taken (40 bits: a clash is
/// rare, two in a row rarer still).
const VOUCHER_CODE_DRAWS: usize = 8;

/// The actor's wallet page: balances and every voucher (used ones too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletView {
    pub balance: WalletBalance,
    pub vouchers: Vec<Voucher>,
}

fn balance_json(b: WalletBalance) -> serde_json::Value {
    json!({ "cash_fen": b.cash, "gift_fen": b.gift })
}

impl App {
    /// The actor's balances and vouchers.
    pub async fn wallet(&self, actor: &Account) -> AppResult<WalletView> {
        Ok(WalletView {
            balance: self.store.wallet_balance(actor.id).await?,
            vouchers: self.store.list_vouchers(actor.id).await?,
        })
    }

    /// The actor's ledger, newest first.
    pub async fn ledger(&self, actor: &Account, page: PageRequest) -> AppResult<Page<LedgerEntry>> {
        Ok(self.store.list_ledger(actor.id, page).await?)
    }

    /// O5: an operator credits an account's cash or gift balance with a reason; audited with
    /// the balances before and after; the candidate gets "余额已到账". Amounts: 1 fen ..= the
    /// maximum (`invalid_amount`, field `amount_fen`), and no balance may exceed the maximum.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, account_id = %account))]
    pub async fn credit_account(
        &self,
        actor: &Account,
        account: AccountId,
        kind: &str,
        amount: RawAmount,
        reason: &str,
    ) -> AppResult<LedgerEntry> {
        require(actor.has_role(Role::Admin))?;
        let credit = CreditRequest::parse(kind, amount, reason)?;
        let now = self.now();
        self.store.get_account(account).await?;
        let before = self.store.wallet_balance(account).await?;
        let mut after = before;
        let slot = match credit.balance() {
            certdesk_domain::Balance::Cash => &mut after.cash,
            certdesk_domain::Balance::Gift => &mut after.gift,
        };
        *slot = balance_after(
            *slot,
            LedgerEntryKind::OperatorCredit.delta(credit.amount()),
        )?;
        let notice = Notice::CreditReceived {
            balance: credit.balance(),
            amount: credit.amount(),
            reason: credit.reason().to_owned(),
        };
        let jobs = self.notice_jobs(
            Recipient::Account(account),
            notice,
            &format!("credit_received:account:{account}:{}", unique_suffix(now)),
            now,
        );
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "wallet.credit".into(),
            target_kind: "account".into(),
            target_id: account.to_string(),
            before: Some(balance_json(before)),
            after: Some(json!({
                "cash_fen": after.cash,
                "gift_fen": after.gift,
                "kind": credit.balance(),
                "amount_fen": credit.amount(),
                "reason": credit.reason(),
            })),
            at: now,
        };
        let entry = self
            .store
            .commit_credit(NewCredit {
                account_id: account,
                balance: credit.balance(),
                amount: credit.amount(),
                reason: credit.reason().to_owned(),
                actor: actor.id,
                at: now,
                audit,
                jobs,
            })
            .await?;
        tracing::info!(entry_id = entry.id, "account credited");
        Ok(entry)
    }

    /// O5: an operator issues a single-use voucher to an account (face value > 0, minimum
    /// spend ≥ 0, expiry ahead); a random code, drawn again on a clash; audited; the candidate
    /// gets "您收到一张代金券".
    #[tracing::instrument(skip_all, fields(actor = %actor.id, account_id = %account))]
    pub async fn issue_voucher(
        &self,
        actor: &Account,
        account: AccountId,
        face_value: RawAmount,
        min_spend: RawAmount,
        expires_at: Timestamp,
    ) -> AppResult<Voucher> {
        require(actor.has_role(Role::Admin))?;
        let now = self.now();
        let terms = VoucherTerms::parse(face_value, min_spend, expires_at, now)?;
        self.store.get_account(account).await?;
        for _ in 0..VOUCHER_CODE_DRAWS {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let code = VoucherCode::from_random_bytes(&bytes);
            let jobs = self.notice_jobs(
                Recipient::Account(account),
                Notice::VoucherReceived { code: code.clone() },
                &format!("voucher_received:{code}"),
                now,
            );
            let audit = NewAuditEntry {
                actor: Some(actor.id),
                action: "voucher.issue".into(),
                target_kind: "voucher".into(),
                target_id: code.to_string(),
                before: None,
                after: Some(json!({
                    "code": code,
                    "account_id": account,
                    "face_value_fen": terms.face_value(),
                    "min_spend_fen": terms.min_spend(),
                    "expires_at": terms.expires_at(),
                })),
                at: now,
            };
            let voucher = NewVoucher {
                code,
                account_id: account,
                face_value: terms.face_value(),
                min_spend: terms.min_spend(),
                expires_at: terms.expires_at(),
                issued_by: actor.id,
                issued_at: now,
                audit,
                jobs,
            };
            match self.store.commit_voucher(voucher).await {
                Ok(v) => {
                    tracing::info!(voucher_id = %v.id, "voucher issued");
                    return Ok(v);
                }
                Err(StoreError::Conflict(Conflict::VoucherCodeTaken)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Err(anyhow::anyhow!("no free voucher code after {VOUCHER_CODE_DRAWS} draws").into())
    }
}

/// A dedup-key suffix unique per event: the instant (µs) and 32 random bits, since a frozen
/// test clock gives two events the same instant.
pub(crate) fn unique_suffix(now: Timestamp) -> String {
    format!(
        "{}:{:08x}",
        now.as_microsecond(),
        rand::rngs::OsRng.next_u32()
    )
}
