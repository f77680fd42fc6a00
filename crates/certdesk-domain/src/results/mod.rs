//! O6's score and P1: exam results as operators upload them — a CSV file (`csv`) or a JSON list
//! (`json`) parsed into lines, then each line checked against its registration
//! ([`ParsedResults::validate`]). A file is all or nothing, so every bad line is reported with
//! its line number (the CSV header is line 1; in a JSON list, the 1-based item index).

mod csv;
mod json;
#[cfg(test)]
mod tests;

pub use csv::{decode_upload, parse_csv};
pub use json::parse_json_items;

use std::collections::HashMap;

use jiff::Timestamp;

use crate::ids::RegistrationId;
use crate::order::{Channel, RegistrationStatus};
use crate::refusal::{ErrorCode, LocalizedText, Refusal};
use crate::ticket::TicketNumber;

/// O6: points out of 100, a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

impl Score {
    pub const MAX: u32 = 100;

    /// 0..=100, or `None`.
    pub fn new(points: u64) -> Option<Score> {
        u8::try_from(points)
            .ok()
            .filter(|p| u32::from(*p) <= Self::MAX)
            .map(Score)
    }

    /// ASCII digits only (`085` is 85; `+85`, `85.0`, `８５` are not scores).
    fn parse(text: &str) -> Option<Score> {
        if text.is_empty() || text.len() > 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse::<u64>().ok().and_then(Score::new)
    }

    pub fn get(self) -> u32 {
        u32::from(self.0)
    }
}

/// O6: a score at or above the certification's pass mark passes.
pub fn passes(score: Score, pass_mark: u32) -> bool {
    score.get() >= pass_mark
}

/// What happened at the exam: sat it with a score, or did not come (缺考).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExamOutcome {
    Scored(Score),
    Absent,
}

impl ExamOutcome {
    pub fn score(self) -> Option<Score> {
        match self {
            ExamOutcome::Scored(s) => Some(s),
            ExamOutcome::Absent => None,
        }
    }

    /// O6: passed iff it has a score at or above `pass_mark`; an absentee never passes.
    pub fn passes(self, pass_mark: u32) -> bool {
        self.score().is_some_and(|s| passes(s, pass_mark))
    }

    /// The registration's status once this result is released.
    pub fn status(self, pass_mark: u32) -> RegistrationStatus {
        match self {
            ExamOutcome::Absent => RegistrationStatus::Absent,
            s if s.passes(pass_mark) => RegistrationStatus::Passed,
            ExamOutcome::Scored(_) => RegistrationStatus::Failed,
        }
    }
}

/// O4: an admission ticket's number (准考证号) as a results file names it: a
/// [`TicketNumber`] whose check digit holds, or `invalid_field` on `ticket_number`.
pub fn parse_ticket_number(text: &str) -> Result<TicketNumber, Refusal> {
    TicketNumber::parse(text).map_err(|_| {
        Refusal::new(ErrorCode::InvalidField)
            .field("ticket_number")
            .detail(LocalizedText::fixed(
                "准考证号须为 13 位以上的数字，且校验位正确。",
                "A ticket number has 13 or more digits and a matching check digit.",
            ))
    })
}

/// Which column names the registration: one per file (the CSV header says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyColumn {
    RegistrationId,
    TicketNumber,
}

impl KeyColumn {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyColumn::RegistrationId => "registration_id",
            KeyColumn::TicketNumber => "ticket_number",
        }
    }
}

/// How a line names its registration.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResultKey {
    Registration(RegistrationId),
    Ticket(TicketNumber),
}

/// A registration id: a positive whole number.
fn parse_registration_id(text: &str) -> Result<RegistrationId, Refusal> {
    let t = text.trim();
    match t.parse::<i64>() {
        Ok(id) if id > 0 && t.bytes().all(|b| b.is_ascii_digit()) => Ok(RegistrationId(id)),
        _ => Err(Refusal::new(ErrorCode::InvalidField)
            .field("registration_id")
            .detail(LocalizedText::fixed(
                "报名编号须为正整数。",
                "A registration id is a positive whole number.",
            ))),
    }
}

/// One well-formed line: which registration, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine {
    /// The file's line (header = 1) or the JSON item's 1-based index.
    pub line: usize,
    pub key: ResultKey,
    pub outcome: ExamOutcome,
}

/// A refused line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub refusal: Refusal,
}

/// A file read line by line: the lines that parsed and the errors of those that did not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedResults {
    pub lines: Vec<ResultLine>,
    pub errors: Vec<LineError>,
}

/// What a line's registration is, as the store reads it before the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultSubject {
    pub registration_id: RegistrationId,
    pub status: RegistrationStatus,
    pub channel: Channel,
    /// The end of its sitting; None for an institution registration with no appointment.
    pub exam_ends_at: Option<Timestamp>,
    /// O6: the certification's pass mark.
    pub pass_mark: u32,
    pub has_result: bool,
}

/// A line that may be stored: its registration and its result, pass or fail decided (O6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedResult {
    pub line: usize,
    pub registration_id: RegistrationId,
    pub outcome: ExamOutcome,
    pub passed: bool,
}

impl AcceptedResult {
    pub fn status(&self) -> RegistrationStatus {
        match (self.outcome, self.passed) {
            (ExamOutcome::Absent, _) => RegistrationStatus::Absent,
            (_, true) => RegistrationStatus::Passed,
            (_, false) => RegistrationStatus::Failed,
        }
    }
}

/// O6/I7: may `subject` get a result at `now`? Only a live registration without one, once its
/// exam has ended (T4: allowed iff `exam_ends_at <= now`); on the institution channel, one
/// with an appointment (`appointment_required` otherwise).
pub fn check_result(subject: &ResultSubject, now: Timestamp) -> Result<(), Refusal> {
    let refuse = |code| Refusal::new(code).rule("O6");
    if subject.status == RegistrationStatus::Cancelled {
        return Err(refuse(ErrorCode::RegistrationCancelled));
    }
    if subject.status == RegistrationStatus::AwaitingPayment {
        return Err(refuse(ErrorCode::PaymentPending));
    }
    if subject.has_result || !subject.status.is_live() {
        return Err(refuse(ErrorCode::ResultAlreadyRecorded));
    }
    let Some(exam_ends_at) = subject.exam_ends_at else {
        let rule = if subject.channel == Channel::Institution {
            "I3"
        } else {
            "O6"
        };
        return Err(Refusal::new(ErrorCode::AppointmentRequired).rule(rule));
    };
    if now < exam_ends_at {
        return Err(refuse(ErrorCode::ExamNotEnded).deadline(exam_ends_at));
    }
    Ok(())
}

/// The refusal of a line whose key names nothing.
pub fn unknown_key(key: &ResultKey) -> Refusal {
    match key {
        ResultKey::Registration(_) => {
            Refusal::new(ErrorCode::UnknownRegistration).field("registration_id")
        }
        ResultKey::Ticket(_) => Refusal::new(ErrorCode::UnknownTicketNumber).field("ticket_number"),
    }
}

impl ParsedResults {
    /// The keys to look up, in file order (duplicates included: the caller dedups if it likes).
    pub fn keys(&self) -> impl Iterator<Item = &ResultKey> {
        self.lines.iter().map(|l| &l.key)
    }

    /// Checks every line against its registration (`subject_of` answers `None` for a key that
    /// names nothing) at `now`: every line accepted, or every bad line refused, parse errors
    /// included, in line order. A registration named twice is refused on its later lines.
    pub fn validate<'a>(
        self,
        subject_of: impl Fn(&ResultKey) -> Option<&'a ResultSubject>,
        now: Timestamp,
    ) -> Result<Vec<AcceptedResult>, Vec<LineError>> {
        let mut errors = self.errors;
        let mut accepted = Vec::with_capacity(self.lines.len());
        let mut first_line: HashMap<RegistrationId, usize> = HashMap::new();
        for line in self.lines {
            let Some(subject) = subject_of(&line.key) else {
                errors.push(LineError {
                    line: line.line,
                    refusal: unknown_key(&line.key),
                });
                continue;
            };
            if let Some(first) = first_line.get(&subject.registration_id) {
                errors.push(LineError {
                    line: line.line,
                    refusal: duplicate(*first),
                });
                continue;
            }
            first_line.insert(subject.registration_id, line.line);
            match check_result(subject, now) {
                Ok(()) => accepted.push(AcceptedResult {
                    line: line.line,
                    registration_id: subject.registration_id,
                    outcome: line.outcome,
                    passed: line.outcome.passes(subject.pass_mark),
                }),
                Err(refusal) => errors.push(LineError {
                    line: line.line,
                    refusal,
                }),
            }
        }
        if errors.is_empty() {
            Ok(accepted)
        } else {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

fn duplicate(first: usize) -> Refusal {
    Refusal::new(ErrorCode::DuplicateResult).detail(LocalizedText::new(
        format!("首次出现在第 {first} 行。"),
        format!("It first appears on line {first}."),
    ))
}

/// What a line says after its key: `absent`, then the score it must (not) have.
fn outcome(absent: bool, score: Option<Result<Score, ()>>) -> Result<ExamOutcome, Refusal> {
    match (absent, score) {
        (true, None) => Ok(ExamOutcome::Absent),
        (true, Some(_)) => Err(Refusal::new(ErrorCode::ScoreWithAbsent).field("score")),
        (false, None) => Err(Refusal::new(ErrorCode::ScoreMissing).field("score")),
        (false, Some(Ok(s))) => Ok(ExamOutcome::Scored(s)),
        (false, Some(Err(()))) => Err(Refusal::new(ErrorCode::InvalidScore)
            .field("score")
            .rule("O6")),
    }
}

fn invalid_absent() -> Refusal {
    Refusal::new(ErrorCode::InvalidAbsent).field("absent")
}
