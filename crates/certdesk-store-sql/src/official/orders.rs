//! Orders, registrations, refunds and promises of the official channel (O5, O10, P1, A2).

use async_trait::async_trait;
use certdesk_domain::{AccountId, ExamPeriodId, IdentityId, OrderId, PromiseKind, RegistrationId};
use certdesk_store::{
    Conflict, Order, OrderContext, OrderStore, OverduePromise, Page, PageRequest, PaidRegistration,
    Promise, PromiseSummary, Refund, RefundCommit, Registration, StoreError, StoreResult,
};
use jiff::Timestamp;

use super::rows::{self, ORDER_SELECT, PROMISE_COLUMNS, REFUND_COLUMNS, REGISTRATION_SELECT};
use crate::SqlStore;
use crate::convert::{fetch_limit, into_page, ts};
use crate::db::{Exec, query};

impl SqlStore {
    /// A refused commit whose `Idempotency-Key` this account already used is a repeat: the
    /// caller replays the first answer rather than showing this refusal (a repeat arriving
    /// after the seats ran out is not `NoSeatsLeft`). Read after the refusal's group
    /// committed, so a first use in the same group counts.
    async fn replay_first(
        &self,
        account: AccountId,
        key: Option<String>,
        refusal: StoreError,
    ) -> StoreError {
        let Some(key) = key else { return refusal };
        if !matches!(refusal, StoreError::Conflict(_) | StoreError::NotFound) {
            return refusal;
        }
        let used = query("SELECT 1 FROM orders WHERE account_id = $1 AND idempotency_key = $2")
            .bind(account.get())
            .bind(key)
            .fetch_optional(self.read())
            .await;
        match used {
            Ok(Some(_)) => StoreError::Conflict(Conflict::IdempotencyKeyUsed),
            Ok(None) => refusal,
            Err(e) => StoreError::from(e),
        }
    }
}

/// One registration by id, on a pool or inside a transaction (`NotFound` for none).
pub(crate) async fn registration_by_id<'c>(
    on: impl Exec<'c>,
    id: RegistrationId,
) -> StoreResult<Registration> {
    let sql = format!("{REGISTRATION_SELECT} WHERE r.id = $1");
    let row = query(&sql).bind(id.get()).fetch_optional(on).await?;
    rows::registration(&row.ok_or(StoreError::NotFound)?)
}

#[async_trait]
impl OrderStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(account_id = %paid.account_id, period_id = %paid.period_id))]
    async fn commit_paid_registration(
        &self,
        paid: PaidRegistration,
    ) -> StoreResult<(Order, Registration)> {
        // P1: a job may only keep a promise recorded in the same commit.
        if let Some(job) = paid.jobs.iter().find(|j| {
            j.keeps_promise
                .is_some_and(|kind| !paid.promises.iter().any(|p| p.kind == kind))
        }) {
            return Err(StoreError::Other(anyhow::anyhow!(
                "job {:?} keeps a promise that this commit does not record",
                job.kind
            )));
        }
        let key = paid.idempotency.as_ref().map(|(key, _)| key.clone());
        let account = paid.account_id;
        match self.group.commit(paid).await {
            Ok(done) => Ok(done),
            Err(refusal) => Err(self.replay_first(account, key, refusal).await),
        }
    }

    async fn load_order_context(
        &self,
        account: AccountId,
        period: ExamPeriodId,
    ) -> StoreResult<OrderContext> {
        self.order_context(account, period).await
    }

    async fn get_order(&self, id: OrderId) -> StoreResult<Order> {
        let sql = format!("{ORDER_SELECT} WHERE o.id = $1");
        let row = query(&sql)
            .bind(id.get())
            .fetch_optional(self.read())
            .await?;
        rows::order(&row.ok_or(StoreError::NotFound)?)
    }

    async fn find_order_by_idempotency_key(
        &self,
        account: AccountId,
        key: &str,
    ) -> StoreResult<Option<Order>> {
        let sql = format!("{ORDER_SELECT} WHERE o.account_id = $1 AND o.idempotency_key = $2");
        let row = query(&sql)
            .bind(account.get())
            .bind(key)
            .fetch_optional(self.read())
            .await?;
        row.as_ref().map(rows::order).transpose()
    }

    async fn get_registration(&self, id: RegistrationId) -> StoreResult<Registration> {
        registration_by_id(self.read(), id).await
    }

    async fn list_registrations(&self, identity: IdentityId) -> StoreResult<Vec<Registration>> {
        let sql = format!("{REGISTRATION_SELECT} WHERE r.identity_id = $1 ORDER BY r.id DESC");
        let rows = query(&sql)
            .bind(identity.get())
            .fetch_all(self.read())
            .await?;
        rows.iter().map(rows::registration).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(order_id = %refund.order_id))]
    async fn commit_refund(&self, refund: RefundCommit) -> StoreResult<Refund> {
        super::refund::commit(self, refund).await
    }

    async fn find_refund(&self, order: OrderId) -> StoreResult<Option<Refund>> {
        let sql = format!("SELECT {REFUND_COLUMNS} FROM refunds WHERE order_id = $1");
        let row = query(&sql)
            .bind(order.get())
            .fetch_optional(self.read())
            .await?;
        row.as_ref().map(rows::refund).transpose()
    }

    async fn summarize_promises(&self, now: Timestamp) -> StoreResult<Vec<PromiseSummary>> {
        let rows = query(rows::SUMMARY_SQL)
            .bind(ts(now))
            .fetch_all(self.read())
            .await?;
        rows::summaries(&rows)
    }

    async fn list_promises(&self, registration: RegistrationId) -> StoreResult<Vec<Promise>> {
        let sql = format!(
            "SELECT {PROMISE_COLUMNS} FROM promises WHERE registration_id = $1 ORDER BY id"
        );
        let rows = query(&sql)
            .bind(registration.get())
            .fetch_all(self.read())
            .await?;
        rows.iter().map(rows::promise).collect()
    }

    async fn list_overdue_promises(
        &self,
        kind: Option<PromiseKind>,
        now: Timestamp,
        page: PageRequest,
    ) -> StoreResult<Page<OverduePromise>> {
        let rows = query(rows::OVERDUE_SQL)
            .bind(ts(now))
            .bind(kind.map(PromiseKind::as_str))
            .bind(page.cursor)
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(rows::overdue_promise)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |p| p.id.get()))
    }
}
