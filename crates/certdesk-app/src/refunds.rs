//! O10: self-service refunds within 120 h of payment, anchored at the first request (for a
//! self-service refund the request is processed at once, so requested = completed = now):
//! the non-voucher part back to cash and gift in the proportion they paid, the voucher
//! forfeited, the seat released and the registration cancelled, in one transaction.
//!
//! **Decision:** only the account that paid may refund (the money returns to its wallet);
//! another account of the same person sees the registration (A2) but not the order, and its
//! refund request is `not_found`.

use certdesk_domain::{
    ErrorCode, LocalizedText, OrderId, OrderStatus, PaymentPlan, RefundPlan, Refusal, plan_refund,
};
use certdesk_notify::{Notice, Recipient};
use certdesk_store::{Account, Conflict, Order, Refund, RefundCommit, StoreError};
use jiff::Timestamp;

use crate::App;
use crate::error::{AppError, AppResult};

/// O10: the registration of the order has sat its exam (a result is out): nothing is left to
/// cancel, so there is nothing to refund. Reachable where a specialty period's own window
/// (O2) lets the 5-day refund window outlast the exam.
fn not_live() -> AppError {
    Refusal::new(ErrorCode::RegistrationNotLive)
        .rule("O10")
        .detail(LocalizedText::fixed(
            "考试成绩已公布，不能再退款。",
            "The exam's result is out; the order can no longer be refunded.",
        ))
        .into()
}

impl App {
    /// The plan for refunding the actor's order at `now`, or its refusal.
    async fn refund_plan(
        &self,
        actor: &Account,
        id: OrderId,
        now: Timestamp,
    ) -> AppResult<(Order, RefundPlan)> {
        let order = self.get_my_order(actor, id).await?;
        if order.status == OrderStatus::Paid {
            let registration = self.store.get_registration(order.registration_id).await?;
            if !registration.status.is_live() {
                return Err(not_live());
            }
        }
        let paid = PaymentPlan::from_parts(order.total, order.voucher, order.gift, order.cash)
            .ok_or_else(|| anyhow::anyhow!("order {id}: its parts do not sum to its total"))?;
        let plan = plan_refund(&paid, order.status, order.paid_at, now, &self.policy)?;
        Ok((order, plan))
    }

    /// O10: the amounts a refund would return now (to confirm before refunding);
    /// `already_refunded`, `refund_window_passed` (deadline = paid_at + 120 h) or `not_found`.
    pub async fn preview_refund(&self, actor: &Account, order: OrderId) -> AppResult<RefundPlan> {
        let now = self.now();
        Ok(self.refund_plan(actor, order, now).await?.1)
    }

    /// O10: refunds the actor's order now; a second refund is `already_refunded` (409).
    #[tracing::instrument(skip_all, fields(account_id = %actor.id, order_id = %order))]
    pub async fn refund_order(&self, actor: &Account, order: OrderId) -> AppResult<Refund> {
        let now = self.now();
        let (order, plan) = self.refund_plan(actor, order, now).await?;
        let jobs = self.notice_jobs(
            Recipient::Account(actor.id),
            Notice::RefundCompleted { order_id: order.id },
            &format!("refund_completed:order:{}", order.id),
            now,
        );
        let refund = self
            .store
            .commit_refund(RefundCommit {
                order_id: order.id,
                requested_at: now,
                completed_at: now,
                cash: plan.cash,
                gift: plan.gift,
                voucher_forfeited: plan.voucher_forfeited,
                jobs,
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(Conflict::AlreadyRefunded) => {
                    Refusal::new(ErrorCode::AlreadyRefunded).rule("O10").into()
                }
                // Its result was released between the check above and the commit.
                StoreError::Conflict(Conflict::RegistrationChanged) => not_live(),
                e => AppError::from(e),
            })?;
        tracing::info!("order refunded");
        Ok(refund)
    }
}
