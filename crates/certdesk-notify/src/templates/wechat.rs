//! WeChat template messages: each kind's template keywords (`thing1`, `time2`, …) with their
//! values. A template's keywords are fixed when the operator picks it in the official
//! account's console; the crate README lists the ones each kind expects.

use certdesk_domain::Locale;

use super::fields::{clip, name, pick, when};
use crate::message::Message;

/// `thing` keywords take at most 20 characters, `character_string` 32 (WeChat's limits).
const THING: usize = 20;
const CHARACTER_STRING: usize = 32;

fn thing(key: &str, value: String) -> (String, String) {
    (key.to_owned(), clip(&value, THING))
}

fn code(key: &str, value: String) -> (String, String) {
    (key.to_owned(), clip(&value, CHARACTER_STRING))
}

/// The template data for `message`, in `locale`: the title first (`thing1`), then the facts.
pub fn wechat_data(message: &Message, locale: Locale) -> Vec<(String, String)> {
    let rendered = message.render();
    let title = pick(locale, &rendered.title_zh, &rendered.title_en);
    let mut data = vec![thing("thing1", title)];
    data.extend(match message {
        Message::Welcome | Message::IdentityVerified | Message::IdentityPending => Vec::new(),
        Message::IdentityRejected { reason } => vec![thing("thing2", reason.trim().to_owned())],
        Message::RegistrationConfirmed {
            certification,
            city,
            exam_starts_at,
            ..
        }
        | Message::RetakeRegistered {
            certification,
            city,
            exam_starts_at,
        }
        | Message::RegistrationRescheduled {
            certification,
            city,
            exam_starts_at,
            ..
        } => vec![
            thing("thing2", name(certification, locale)),
            ("time3".to_owned(), when(*exam_starts_at, locale)),
            thing("thing4", city.clone()),
        ],
        Message::AdmissionTicketIssued {
            certification,
            number,
            venue_name,
            exam_starts_at,
            ..
        } => vec![
            thing("thing2", name(certification, locale)),
            ("time3".to_owned(), when(*exam_starts_at, locale)),
            thing("thing4", venue_name.clone()),
            code("character_string5", number.clone()),
        ],
        Message::ResultReleased {
            certification,
            score,
            passed,
        } => vec![
            thing("thing2", name(certification, locale)),
            thing(
                "thing3",
                match (score, passed) {
                    (None, _) => pick(locale, "缺考", "Absent"),
                    (Some(p), true) => {
                        pick(locale, &format!("{p} 分，通过"), &format!("{p}, passed"))
                    }
                    (Some(p), false) => pick(
                        locale,
                        &format!("{p} 分，未通过"),
                        &format!("{p}, not passed"),
                    ),
                },
            ),
        ],
        Message::CertificateIssued {
            certification,
            number,
            expires_at,
            ..
        } => vec![
            thing("thing2", name(certification, locale)),
            code("character_string3", number.clone()),
            ("time4".to_owned(), when(*expires_at, locale)),
        ],
        Message::PaperCertificateShipped {
            carrier,
            tracking_number,
            ..
        } => vec![
            thing("thing2", carrier.clone()),
            code("character_string3", tracking_number.clone()),
        ],
        Message::RefundCompleted {
            certification,
            cash,
            gift,
            ..
        } => vec![
            thing("thing2", name(certification, locale)),
            ("amount3".to_owned(), cash.to_string()),
            ("amount4".to_owned(), gift.to_string()),
        ],
        Message::CreditReceived { amount, .. } | Message::TopUpReceived { amount } => {
            vec![("amount2".to_owned(), amount.to_string())]
        }
        Message::VoucherReceived {
            face_value,
            expires_at,
            ..
        } => vec![
            ("amount2".to_owned(), face_value.to_string()),
            ("time3".to_owned(), when(*expires_at, locale)),
        ],
        Message::SupportTicketAnswered { ticket_id, subject }
        | Message::SupportTicketUpdated { ticket_id, subject }
        | Message::SupportTicketOpened { ticket_id, subject } => vec![
            thing("thing2", subject.clone()),
            code("character_string3", ticket_id.to_string()),
        ],
        Message::InstitutionRegistered {
            certification,
            institution,
            ..
        } => vec![
            thing("thing2", name(certification, locale)),
            thing("thing3", institution.name.clone()),
            code("character_string4", institution.hotline.clone()),
        ],
        Message::AppointmentBooked {
            certification,
            centre_name,
            exam_starts_at,
            ..
        } => vec![
            thing("thing2", name(certification, locale)),
            ("time3".to_owned(), when(*exam_starts_at, locale)),
            thing("thing4", centre_name.clone()),
        ],
    });
    data
}
