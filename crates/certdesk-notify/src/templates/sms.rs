//! SMS (Tencent Cloud `TemplateParamSet`): the parameters of each kind's approved template,
//! in order. The template text lives with the vendor; what each kind's template must say,
//! and with which parameters, is in the crate README.

use certdesk_domain::Locale;

use super::fields::{clip, name, pick, when};
use crate::message::Message;

/// Longest parameter we send: the vendor refuses longer variables in most template types.
const MAX_PARAM: usize = 20;

/// The template parameters for `message`, in `locale`.
pub fn sms_params(message: &Message, locale: Locale) -> Vec<String> {
    let params = match message {
        Message::Welcome | Message::IdentityVerified | Message::IdentityPending => Vec::new(),
        Message::IdentityRejected { reason } => vec![reason.trim().to_owned()],
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
            name(certification, locale),
            city.clone(),
            when(*exam_starts_at, locale),
        ],
        Message::AdmissionTicketIssued {
            number,
            venue_name,
            seat,
            exam_starts_at,
            ..
        } => vec![
            number.clone(),
            venue_name.clone(),
            seat.to_string(),
            when(*exam_starts_at, locale),
        ],
        Message::ResultReleased {
            certification,
            score,
            passed,
        } => vec![
            name(certification, locale),
            match score {
                Some(points) => points.to_string(),
                None => pick(locale, "缺考", "absent"),
            },
            if *passed {
                pick(locale, "通过", "passed")
            } else {
                pick(locale, "未通过", "not passed")
            },
        ],
        Message::CertificateIssued {
            certification,
            number,
            ..
        } => vec![name(certification, locale), number.clone()],
        Message::PaperCertificateShipped {
            carrier,
            tracking_number,
            ..
        } => vec![carrier.clone(), tracking_number.clone()],
        Message::RefundCompleted {
            certification,
            cash,
            gift,
            ..
        } => vec![
            name(certification, locale),
            cash.to_string(),
            gift.to_string(),
        ],
        Message::CreditReceived { amount, .. } | Message::TopUpReceived { amount } => {
            vec![amount.to_string()]
        }
        Message::VoucherReceived {
            face_value,
            expires_at,
            ..
        } => vec![face_value.to_string(), when(*expires_at, locale)],
        Message::SupportTicketAnswered { subject, .. }
        | Message::SupportTicketUpdated { subject, .. }
        | Message::SupportTicketOpened { subject, .. } => vec![subject.clone()],
        // I4: the management link is too long for a template variable; the email has it.
        Message::InstitutionRegistered {
            certification,
            institution,
            ..
        } => vec![name(certification, locale), institution.hotline.clone()],
        Message::AppointmentBooked {
            certification,
            centre_name,
            exam_starts_at,
            ..
        } => vec![
            name(certification, locale),
            centre_name.clone(),
            when(*exam_starts_at, locale),
        ],
    };
    params.iter().map(|p| clip(p, MAX_PARAM)).collect()
}
