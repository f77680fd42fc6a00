//! Sample data for every notice kind: operators preview each kind's text on each channel
//! before a candidate ever receives it.

use certdesk_domain::{Balance, Fen, VoucherCode};
use jiff::Timestamp;

use crate::message::{CertificationNames, Message};
use crate::site::Site;

fn at(text: &str) -> Timestamp {
    text.parse().expect("a sample instant")
}

/// `(kind, message)` for every kind, in the order of `notice::KINDS`.
pub fn samples(site: &Site) -> Vec<(&'static str, Message)> {
    let cert = CertificationNames {
        zh: "云计算架构师（专业级）".into(),
        en: "Cloud Architect (Professional)".into(),
    };
    let exam = at("2027-03-20T01:00:00Z");
    vec![
        ("welcome", Message::Welcome),
        ("identity_verified", Message::IdentityVerified),
        ("identity_pending", Message::IdentityPending),
        (
            "identity_rejected",
            Message::IdentityRejected {
                reason: "身份证号码与姓名不一致".into(),
            },
        ),
        (
            "registration_confirmed",
            Message::RegistrationConfirmed {
                certification: cert.clone(),
                city: "深圳".into(),
                exam_starts_at: exam,
                total: Fen::literal(80_000),
            },
        ),
        (
            "refund_completed",
            Message::RefundCompleted {
                certification: cert.clone(),
                cash: Fen::literal(60_000),
                gift: Fen::literal(10_000),
                voucher_forfeited: Fen::literal(10_000),
            },
        ),
        (
            "registration_rescheduled",
            Message::RegistrationRescheduled {
                certification: cert.clone(),
                from_city: "深圳".into(),
                from_starts_at: exam,
                city: "广州".into(),
                exam_starts_at: at("2027-04-17T01:00:00Z"),
            },
        ),
        (
            "retake_registered",
            Message::RetakeRegistered {
                certification: cert.clone(),
                city: "深圳".into(),
                exam_starts_at: at("2027-05-15T01:00:00Z"),
            },
        ),
        (
            "credit_received",
            Message::CreditReceived {
                balance: Balance::Gift,
                amount: Fen::literal(10_000),
                reason: "新用户活动赠送".into(),
            },
        ),
        (
            "voucher_received",
            Message::VoucherReceived {
                code: VoucherCode::parse("CD-7K3M-Q9XA").expect("a sample code"),
                face_value: Fen::literal(5_000),
                min_spend: Fen::literal(50_000),
                expires_at: at("2027-06-30T15:59:00Z"),
            },
        ),
        (
            "top_up_received",
            Message::TopUpReceived {
                amount: Fen::literal(100_000),
            },
        ),
        (
            "result_released",
            Message::ResultReleased {
                certification: cert.clone(),
                score: Some(82),
                passed: true,
            },
        ),
        (
            "admission_ticket_issued",
            Message::AdmissionTicketIssued {
                certification: cert.clone(),
                number: "T2027000120000158".into(),
                venue_name: "深圳南山考点".into(),
                venue_address: "深圳市南山区科技园科苑路 15 号".into(),
                seat: 23,
                exam_starts_at: exam,
            },
        ),
        (
            "certificate_issued",
            Message::CertificateIssued {
                certification: cert.clone(),
                number: "TC4821093375160".into(),
                expires_at: at("2030-03-27T01:00:00Z"),
                verify_url: site.verify_url("TC4821093375160"),
            },
        ),
        (
            "paper_certificate_shipped",
            Message::PaperCertificateShipped {
                certification: cert.clone(),
                carrier: "顺丰速运".into(),
                tracking_number: "SF1234567890123".into(),
            },
        ),
        (
            "support_ticket_answered",
            Message::SupportTicketAnswered {
                ticket_id: 42,
                subject: "改期后准考证没有更新".into(),
            },
        ),
        (
            "support_ticket_updated",
            Message::SupportTicketUpdated {
                ticket_id: 42,
                subject: "改期后准考证没有更新".into(),
            },
        ),
        (
            "support_ticket_opened",
            Message::SupportTicketOpened {
                ticket_id: 42,
                subject: "改期后准考证没有更新".into(),
            },
        ),
        (
            "institution_registered",
            Message::InstitutionRegistered {
                certification: cert.clone(),
                institution: sample_institution(),
                manage_url: site.url("/manage/8.3f9c2a7d1e4b6a0c5d8e7f9a1b2c3d4e"),
            },
        ),
        (
            "appointment_booked",
            Message::AppointmentBooked {
                certification: cert,
                centre_name: "深圳福田授权考点".into(),
                centre_address: "深圳市福田区深南大道 6008 号 12 层".into(),
                exam_starts_at: exam,
                institution: sample_institution(),
                manage_url: site.url("/manage/8.3f9c2a7d1e4b6a0c5d8e7f9a1b2c3d4e"),
            },
        ),
    ]
}

fn sample_institution() -> crate::message::InstitutionContact {
    crate::message::InstitutionContact {
        name: "华南云计算培训中心".into(),
        hotline: "0755-8888 6666".into(),
        email: "exam@huanan-cloud.example.cn".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::KINDS;

    #[test]
    fn every_kind_has_a_sample_in_order() {
        let kinds: Vec<&str> = samples(&Site::new("https://x.cn"))
            .iter()
            .map(|(k, _)| *k)
            .collect();
        assert_eq!(kinds, KINDS);
    }
}
