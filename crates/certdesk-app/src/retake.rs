//! O8: the free retake of a failed first attempt, official channel — one per first attempt,
//! on a sitting of the same certification that starts no later than 3 months after the first
//! attempt's exam start, applied for while now < the retake's start − 10 days (the target's
//! public registration window does not apply), with a seat in the chosen city. A no-show
//! forfeits it unless the policy says otherwise; a failed retake gives nothing further; a
//! retake cannot be rescheduled (O7). Every check at one `now` (`certdesk-domain`'s
//! `check_retake`), then ONE atomic store call: the retake registration (no order of its own,
//! linked to the first attempt), its seat, its admission-ticket and score promises (P1), the
//! inbox confirmation (O6) and, when the target's tickets are already out, the issuing job.
//!
//! **Decision:** as for O7, refusals that concern the first attempt (not eligible, used, too
//! late for any sitting) come before any look at the target; then an unknown target period or
//! a city it does not offer is `not_found` (fields `period_id`, `city`); then the target's
//! range and deadline (O8, field `period_id`); then its seats. A2's `already_registered` (the
//! person bought a new first attempt meanwhile) is the store's, after `retake_used`.

use certdesk_domain::rules::{
    AttemptOutcome, RetakeRequest, RetakeRight, admission_ticket_due, check_retake,
    check_retake_right, retake_latest_start, score_due, ticket_window,
};
use certdesk_domain::{
    Attempt, City, ErrorCode, ExamPeriodId, LocalizedText, PromiseKind, Refusal, RegistrationId,
    RegistrationStatus, no_seats_left,
};
use certdesk_notify::{CertificationNames, Message, Notice};
use certdesk_store::{
    Account, Conflict, ExamPeriod, NewInboxMessage, NewPromise, PeriodCity, PeriodFilter,
    Registration, RetakeCommit, StoreError,
};
use jiff::Timestamp;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::registrations::RegistrationView;
use crate::target_sitting::{cities_with_seats, not_found, target_as_period_id};

const RULE: &str = "O8";

/// A period the retake may be taken on now, with the cities that have a seat left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetakeTarget {
    pub period: ExamPeriod,
    /// In the operator's order; full cities left out.
    pub cities: Vec<PeriodCity>,
    /// O8/E3: the last moment (exclusive) to apply for this sitting: its start − 10 days.
    pub apply_until: Timestamp,
}

/// What a registration's page shows about its retake (O8, E3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetakeOptions {
    /// E3: the last moment (exclusive, T4) some retake could still be applied for — the
    /// registration's `retake_apply_until`, by the function that enforces it; `None` where the
    /// right does not exist (not failed, forfeited, a retake, used).
    pub deadline: Option<Timestamp>,
    /// Why no retake can be applied for now at all. `None` when one can, even if no period
    /// qualifies (`targets` empty).
    pub refusal: Option<Refusal>,
    /// The retake this attempt gave, once taken.
    pub retake: Option<RegistrationId>,
    /// O8: a target starts no later than this (inclusive): the first start + 3 months …
    pub latest_start: Timestamp,
    /// … and is applied for more than this many days before its start.
    pub min_days_ahead: i64,
    /// The periods O8 allows now, by start, each with a city that has a seat left.
    pub targets: Vec<RetakeTarget>,
}

/// O8's refusal as the API names the target: `period_id` (the domain says `target`); every
/// retake refusal names O8, but A2's.
fn as_request_refusal(mut r: Refusal) -> Refusal {
    target_as_period_id(&mut r);
    if r.code != ErrorCode::AlreadyRegistered {
        r.rule = Some(RULE);
    }
    r
}

/// O8: a store conflict of the commit, as the candidate hears it.
fn commit_refusal(e: StoreError) -> AppError {
    let refusal = match e {
        StoreError::Conflict(Conflict::NoSeatsLeft) => no_seats_left(),
        StoreError::Conflict(Conflict::RetakeUsed) => Refusal::new(ErrorCode::RetakeUsed),
        StoreError::Conflict(Conflict::RegistrationChanged) => {
            Refusal::new(ErrorCode::RetakeNotEligible)
        }
        StoreError::Conflict(Conflict::AlreadyRegistered) => certdesk_domain::already_registered(),
        // The target period or city vanished between the check and the commit.
        StoreError::NotFound => not_found("period_id"),
        e => return e.into(),
    };
    as_request_refusal(refusal).into()
}

/// How the registration's attempt ended, as O8 reads it; a cancelled one gives nothing.
fn outcome(registration: &Registration) -> Result<AttemptOutcome, Refusal> {
    Ok(match registration.status {
        RegistrationStatus::Failed => AttemptOutcome::Failed,
        RegistrationStatus::Absent => AttemptOutcome::Absent,
        RegistrationStatus::Passed => AttemptOutcome::Passed,
        RegistrationStatus::Confirmed
        | RegistrationStatus::TicketIssued
        | RegistrationStatus::AwaitingPayment => AttemptOutcome::Pending,
        RegistrationStatus::Cancelled => {
            return Err(Refusal::new(ErrorCode::RetakeNotEligible)
                .rule(RULE)
                .detail(LocalizedText::fixed(
                    "该报名已取消。",
                    "This registration was cancelled.",
                )));
        }
    })
}

impl App {
    /// O8's registration side, at `now`.
    fn retake_right(&self, r: &Registration, now: Timestamp) -> Result<RetakeRight, Refusal> {
        Ok(RetakeRight {
            now,
            outcome: outcome(r)?,
            attempt_was_retake: r.attempt == Attempt::Retake,
            retake_used: r.retake_id.is_some(),
            first_start: r.official_start(),
        })
    }

    /// O8: what the domain judges, for this registration and target, at `now`.
    fn retake_request(
        &self,
        right: RetakeRight,
        r: &Registration,
        target: &ExamPeriod,
    ) -> RetakeRequest {
        RetakeRequest {
            now: right.now,
            outcome: right.outcome,
            attempt_was_retake: right.attempt_was_retake,
            retake_used: right.retake_used,
            certification: r.certification_id,
            first_start: right.first_start,
            target_certification: target.certification_id,
            target_start: target.starts_at,
        }
    }

    /// O8: registers the free retake of one of the actor's person's failed first attempts on
    /// `target`'s `city`, all or nothing; answers the new registration (attempt `retake`, no
    /// order) with its deadlines. Refusals, in order: `not_found` (not the person's, or not a
    /// sitting of the official channel), `invalid_field` (city, malformed),
    /// `retake_not_eligible` (not failed, a forfeiting no-show, a retake, cancelled),
    /// `retake_used`, `retake_too_late` (deadline = first start + 3 months − 10 days),
    /// `not_found` (period_id, city), `retake_target_out_of_range` (field `period_id`),
    /// `retake_too_late` (deadline = the target's start − 10 days), `no_seats_left` (city),
    /// then from the commit a lost race (`retake_used`, `no_seats_left`) or A2's
    /// `already_registered`.
    #[tracing::instrument(skip_all, fields(account_id = %actor.id, registration_id = %id, period_id = %target))]
    pub async fn retake(
        &self,
        actor: &Account,
        id: RegistrationId,
        target: ExamPeriodId,
        city: &str,
    ) -> AppResult<RegistrationView> {
        let now = self.now();
        let first = self.my_registration(actor, id).await?;
        if first.period_id.is_none() {
            // No sitting of the official channel (I6 books the institution's retakes).
            return Err(ErrorCode::NotFound.into());
        }
        let city = City::parse(city)?;
        let right = self.retake_right(&first, now)?;
        check_retake_right(&right, &self.policy).map_err(as_request_refusal)?;
        let (period, seats_left) = self.target_sitting(target, &city).await?;
        check_retake(&self.retake_request(right, &first, &period), &self.policy)
            .map_err(as_request_refusal)?;
        // O3: a seat left (the store takes it atomically).
        if seats_left == 0 {
            return Err(as_request_refusal(no_seats_left()).into());
        }
        let inbox = self
            .retake_message(actor, &first, &period, &city, now)
            .await?;
        let commit = RetakeCommit {
            first_registration_id: first.id,
            account_id: actor.id,
            period_id: period.id,
            city: city.as_str().to_owned(),
            promises: vec![
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
            ],
            inbox: Some(inbox),
            // O4: a retake arriving after its period's tickets went out (a policy whose ticket
            // window opens before the apply deadline) gets its ticket at once.
            jobs: if now >= ticket_window(period.starts_at, &self.policy).opens_at {
                vec![self.issue_tickets_now_job(now)]
            } else {
                Vec::new()
            },
            at: now,
        };
        let retake = self
            .store
            .commit_retake(commit)
            .await
            .map_err(commit_refusal)?;
        tracing::info!(retake_id = %retake.id, "retake registered");
        self.registration_view(actor, retake).await
    }

    /// O6/O8: the candidate's confirmation of the retake, rendered now and written by the
    /// commit.
    async fn retake_message(
        &self,
        actor: &Account,
        first: &Registration,
        period: &ExamPeriod,
        city: &City,
        now: Timestamp,
    ) -> AppResult<NewInboxMessage> {
        let cert = self
            .store
            .find_certification(&first.certification_code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("registration {} has no certification", first.id))?;
        let text = Message::RetakeRegistered {
            certification: CertificationNames {
                zh: cert.data.name_zh,
                en: cert.data.name_en,
            },
            city: city.as_str().to_owned(),
            exam_starts_at: period.starts_at,
        }
        .render();
        let kind = Notice::RetakeRegistered {
            registration_id: first.id,
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
                Notice::RetakeRegistered {
                    registration_id: first.id,
                },
                &format!("retake_registered:first:{}", first.id),
                now,
            ),
        })
    }

    /// O8/E3 for a registration's page: the last moment some retake could be applied for, why
    /// none can now, or the periods O8 allows now — judged target by target by `check_retake`,
    /// the function that enforces it — with their cities that have a seat left. Another
    /// person's registration is `not_found` (E2).
    pub async fn retake_options(
        &self,
        actor: &Account,
        id: RegistrationId,
    ) -> AppResult<RetakeOptions> {
        let now = self.now();
        let registration = self.my_registration(actor, id).await?;
        let mut options = RetakeOptions {
            deadline: self.deadlines(&registration, None).retake_apply_until,
            refusal: None,
            retake: registration.retake_id,
            latest_start: retake_latest_start(registration.official_start(), &self.policy),
            min_days_ahead: self.policy.retake_apply_cutoff_days_before,
            targets: Vec::new(),
        };
        if registration.period_id.is_none() {
            options.refusal = Some(Refusal::new(ErrorCode::NotFound));
            return Ok(options);
        }
        let right = match self.retake_right(&registration, now) {
            Ok(right) => right,
            Err(r) => {
                options.refusal = Some(r);
                return Ok(options);
            }
        };
        if let Err(r) = check_retake_right(&right, &self.policy) {
            options.refusal = Some(as_request_refusal(r));
            return Ok(options);
        }
        let filter = PeriodFilter {
            certification_id: Some(registration.certification_id),
            starts_from: Some(now),
        };
        for period in self.store.list_exam_periods(filter).await? {
            let request = self.retake_request(right, &registration, &period);
            let Ok(apply_until) = check_retake(&request, &self.policy) else {
                continue;
            };
            let cities = cities_with_seats(&period);
            if !cities.is_empty() {
                options.targets.push(RetakeTarget {
                    period,
                    cities,
                    apply_until,
                });
            }
        }
        Ok(options)
    }
}
