//! O6/P1: operators import exam results — a CSV file or a JSON list — all or nothing. Every
//! line is parsed and checked (`certdesk_domain::results`) against its registration, read in
//! one store call; then ONE commit releases the whole file: statuses, results, the score
//! promise kept, an e-certificate promise per pass (O9) and "成绩已公布" in each candidate's
//! inbox (O6: the inbox is always a channel, so the message is part of the release).

use std::collections::HashMap;

use certdesk_domain::results::{check_result, decode_upload, parse_csv, parse_json_items};
use certdesk_domain::rules::e_certificate_due;
use certdesk_domain::time::{format_rfc3339, local_date};
use certdesk_domain::{
    AcceptedResult, ErrorCode, LineError, ParsedResults, Refusal, RegistrationId, ResultKey,
};
use certdesk_notify::{CertificationNames, Message, Notice};
use certdesk_store::{
    Account, Conflict, NewAuditEntry, NewInboxMessage, ResultKeys, ResultRelease, ResultTarget,
    ResultsCommit, StoreError,
};
use jiff::Timestamp;
use serde_json::json;

use crate::App;
use crate::error::AppResult;

/// A results upload as it arrived: the bytes of a CSV file (any encoding `decode_upload`
/// reads), or the items of a JSON import's `results` list.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultsUpload {
    Csv(Vec<u8>),
    Json(Vec<serde_json::Value>),
}

impl ResultsUpload {
    fn format(&self) -> &'static str {
        match self {
            ResultsUpload::Csv(_) => "csv",
            ResultsUpload::Json(_) => "json",
        }
    }
}

/// What an import did: `accepted` results stored, or none and every bad line (line order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub accepted: usize,
    pub rejected: Vec<LineError>,
}

/// The registrations a file's lines name, keyed as the lines name them.
type Targets = HashMap<ResultKey, ResultTarget>;

impl App {
    /// O6/P1/I7: imports a results file (role `admin`, or institution staff for their own
    /// institution's registrations: any other line is `unknown_registration`; `forbidden`
    /// otherwise), all or nothing at
    /// `clock.now()`. A well-formed file answers its accepted count, or — when any line is bad,
    /// also when a registration changed between the checks and the commit — `accepted: 0`
    /// and every bad line, nothing stored. Audited as one entry.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, format = upload.format()))]
    pub async fn import_results(
        &self,
        actor: &Account,
        upload: ResultsUpload,
    ) -> AppResult<ImportOutcome> {
        let staff_of = crate::institution::acting_for(actor)?;
        let now = self.now();
        let format = upload.format();
        let parsed = match upload {
            ResultsUpload::Csv(bytes) => parse_csv(&decode_upload(&bytes)),
            ResultsUpload::Json(items) => parse_json_items(&items),
        };
        let mut targets = self.result_targets(&parsed).await?;
        if let Some(own) = staff_of {
            self.keep_institution_targets(&mut targets, own).await?;
        }
        let accepted = match parsed.validate(|k| targets.get(k).map(|t| &t.subject), now) {
            Ok(accepted) => accepted,
            Err(rejected) => {
                tracing::info!(rejected = rejected.len(), "results file refused");
                return Ok(ImportOutcome {
                    accepted: 0,
                    rejected,
                });
            }
        };
        if accepted.is_empty() {
            return Ok(ImportOutcome::default());
        }
        let by_id: HashMap<RegistrationId, &ResultTarget> = targets
            .values()
            .map(|t| (t.subject.registration_id, t))
            .collect();
        let commit = self.results_commit(actor, &accepted, &by_id, now, format);
        match self.store.commit_results(commit).await {
            Ok(n) => {
                tracing::info!(accepted = n, "results released");
                Ok(ImportOutcome {
                    accepted: n,
                    rejected: Vec::new(),
                })
            }
            Err(StoreError::Conflict(Conflict::NotAwaitingResult(id))) => {
                let line = accepted
                    .iter()
                    .find(|a| a.registration_id == id)
                    .map_or(0, |a| a.line);
                let refusal = self.why_not_awaiting(id, now).await?;
                Ok(ImportOutcome {
                    accepted: 0,
                    rejected: vec![LineError { line, refusal }],
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Staff record results of their own institution's registrations only: every other
    /// registration is, to them, one that does not exist.
    async fn keep_institution_targets(
        &self,
        targets: &mut Targets,
        own: certdesk_domain::InstitutionId,
    ) -> AppResult<()> {
        let mut theirs = Vec::new();
        for (key, t) in targets.iter() {
            let id = t.subject.registration_id;
            let mine = t.subject.channel == certdesk_domain::Channel::Institution
                && self
                    .store
                    .get_institution_registration(id)
                    .await
                    .is_ok_and(|r| r.enrolment.institution_id == own);
            if !mine {
                theirs.push(key.clone());
            }
        }
        for key in theirs {
            targets.remove(&key);
        }
        Ok(())
    }

    /// The registrations the lines name, in one read per kind of key.
    async fn result_targets(&self, parsed: &ParsedResults) -> AppResult<Targets> {
        let (mut ids, mut tickets) = (Vec::new(), Vec::new());
        for key in parsed.keys() {
            match key {
                ResultKey::Registration(id) => ids.push(*id),
                ResultKey::Ticket(t) => tickets.push(t.clone()),
            }
        }
        let mut targets = Targets::new();
        if !ids.is_empty() {
            for t in self
                .store
                .load_result_targets(&ResultKeys::Registrations(ids))
                .await?
            {
                targets.insert(ResultKey::Registration(t.subject.registration_id), t);
            }
        }
        if !tickets.is_empty() {
            for t in self
                .store
                .load_result_targets(&ResultKeys::Tickets(tickets))
                .await?
            {
                if let Some(number) = t.ticket_number.clone() {
                    targets.insert(ResultKey::Ticket(number), t);
                }
            }
        }
        Ok(targets)
    }

    /// The commit refused `id`: why, as its line's error (it was refunded or resulted by
    /// another import after the checks).
    async fn why_not_awaiting(&self, id: RegistrationId, now: Timestamp) -> AppResult<Refusal> {
        let fresh = self
            .store
            .load_result_targets(&ResultKeys::Registrations(vec![id]))
            .await?;
        Ok(fresh
            .first()
            .and_then(|t| check_result(&t.subject, now).err())
            .unwrap_or_else(|| Refusal::new(ErrorCode::ResultsChanged).rule("O6")))
    }

    fn results_commit(
        &self,
        actor: &Account,
        accepted: &[AcceptedResult],
        targets: &HashMap<RegistrationId, &ResultTarget>,
        now: Timestamp,
        format: &str,
    ) -> ResultsCommit {
        let mut results = Vec::with_capacity(accepted.len());
        let (mut passed, mut absent) = (0, 0);
        for a in accepted {
            let Some(t) = targets.get(&a.registration_id) else {
                continue;
            };
            passed += usize::from(a.passed);
            absent += usize::from(a.outcome.score().is_none());
            let rendered = Message::ResultReleased {
                certification: CertificationNames {
                    zh: t.certification_name_zh.clone(),
                    en: t.certification_name_en.clone(),
                },
                score: a.outcome.score().map(|s| s.get()),
                passed: a.passed,
            }
            .render();
            let kind = Notice::ResultReleased {
                registration_id: a.registration_id,
            }
            .kind();
            results.push(ResultRelease {
                registration_id: a.registration_id,
                outcome: a.outcome,
                passed: a.passed,
                inbox: NewInboxMessage {
                    account_id: t.account_id,
                    kind: kind.to_owned(),
                    title_zh: rendered.title_zh,
                    body_zh: rendered.body_zh,
                    title_en: rendered.title_en,
                    body_en: rendered.body_en,
                    source_job: None,
                    created_at: now,
                    deliveries: self.deliveries(
                        t.account_id,
                        Notice::ResultReleased {
                            registration_id: a.registration_id,
                        },
                        &format!("result_released:registration:{}", a.registration_id),
                        now,
                    ),
                },
                // P1/O9: a pass is owed its e-certificate by the end of the first business
                // day after the exam date.
                // (`check_result` accepted only a registration whose exam ended.)
                e_certificate_due: t
                    .subject
                    .exam_ends_at
                    .filter(|_| a.passed)
                    .map(|ends| e_certificate_due(local_date(ends), &self.policy, &self.calendar)),
            });
        }
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "results.import".into(),
            target_kind: "exam_results".into(),
            target_id: format_rfc3339(now),
            before: None,
            after: Some(json!({
                "format": format,
                "accepted": results.len(),
                "passed": passed,
                "failed": results.len() - passed - absent,
                "absent": absent,
            })),
            at: now,
        };
        ResultsCommit {
            results,
            released_at: now,
            imported_by: actor.id,
            audit,
            // O9: the passes' certificates are issued right after the commit.
            jobs: if passed > 0 {
                vec![self.issue_certificates_job(now)]
            } else {
                Vec::new()
            },
        }
    }
}
