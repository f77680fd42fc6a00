//! O5: register and pay in one click — every rule checked at one `now`, then ONE atomic store
//! call (seat, voucher, debits, order, registration, P1 promises, the O6 confirmation in the
//! inbox).
//! `Idempotency-Key`: same key and body → the first answer, charged once, races included;
//! same key, other body → `idempotency_key_reused`.

use certdesk_domain::{
    ErrorCode, IdempotencyKey, LocalizedText, PayFirst, PaymentPlan, PromiseKind, Refusal,
    RegistrationDeadlines, already_registered, no_seats_left,
    rules::{admission_ticket_due, confirmation_due, refund_deadline, score_due, ticket_window},
    unknown_period,
};
use certdesk_notify::{CertificationNames, Message, Notice};
use certdesk_store::{
    Account, Certification, Conflict, ExamPeriod, NewInboxMessage, NewPromise, Order, OrderContext,
    PaidRegistration, Registration, StoreError, WalletBalance,
};
use jiff::Timestamp;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::order_checks::{CheckedOrder, request_hash};

/// A candidate's order (`POST /api/v1/orders`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct OrderInput {
    pub period_id: i64,
    pub city: String,
    /// Blank means none.
    #[serde(default)]
    pub voucher_code: Option<String>,
    /// O5: default gift credit first.
    #[serde(default)]
    pub pay_first: Option<PayFirst>,
}

/// The checkout page: what paying now would do, every check passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub period: ExamPeriod,
    pub certification: Certification,
    /// As parsed (trimmed).
    pub city: String,
    pub seats_left: u32,
    pub plan: PaymentPlan,
    pub pay_first: PayFirst,
    pub balance: WalletBalance,
    /// O1/O2: the window's end (exclusive, T4).
    pub registration_closes_at: Timestamp,
    /// O10/E3: the refund deadline an order paid now would have.
    pub refund_until_if_paid_now: Timestamp,
}

/// A placed order; `replayed` when an `Idempotency-Key` repeat returned the first one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub order: Order,
    pub registration: Registration,
    /// E3: the registration's deadlines as its payer sees them (refund, reschedule), from the
    /// functions that enforce them; a replay shows them as they stand now.
    pub deadlines: RegistrationDeadlines,
    pub replayed: bool,
}

fn key_reused() -> Refusal {
    certdesk_domain::idempotency_key_reused()
}

/// O5: a store conflict of the commit, as the candidate hears it.
fn commit_refusal(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(Conflict::NoSeatsLeft) => no_seats_left().into(),
        StoreError::Conflict(Conflict::AlreadyRegistered) => already_registered().into(),
        StoreError::Conflict(Conflict::VoucherUnavailable) => {
            Refusal::new(ErrorCode::VoucherInvalid)
                .field("voucher_code")
                .rule("O5")
                .detail(LocalizedText::fixed(
                    "该代金券已使用。",
                    "This voucher has already been used.",
                ))
                .into()
        }
        StoreError::Conflict(Conflict::IdempotencyKeyUsed) => key_reused().into(),
        // The period vanished between the check and the commit.
        StoreError::NotFound => unknown_period().into(),
        e => e.into(),
    }
}

impl App {
    /// O5: every check `register_and_pay` makes, plus A2's (already registered), without
    /// committing: the checkout page's amounts and deadlines.
    pub async fn quote_order(&self, actor: &Account, input: &OrderInput) -> AppResult<Quote> {
        let now = self.now();
        let (identity_id, context) = self.order_context(actor, input).await?;
        let checked = self
            .check_order(actor, identity_id, context, input, now)
            .await?;
        let cert_id = checked.certification.id;
        let live = self.store.list_registrations(identity_id).await?;
        if live
            .iter()
            .any(|r| r.certification_id == cert_id && r.status.is_live())
        {
            return Err(already_registered().into());
        }
        Ok(Quote {
            registration_closes_at: checked.period.registration_closes_at,
            refund_until_if_paid_now: refund_deadline(now, &self.policy),
            city: checked.city.as_str().to_owned(),
            seats_left: checked.seats_left,
            plan: checked.plan,
            pay_first: checked.pay_first,
            balance: checked.balance,
            period: checked.period,
            certification: checked.certification,
        })
    }

    /// O5: register for a period's city and pay from the actor's account, all or nothing.
    /// Refusals, in order: `real_name_required` (A1), `unknown_period`,
    /// `certification_retired`, `registration_not_open` / `registration_closed` (O1/O2, with
    /// the deadline), `invalid_field` / `city_not_offered` (field `city`), `no_seats_left`
    /// (O3), `voucher_invalid`, `insufficient_balance` (O5), then from the commit
    /// `already_registered` (A2) or a lost race for the last seat or voucher.
    #[tracing::instrument(skip_all, fields(account_id = %actor.id, period_id = input.period_id))]
    pub async fn register_and_pay(
        &self,
        actor: &Account,
        input: OrderInput,
        idempotency_key: Option<&str>,
    ) -> AppResult<Placed> {
        let now = self.now();
        let key = idempotency_key.map(IdempotencyKey::parse).transpose()?;
        // A1 first; the period, certification and balance come with it in one read.
        let (identity_id, context) = self.order_context(actor, &input).await?;
        let hash = request_hash(&input);
        if let Some(key) = &key
            && let Some(placed) = self.replay(actor, key, &hash).await?
        {
            return Ok(placed);
        }
        match self
            .place(
                actor,
                (identity_id, context),
                &input,
                now,
                key.as_ref(),
                &hash,
            )
            .await
        {
            Ok(placed) => Ok(placed),
            // A refusal may be a twin request's success seen from the wrong side (it spent the
            // balance, took the seat or the key first): the same key answers as the twin did.
            Err(AppError::Refused(refusal)) => match &key {
                Some(key) => match self.replay(actor, key, &hash).await? {
                    Some(placed) => Ok(placed),
                    None => Err(AppError::Refused(refusal)),
                },
                None => Err(AppError::Refused(refusal)),
            },
            Err(e) => Err(e),
        }
    }

    /// The order committed under `key`, if any: replayed when the body hashes alike,
    /// `idempotency_key_reused` (422) when not.
    async fn replay(
        &self,
        actor: &Account,
        key: &IdempotencyKey,
        hash: &str,
    ) -> AppResult<Option<Placed>> {
        let Some(order) = self
            .store
            .find_order_by_idempotency_key(actor.id, key.as_str())
            .await?
        else {
            return Ok(None);
        };
        if order.request_hash.as_deref() != Some(hash) {
            return Err(key_reused().into());
        }
        let registration = self.store.get_registration(order.registration_id).await?;
        tracing::info!(order_id = %order.id, "idempotent replay");
        Ok(Some(Placed {
            deadlines: self.deadlines(&registration, Some(&order)),
            order,
            registration,
            replayed: true,
        }))
    }

    async fn place(
        &self,
        actor: &Account,
        (identity_id, context): (certdesk_domain::IdentityId, OrderContext),
        input: &OrderInput,
        now: Timestamp,
        key: Option<&IdempotencyKey>,
        hash: &str,
    ) -> AppResult<Placed> {
        let checked = self
            .check_order(actor, identity_id, context, input, now)
            .await?;
        let paid = self.paid_registration(actor, checked, now, key, hash);
        let (order, registration) = self
            .store
            .commit_paid_registration(paid)
            .await
            .map_err(commit_refusal)?;
        tracing::info!(order_id = %order.id, registration_id = %registration.id, "registered and paid");
        Ok(Placed {
            deadlines: self.deadlines(&registration, Some(&order)),
            order,
            registration,
            replayed: false,
        })
    }

    /// What the commit writes: P1's three promises and O6's confirmation. The inbox is always
    /// a channel (O6), so the confirmation message is written by the same commit; each
    /// outside channel gets a job of the same commit (P2). The confirmation promise is kept
    /// when the last of them has delivered or finally failed — at payment when there are none.
    fn paid_registration(
        &self,
        actor: &Account,
        checked: CheckedOrder,
        now: Timestamp,
        key: Option<&IdempotencyKey>,
        hash: &str,
    ) -> PaidRegistration {
        let period = &checked.period;
        let plan = checked.plan;
        let notice = Notice::RegistrationConfirmed {
            period_id: period.id,
            paid_at: now,
        };
        let dedup = format!(
            "registration_confirmed:account:{}:period:{}:{}",
            actor.id,
            period.id,
            now.as_microsecond()
        );
        let mut confirmations = self.deliveries(actor.id, notice.clone(), &dedup, now);
        for job in &mut confirmations {
            job.keeps_promise = Some(PromiseKind::Confirmation);
        }
        let promises = vec![
            NewPromise {
                kind: PromiseKind::Confirmation,
                due_at: confirmation_due(now, &self.policy, &self.calendar),
                kept_at: confirmations.is_empty().then_some(now),
            },
            NewPromise {
                kind: PromiseKind::AdmissionTicket,
                due_at: admission_ticket_due(period.starts_at, &self.policy),
                kept_at: None,
            },
            NewPromise {
                kind: PromiseKind::Score,
                due_at: score_due(period.ends_at, &self.policy),
                kept_at: None,
            },
        ];
        let confirmation = Message::RegistrationConfirmed {
            certification: CertificationNames {
                zh: checked.certification.data.name_zh.clone(),
                en: checked.certification.data.name_en.clone(),
            },
            city: checked.city.as_str().to_owned(),
            exam_starts_at: period.starts_at,
            total: plan.total(),
        }
        .render();
        let kind = notice.kind();
        PaidRegistration {
            account_id: actor.id,
            identity_id: checked.identity_id,
            period_id: period.id,
            city: checked.city.as_str().to_owned(),
            certification_id: checked.certification.id,
            exam_starts_at: period.starts_at,
            total: plan.total(),
            voucher: checked.voucher.map(|(v, _)| (v.id, plan.voucher())),
            gift: plan.gift(),
            cash: plan.cash(),
            pay_first: checked.pay_first,
            paid_at: now,
            idempotency: key.map(|k| (k.as_str().to_owned(), hash.to_owned())),
            promises,
            // O4: a registration arriving after its period's tickets went out (a specialty
            // period still selling) gets its ticket at once.
            jobs: {
                let mut jobs = confirmations;
                if now >= ticket_window(period.starts_at, &self.policy).opens_at {
                    jobs.push(self.issue_tickets_now_job(now));
                }
                jobs
            },
            inbox: Some(NewInboxMessage {
                account_id: actor.id,
                kind: kind.to_owned(),
                title_zh: confirmation.title_zh,
                body_zh: confirmation.body_zh,
                title_en: confirmation.title_en,
                body_en: confirmation.body_en,
                source_job: None,
                created_at: now,
                deliveries: Vec::new(),
            }),
        }
    }
}
