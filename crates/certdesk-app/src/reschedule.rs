//! O7: a candidate moves a registration of the official channel to another exam period of the
//! same certification — at most `reschedule_max` times, while now < current start − 10 days,
//! to a period that starts no later than 3 months after the sitting first bought, more than
//! 10 days from now, with a seat in the chosen city. The target's public registration window
//! (O1, or a specialty period's own under O2) does not apply: the seat is moved, not sold.
//! Every check at one `now` (`certdesk-domain`'s `check_reschedule`), then ONE atomic store
//! call: the seat, the sitting, the admission-ticket and score promises (P1: "moved by a
//! reschedule"), the history row and the inbox confirmation (O6: the inbox is always a
//! channel).
//!
//! **Decision:** refusals that concern the registration itself (a retake, not live, used, too
//! late) come before any look at the target, so a candidate who cannot reschedule hears why
//! whatever period they picked; then an unknown target period or a city it does not offer is
//! `not_found` (fields `period_id`, `city`); then the target's range (O7); then its seats.

use certdesk_domain::rules::{
    RescheduleRequest, RescheduleRight, admission_ticket_due, check_reschedule,
    check_reschedule_right, reschedule_latest_start, score_due, ticket_window,
};
use certdesk_domain::{
    City, ErrorCode, ExamPeriodId, PromiseKind, Refusal, RegistrationId, no_seats_left,
};
use certdesk_notify::{CertificationNames, Message, Notice};
use certdesk_store::{
    Account, Conflict, ExamPeriod, MovedPromise, NewInboxMessage, PeriodCity, PeriodFilter,
    Registration, RescheduleCommit, StoreError,
};
use jiff::Timestamp;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::registrations::RegistrationView;
use crate::target_sitting::{cities_with_seats, not_found, target_as_period_id};

const RULE: &str = "O7";

/// A period the registration may move to now, with the cities that have a seat left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RescheduleTarget {
    pub period: ExamPeriod,
    /// In the operator's order; full cities left out.
    pub cities: Vec<PeriodCity>,
}

/// What a registration's page shows about rescheduling it (O7, E3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RescheduleOptions {
    /// E3: the last moment (exclusive, T4) to reschedule — the registration's
    /// `reschedule_until`, by the function that enforces it; `None` where the right does not
    /// exist (a retake, not live, used).
    pub deadline: Option<Timestamp>,
    /// Why the registration cannot be moved now at all: O7's own refusal (retake, not live,
    /// used, too late). `None` when it can, even if no period qualifies (`targets` empty).
    pub refusal: Option<Refusal>,
    /// O7: a target starts no later than this (inclusive): the original start + 3 months …
    pub latest_start: Timestamp,
    /// … and more than this many days from now.
    pub min_days_ahead: i64,
    /// The periods O7 allows now, by start, each with a city that has a seat left.
    pub targets: Vec<RescheduleTarget>,
}

/// O7's refusal as the API names the target: `period_id` (the domain says `target`); every
/// reschedule refusal names O7.
fn as_request_refusal(mut r: Refusal) -> Refusal {
    target_as_period_id(&mut r);
    r.rule = Some(RULE);
    r
}

/// O7: a store conflict of the commit, as the candidate hears it.
fn commit_refusal(e: StoreError) -> AppError {
    let refusal = match e {
        StoreError::Conflict(Conflict::NoSeatsLeft) => no_seats_left(),
        StoreError::Conflict(Conflict::RescheduleUsed) => Refusal::new(ErrorCode::RescheduleUsed),
        StoreError::Conflict(Conflict::RegistrationChanged) => {
            Refusal::new(ErrorCode::RegistrationNotLive)
        }
        // The target period or city vanished between the check and the commit.
        StoreError::NotFound => not_found("period_id"),
        e => return e.into(),
    };
    as_request_refusal(refusal).into()
}

impl App {
    /// O7: what the domain judges, for this registration and target, at `now`.
    fn reschedule_request(
        &self,
        registration: &Registration,
        target: &ExamPeriod,
        now: Timestamp,
    ) -> RescheduleRequest {
        RescheduleRequest {
            now,
            is_retake: registration.attempt == certdesk_domain::Attempt::Retake,
            status: registration.status,
            reschedules_used: registration.reschedules_used,
            certification: registration.certification_id,
            current_start: registration.official_start(),
            original_start: registration.official_original_start(),
            target_certification: target.certification_id,
            target_start: target.starts_at,
            target_is_current: registration.period_id == Some(target.id),
        }
    }

    fn reschedule_right(&self, registration: &Registration, now: Timestamp) -> RescheduleRight {
        RescheduleRight {
            now,
            is_retake: registration.attempt == certdesk_domain::Attempt::Retake,
            status: registration.status,
            reschedules_used: registration.reschedules_used,
            current_start: registration.official_start(),
        }
    }

    /// O7: moves one of the actor's person's registrations to `target`'s `city`, all or
    /// nothing; answers the registration as it now stands, with its deadlines (E3:
    /// `reschedule_until` is gone once the reschedules are used). Refusals, in order:
    /// `not_found` (not the person's, or not a sitting of the official channel),
    /// `invalid_field` (city, malformed), `retake_not_reschedulable`, `registration_not_live`,
    /// `reschedule_used`, `reschedule_too_late` (deadline = current start − 10 days),
    /// `not_found` (period_id, city), `reschedule_target_out_of_range` (field `period_id`; the
    /// deadline when the target is 10 days away or less), `no_seats_left` (city), then from the
    /// commit a lost race (`reschedule_used`, `registration_not_live`, `no_seats_left`).
    #[tracing::instrument(skip_all, fields(account_id = %actor.id, registration_id = %id, period_id = %target))]
    pub async fn reschedule(
        &self,
        actor: &Account,
        id: RegistrationId,
        target: ExamPeriodId,
        city: &str,
    ) -> AppResult<RegistrationView> {
        let now = self.now();
        let registration = self.my_registration(actor, id).await?;
        let (Some(from_period), Some(from_city)) = (registration.period_id, &registration.city)
        else {
            // No sitting of the official channel to move (I5 moves appointments).
            return Err(ErrorCode::NotFound.into());
        };
        let city = City::parse(city)?;
        check_reschedule_right(&self.reschedule_right(&registration, now), &self.policy)
            .map_err(as_request_refusal)?;
        let (period, seats_left) = self.target_sitting(target, &city).await?;
        check_reschedule(
            &self.reschedule_request(&registration, &period, now),
            &self.policy,
        )
        .map_err(as_request_refusal)?;
        // O3: a seat left (the store takes it atomically).
        if seats_left == 0 {
            return Err(as_request_refusal(no_seats_left()).into());
        }
        let inbox = self
            .reschedule_message(actor, &registration, from_city, &period, &city, now)
            .await?;
        let commit = RescheduleCommit {
            registration_id: registration.id,
            from_period_id: from_period,
            reschedules_used: registration.reschedules_used,
            to_period_id: period.id,
            to_city: city.as_str().to_owned(),
            promises: vec![
                MovedPromise {
                    kind: PromiseKind::AdmissionTicket,
                    due_at: admission_ticket_due(period.starts_at, &self.policy),
                },
                MovedPromise {
                    kind: PromiseKind::Score,
                    due_at: score_due(period.ends_at, &self.policy),
                },
            ],
            inbox: Some(inbox),
            // O4: a move into a sitting whose tickets are already out (a policy whose
            // reschedule cutoff lies inside the ticket window) gets its ticket at once.
            jobs: if now >= ticket_window(period.starts_at, &self.policy).opens_at {
                vec![self.issue_tickets_now_job(now)]
            } else {
                Vec::new()
            },
            at: now,
        };
        let moved = self
            .store
            .commit_reschedule(commit)
            .await
            .map_err(commit_refusal)?;
        tracing::info!("registration rescheduled");
        self.registration_view(actor, moved).await
    }

    /// O6/O7: the candidate's confirmation of the move, rendered now and written by the commit.
    async fn reschedule_message(
        &self,
        actor: &Account,
        registration: &Registration,
        from_city: &str,
        period: &ExamPeriod,
        city: &City,
        now: Timestamp,
    ) -> AppResult<NewInboxMessage> {
        let cert = self
            .store
            .find_certification(&registration.certification_code)
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!("registration {} has no certification", registration.id)
            })?;
        let text = Message::RegistrationRescheduled {
            certification: CertificationNames {
                zh: cert.data.name_zh,
                en: cert.data.name_en,
            },
            from_city: from_city.to_owned(),
            from_starts_at: registration.official_start(),
            city: city.as_str().to_owned(),
            exam_starts_at: period.starts_at,
        }
        .render();
        let kind = Notice::RegistrationRescheduled {
            registration_id: registration.id,
        }
        .kind();
        Ok(NewInboxMessage {
            account_id: actor.id,
            kind: kind.to_owned(),
            title_zh: text.title_zh,
            body_zh: text.body_zh,
            title_en: text.title_en,
            body_en: text.body_en,
            source_job: None,
            created_at: now,
            deliveries: self.deliveries(
                actor.id,
                Notice::RegistrationRescheduled {
                    registration_id: registration.id,
                },
                &format!(
                    "registration_rescheduled:registration:{}:{}",
                    registration.id, registration.reschedules_used
                ),
                now,
            ),
        })
    }

    /// O7/E3 for a registration's page: the last moment to reschedule, why it is not possible
    /// now, or the periods O7 allows now — judged target by target by `check_reschedule`, the
    /// function that enforces it — with their cities that have a seat left. Another person's
    /// registration is `not_found` (E2).
    pub async fn reschedule_options(
        &self,
        actor: &Account,
        id: RegistrationId,
    ) -> AppResult<RescheduleOptions> {
        let now = self.now();
        let registration = self.my_registration(actor, id).await?;
        let mut options = RescheduleOptions {
            deadline: self.deadlines(&registration, None).reschedule_until,
            refusal: None,
            latest_start: reschedule_latest_start(
                registration.official_original_start(),
                &self.policy,
            ),
            min_days_ahead: self.policy.reschedule_cutoff_days_before,
            targets: Vec::new(),
        };
        if registration.period_id.is_none() {
            options.refusal = Some(Refusal::new(ErrorCode::NotFound));
            return Ok(options);
        }
        if let Err(r) =
            check_reschedule_right(&self.reschedule_right(&registration, now), &self.policy)
        {
            options.refusal = Some(as_request_refusal(r));
            return Ok(options);
        }
        let filter = PeriodFilter {
            certification_id: Some(registration.certification_id),
            starts_from: Some(now),
        };
        for period in self.store.list_exam_periods(filter).await? {
            let request = self.reschedule_request(&registration, &period, now);
            if check_reschedule(&request, &self.policy).is_err() {
                continue;
            }
            let cities = cities_with_seats(&period);
            if !cities.is_empty() {
                options.targets.push(RescheduleTarget { period, cities });
            }
        }
        Ok(options)
    }
}
