//! O5's register-and-pay: what both databases' group writers (`sqlite/paid.rs`,
//! `postgres/paid.rs`) answer once a registration is written. Each writes the order and
//! registration itself; the rest of the records is what the caller asked for, so nothing else
//! is read back.

use certdesk_domain::{
    Attempt, CertCode, Channel, Fen, OrderId, OrderStatus, RegistrationId, RegistrationStatus,
};
use certdesk_store::{Order, PaidRegistration, Registration, StoreResult};
use jiff::Timestamp;

use crate::convert::{corrupt, from_ts};
use crate::db::Row;

/// What the database decided for a paid registration: its ids, and the sitting's times
/// (taken from the period, not from the caller).
#[derive(Debug, Clone)]
pub(crate) struct PaidIds {
    pub order: i64,
    pub registration: i64,
    pub certification_code: CertCode,
    pub exam_starts_at: Timestamp,
    pub exam_ends_at: Timestamp,
}

impl PaidIds {
    /// From a row of `order_id, registration_id, certification_code, exam_starts_at,
    /// exam_ends_at` (what each database's writer reads back).
    pub(crate) fn from_row(row: &Row) -> StoreResult<PaidIds> {
        Ok(PaidIds {
            order: row.int("order_id")?,
            registration: row.int("registration_id")?,
            certification_code: CertCode::parse(&row.text("certification_code")?)
                .map_err(|_| corrupt("certification code".into()))?,
            exam_starts_at: from_ts(row.int("exam_starts_at")?)?,
            exam_ends_at: from_ts(row.int("exam_ends_at")?)?,
        })
    }
}

/// The order and registration as written.
pub(crate) fn records(paid: &PaidRegistration, ids: PaidIds) -> (Order, Registration) {
    let id = OrderId(ids.order);
    let registration = Registration {
        id: RegistrationId(ids.registration),
        identity_id: paid.identity_id,
        account_id: paid.account_id,
        certification_id: paid.certification_id,
        certification_code: ids.certification_code,
        channel: Channel::Official,
        attempt: Attempt::First,
        status: RegistrationStatus::Confirmed,
        period_id: Some(paid.period_id),
        city: Some(paid.city.clone()),
        exam_starts_at: Some(ids.exam_starts_at),
        exam_ends_at: Some(ids.exam_ends_at),
        reschedules_used: 0,
        // Never moved yet: the sitting bought is the original one (O7).
        original_exam_starts_at: Some(ids.exam_starts_at),
        order_id: Some(id),
        created_at: paid.paid_at,
        cancelled_at: None,
        result: None,
        retake_of: None,
        retake_id: None,
        slot_id: None,
    };
    let (key, hash) = paid.idempotency.clone().unzip();
    let order = Order {
        id,
        account_id: paid.account_id,
        registration_id: registration.id,
        status: OrderStatus::Paid,
        total: paid.total,
        voucher_id: paid.voucher.map(|(id, _)| id),
        voucher: paid.voucher.map_or(Fen::ZERO, |(_, applied)| applied),
        gift: paid.gift,
        cash: paid.cash,
        pay_first: paid.pay_first,
        paid_at: paid.paid_at,
        idempotency_key: key,
        request_hash: hash,
    };
    (order, registration)
}
