//! certdesk-domain: the pure rules core (no I/O, no async, no clock reads); see README.md.
#![doc = include_str!("../README.md")]

pub mod calendar;
pub mod catalogue;
pub mod certificate;
pub mod clock;
pub mod contact;
mod error_code;
pub mod exam_period;
pub mod id_number;
pub mod idempotency;
pub mod ids;
pub mod money;
mod named_enum;
pub mod order;
pub mod payment;
pub mod policy;
pub mod refusal;
pub mod results;
pub mod roles;
pub mod rules;
pub mod support;
pub mod ticket;
pub mod time;
pub mod voucher;
pub mod wallet;

pub use calendar::{BusinessCalendar, CalendarOverrides, DayKind, Judged};
pub use catalogue::{CertCode, Family, Level, Track};
pub use certificate::{
    CertificateNumber, CertificateNumberError, CertificateStatus, certificate_expiry,
    certificate_status, mask_name,
};
pub use clock::{Clock, SystemClock, TestClock, stored_precision};
pub use contact::{Email, Phone};
pub use exam_period::{
    Capacity, City, CityDraft, ExamPeriodDraft, ExamPeriodPlan, check_city_offered, no_seats_left,
    unknown_period,
};
pub use id_number::{IdNumber, IdNumberError, check_character};
pub use idempotency::{
    IDEMPOTENCY_LIFETIME, IdempotencyKey, idempotency_key_in_flight, idempotency_key_reused,
};
pub use ids::*;
pub use money::Fen;
pub use order::{
    Attempt, Channel, OrderStatus, PaymentStatus, PromiseKind, RegistrationDeadlines,
    RegistrationFacts, RegistrationStatus, already_registered, check_real_name,
    registration_deadlines,
};
pub use payment::{GatewayEffect, PayFirst, PaymentPlan, RefundPlan, plan_payment, plan_refund};
pub use policy::Policy;
pub use refusal::{ErrorCode, ErrorKind, Locale, LocalizedText, Refusal};
pub use results::{
    AcceptedResult, ExamOutcome, KeyColumn, LineError, ParsedResults, ResultKey, ResultLine,
    ResultSubject, Score, parse_ticket_number,
};
pub use roles::{IdentityStatus, Role};
pub use rules::{AttemptOutcome, Window, WindowPhase, before_deadline};
pub use support::{
    SupportCategory, SupportSide, SupportTicketStatus, TicketBody, TicketSubject,
    after_candidate_reply, after_operator_reply, candidate_close,
};
pub use ticket::{
    MAX_TICKETS_PER_PERIOD, Seat, SeatShortfall, TicketNumber, TicketNumberError, VenueSeats,
    assign_seats,
};
pub use voucher::{
    VoucherCode, VoucherState, VoucherTerms, VoucherView, check_voucher, voucher_expired,
    voucher_not_found, voucher_state,
};
pub use wallet::{
    Balance, CreditRequest, LedgerEntryKind, LedgerReference, RawAmount, TopUpAmount,
    balance_after, balance_from_ledger, parse_amount, parse_positive_amount,
};
