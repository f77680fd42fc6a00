//! The official channel's orders, registrations and refunds (O5, O10, E3).

use certdesk_domain::{RefundPlan, RegistrationDeadlines};
use certdesk_store::{AdmissionTicket, Order, Refund, Registration};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rfc3339;

/// `POST /api/v1/orders`: register for a period in a city and pay from the account.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct OrderBody {
    pub period_id: i64,
    #[schema(example = "深圳")]
    pub city: String,
    /// One of the buyer's vouchers, e.g. `CD-7K3M-Q9XA`.
    pub voucher_code: Option<String>,
    /// `gift` (default) or `cash`: which balance pays first after the voucher (O5).
    #[schema(example = "gift")]
    pub pay_first: Option<String>,
}

/// The `Idempotency-Key` header of `POST /api/v1/orders` (documentation only: the handler
/// reads the header itself and `certdesk_domain::IdempotencyKey` parses it).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub(crate) struct IdempotencyHeader {
    #[param(rename = "Idempotency-Key", schema_with = crate::openapi::constraints::idempotency_key)]
    #[expect(dead_code, reason = "read from the headers by the handler")]
    pub key: Option<String>,
}

/// `POST /api/v1/registrations/{id}/reschedule`: the exam period and city to move to (O7).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RescheduleBody {
    /// A period of the same certification.
    pub period_id: i64,
    #[schema(example = "北京")]
    pub city: String,
}

/// `POST /api/v1/registrations/{id}/retake` (official channel): the exam period and city of
/// the free retake (O8).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RetakeBody {
    /// A period of the same certification, starting no later than 3 months after the first
    /// attempt's exam start.
    pub period_id: i64,
    #[schema(example = "北京")]
    pub city: String,
}

/// The body of `POST /api/v1/registrations/{id}/retake` (documentation: the handler reads
/// the one its caller's credential calls for): with a session, the official channel's
/// `{period_id, city}` (O8); with a management token, the institution's `{slot_id}` (I6).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[expect(dead_code, reason = "only documents the route's two bodies")]
pub(crate) enum RetakeRequest {
    Official(RetakeBody),
    Institution(super::institution::AppointmentBody),
}

/// A registration as the caller's credential shows it (documentation, as [`RetakeRequest`]):
/// with a session, the official channel's view; with a management token, the institution's.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
#[expect(dead_code, reason = "only documents the routes' two answers")]
pub(crate) enum RegistrationAnswer {
    Official(RegistrationDto),
    Institution(super::institution::InstitutionRegistrationDto),
}

/// An order and how it was paid; `total_fen = voucher_fen + gift_fen + cash_fen`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrderDto {
    pub id: i64,
    /// `paid` or `refunded`.
    pub status: String,
    pub registration_id: i64,
    pub total_fen: i64,
    pub voucher_fen: i64,
    pub gift_fen: i64,
    pub cash_fen: i64,
    /// `gift` or `cash`.
    pub pay_first: String,
    #[schema(format = DateTime)]
    pub paid_at: String,
}

impl OrderDto {
    pub(crate) fn new(o: &Order) -> OrderDto {
        OrderDto {
            id: o.id.get(),
            status: o.status.as_str().to_owned(),
            registration_id: o.registration_id.get(),
            total_fen: o.total.get(),
            voucher_fen: o.voucher.get(),
            gift_fen: o.gift.get(),
            cash_fen: o.cash.get(),
            pay_first: o.pay_first.as_str().to_owned(),
            paid_at: rfc3339(o.paid_at),
        }
    }
}

/// E3: the instants (exclusive, T4) that limit the candidate's rights; absent where the right
/// does not exist or is used.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DeadlinesDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub refund_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub reschedule_until: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub retake_apply_until: Option<String>,
}

impl DeadlinesDto {
    pub(crate) fn new(d: &RegistrationDeadlines) -> DeadlinesDto {
        DeadlinesDto {
            refund_until: d.refund_until.map(rfc3339),
            reschedule_until: d.reschedule_until.map(rfc3339),
            retake_apply_until: d.retake_apply_until.map(rfc3339),
        }
    }
}

/// A registration (报名) as API.md describes it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegistrationDto {
    pub id: i64,
    #[schema(example = "TCCA-ARC-P")]
    pub certification: String,
    /// `official` or `institution`.
    pub channel: String,
    /// `first` or `retake`.
    pub attempt: String,
    /// `awaiting_payment` (institution channel, I1), `confirmed`, `ticket_issued`, `passed`,
    /// `failed`, `absent`, `cancelled`.
    pub status: String,
    pub period_id: Option<i64>,
    pub city: Option<String>,
    /// The sitting; null for an institution registration with no appointment yet (I3).
    #[schema(format = DateTime)]
    pub exam_starts_at: Option<String>,
    #[schema(format = DateTime)]
    pub exam_ends_at: Option<String>,
    pub rescheduled: bool,
    pub deadlines: DeadlinesDto,
    pub order_id: Option<i64>,
    /// Once issued (O4); null before, and for a cancelled registration.
    pub admission_ticket: Option<AdmissionTicketDto>,
    /// `{score, passed, absent, released_at}` once released (O6); null before.
    pub result: Option<super::results::ResultDto>,
    /// O8: for a retake, the first attempt it follows (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retake_of: Option<i64>,
    /// O8: for a first attempt, the retake it gave once taken (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retake_id: Option<i64>,
}

impl RegistrationDto {
    pub(crate) fn new(r: &Registration, deadlines: &RegistrationDeadlines) -> RegistrationDto {
        RegistrationDto {
            id: r.id.get(),
            certification: r.certification_code.as_str().to_owned(),
            channel: r.channel.as_str().to_owned(),
            attempt: r.attempt.as_str().to_owned(),
            status: r.status.as_str().to_owned(),
            period_id: r.period_id.map(|p| p.get()),
            city: r.city.clone(),
            exam_starts_at: r.exam_starts_at.map(rfc3339),
            exam_ends_at: r.exam_ends_at.map(rfc3339),
            rescheduled: r.reschedules_used > 0,
            deadlines: DeadlinesDto::new(deadlines),
            order_id: r.order_id.map(|o| o.get()),
            admission_ticket: None,
            result: r.result.as_ref().map(super::results::ResultDto::new),
            retake_of: r.retake_of.map(|id| id.get()),
            retake_id: r.retake_id.map(|id| id.get()),
        }
    }
}

/// O4: an admission ticket (准考证) as API.md describes it, with the text of its QR code.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AdmissionTicketDto {
    /// 13 or more digits, the last a check digit.
    #[schema(example = "0000420001237")]
    pub number: String,
    pub venue_name: String,
    pub venue_address: String,
    pub seat: u32,
    #[schema(format = DateTime)]
    pub starts_at: String,
    /// What the ticket's QR code holds (`CDT1:<number>:<signature>`); the venue's desk checks
    /// the signature.
    pub code: String,
}

impl AdmissionTicketDto {
    pub(crate) fn new(ticket: &AdmissionTicket, code: &str) -> AdmissionTicketDto {
        AdmissionTicketDto {
            number: ticket.number.to_string(),
            venue_name: ticket.venue.name.clone(),
            venue_address: ticket.venue.address.clone(),
            seat: ticket.seat,
            starts_at: rfc3339(ticket.starts_at),
            code: code.to_owned(),
        }
    }
}

/// `201` of `POST /api/v1/orders` (and its idempotent replay).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlacedDto {
    pub order: OrderDto,
    pub registration: RegistrationDto,
}

/// `GET /api/v1/orders/{id}`: the order and its refund, if any.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrderDetailDto {
    pub order: OrderDto,
    pub refund: Option<RefundDto>,
}

/// O10: what a refund gave back.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RefundDto {
    pub cash_fen: i64,
    pub gift_fen: i64,
    /// The voucher's part: not refunded.
    pub voucher_forfeited_fen: i64,
    /// The first request's time: it anchors the O10 window.
    #[schema(format = DateTime)]
    pub requested_at: String,
    #[schema(format = DateTime)]
    pub completed_at: String,
}

impl RefundDto {
    pub(crate) fn new(r: &Refund) -> RefundDto {
        RefundDto {
            cash_fen: r.cash.get(),
            gift_fen: r.gift.get(),
            voucher_forfeited_fen: r.voucher_forfeited.get(),
            requested_at: rfc3339(r.requested_at),
            completed_at: rfc3339(r.completed_at),
        }
    }
}

/// `200` of `POST /api/v1/orders/{id}/refund`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RefundedDto {
    pub refund: RefundDto,
}

/// O10: what a refund requested now would give back, and until when it may be requested.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RefundPreviewDto {
    pub cash_fen: i64,
    pub gift_fen: i64,
    pub voucher_forfeited_fen: i64,
    /// Exclusive (T4): a request must be submitted before this instant.
    #[schema(format = DateTime)]
    pub deadline: String,
}

impl RefundPreviewDto {
    pub(crate) fn new(p: &RefundPlan) -> RefundPreviewDto {
        RefundPreviewDto {
            cash_fen: p.cash.get(),
            gift_fen: p.gift.get(),
            voucher_forfeited_fen: p.voucher_forfeited.get(),
            deadline: rfc3339(p.deadline),
        }
    }
}
