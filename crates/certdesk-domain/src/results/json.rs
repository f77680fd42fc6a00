//! A results JSON list: `[{registration_id or ticket_number, score?, absent?}, …]`, each item
//! read on its own so one wrong type refuses its item (numbered from 1), not the request.
//! `absent` defaults to false; `score` null is no score.

use serde_json::Value;

use super::{
    LineError, ParsedResults, ResultKey, ResultLine, Score, invalid_absent, outcome,
    parse_ticket_number,
};
use crate::ids::RegistrationId;
use crate::refusal::{ErrorCode, LocalizedText, Refusal};

fn invalid(field: &str, zh: &'static str, en: &'static str) -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .field(field)
        .detail(LocalizedText::fixed(zh, en))
}

fn key(item: &serde_json::Map<String, Value>) -> Result<ResultKey, Refusal> {
    let id = item.get("registration_id").filter(|v| !v.is_null());
    let ticket = item.get("ticket_number").filter(|v| !v.is_null());
    match (id, ticket) {
        (Some(_), Some(_)) => Err(invalid(
            "registration_id",
            "registration_id 与 ticket_number 只能填写其一。",
            "Give registration_id or ticket_number, not both.",
        )),
        (Some(id), None) => match id.as_i64().filter(|i| *i > 0) {
            Some(i) => Ok(ResultKey::Registration(RegistrationId(i))),
            None => Err(invalid(
                "registration_id",
                "报名编号须为正整数。",
                "A registration id is a positive whole number.",
            )),
        },
        (None, Some(Value::String(t))) => Ok(ResultKey::Ticket(parse_ticket_number(t)?)),
        (None, Some(_)) => Err(invalid(
            "ticket_number",
            "准考证号须为字符串。",
            "A ticket number is a string.",
        )),
        (None, None) => Err(invalid(
            "registration_id",
            "请填写 registration_id 或 ticket_number。",
            "Give registration_id or ticket_number.",
        )),
    }
}

fn item(number: usize, value: &Value) -> Result<ResultLine, Refusal> {
    let Some(object) = value.as_object() else {
        return Err(
            Refusal::new(ErrorCode::InvalidCsvLine).detail(LocalizedText::fixed(
                "每一项须为对象。",
                "Each item must be an object.",
            )),
        );
    };
    let key = key(object)?;
    let absent = match object.get("absent") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(invalid_absent()),
    };
    let score = match object.get("score") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().and_then(Score::new).ok_or(())),
    };
    Ok(ResultLine {
        line: number,
        key,
        outcome: outcome(absent, score)?,
    })
}

/// Reads the items of a JSON import; item `i` (0-based) is line `i + 1`.
pub fn parse_json_items(items: &[Value]) -> ParsedResults {
    let mut parsed = ParsedResults::default();
    for (i, value) in items.iter().enumerate() {
        match item(i + 1, value) {
            Ok(l) => parsed.lines.push(l),
            Err(refusal) => parsed.errors.push(LineError {
                line: i + 1,
                refusal,
            }),
        }
    }
    parsed
}
