//! Operator views and actions (role `admin`): the audit log, jobs (P2), accounts and the
//! promise summary and the overdue promises behind it (P1).

use certdesk_domain::{Email, JobId, PromiseKind, Role};
use certdesk_store::{
    Account, AuditEntry, Job, JobStatus, NewAuditEntry, OverduePromise, Page, PageRequest,
    PromiseSummary,
};
use serde_json::json;

use crate::App;
use crate::error::{AppResult, require};

fn job_json(job: &Job) -> serde_json::Value {
    json!({
        "kind": job.kind,
        "channel": job.channel,
        "status": job.status,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "last_error": job.last_error,
    })
}

impl App {
    /// The audit log, newest first.
    pub async fn list_audit(
        &self,
        actor: &Account,
        page: PageRequest,
    ) -> AppResult<Page<AuditEntry>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self.store.list_audit(page).await?)
    }

    /// Jobs, optionally of one status; `dead` ones are those that ran out of retries (P2).
    pub async fn list_jobs(
        &self,
        actor: &Account,
        status: Option<JobStatus>,
        page: PageRequest,
    ) -> AppResult<Page<Job>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self.store.list_jobs(status, page).await?)
    }

    /// P2: an operator sends a dead job back to the queue, to run now; audited.
    /// `job_not_dead` unless it is dead.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, job_id = %id))]
    pub async fn retry_job(&self, actor: &Account, id: JobId) -> AppResult<Job> {
        require(actor.has_role(Role::Admin))?;
        let before = self.store.get_job(id).await?;
        let now = self.now();
        let mut after = job_json(&before);
        after["status"] = json!(JobStatus::Pending);
        let audit = NewAuditEntry {
            actor: Some(actor.id),
            action: "job.retry".into(),
            target_kind: "job".into(),
            target_id: id.to_string(),
            before: Some(job_json(&before)),
            after: Some(after),
            at: now,
        };
        let job = self.store.commit_job_retry(id, now, audit).await?;
        tracing::info!("dead job sent back to the queue");
        Ok(job)
    }

    /// Every account, for operators.
    pub async fn list_accounts(
        &self,
        actor: &Account,
        page: PageRequest,
    ) -> AppResult<Page<Account>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self.store.list_accounts(page).await?)
    }

    /// The account with this email (case-insensitive), for operators; `None` when there is
    /// none. One indexed lookup, whatever the number of accounts.
    pub async fn find_account_by_email(
        &self,
        actor: &Account,
        email: &Email,
    ) -> AppResult<Option<Account>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self.store.find_account_by_email(email).await?)
    }

    /// P1: per promise kind, how many were kept on time, kept late, are overdue now, and are
    /// pending.
    pub async fn promise_summary(&self, actor: &Account) -> AppResult<Vec<PromiseSummary>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self.store.summarize_promises(self.now()).await?)
    }

    /// P1: the promises the summary counts as overdue now, of one kind or all, most overdue
    /// first (due time, then id), each with the registration it is owed to.
    pub async fn overdue_promises(
        &self,
        actor: &Account,
        kind: Option<PromiseKind>,
        page: PageRequest,
    ) -> AppResult<Page<OverduePromise>> {
        require(actor.has_role(Role::Admin))?;
        Ok(self
            .store
            .list_overdue_promises(kind, self.now(), page)
            .await?)
    }
}
