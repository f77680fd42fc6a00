//! Results imports (O6): the JSON request, and the answer both kinds of upload share.

use certdesk_app::ImportOutcome;
use certdesk_domain::Locale;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ErrorBody, ErrorDetail};

/// One result of a JSON import: `registration_id` or `ticket_number` (not both), then
/// `score` (0–100, omitted or null when absent) and `absent` (default false).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct ResultItem {
    pub registration_id: Option<i64>,
    /// An admission ticket's number (O4).
    pub ticket_number: Option<String>,
    #[schema(minimum = 0, maximum = 100)]
    pub score: Option<u32>,
    pub absent: Option<bool>,
}

/// `POST /api/v1/admin/results` as JSON. Items are read one by one, so a wrong type refuses
/// its item (as a rejected line), not the request: the schema says so (any item), and
/// `ResultItem` describes the shape an item is read as.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ResultsBody {
    /// Each a `ResultItem`; an item of another shape is answered as a rejected line (200).
    #[schema(value_type = Vec<Value>)]
    pub results: Vec<serde_json::Value>,
}

/// A refused line: its number and why, as an E1 error object (`code` is stable:
/// `invalid_csv_header`, `invalid_csv_line`, `invalid_field`, `unknown_registration`,
/// `unknown_ticket_number`, `duplicate_result`, `invalid_score`, `score_with_absent`,
/// `score_missing`, `invalid_absent`, `registration_cancelled`, `registration_not_official`,
/// `exam_not_ended` (with the exam's end as `deadline`), `result_already_recorded`,
/// `results_changed`; `message` in the request's language).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RejectedLineDto {
    /// The file's line, the header being line 1; in a JSON import the 1-based item index.
    pub line: usize,
    pub error: ErrorDetail,
}

/// The answer to a well-formed upload: `accepted` results stored and `rejected` empty, or
/// `accepted` 0 and every bad line (nothing stored: a file is all or nothing).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ImportDto {
    pub accepted: usize,
    pub rejected: Vec<RejectedLineDto>,
}

impl ImportDto {
    pub(crate) fn new(outcome: &ImportOutcome, locale: Locale) -> ImportDto {
        ImportDto {
            accepted: outcome.accepted,
            rejected: outcome
                .rejected
                .iter()
                .map(|e| RejectedLineDto {
                    line: e.line,
                    error: ErrorBody::new(&e.refusal, locale).error,
                })
                .collect(),
        }
    }
}

/// A released result (API.md: `{score, passed, released_at}`; `absent` added).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ResultDto {
    /// Points out of 100; null when absent.
    pub score: Option<u32>,
    pub passed: bool,
    pub absent: bool,
    #[schema(format = DateTime)]
    pub released_at: String,
}

impl ResultDto {
    pub(crate) fn new(r: &certdesk_store::ExamResult) -> ResultDto {
        ResultDto {
            score: r.score.map(|s| s.get()),
            passed: r.passed,
            absent: r.absent,
            released_at: super::rfc3339(r.released_at),
        }
    }
}
