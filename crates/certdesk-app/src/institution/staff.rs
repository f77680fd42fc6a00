//! The staff portal's actions (I5, I8, I9): an institution's registrations, an appointment
//! moved with a reason, and refunds with an amount and a reason — each for the staff
//! member's own institution only (`not_found` for another's).

use certdesk_domain::rules::check_institution_refund;
use certdesk_domain::{
    ErrorCode, InstitutionId, RawAmount, Refusal, RegistrationId, SlotId, parse_positive_amount,
};
use certdesk_store::{
    Account, InstitutionRefund, InstitutionRefundCommit, InstitutionRegistration, NewAuditEntry,
};
use serde_json::json;

use super::appointment::Mover;
use super::{field, require_staff_of};
use crate::App;
use crate::error::AppResult;

/// The most registrations one staff listing shows.
const LIST_LIMIT: u32 = 200;

impl App {
    /// The institution a staff member acts for: their own; an operator names one.
    fn staff_institution(
        &self,
        actor: &Account,
        named: Option<InstitutionId>,
    ) -> AppResult<InstitutionId> {
        let Some(own) = super::acting_for(actor)? else {
            return named.ok_or_else(|| {
                Refusal::new(ErrorCode::InvalidField)
                    .field("institution_id")
                    .into()
            });
        };
        match named {
            Some(other) if other != own => Err(ErrorCode::NotFound.into()),
            _ => Ok(own),
        }
    }

    /// The institution's registrations, newest first (at most 200).
    pub async fn staff_registrations(
        &self,
        actor: &Account,
        institution: Option<InstitutionId>,
    ) -> AppResult<Vec<InstitutionRegistration>> {
        let institution = self.staff_institution(actor, institution)?;
        Ok(self
            .store
            .list_institution_registrations(institution, LIST_LIMIT)
            .await?)
    }

    /// One of the institution's registrations; another institution's is `not_found`.
    pub async fn staff_registration(
        &self,
        actor: &Account,
        id: RegistrationId,
    ) -> AppResult<InstitutionRegistration> {
        let r = self.store.get_institution_registration(id).await?;
        require_staff_of(actor, r.enrolment.institution_id)?;
        Ok(r)
    }

    /// I3: staff check the candidate in at the test centre, from 2 hours before the
    /// appointment's start until the exam ends (`check_in_closed` with the edge outside it;
    /// `appointment_required` without an appointment). A second check-in keeps the first time.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, registration_id = %id))]
    pub async fn staff_check_in(
        &self,
        actor: &Account,
        id: RegistrationId,
    ) -> AppResult<InstitutionRegistration> {
        let r = self.staff_registration(actor, id).await?;
        if r.checked_in_at.is_some() {
            return Ok(r);
        }
        let reg = &r.registration;
        let (Some(starts_at), Some(ends_at)) = (reg.exam_starts_at, reg.exam_ends_at) else {
            return Err(Refusal::new(ErrorCode::AppointmentRequired)
                .rule("I3")
                .into());
        };
        certdesk_domain::rules::check_check_in(reg.status, starts_at, ends_at, self.now())?;
        Ok(self
            .store
            .commit_institution_check_in(id, self.now())
            .await?)
    }

    /// I5: staff move an appointment, with a reason (`invalid_field`, field `reason`), any
    /// time before the exam; the slot must be their institution's.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, registration_id = %id))]
    pub async fn staff_move_appointment(
        &self,
        actor: &Account,
        id: RegistrationId,
        slot: SlotId,
        reason: &str,
    ) -> AppResult<InstitutionRegistration> {
        let r = self.staff_registration(actor, id).await?;
        let reason = field(reason, "reason", 500)?;
        self.move_appointment(&r, slot, Mover::Staff { actor, reason })
            .await
    }

    /// I8: customer service refunds an amount of at most what was paid and not yet refunded
    /// (`refund_exceeds_paid`; `already_refunded` when nothing remains), with a reason
    /// (`invalid_field`, field `reason`). Recorded in the channel's ledger and the audit log;
    /// when nothing remains, a registration whose exam is ahead is cancelled and its seat
    /// released. The payment must have arrived (`payment_pending`).
    #[tracing::instrument(skip_all, fields(actor = %actor.id, registration_id = %id))]
    pub async fn staff_refund(
        &self,
        actor: &Account,
        id: RegistrationId,
        amount: RawAmount,
        reason: &str,
    ) -> AppResult<InstitutionRefund> {
        let r = self.staff_registration(actor, id).await?;
        let enrolment = &r.enrolment;
        let first = self
            .store
            .get_institution_registration(enrolment.registration_id)
            .await?;
        if first.registration.status == certdesk_domain::RegistrationStatus::AwaitingPayment {
            return Err(Refusal::new(ErrorCode::PaymentPending).rule("I8").into());
        }
        let amount = parse_positive_amount(amount, "amount_fen")?;
        let reason = field(reason, "reason", 500)?;
        check_institution_refund(amount, enrolment.paid, enrolment.refunded)?;
        let now = self.now();
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "institution_refund.create".into(),
            target_kind: "registration".into(),
            target_id: enrolment.registration_id.to_string(),
            before: Some(json!({ "paid_fen": enrolment.paid, "refunded_fen": enrolment.refunded })),
            after: Some(json!({ "amount_fen": amount, "reason": reason })),
            at: now,
        };
        let refund = self
            .store
            .commit_institution_refund(InstitutionRefundCommit {
                registration_id: enrolment.registration_id,
                amount,
                reason,
                staff_id: actor.id,
                at: now,
                audit,
                // I8: reported to the gateway after the commit, retried until it answers.
                jobs: vec![super::refund_report::report_refunds_job(
                    self,
                    enrolment.registration_id,
                    now,
                )],
            })
            .await?;
        tracing::info!(refund_id = refund.id, "institution refund made");
        Ok(refund)
    }

    /// I8: the refunds of a registration (its first attempt's purchase).
    pub async fn staff_refunds(
        &self,
        actor: &Account,
        id: RegistrationId,
    ) -> AppResult<Vec<InstitutionRefund>> {
        let r = self.staff_registration(actor, id).await?;
        Ok(self
            .store
            .list_institution_refunds(r.enrolment.registration_id)
            .await?)
    }
}
