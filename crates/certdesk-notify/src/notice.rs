//! What certdesk tells a candidate (O6, O5, O7, O8, O10, A4): the notice as a job carries it — ids and
//! what cannot be read back from the store — never its text. The text is rendered at send
//! time from the store ([`crate::resolve`], [`crate::message`]).

use certdesk_domain::{
    Balance, CertificateNumber, ExamPeriodId, Fen, OrderId, PaymentId, RegistrationId,
    SupportTicketId, VoucherCode,
};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One notice. Serialised into a job's payload as `{"notice": "identity_rejected", …}`; the
/// variants carry only what cannot be read back from the store when the job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// A new account was created.
    Welcome,
    /// A4: real-name verification passed (at once, or approved by an operator).
    IdentityVerified,
    /// A4: the submission awaits an operator's review.
    IdentityPending,
    /// A4: an operator rejected the submission, with a reason the candidate must read.
    IdentityRejected { reason: String },
    /// O5/O6: a registration was paid (the confirmation that keeps the P1 promise). The
    /// registration's id does not exist yet when the job is built inside
    /// `commit_paid_registration`, so the notice names the period and the payment instant; the
    /// channel finds the recipient's registration of that period paid then.
    RegistrationConfirmed {
        period_id: ExamPeriodId,
        paid_at: Timestamp,
    },
    /// O10: an order was refunded (amounts read from the refund).
    RefundCompleted { order_id: OrderId },
    /// O7: a registration was moved to another sitting (read from its latest move).
    RegistrationRescheduled { registration_id: RegistrationId },
    /// O8: the free retake was registered (read from the retake registration).
    RetakeRegistered { registration_id: RegistrationId },
    /// O5: an operator credited a balance. The ledger entry's id does not exist when the job
    /// is built, so the notice carries the credit itself.
    CreditReceived {
        balance: Balance,
        amount: Fen,
        reason: String,
    },
    /// O5: an operator issued a voucher (terms read from the voucher).
    VoucherReceived { code: VoucherCode },
    /// O5: a cash top-up was paid in through the gateway.
    TopUpReceived { payment_id: PaymentId },
    /// O6: a registration's result was released (read from the registration).
    ResultReleased { registration_id: RegistrationId },
    /// O4: the admission ticket was issued (read from the registration's ticket).
    AdmissionTicketIssued { registration_id: RegistrationId },
    /// O9: a certificate was issued (read from the certificate).
    CertificateIssued { number: CertificateNumber },
    /// O9: a certificate's paper copy shipped (read from its shipment).
    PaperCertificateShipped { number: CertificateNumber },
    /// O11: an operator answered the candidate's support ticket (subject read from it).
    SupportTicketAnswered { ticket_id: SupportTicketId },
    /// O11: the candidate replied to a ticket this operator had answered; it is open again.
    SupportTicketUpdated { ticket_id: SupportTicketId },
    /// O11: a candidate opened a ticket; every operator is told (the commit that opens it
    /// writes its id into the payload: the id does not exist before).
    SupportTicketOpened { ticket_id: SupportTicketId },
    /// I1/I4: an institution registration was paid: the confirmation email with the link that
    /// manages it (also sent again on request).
    InstitutionRegistered { registration_id: RegistrationId },
    /// I3/I5: an appointment was booked or moved (read from the registration's slot).
    AppointmentBooked { registration_id: RegistrationId },
}

/// Every notice kind, as `Notice::kind` spells it (settings name kinds: template ids).
pub const KINDS: &[&str] = &[
    "welcome",
    "identity_verified",
    "identity_pending",
    "identity_rejected",
    "registration_confirmed",
    "refund_completed",
    "registration_rescheduled",
    "retake_registered",
    "credit_received",
    "voucher_received",
    "top_up_received",
    "result_released",
    "admission_ticket_issued",
    "certificate_issued",
    "paper_certificate_shipped",
    "support_ticket_answered",
    "support_ticket_updated",
    "support_ticket_opened",
    "institution_registered",
    "appointment_booked",
];

impl Notice {
    /// The stable kind, stored with the inbox message and shown by the API (`kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Welcome => "welcome",
            Notice::IdentityVerified => "identity_verified",
            Notice::IdentityPending => "identity_pending",
            Notice::IdentityRejected { .. } => "identity_rejected",
            Notice::RegistrationConfirmed { .. } => "registration_confirmed",
            Notice::RefundCompleted { .. } => "refund_completed",
            Notice::RegistrationRescheduled { .. } => "registration_rescheduled",
            Notice::RetakeRegistered { .. } => "retake_registered",
            Notice::CreditReceived { .. } => "credit_received",
            Notice::VoucherReceived { .. } => "voucher_received",
            Notice::TopUpReceived { .. } => "top_up_received",
            Notice::ResultReleased { .. } => "result_released",
            Notice::AdmissionTicketIssued { .. } => "admission_ticket_issued",
            Notice::CertificateIssued { .. } => "certificate_issued",
            Notice::PaperCertificateShipped { .. } => "paper_certificate_shipped",
            Notice::SupportTicketAnswered { .. } => "support_ticket_answered",
            Notice::SupportTicketUpdated { .. } => "support_ticket_updated",
            Notice::SupportTicketOpened { .. } => "support_ticket_opened",
            Notice::InstitutionRegistered { .. } => "institution_registered",
            Notice::AppointmentBooked { .. } => "appointment_booked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_number() -> CertificateNumber {
        CertificateNumber::from_digits([4, 8, 2, 1, 0, 9, 3, 3, 7, 5, 1, 6])
    }

    pub(crate) fn all() -> Vec<Notice> {
        vec![
            Notice::Welcome,
            Notice::IdentityVerified,
            Notice::IdentityPending,
            Notice::IdentityRejected {
                reason: "照片不清晰".into(),
            },
            Notice::RegistrationConfirmed {
                period_id: ExamPeriodId(7),
                paid_at: "2027-03-01T01:00:00Z".parse().unwrap(),
            },
            Notice::RefundCompleted {
                order_id: OrderId(3),
            },
            Notice::RegistrationRescheduled {
                registration_id: RegistrationId(5),
            },
            Notice::CreditReceived {
                balance: Balance::Gift,
                amount: Fen::literal(10_000),
                reason: "活动赠送".into(),
            },
            Notice::VoucherReceived {
                code: VoucherCode::parse("CD-7K3M-Q9XA").unwrap(),
            },
            Notice::TopUpReceived {
                payment_id: PaymentId(9),
            },
            Notice::ResultReleased {
                registration_id: RegistrationId(5),
            },
            Notice::RetakeRegistered {
                registration_id: RegistrationId(6),
            },
            Notice::AdmissionTicketIssued {
                registration_id: RegistrationId(5),
            },
            Notice::CertificateIssued {
                number: sample_number(),
            },
            Notice::PaperCertificateShipped {
                number: sample_number(),
            },
            Notice::SupportTicketAnswered {
                ticket_id: SupportTicketId(11),
            },
            Notice::SupportTicketUpdated {
                ticket_id: SupportTicketId(11),
            },
            Notice::SupportTicketOpened {
                ticket_id: SupportTicketId(11),
            },
            Notice::InstitutionRegistered {
                registration_id: RegistrationId(8),
            },
            Notice::AppointmentBooked {
                registration_id: RegistrationId(8),
            },
        ]
    }

    #[test]
    fn kinds_lists_every_notice_once() {
        let mut kinds: Vec<&str> = all().iter().map(Notice::kind).collect();
        kinds.sort_unstable();
        let mut listed = KINDS.to_vec();
        listed.sort_unstable();
        assert_eq!(kinds, listed);
    }

    #[test]
    fn notices_serialise_with_a_tag() {
        let json = serde_json::to_value(Notice::IdentityRejected { reason: "x".into() }).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"notice": "identity_rejected", "reason": "x"})
        );
        let json = serde_json::to_value(Notice::RefundCompleted {
            order_id: OrderId(3),
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"notice": "refund_completed", "order_id": 3})
        );
        for notice in all() {
            let back: Notice =
                serde_json::from_value(serde_json::to_value(&notice).unwrap()).unwrap();
            assert_eq!(back, notice);
            assert_eq!(
                serde_json::to_value(&notice).unwrap()["notice"],
                notice.kind()
            );
        }
    }
}
