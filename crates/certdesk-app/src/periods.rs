//! O1–O3: exam periods. Operators create them (the window derived for the cloud family, O1, or
//! set by them for the specialty family, O2; cities with seat capacities, O3); candidates list
//! the upcoming ones with seats left.

use certdesk_domain::{
    CertCode, CityDraft, ErrorCode, ExamPeriodDraft, ExamPeriodId, LocalizedText, Refusal, Role,
};
use certdesk_store::{
    Account, Certification, ExamPeriod, NewAuditEntry, NewExamPeriod, PeriodFilter,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::App;
use crate::error::{AppError, AppResult, require};

/// An exam period with the certification it is a sitting of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodListing {
    pub period: ExamPeriod,
    pub certification: Certification,
}

/// An operator's exam period as submitted (`POST /api/v1/admin/exam-periods`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PeriodInput {
    /// The certification's code (`TCCA-ARC-P`).
    pub certification: String,
    pub starts_at: Timestamp,
    /// Absent: the start plus the certification's exam duration.
    #[serde(default)]
    pub ends_at: Option<Timestamp>,
    pub cities: Vec<CityDraft>,
    /// O2 only (specialty family); refused for the cloud family, whose window is O1's.
    #[serde(default)]
    pub registration_opens_at: Option<Timestamp>,
    #[serde(default)]
    pub registration_closes_at: Option<Timestamp>,
}

fn unknown_certification() -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .field("certification")
        .rule("C1")
        .detail(LocalizedText::fixed(
            "没有这个认证。",
            "There is no such certification.",
        ))
}

impl App {
    /// The certification of a code, `None` when no such code exists (or it cannot be one).
    pub(crate) async fn find_certification_by_code(
        &self,
        code: &str,
    ) -> AppResult<Option<Certification>> {
        let Ok(code) = CertCode::parse(code) else {
            return Ok(None);
        };
        Ok(self.store.find_certification(&code).await?)
    }

    /// O1/O2/O3: an operator creates an exam period; audited. The cloud family's window is
    /// derived (O1) and a typed one refused; the specialty family's is required (O2). A
    /// retired certification gets no new periods (`certification_retired`), and a period must
    /// start in the future (`invalid_period`, field `starts_at`).
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn create_exam_period(
        &self,
        actor: &Account,
        input: PeriodInput,
    ) -> AppResult<ExamPeriod> {
        require(actor.has_role(Role::Admin))?;
        let now = self.now();
        let cert = self
            .find_certification_by_code(&input.certification)
            .await?
            .ok_or_else(unknown_certification)?;
        if cert.data.retired {
            return Err(Refusal::new(ErrorCode::CertificationRetired)
                .rule("C1")
                .field("certification")
                .into());
        }
        let draft = ExamPeriodDraft {
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            cities: input.cities,
            registration_opens_at: input.registration_opens_at,
            registration_closes_at: input.registration_closes_at,
        };
        let exam = SignedDuration::from_mins(i64::from(cert.data.duration_minutes));
        let plan = draft.validate(cert.data.family, exam, &self.policy)?;
        if plan.starts_at <= now {
            return Err(Refusal::new(ErrorCode::InvalidPeriod)
                .field("starts_at")
                .detail(LocalizedText::fixed(
                    "考试开始时间须晚于当前时间。",
                    "The exam must start in the future.",
                ))
                .into());
        }
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "exam_period.create".into(),
            target_kind: "exam_period".into(),
            // The id does not exist yet; the certification and start identify it.
            target_id: format!("{}@{}", cert.data.code, plan.starts_at),
            before: None,
            after: Some(json!({ "certification": cert.data.code, "plan": plan })),
            at: now,
        };
        let period = self
            .store
            .commit_exam_period(
                NewExamPeriod {
                    certification_id: cert.id,
                    starts_at: plan.starts_at,
                    ends_at: plan.ends_at,
                    registration_opens_at: plan.window.opens_at,
                    registration_closes_at: plan.window.closes_at,
                    cities: plan
                        .cities
                        .iter()
                        .map(|(city, capacity)| (city.as_str().to_owned(), capacity.get()))
                        .collect(),
                    created_at: now,
                    // O4: its tickets are issued when its window opens.
                    jobs: vec![self.issue_tickets_job(plan.starts_at)],
                },
                audit,
            )
            .await?;
        tracing::info!(period_id = %period.id, "exam period created");
        Ok(period)
    }

    /// Candidates' list: periods whose exam is still ahead (starts_at > now), of one
    /// certification when asked (an unknown code lists nothing), with seats per city; past
    /// ones too with `include_past`. Ordered by start.
    pub async fn list_exam_periods(
        &self,
        certification: Option<&str>,
        include_past: bool,
    ) -> AppResult<Vec<ExamPeriod>> {
        let now = self.now();
        let certification_id = match certification {
            None => None,
            Some(code) => match self.find_certification_by_code(code).await? {
                Some(cert) => Some(cert.id),
                None => return Ok(Vec::new()),
            },
        };
        let filter = PeriodFilter {
            certification_id,
            starts_from: (!include_past).then_some(now),
        };
        let mut periods = self.store.list_exam_periods(filter).await?;
        // The store's filter is inclusive (starts_at ≥ now); a period starting now has begun.
        if !include_past {
            periods.retain(|p| p.starts_at > now);
        }
        Ok(periods)
    }

    /// The periods [`App::list_exam_periods`] gives, each with its certification (names, fee,
    /// retired or not), so a client needs no second look-up (issue 11). The catalogue is
    /// read once for the whole list.
    pub async fn list_exam_period_listings(
        &self,
        certification: Option<&str>,
        include_past: bool,
    ) -> AppResult<Vec<PeriodListing>> {
        let periods = self.list_exam_periods(certification, include_past).await?;
        let catalogue = self.store.list_certifications(true).await?;
        periods
            .into_iter()
            .map(|period| {
                let certification = catalogue
                    .iter()
                    .find(|c| c.id == period.certification_id)
                    .cloned()
                    .ok_or_else(|| {
                        AppError::Internal(anyhow::anyhow!(
                            "exam period {} names no certification of the catalogue",
                            period.id
                        ))
                    })?;
                Ok(PeriodListing {
                    period,
                    certification,
                })
            })
            .collect()
    }

    /// One period; an unknown id is `not_found`.
    pub async fn get_exam_period(&self, id: ExamPeriodId) -> AppResult<ExamPeriod> {
        Ok(self.store.get_exam_period(id).await?)
    }

    /// Operators: every period, past ones too, with seats taken and capacity per city (O3).
    pub async fn seats_overview(&self, actor: &Account) -> AppResult<Vec<ExamPeriod>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self
            .store
            .list_exam_periods(PeriodFilter::default())
            .await?)
    }
}
