//! O4: venues, the admission tickets issued from 5 days before an exam, and check-in at the
//! venue.
//!
//! Issuing is a job (`issue_tickets`) that seats every confirmed registration of every period
//! whose ticket window has opened and hands each its ticket. Each period created schedules one
//! at its window's opening (in the same commit); `schedule_ticket_issuing` (at start-up) puts
//! back the job of any future period an older database never scheduled. The job sweeps rather
//! than naming one period, so the same job also seats the late arrivals (a reschedule into the
//! period, a specialty period still selling), and a city short of venue seats is retried —
//! with backoff, its promise open and overdue on the operators' page — until operators add
//! seats; the other cities are issued meanwhile.

use std::sync::Arc;

use async_trait::async_trait;
use certdesk_domain::{
    ErrorCode, ExamPeriodId, LocalizedText, Refusal, Role, SeatShortfall, TicketNumber,
    assign_seats,
    rules::ticket_window,
    time::{days, saturating_add},
};
use certdesk_notify::{CertificationNames, Message, Notice};
use certdesk_store::{
    Account, AdmissionTicket, Job, JobFailure, JobHandler, NewAuditEntry, NewInboxMessage, NewJob,
    NewTicket, NewVenue, PeriodFilter, StoreError, TicketIssue, Venue,
};
use hmac::{Hmac, Mac};
use jiff::Timestamp;
use serde_json::json;
use sha2::Sha256;

use crate::App;
use crate::error::{AppResult, require};

/// The job kind that issues due admission tickets.
pub const ISSUE_TICKETS_KIND: &str = "issue_tickets";
/// The inbox kind of a ticket notice.
const TICKET_NOTICE: &str = "admission_ticket_issued";
/// What a ticket's QR code says: `CDT1:<number>:<signature>`.
const CODE_PREFIX: &str = "CDT1";

/// A venue as an operator submits it (`POST /api/v1/admin/venues`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct VenueInput {
    pub city: String,
    pub name: String,
    pub address: String,
    pub seats: i64,
}

impl VenueInput {
    /// O4: the seats a venue may have.
    pub const SEATS: std::ops::RangeInclusive<u32> = 1..=100_000;
}

/// What a run of the issuing job did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueReport {
    /// Tickets written.
    pub issued: usize,
    /// Cities whose venues lack seats: (period, city, seats missing).
    pub short: Vec<(ExamPeriodId, String, usize)>,
}

/// A check-in at the venue's desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub ticket: AdmissionTicket,
    /// False when the ticket had been checked in before (a second scan changes nothing).
    pub first: bool,
}

fn field_error(field: &'static str, zh: &'static str, en: &'static str) -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .field(field)
        .detail(LocalizedText::fixed(zh, en))
}

/// A name or address: trimmed, 1 to `max` characters.
fn text(input: &str, field: &'static str, max: usize) -> Result<String, Refusal> {
    let value = input.trim();
    let n = value.chars().count();
    if n == 0 {
        return Err(field_error(field, "请填写此项。", "This field is empty."));
    }
    if n > max || value.chars().any(char::is_control) {
        return Err(field_error(
            field,
            "内容过长或含有无效字符。",
            "This is too long or has invalid characters.",
        ));
    }
    Ok(value.to_owned())
}

impl App {
    /// O4: an operator adds a venue to a city; audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn create_venue(&self, actor: &Account, input: VenueInput) -> AppResult<Venue> {
        require(actor.has_role(Role::Admin))?;
        let city = certdesk_domain::City::parse(&input.city)?;
        let name = text(&input.name, "name", 64)?;
        let address = text(&input.address, "address", 200)?;
        let seats = u32::try_from(input.seats)
            .ok()
            .filter(|s| VenueInput::SEATS.contains(s))
            .ok_or_else(|| {
                field_error(
                    "seats",
                    "座位数须为 1 到 100000 之间的整数。",
                    "Seats must be a whole number from 1 to 100000.",
                )
            })?;
        let now = self.now();
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "venue.create".into(),
            target_kind: "venue".into(),
            target_id: format!("{}/{name}", city.as_str()),
            before: None,
            after: Some(
                json!({ "city": city.as_str(), "name": name, "address": address, "seats": seats }),
            ),
            at: now,
        };
        let venue = NewVenue {
            city: city.as_str().to_owned(),
            name,
            address,
            seats,
            created_at: now,
        };
        Ok(self.store.commit_venue(venue, audit).await?)
    }

    /// The venues of a city (or all), in the operators' order.
    pub async fn list_venues(&self, actor: &Account, city: Option<&str>) -> AppResult<Vec<Venue>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self.store.list_venues(city).await?)
    }

    /// The job that issues the tickets of a period starting at `starts_at`, due when O4's
    /// window opens. One job per opening instant: periods that open together share it.
    pub(crate) fn issue_tickets_job(&self, starts_at: Timestamp) -> NewJob {
        let run_at = ticket_window(starts_at, &self.policy).opens_at;
        NewJob {
            kind: ISSUE_TICKETS_KIND.to_owned(),
            payload: json!({}),
            channel: None,
            dedup_key: Some(format!("{ISSUE_TICKETS_KIND}:{}", run_at.as_microsecond())),
            run_at,
            max_attempts: self.policy.job_max_attempts,
            keeps_promise: None,
        }
    }

    /// An issuing job due now: for a registration that arrives in a period whose tickets are
    /// already out (it gets its ticket at once).
    pub(crate) fn issue_tickets_now_job(&self, now: Timestamp) -> NewJob {
        NewJob {
            dedup_key: Some(format!("{ISSUE_TICKETS_KIND}:{}", now.as_microsecond())),
            run_at: now,
            ..self.issue_tickets_job(now)
        }
    }

    /// Puts back the issuing job of every period still ahead (a database from before tickets,
    /// or one whose job was lost); existing jobs are kept (dedup). Answers how many periods.
    pub async fn schedule_ticket_issuing(&self) -> AppResult<usize> {
        let now = self.now();
        let periods = self
            .store
            .list_exam_periods(PeriodFilter {
                certification_id: None,
                starts_from: Some(now),
            })
            .await?;
        let jobs: Vec<NewJob> = periods
            .iter()
            .map(|p| {
                let job = self.issue_tickets_job(p.starts_at);
                if job.run_at <= now {
                    self.issue_tickets_now_job(now)
                } else {
                    job
                }
            })
            .collect();
        let count = jobs.len();
        self.store.enqueue_jobs(jobs).await?;
        Ok(count)
    }

    /// O4: seats and tickets everyone due: every confirmed registration without a ticket of a
    /// period whose window has opened and whose exam is still ahead. A city short of venue seats
    /// is left for the next run (reported); the rest are issued.
    #[tracing::instrument(skip_all)]
    pub async fn issue_due_tickets(&self) -> AppResult<IssueReport> {
        let now = self.now();
        // A period is due once its window opened (start − N days ≤ now), i.e. start ≤ now + N.
        let until = saturating_add(now, days(self.policy.ticket_window_opens_days_before));
        let mut report = IssueReport::default();
        for period_id in self.store.list_periods_awaiting_tickets(now, until).await? {
            self.issue_period_tickets(period_id, now, &mut report)
                .await?;
        }
        Ok(report)
    }

    async fn issue_period_tickets(
        &self,
        period_id: ExamPeriodId,
        now: Timestamp,
        report: &mut IssueReport,
    ) -> AppResult<()> {
        let period = self.store.get_exam_period(period_id).await?;
        let names = match self
            .store
            .find_certification(&period.certification_code)
            .await?
        {
            Some(cert) => CertificationNames {
                zh: cert.data.name_zh,
                en: cert.data.name_en,
            },
            None => CertificationNames {
                zh: period.certification_code.to_string(),
                en: period.certification_code.to_string(),
            },
        };
        let plan = self.store.load_ticket_plan(period_id).await?;
        let venues: Vec<Venue> = self.store.list_venues(None).await?;
        let mut sequence = plan.last_sequence;
        let mut tickets = Vec::new();
        for city in &plan.cities {
            let seats = match assign_seats(&city.venues, city.unseated.len()) {
                Ok(seats) => seats,
                Err(SeatShortfall { missing }) => {
                    report.short.push((period_id, city.city.clone(), missing));
                    continue;
                }
            };
            for (who, seat) in city.unseated.iter().zip(seats) {
                sequence += 1;
                let number = TicketNumber::new(period_id, sequence).ok_or_else(|| {
                    StoreError::Other(anyhow::anyhow!(
                        "period {period_id} ran out of ticket numbers"
                    ))
                })?;
                let venue = venues.iter().find(|v| v.id == seat.venue);
                let text = Message::AdmissionTicketIssued {
                    certification: names.clone(),
                    number: number.to_string(),
                    venue_name: venue.map(|v| v.name.clone()).unwrap_or_default(),
                    venue_address: venue.map(|v| v.address.clone()).unwrap_or_default(),
                    seat: seat.number,
                    exam_starts_at: period.starts_at,
                }
                .render();
                tickets.push(NewTicket {
                    registration_id: who.registration_id,
                    number: number.clone(),
                    venue_id: seat.venue,
                    seat: seat.number,
                    inbox: NewInboxMessage {
                        account_id: who.account_id,
                        kind: TICKET_NOTICE.to_owned(),
                        title_zh: text.title_zh,
                        body_zh: text.body_zh,
                        title_en: text.title_en,
                        body_en: text.body_en,
                        source_job: None,
                        created_at: now,
                        deliveries: self.deliveries(
                            who.account_id,
                            Notice::AdmissionTicketIssued {
                                registration_id: who.registration_id,
                            },
                            &format!(
                                "admission_ticket_issued:registration:{}:{number}",
                                who.registration_id
                            ),
                            now,
                        ),
                    },
                });
            }
        }
        if tickets.is_empty() {
            return Ok(());
        }
        let issued = self
            .store
            .commit_tickets(TicketIssue {
                period_id,
                tickets,
                issued_at: now,
            })
            .await?;
        tracing::info!(period_id = %period_id, issued = issued.len(), "admission tickets issued");
        report.issued += issued.len();
        Ok(())
    }

    /// The text of a ticket's QR code: its number, signed, so that a desk can tell a real
    /// ticket from a made-up one without being online to anyone but this server.
    pub fn ticket_code(&self, number: &TicketNumber) -> String {
        format!(
            "{CODE_PREFIX}:{number}:{}",
            self.ticket_signature(number.as_str())
        )
    }

    fn ticket_signature(&self, number: &str) -> String {
        use base64::Engine as _;
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.ticket_key[..])
            .expect("HMAC takes any key length");
        mac.update(CODE_PREFIX.as_bytes());
        mac.update(b":");
        mac.update(number.as_bytes());
        // 128 bits are plenty for a code that only opens a desk's lookup.
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&mac.finalize().into_bytes()[..16])
    }

    /// A scanned code (`CDT1:…`) with its signature checked, or a number typed at the desk
    /// (its check digit catches a typo): the ticket number, or `ticket_invalid`.
    pub fn read_ticket_code(&self, input: &str) -> Result<TicketNumber, Refusal> {
        let invalid = || {
            Refusal::new(ErrorCode::TicketInvalid)
                .rule("O4")
                .field("code")
        };
        let input = input.trim();
        let Some(rest) = input
            .strip_prefix(CODE_PREFIX)
            .and_then(|r| r.strip_prefix(':'))
        else {
            return TicketNumber::parse(input).map_err(|_| invalid());
        };
        let (number, signature) = rest.split_once(':').ok_or_else(invalid)?;
        let expected = self.ticket_signature(number);
        let matches: bool = expected.len() == signature.len()
            && expected
                .bytes()
                .zip(signature.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !matches {
            return Err(invalid());
        }
        TicketNumber::parse(number).map_err(|_| invalid())
    }

    /// O4: the desk of `period` scans (or types) a ticket: its holder is recorded present once;
    /// a second scan is harmless. Another period's ticket, or a cancelled registration's, is
    /// refused. Audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, period_id = %period))]
    pub async fn check_in(
        &self,
        actor: &Account,
        period: ExamPeriodId,
        code: &str,
    ) -> AppResult<CheckIn> {
        require(actor.has_role(Role::Admin))?;
        let number = self.read_ticket_code(code)?;
        let ticket = self
            .store
            .find_ticket_by_number(&number)
            .await?
            .ok_or_else(|| {
                Refusal::new(ErrorCode::TicketInvalid)
                    .rule("O4")
                    .field("code")
                    .detail(LocalizedText::fixed(
                        "没有这张准考证。",
                        "There is no such admission ticket.",
                    ))
            })?;
        if ticket.period_id != period {
            return Err(Refusal::new(ErrorCode::TicketWrongPeriod)
                .rule("O4")
                .field("code")
                .into());
        }
        let registration = self.store.get_registration(ticket.registration_id).await?;
        if !registration.status.is_live() {
            return Err(Refusal::new(ErrorCode::TicketVoid)
                .rule("O4")
                .field("code")
                .into());
        }
        let now = self.now();
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "ticket.check_in".into(),
            target_kind: "admission_ticket".into(),
            target_id: number.to_string(),
            before: None,
            after: None,
            at: now,
        };
        let first = ticket.checked_in_at.is_none();
        let ticket = self.store.commit_check_in(&number, now, audit).await?;
        Ok(CheckIn { ticket, first })
    }
}

/// The `issue_tickets` job: a run that leaves a city short of seats fails (retried with
/// backoff), so operators see it among the jobs and the promise stays open.
#[derive(Debug)]
pub(crate) struct TicketIssuer {
    pub app: App,
}

#[async_trait]
impl JobHandler for TicketIssuer {
    async fn run(&self, _job: &Job) -> Result<(), JobFailure> {
        let report = self
            .app
            .issue_due_tickets()
            .await
            .map_err(|e| JobFailure::retry(format!("issuing admission tickets failed: {e}")))?;
        if report.short.is_empty() {
            return Ok(());
        }
        let short: Vec<String> = report
            .short
            .iter()
            .map(|(period, city, missing)| {
                format!("period {period}, {city}: {missing} seats missing")
            })
            .collect();
        Err(JobFailure::retry(format!(
            "venues lack seats (add venues, the job retries): {}",
            short.join("; ")
        )))
    }
}

/// The handler, shared by the runner.
pub(crate) fn ticket_issuer(app: &App) -> Arc<TicketIssuer> {
    Arc::new(TicketIssuer { app: app.clone() })
}
