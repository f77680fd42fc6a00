//! O5: cash top-ups through a payment gateway: start (pending), the gateway's signed callback
//! (verified, then idempotent: credited once however often it arrives), cancel, and the
//! sandbox's report that takes the same callback path a real gateway does.

use std::sync::Arc;

use certdesk_domain::{
    ErrorCode, LocalizedText, PaymentId, PaymentStatus, RawAmount, Refusal, TopUpAmount,
};
use certdesk_notify::{Notice, Recipient};
use certdesk_store::{Account, Conflict, NewPayment, Payment, PaymentOutcome, StoreError};

use crate::App;
use crate::error::AppResult;
use crate::gateway::{GatewayReport, Headers, PaymentGateway, SANDBOX_GATEWAY};

fn not_pending() -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .field("payment_id")
        .rule("O5")
        .detail(LocalizedText::fixed(
            "该充值已完成或已取消。",
            "This top-up is already completed or cancelled.",
        ))
}

impl App {
    pub(crate) fn gateway(&self, name: &str) -> AppResult<&Arc<dyn PaymentGateway>> {
        Ok(self.gateways.get(name).ok_or(ErrorCode::NotFound)?)
    }

    /// I8: the refunds reported to the sandbox gateway (none when it is off).
    pub fn sandbox_refunds(&self) -> Vec<crate::gateway::SandboxRefund> {
        self.sandbox
            .as_ref()
            .map(|s| s.refunds())
            .unwrap_or_default()
    }

    /// Whether the sandbox gateway is on (its checkout page exists only then).
    pub fn sandbox_enabled(&self) -> bool {
        self.sandbox.is_some()
    }

    /// Whether candidates can top up online: some gateway is configured (the sandbox counts
    /// only when enabled, see `AppParts::sandbox_payments`).
    pub fn top_ups_available(&self) -> bool {
        self.gateways.for_top_ups().is_some()
    }

    /// O5: the actor starts a cash top-up of 1 fen ..= 50,000 yuan (`invalid_amount`, field
    /// `amount_fen`): a pending payment; the balance grows when the gateway reports it paid.
    /// `top_up_unavailable` when no gateway is configured.
    #[tracing::instrument(skip_all, fields(account_id = %actor.id))]
    pub async fn start_top_up(&self, actor: &Account, amount: RawAmount) -> AppResult<Payment> {
        let amount = TopUpAmount::parse(amount)?;
        let gateway = self
            .gateways
            .for_top_ups()
            .ok_or_else(|| Refusal::new(ErrorCode::TopUpUnavailable).rule("O5"))?;
        let payment = self
            .store
            .commit_payment(NewPayment {
                account_id: actor.id,
                gateway: gateway.name().to_owned(),
                amount: amount.get(),
                created_at: self.now(),
            })
            .await?;
        tracing::info!(payment_id = %payment.id, "top-up started");
        Ok(payment)
    }

    /// Where the browser goes to pay a pending top-up (the sandbox: `/sandbox/payments/{id}`).
    pub async fn checkout_url(&self, payment: &Payment) -> AppResult<String> {
        Ok(self.gateway(&payment.gateway)?.start(payment).await?)
    }

    /// One of the actor's payments; anyone else's is `not_found` (E2).
    pub async fn get_my_payment(&self, actor: &Account, id: PaymentId) -> AppResult<Payment> {
        let payment = self.store.get_payment(id).await?;
        if payment.account_id != actor.id {
            return Err(ErrorCode::NotFound.into());
        }
        Ok(payment)
    }

    /// The actor abandons a pending top-up; cancelling twice answers the same. A completed
    /// one cannot be cancelled (`invalid_field`, field `payment_id`).
    #[tracing::instrument(skip_all, fields(account_id = %actor.id, payment_id = %id))]
    pub async fn cancel_top_up(&self, actor: &Account, id: PaymentId) -> AppResult<Payment> {
        self.get_my_payment(actor, id).await?;
        match self.store.commit_payment_cancelled(id, self.now()).await {
            Err(StoreError::Conflict(Conflict::PaymentNotPending)) => Err(not_pending().into()),
            other => Ok(other?),
        }
    }

    /// O5: the gateway's signed notification (`POST /api/v1/payments/{gateway}/callback`).
    /// Verified first (`unauthenticated`, field `signature`), then matched to its payment
    /// (`not_found` for an unknown one or one of another gateway; `invalid_amount` when the
    /// amount differs), then applied idempotently: a paid report credits once however often
    /// it arrives; a failure report cancels a pending payment and changes nothing else.
    #[tracing::instrument(skip_all, fields(gateway))]
    pub async fn payment_callback(
        &self,
        gateway: &str,
        headers: &Headers,
        body: &[u8],
    ) -> AppResult<PaymentOutcome> {
        let report = self.gateway(gateway)?.verify(headers, body)?;
        self.apply_report(gateway, report).await
    }

    async fn apply_report(
        &self,
        gateway: &str,
        report: GatewayReport,
    ) -> AppResult<PaymentOutcome> {
        let payment = self.store.get_payment(report.payment_id).await?;
        if payment.gateway != gateway {
            return Err(ErrorCode::NotFound.into());
        }
        if payment.amount != report.amount {
            tracing::warn!(payment_id = %payment.id, "gateway reported another amount");
            return Err(Refusal::new(ErrorCode::InvalidAmount)
                .field("amount_fen")
                .rule("O5")
                .into());
        }
        let now = self.now();
        // I1: a payment for an institution registration confirms it instead of crediting.
        let registration = self.store.find_registration_by_payment(payment.id).await?;
        if let (true, Some(registration)) = (report.paid, registration) {
            return self
                .institution_payment_paid(&payment, registration, &report.gateway_ref)
                .await;
        }
        if !report.paid {
            // A failure changes a pending payment only; a late one cannot undo money received.
            return match self.store.commit_payment_cancelled(payment.id, now).await {
                Ok(payment) => Ok(PaymentOutcome {
                    payment,
                    credited: false,
                }),
                Err(StoreError::Conflict(Conflict::PaymentNotPending)) => Ok(PaymentOutcome {
                    payment: self.store.get_payment(payment.id).await?,
                    credited: false,
                }),
                Err(e) => Err(e.into()),
            };
        }
        let outcome = match self
            .store
            .commit_payment_succeeded(payment.id, &report.gateway_ref, now)
            .await
        {
            Ok(outcome) => outcome,
            Err(StoreError::Conflict(Conflict::PaymentNotPending)) => {
                // A store that will not credit a cancelled payment the gateway took money for
                // (`PaymentStatus::on_gateway_report` says credit, E2): an operator must look;
                // the gateway keeps retrying meanwhile.
                tracing::error!(payment_id = %payment.id, "paid top-up not credited; needs an operator");
                return Err(not_pending().into());
            }
            Err(e) => return Err(e.into()),
        };
        if outcome.payment.status == PaymentStatus::Succeeded {
            // Outside the credit's transaction (the store takes no jobs there), so it is
            // enqueued on every report; the dedup key keeps it to one notice, and a gateway
            // retries until answered, so a crash in between loses nothing.
            let jobs = self.notice_jobs(
                Recipient::Account(payment.account_id),
                Notice::TopUpReceived {
                    payment_id: payment.id,
                },
                &format!("top_up_received:payment:{}", payment.id),
                now,
            );
            self.store.enqueue_jobs(jobs).await?;
        }
        if outcome.credited {
            tracing::info!(payment_id = %payment.id, "top-up credited");
        }
        Ok(outcome)
    }

    /// Sandbox only: the sandbox gateway's signed callback for this payment, fed through
    /// [`payment_callback`](Self::payment_callback) — the path a real gateway takes (the
    /// sandbox pay page and `POST /api/v1/test/payments/{id}/succeed`). Callers check who may
    /// do it (the pay page: the payment's owner). `not_found` when the sandbox is off.
    pub async fn sandbox_report_payment(
        &self,
        id: PaymentId,
        paid: bool,
    ) -> AppResult<PaymentOutcome> {
        let sandbox = self.sandbox.as_ref().ok_or(ErrorCode::NotFound)?;
        let payment = self.store.get_payment(id).await?;
        if payment.gateway != SANDBOX_GATEWAY {
            return Err(ErrorCode::NotFound.into());
        }
        let (headers, body) = sandbox.callback_for(&payment, paid);
        self.payment_callback(SANDBOX_GATEWAY, &headers, &body)
            .await
    }
}
