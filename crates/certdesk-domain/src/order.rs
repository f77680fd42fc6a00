//! O5/O10/P1/E3: the statuses of registrations, orders and payments, the promise kinds, and
//! the deadlines a registration shows its candidate — computed by the functions that enforce
//! them (E3). A1/A2: the buyer's refusals.

use crate::named_enum::named_enum;
use crate::policy::Policy;
use crate::refusal::{ErrorCode, Refusal};
use crate::roles::IdentityStatus;
use crate::rules::{refund_deadline, reschedule_deadline};
use jiff::Timestamp;

named_enum! {
    /// Where a registration stands (API: `status`).
    RegistrationStatus {
        /// I1: registered through an institution, its payment not yet reported.
        AwaitingPayment => "awaiting_payment", "待支付", "Awaiting payment";
        /// Paid and holding a seat (O5).
        Confirmed => "confirmed", "报名成功", "Confirmed";
        /// O4: the admission ticket is issued.
        TicketIssued => "ticket_issued", "已发准考证", "Admission ticket issued";
        Passed => "passed", "已通过", "Passed";
        Failed => "failed", "未通过", "Failed";
        /// A no-show (缺考).
        Absent => "absent", "缺考", "Absent";
        /// O10: refunded; the seat is released.
        Cancelled => "cancelled", "已取消", "Cancelled";
    }
}

impl RegistrationStatus {
    /// A2: a live registration is one whose exam is still ahead (confirmed or ticketed); a
    /// person holds at most one live registration per certification.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            RegistrationStatus::Confirmed | RegistrationStatus::TicketIssued
        )
    }
}

named_enum! {
    /// O8/I6: a first attempt or the free retake (API: `attempt`).
    Attempt {
        First => "first", "首次考试", "First attempt";
        Retake => "retake", "补考", "Retake";
    }
}

named_enum! {
    /// The two registration channels (API: `channel`).
    Channel {
        /// 官网报名: O1–O12.
        Official => "official", "官网报名", "Official site";
        /// 授权考试机构报名: I1–I9.
        Institution => "institution", "授权考试机构报名", "Authorised institution";
    }
}

named_enum! {
    /// O5/O10: an order is paid in the same transaction that creates it; a refund ends it.
    OrderStatus {
        Paid => "paid", "已支付", "Paid";
        Refunded => "refunded", "已退款", "Refunded";
    }
}

named_enum! {
    /// O5: a payment through the gateway (a cash top-up; I1's registration payment).
    PaymentStatus {
        Pending => "pending", "待支付", "Pending";
        Succeeded => "succeeded", "支付成功", "Succeeded";
        Cancelled => "cancelled", "已取消", "Cancelled";
    }
}

named_enum! {
    /// P1: the timed promises whose keeping operators watch (API: `kind`).
    PromiseKind {
        /// O6: confirmation within 1 business day after payment.
        Confirmation => "confirmation", "报名确认通知", "Registration confirmation";
        /// O4/O6: admission ticket 3–5 days before the exam.
        AdmissionTicket => "admission_ticket", "准考证", "Admission ticket";
        /// O6: score within 7 days after the exam.
        Score => "score", "成绩通知", "Score notice";
        /// O9: e-certificate by the end of the first business day after the exam date.
        ECertificate => "e_certificate", "电子证书", "E-certificate";
        /// O9: paper certificate shipped within 30 days after the exam.
        PaperCertificate => "paper_certificate", "纸质证书寄送", "Paper certificate shipment";
        /// I4: the institution's confirmation email within 10 minutes.
        InstitutionConfirmation => "institution_confirmation", "机构报名确认邮件", "Institution confirmation email";
    }
}

impl PromiseKind {
    /// The SPEC rule that makes the promise.
    pub fn rule(self) -> &'static str {
        match self {
            PromiseKind::Confirmation | PromiseKind::Score => "O6",
            PromiseKind::AdmissionTicket => "O4",
            PromiseKind::ECertificate | PromiseKind::PaperCertificate => "O9",
            PromiseKind::InstitutionConfirmation => "I4",
        }
    }
}

/// A1: buying on the official channel needs a verified identity (`real_name_required`, 403).
pub fn check_real_name(identity: Option<IdentityStatus>) -> Result<(), Refusal> {
    if identity == Some(IdentityStatus::Verified) {
        Ok(())
    } else {
        Err(Refusal::new(ErrorCode::RealNameRequired).rule("A1"))
    }
}

/// A2: the person already holds a live registration for this certification.
pub fn already_registered() -> Refusal {
    Refusal::new(ErrorCode::AlreadyRegistered).rule("A2")
}

/// What [`registration_deadlines`] needs to know about a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationFacts {
    pub channel: Channel,
    pub status: RegistrationStatus,
    pub attempt: Attempt,
    /// The paid order behind it: when it was paid and where it stands; `None` for a
    /// registration without an order of its own (a free retake).
    pub order: Option<(Timestamp, OrderStatus)>,
    /// How many times it has been rescheduled (O7).
    pub reschedules_used: u32,
    /// Start of the sitting it is on now.
    pub current_start: Timestamp,
    /// O8: the free retake this attempt gave has been taken.
    pub retake_used: bool,
}

/// E3: the deadlines shown with a registration (API: `deadlines`), each absent where the
/// right does not exist or is used. Instants are exclusive (T4); one that has passed is still
/// returned, so a page can say when the right ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct RegistrationDeadlines {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_until: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reschedule_until: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retake_apply_until: Option<Timestamp>,
}

impl RegistrationDeadlines {
    /// O10 + T4: a refund requested at `now` would be inside the window — the right exists
    /// and now < `refund_until`, as [`check_refund_window`](crate::rules::check_refund_window)
    /// judges it.
    pub fn refund_open(&self, now: Timestamp) -> bool {
        self.refund_until
            .is_some_and(|until| crate::rules::before_deadline(now, until))
    }
}

/// E3: a registration's deadlines, from the same functions that enforce them:
/// - `refund_until` = [`refund_deadline`]`(paid_at)` (O10, as `check_refund_window`) while
///   the order is paid and not refunded;
/// - `reschedule_until` = [`reschedule_deadline`]`(current_start)` (O7, as
///   `check_reschedule`) while a reschedule is left (`reschedules_used < reschedule_max`) and
///   the registration is not a retake;
/// - `retake_apply_until` = [`retake_apply_until`](crate::rules::retake_apply_until)`(start)`
///   = `retake_apply_deadline(retake_latest_start(start))`
///   (O8: the first exam's start + 3 months − 10 days, the last instant some retake could
///   still be applied for, as `check_retake` judges the latest allowed sitting) while a failed
///   first attempt — or a no-show's, unless the policy forfeits it — has not taken its retake.
///
/// Refund and reschedule need a live registration; after the exam, on cancellation, and on
/// the institution channel (I5's deadline is the appointment's, I8's refunds are staff's)
/// they are `None`.
pub fn registration_deadlines(facts: &RegistrationFacts, policy: &Policy) -> RegistrationDeadlines {
    if facts.channel != Channel::Official {
        return RegistrationDeadlines::default();
    }
    let retake_right = match facts.status {
        RegistrationStatus::Failed => true,
        RegistrationStatus::Absent => !policy.no_show_forfeits_retake,
        _ => false,
    };
    let retake_apply_until =
        (retake_right && facts.attempt == Attempt::First && !facts.retake_used)
            .then(|| crate::rules::retake_apply_until(facts.current_start, policy));
    if !facts.status.is_live() {
        return RegistrationDeadlines {
            retake_apply_until,
            ..RegistrationDeadlines::default()
        };
    }
    let refund_until = match facts.order {
        Some((paid_at, OrderStatus::Paid)) => Some(refund_deadline(paid_at, policy)),
        _ => None,
    };
    let reschedule_until = (facts.attempt == Attempt::First
        && facts.reschedules_used < policy.reschedule_max)
        .then(|| reschedule_deadline(facts.current_start, policy));
    RegistrationDeadlines {
        refund_until,
        reschedule_until,
        retake_apply_until,
    }
}
