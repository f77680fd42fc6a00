//! A results CSV: bytes decoded (UTF-8 with or without BOM; anything else is GB18030, as
//! Excel in China saves it), CRLF or LF, a header of `registration_id` (or `ticket_number`),
//! `score`, `absent` — names trimmed, any case — then one line per registration. Trailing
//! empty lines are allowed; an empty line in between is an error. Fields may be quoted
//! (`"85"`, `""` for a quote); quoted fields do not span lines.

use std::borrow::Cow;

use super::{
    KeyColumn, LineError, ParsedResults, ResultKey, ResultLine, Score, invalid_absent, outcome,
    parse_registration_id, parse_ticket_number,
};
use crate::refusal::{ErrorCode, LocalizedText, Refusal};

/// The upload as text. Valid UTF-8 is UTF-8; anything else is decoded as GB18030 (a UTF-16
/// file with its BOM is recognised too). A leading BOM — UTF-8's, or GB18030's own — is
/// dropped. Bytes GB18030 cannot read become U+FFFD, which then fails its line: never a panic,
/// never a silent guess (E2).
pub fn decode_upload(bytes: &[u8]) -> Cow<'_, str> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    };
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('\u{FEFF}').unwrap_or(s)),
        Cow::Owned(s) => match s.strip_prefix('\u{FEFF}') {
            Some(rest) => Cow::Owned(rest.to_owned()),
            None => Cow::Owned(s),
        },
    }
}

/// The fields of one line, trimmed; `None` when a quote is not closed or text follows a
/// closing quote.
fn fields(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
            chars.next();
        }
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
            while chars.peek().is_some_and(|c| *c == ' ' || *c == '\t') {
                chars.next();
            }
            if chars.peek().is_some_and(|c| *c != ',') {
                return None;
            }
        } else {
            while let Some(c) = chars.peek().copied().filter(|c| *c != ',') {
                chars.next();
                field.push(c);
            }
        }
        out.push(field.trim().to_owned());
        if chars.next().is_none() {
            return Some(out);
        }
    }
}

/// Excel writes empty cells of formatted columns as trailing commas: they are dropped.
fn without_trailing_empty(mut f: Vec<String>) -> Vec<String> {
    while f.len() > 3 && f.last().is_some_and(String::is_empty) {
        f.pop();
    }
    f
}

fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c == ',' || c.is_whitespace())
}

fn line_error(detail: LocalizedText) -> Refusal {
    Refusal::new(ErrorCode::InvalidCsvLine).detail(detail)
}

fn header(line: &str) -> Result<KeyColumn, Refusal> {
    let names = fields(line)
        .map(without_trailing_empty)
        .unwrap_or_default()
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect::<Vec<_>>();
    let key = match names.first().map(String::as_str) {
        Some("registration_id") => KeyColumn::RegistrationId,
        Some("ticket_number") => KeyColumn::TicketNumber,
        _ => return Err(Refusal::new(ErrorCode::InvalidCsvHeader)),
    };
    if names.len() != 3 || names[1] != "score" || names[2] != "absent" {
        return Err(Refusal::new(ErrorCode::InvalidCsvHeader));
    }
    Ok(key)
}

/// One data line: key, score, absent.
fn line(key: KeyColumn, number: usize, text: &str) -> Result<ResultLine, Refusal> {
    let f = fields(text).map(without_trailing_empty).ok_or_else(|| {
        line_error(LocalizedText::fixed(
            "引号未闭合，或闭合引号后还有内容。",
            "A quote is not closed, or text follows a closing quote.",
        ))
    })?;
    if f.len() != 3 {
        return Err(line_error(LocalizedText::new(
            format!("应有 3 列，实际为 {} 列。", f.len()),
            format!("Expected 3 columns, found {}.", f.len()),
        )));
    }
    let key = match key {
        KeyColumn::RegistrationId => ResultKey::Registration(parse_registration_id(&f[0])?),
        KeyColumn::TicketNumber => ResultKey::Ticket(parse_ticket_number(&f[0])?),
    };
    let absent = match f[2].to_ascii_lowercase().as_str() {
        "true" => true,
        "false" => false,
        _ => return Err(invalid_absent()),
    };
    let score = (!f[1].is_empty()).then(|| Score::parse(&f[1]).ok_or(()));
    Ok(ResultLine {
        line: number,
        key,
        outcome: outcome(absent, score)?,
    })
}

/// Reads a decoded results CSV. A wrong header is the only error then (line 1): the other
/// lines cannot be read without it. Otherwise every line is read and every bad one reported.
pub fn parse_csv(text: &str) -> ParsedResults {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let header_error = |refusal| ParsedResults {
        lines: Vec::new(),
        errors: vec![LineError { line: 1, refusal }],
    };
    let Some(last) = lines.iter().rposition(|l| !is_blank(l)) else {
        return header_error(Refusal::new(ErrorCode::InvalidCsvHeader));
    };
    let key = match header(lines[0]) {
        Ok(key) => key,
        Err(refusal) => return header_error(refusal),
    };
    let mut parsed = ParsedResults::default();
    for (i, text) in lines.iter().enumerate().take(last + 1).skip(1) {
        let number = i + 1;
        if is_blank(text) {
            parsed.errors.push(LineError {
                line: number,
                refusal: line_error(LocalizedText::fixed(
                    "空行（仅文件末尾允许空行）。",
                    "An empty line (allowed only at the end of the file).",
                )),
            });
            continue;
        }
        match line(key, number, text) {
            Ok(l) => parsed.lines.push(l),
            Err(refusal) => parsed.errors.push(LineError {
                line: number,
                refusal,
            }),
        }
    }
    parsed
}
