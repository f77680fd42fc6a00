//! I3/I5/I6: a candidate books a weekday slot, moves it until the end of the business day
//! before (staff may move it any time before the exam, with a reason), and after a failed
//! first attempt books the free retake at the same centre within three months.

use certdesk_domain::rules::{
    InstitutionFacts, InstitutionRetake, check_appointment_change, check_institution_retake,
    check_slot_bookable, institution_deadlines,
};
use certdesk_domain::time::local_date;
use certdesk_domain::{
    Attempt, AttemptOutcome, ErrorCode, Refusal, RegistrationDeadlines, RegistrationId,
    RegistrationStatus, SlotId,
};
use certdesk_notify::Notice;
use certdesk_store::{
    AppointmentCommit, InstitutionRegistration, InstitutionRetakeCommit, NewJob, Slot,
};

use crate::App;
use crate::error::AppResult;

/// Who moves an appointment: the candidate (I5's deadline applies) or staff with a reason
/// (any time before the exam).
pub(crate) enum Mover<'a> {
    Candidate,
    Staff {
        actor: &'a certdesk_store::Account,
        reason: String,
    },
}

fn outcome(status: RegistrationStatus) -> AttemptOutcome {
    match status {
        RegistrationStatus::Failed => AttemptOutcome::Failed,
        RegistrationStatus::Absent => AttemptOutcome::Absent,
        RegistrationStatus::Passed => AttemptOutcome::Passed,
        _ => AttemptOutcome::Pending,
    }
}

impl App {
    /// E3 for the institution channel: I5's change deadline and I6's retake horizon, by the
    /// functions that enforce them.
    pub fn institution_deadlines(&self, r: &InstitutionRegistration) -> RegistrationDeadlines {
        institution_deadlines(
            &InstitutionFacts {
                status: r.registration.status,
                first_attempt: r.registration.attempt == Attempt::First,
                appointment_start: r.registration.exam_starts_at,
                changes_made: r.registration.reschedules_used,
                retake_used: r.registration.retake_id.is_some(),
            },
            &self.policy,
            &self.calendar,
        )
    }

    /// The confirmation of a booking or move, on every outside channel.
    fn booked_jobs(&self, r: &InstitutionRegistration, slot: SlotId) -> Vec<NewJob> {
        let now = self.now();
        self.deliveries(
            r.registration.account_id,
            Notice::AppointmentBooked {
                registration_id: r.registration.id,
            },
            &format!(
                "appointment_booked:registration:{}:slot:{slot}",
                r.registration.id
            ),
            now,
        )
    }

    /// I3/I5: books `slot` for the registration, or moves its appointment there. Refusals,
    /// in order: `payment_pending`, `registration_not_live`, `not_found` (field `slot_id`;
    /// also a slot of another institution), `slot_not_bookable` (weekend, holiday, past),
    /// `slot_full`; for a move by the candidate `appointment_change_too_late` (I5: the end of
    /// the business day before the current appointment) or `appointment_change_limit_reached`;
    /// a retake stays at its centre (`retake_wrong_centre`).
    pub(crate) async fn move_appointment(
        &self,
        r: &InstitutionRegistration,
        slot_id: SlotId,
        mover: Mover<'_>,
    ) -> AppResult<InstitutionRegistration> {
        let status = r.registration.status;
        if status == RegistrationStatus::AwaitingPayment {
            return Err(Refusal::new(ErrorCode::PaymentPending).rule("I1").into());
        }
        if !status.is_live() {
            return Err(Refusal::new(ErrorCode::RegistrationNotLive)
                .rule("I5")
                .into());
        }
        let slot = self
            .store
            .get_slot(slot_id)
            .await
            .ok()
            .filter(|s| s.institution_id == r.enrolment.institution_id)
            .ok_or_else(|| Refusal::new(ErrorCode::NotFound).field("slot_id"))?;
        let now = self.now();
        check_slot_bookable(slot.starts_at, slot.seats_left(), now, &self.calendar)?;
        if let Some(current) = &r.slot {
            match &mover {
                Mover::Candidate => {
                    check_appointment_change(
                        local_date(current.starts_at),
                        r.registration.reschedules_used,
                        now,
                        &self.policy,
                        &self.calendar,
                    )?;
                }
                // I5: staff may move it any time before the exam starts.
                Mover::Staff { .. } if current.starts_at <= now => {
                    return Err(Refusal::new(ErrorCode::AppointmentChangeTooLate)
                        .rule("I5")
                        .deadline(current.starts_at)
                        .into());
                }
                Mover::Staff { .. } => {}
            }
            // I6: a retake is booked at the first attempt's centre and stays there.
            if r.registration.attempt == Attempt::Retake
                && slot.test_centre_id != current.test_centre_id
            {
                return Err(Refusal::new(ErrorCode::RetakeWrongCentre)
                    .rule("I6")
                    .field("slot_id")
                    .into());
            }
        }
        let duration = self.duration_of(r).await?;
        let staff = match mover {
            Mover::Candidate => None,
            Mover::Staff { actor, reason } => Some((actor.id, reason)),
        };
        let booked = self
            .store
            .commit_appointment(AppointmentCommit {
                registration_id: r.registration.id,
                from_slot: r.registration.slot_id,
                to_slot: slot.id,
                duration_minutes: duration,
                staff,
                at: now,
                jobs: self.booked_jobs(r, slot.id),
            })
            .await?;
        tracing::info!(registration_id = %r.registration.id, slot_id = %slot.id, "appointment booked");
        Ok(booked)
    }

    /// The exam's length, from the certification.
    async fn duration_of(&self, r: &InstitutionRegistration) -> AppResult<u32> {
        let cert = self
            .store
            .find_certification(&r.registration.certification_code)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!("registration {} has no certification", r.registration.id)
            })?;
        Ok(cert.data.duration_minutes)
    }

    /// I3/I5 by the candidate, through the management link.
    pub async fn book_appointment(
        &self,
        token: &str,
        id: RegistrationId,
        slot: SlotId,
    ) -> AppResult<InstitutionRegistration> {
        let r = self.managed_registration(token, id).await?;
        self.move_appointment(&r, slot, Mover::Candidate).await
    }

    /// I6: the free retake of a failed first attempt, booked at once on `slot` — a slot of
    /// the first attempt's centre (`retake_wrong_centre`) starting within three months of the
    /// first exam (`retake_too_late`). `retake_not_eligible`, `retake_used`, then I3's slot
    /// refusals.
    pub async fn institution_retake(
        &self,
        token: &str,
        id: RegistrationId,
        slot_id: SlotId,
    ) -> AppResult<InstitutionRegistration> {
        let first = self.managed_registration(token, id).await?;
        let slot: Slot = self
            .store
            .get_slot(slot_id)
            .await
            .ok()
            .filter(|s| s.institution_id == first.enrolment.institution_id)
            .ok_or_else(|| Refusal::new(ErrorCode::NotFound).field("slot_id"))?;
        let (Some(first_slot), Some(first_start)) =
            (&first.slot, first.registration.exam_starts_at)
        else {
            return Err(Refusal::new(ErrorCode::RetakeNotEligible).rule("I6").into());
        };
        check_institution_retake(
            &InstitutionRetake {
                outcome: outcome(first.registration.status),
                attempt_was_retake: first.registration.attempt == Attempt::Retake,
                retake_used: first.registration.retake_id.is_some(),
                first_centre: first_slot.test_centre_id,
                first_start,
                target_centre: slot.test_centre_id,
                target_slot_start: slot.starts_at,
            },
            &self.policy,
        )?;
        let now = self.now();
        check_slot_bookable(slot.starts_at, slot.seats_left(), now, &self.calendar)?;
        let retake = self
            .store
            .commit_institution_retake(InstitutionRetakeCommit {
                first_registration_id: first.registration.id,
                slot_id: slot.id,
                duration_minutes: self.duration_of(&first).await?,
                promises: Vec::new(),
                jobs: self.deliveries(
                    first.registration.account_id,
                    Notice::AppointmentBooked {
                        registration_id: first.registration.id,
                    },
                    &format!("appointment_booked:retake_of:{}", first.registration.id),
                    now,
                ),
                at: now,
            })
            .await
            .map_err(|e| match e {
                certdesk_store::StoreError::Conflict(certdesk_store::Conflict::RetakeUsed) => {
                    Refusal::new(ErrorCode::RetakeUsed).rule("I6").into()
                }
                e => crate::AppError::from(e),
            })?;
        tracing::info!(registration_id = %retake.registration.id, "institution retake booked");
        Ok(retake)
    }
}
