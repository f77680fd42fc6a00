//! O4: the admission ticket's exam as an iCalendar event (RFC 5545) for the holder's calendar:
//! CRLF line ends, content lines folded at 75 octets (never inside a UTF-8 character), times
//! in UTC (no VTIMEZONE needed), TEXT values escaped, and a UID and DTSTAMP taken from the
//! ticket so that downloading it again updates the same event instead of adding another.

use certdesk_domain::Locale;
use jiff::Timestamp;

use super::TicketDocument;
use super::when::exam_time;

/// RFC 5545 §3.1: a content line is at most 75 octets, CRLF excluded.
const FOLD_AT: usize = 75;

/// `2027-04-10T01:00:00Z` → `20270410T010000Z` (§3.3.5, form #2: UTC).
fn utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value (§3.3.11): backslash, semicolon, comma and newline escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded (§3.1): after at most 75 octets, CRLF and a space, then at most 74
/// more octets per continuation (the space counts), breaking only between characters.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > FOLD_AT {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

/// The calendar file of `ticket`.
pub(crate) fn render(ticket: &TicketDocument, issued_at: Timestamp) -> String {
    let zh_time = exam_time(ticket.starts_at, ticket.ends_at, Locale::ZhCn);
    let en_time = exam_time(ticket.starts_at, ticket.ends_at, Locale::En);
    let description = format!(
        "准考证号 Ticket number: {}\n考生 Candidate: {}\n认证 Certification: {} / {} ({})\n\
         考试时间 Exam time: {zh_time} / {en_time}\n考点 Venue: {} {}\n地址 Address: {}\n\
         座位号 Seat: {}\n请携带报名时使用的有效身份证件原件。Bring the original of the ID document you registered with.",
        ticket.number,
        ticket.holder_name,
        ticket.cert_name_zh,
        ticket.cert_name_en,
        ticket.cert_code,
        ticket.city,
        ticket.venue_name,
        ticket.venue_address,
        ticket.seat,
    );
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//certdesk//admission ticket//ZH".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:admission-ticket-{}@certdesk", ticket.number),
        format!("DTSTAMP:{}", utc(issued_at)),
        format!("DTSTART:{}", utc(ticket.starts_at)),
        format!("DTEND:{}", utc(ticket.ends_at)),
        format!(
            "SUMMARY:{}",
            text(&format!(
                "{}考试（准考证号 {}）",
                ticket.cert_name_zh, ticket.number
            ))
        ),
        format!(
            "LOCATION:{}",
            text(&format!(
                "{} {}，{}",
                ticket.city, ticket.venue_name, ticket.venue_address
            ))
        ),
        format!("DESCRIPTION:{}", text(&description)),
        "STATUS:CONFIRMED".to_owned(),
        "TRANSP:OPAQUE".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let mut out = String::new();
    for line in &lines {
        push_line(&mut out, line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "云计算技术认证".repeat(10));
        push_line(&mut out, &line);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= FOLD_AT, "{} octets: {l}", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
