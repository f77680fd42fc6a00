//! O12: the official channel's reschedule and retake applications, for the authorised
//! institutions' staff who operate them — read-only, each with the rule that decided it and
//! the instants it decided on, computed by the functions that enforce O7 and O8. The data is
//! there for that service only: it is never exported, and staff of no institution see nothing.

use certdesk_domain::rules::{
    reschedule_deadline, reschedule_latest_start, retake_apply_deadline, retake_latest_start,
};
use certdesk_store::{Account, OfficialApplication};
use jiff::Timestamp;

use crate::App;
use crate::error::AppResult;

/// The most applications one listing shows.
const LIST_LIMIT: u32 = 200;

/// One application with its rule's decision and inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationView {
    pub application: OfficialApplication,
    /// `O7` or `O8`.
    pub rule: &'static str,
    /// It was applied for before this instant (exclusive, T4).
    pub apply_before: Timestamp,
    /// Its target sitting had to start no later than this.
    pub latest_start: Timestamp,
    /// Both held when it was granted (a stored application always was; recomputed here so
    /// staff see the rule's own answer).
    pub allowed: bool,
}

impl App {
    /// O12: the official channel's applications, newest first (at most 200), for institution
    /// staff and operators; `forbidden` for anyone else.
    pub async fn official_applications(&self, actor: &Account) -> AppResult<Vec<ApplicationView>> {
        super::acting_for(actor)?;
        let listed = self.store.list_official_applications(LIST_LIMIT).await?;
        Ok(listed
            .into_iter()
            .map(|a| {
                let (rule, apply_before, latest_start) = if a.kind == "retake" {
                    (
                        "O8",
                        retake_apply_deadline(a.to_starts_at, &self.policy),
                        retake_latest_start(a.original_starts_at, &self.policy),
                    )
                } else {
                    (
                        "O7",
                        reschedule_deadline(a.from_starts_at, &self.policy),
                        reschedule_latest_start(a.original_starts_at, &self.policy),
                    )
                };
                let allowed = a.at < apply_before && a.to_starts_at <= latest_start;
                ApplicationView {
                    application: a,
                    rule,
                    apply_before,
                    latest_start,
                    allowed,
                }
            })
            .collect())
    }
}
