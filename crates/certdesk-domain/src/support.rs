//! O11: support tickets (工单) — what a ticket is about, its subject and messages as parsed
//! values, and how a reply moves its status. The rules are plain functions; the store only
//! records what they decided.

use crate::named_enum::named_enum;
use crate::refusal::{ErrorCode, LocalizedText, Refusal};

named_enum! {
    /// Where a support ticket stands (API: `status`).
    SupportTicketStatus {
        /// Waiting for an operator: new, or the candidate wrote last.
        Open => "open", "处理中", "Open";
        /// An operator answered and waits for the candidate.
        WaitingForCandidate => "waiting_for_candidate", "待考生回复", "Waiting for the candidate";
        /// An operator considers it answered; the candidate may still reply (it reopens).
        Resolved => "resolved", "已解决", "Resolved";
        /// Finished: no more replies on either side.
        Closed => "closed", "已关闭", "Closed";
    }
}

named_enum! {
    /// What a support ticket is about (API: `category`).
    SupportCategory {
        Registration => "registration", "报名与考期", "Registration and sittings";
        PaymentRefund => "payment_refund", "缴费与退款", "Payments and refunds";
        ExamDay => "exam_day", "考试当天", "Exam day";
        ResultsCertificate => "results_certificate", "成绩与证书", "Results and certificates";
        AccountIdentity => "account_identity", "账号与实名认证", "Account and identity";
        Other => "other", "其他", "Other";
    }
}

named_enum! {
    /// Who wrote a ticket's message.
    SupportSide {
        Candidate => "candidate", "考生", "Candidate";
        Operator => "operator", "客服", "Support";
    }
}

impl SupportTicketStatus {
    /// The operators' queue order: what waits for them first.
    pub fn queue_rank(self) -> u8 {
        match self {
            SupportTicketStatus::Open => 0,
            SupportTicketStatus::WaitingForCandidate => 1,
            SupportTicketStatus::Resolved => 2,
            SupportTicketStatus::Closed => 3,
        }
    }
}

fn invalid(field: &'static str, zh: &'static str, en: &'static str) -> Refusal {
    Refusal::new(ErrorCode::InvalidField)
        .field(field)
        .detail(LocalizedText::fixed(zh, en))
}

/// Trimmed text of 1..=`max` characters; `multiline` allows line breaks and tabs.
fn text(
    value: &str,
    field: &'static str,
    max: usize,
    too_long: LocalizedText,
    multiline: bool,
) -> Result<String, Refusal> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(field, "请填写此项。", "This field is empty."));
    }
    if v.chars().count() > max {
        return Err(Refusal::new(ErrorCode::InvalidField)
            .field(field)
            .detail(too_long));
    }
    let allowed = |c: char| !c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t'));
    if !v.chars().all(allowed) {
        return Err(invalid(
            field,
            "内容含有无效字符。",
            "This has invalid characters.",
        ));
    }
    Ok(v.to_owned())
}

/// A ticket's subject: one line, 1–100 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketSubject(String);

impl TicketSubject {
    pub const MAX_CHARS: usize = 100;

    /// `invalid_field` naming `subject` when empty, too long or holding control characters.
    pub fn parse(value: &str) -> Result<TicketSubject, Refusal> {
        const TOO_LONG: LocalizedText = LocalizedText::fixed(
            "标题最多 100 个字。",
            "The subject has at most 100 characters.",
        );
        text(value, "subject", Self::MAX_CHARS, TOO_LONG, false).map(TicketSubject)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One message of a ticket: 1–5000 characters after trimming; line breaks kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketBody(String);

impl TicketBody {
    pub const MAX_CHARS: usize = 5000;

    /// `invalid_field` naming `message` when empty, too long or holding control characters
    /// other than line breaks and tabs.
    pub fn parse(value: &str) -> Result<TicketBody, Refusal> {
        const TOO_LONG: LocalizedText = LocalizedText::fixed(
            "内容最多 5000 个字。",
            "The message has at most 5000 characters.",
        );
        text(value, "message", Self::MAX_CHARS, TOO_LONG, true).map(TicketBody)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn closed() -> Refusal {
    Refusal::new(ErrorCode::TicketClosed).rule("O11")
}

/// O11: a candidate's reply puts the ticket back in the operators' hands (`open`), whatever an
/// operator had set; a closed ticket takes no reply (`ticket_closed`).
pub fn after_candidate_reply(status: SupportTicketStatus) -> Result<SupportTicketStatus, Refusal> {
    match status {
        SupportTicketStatus::Closed => Err(closed()),
        _ => Ok(SupportTicketStatus::Open),
    }
}

/// O11: an operator's reply waits for the candidate unless the operator names another status
/// (resolved, closed, or open to keep it in the queue); a closed ticket takes no reply.
pub fn after_operator_reply(
    status: SupportTicketStatus,
    requested: Option<SupportTicketStatus>,
) -> Result<SupportTicketStatus, Refusal> {
    match status {
        SupportTicketStatus::Closed => Err(closed()),
        _ => Ok(requested.unwrap_or(SupportTicketStatus::WaitingForCandidate)),
    }
}

/// O11: a candidate may close their own ticket at any time before it is closed.
pub fn candidate_close(status: SupportTicketStatus) -> Result<SupportTicketStatus, Refusal> {
    match status {
        SupportTicketStatus::Closed => Err(closed()),
        _ => Ok(SupportTicketStatus::Closed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SupportTicketStatus::*;

    #[test]
    fn o11_subject_is_trimmed_and_one_to_a_hundred_characters() {
        assert_eq!(TicketSubject::parse("  发票 ").unwrap().as_str(), "发票");
        assert_eq!(
            TicketSubject::parse(&"考".repeat(100)).unwrap().as_str(),
            "考".repeat(100)
        );
        for bad in ["", "   ", &"考".repeat(101), "a\nb"] {
            let e = TicketSubject::parse(bad).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::InvalidField, Some("subject")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn o11_message_is_one_to_five_thousand_characters_with_line_breaks() {
        assert_eq!(
            TicketBody::parse(" 第一行\n第二行 ").unwrap().as_str(),
            "第一行\n第二行"
        );
        assert!(TicketBody::parse(&"a".repeat(5000)).is_ok());
        for bad in ["", "\n\t ", &"a".repeat(5001), "bell\u{7}"] {
            let e = TicketBody::parse(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("message"), "{bad:?}");
        }
    }

    #[test]
    fn o11_candidate_reply_reopens_and_closed_refuses() {
        for s in [Open, WaitingForCandidate, Resolved] {
            assert_eq!(after_candidate_reply(s).unwrap(), Open, "{s}");
        }
        let e = after_candidate_reply(Closed).unwrap_err();
        assert_eq!((e.code, e.rule), (ErrorCode::TicketClosed, Some("O11")));
        assert_eq!(e.kind(), crate::ErrorKind::Refused);
    }

    #[test]
    fn o11_operator_reply_waits_for_candidate_unless_told_otherwise() {
        for s in [Open, WaitingForCandidate, Resolved] {
            assert_eq!(after_operator_reply(s, None).unwrap(), WaitingForCandidate);
            for to in SupportTicketStatus::ALL {
                assert_eq!(after_operator_reply(s, Some(*to)).unwrap(), *to);
            }
        }
        assert_eq!(
            after_operator_reply(Closed, Some(Open)).unwrap_err().code,
            ErrorCode::TicketClosed
        );
    }

    #[test]
    fn o11_candidate_closes_once() {
        for s in [Open, WaitingForCandidate, Resolved] {
            assert_eq!(candidate_close(s).unwrap(), Closed);
        }
        assert_eq!(
            candidate_close(Closed).unwrap_err().code,
            ErrorCode::TicketClosed
        );
    }

    #[test]
    fn names_round_trip_and_open_tickets_rank_first() {
        for c in SupportCategory::ALL {
            assert_eq!(c.as_str().parse::<SupportCategory>().unwrap(), *c);
        }
        assert!("billing".parse::<SupportCategory>().is_err());
        let mut ranks: Vec<u8> = SupportTicketStatus::ALL
            .iter()
            .map(|s| s.queue_rank())
            .collect();
        assert_eq!(ranks[0], 0);
        ranks.dedup();
        assert_eq!(ranks.len(), 4);
    }
}
