//! Rows of the official channel's tables as records: the SELECT lists and their readers.

use certdesk_domain::{
    AccountId, CertCode, CertificationId, ExamPeriodId, Fen, IdentityId, OrderId, PaymentId,
    PromiseId, RegistrationId, VoucherCode, VoucherId,
};
use certdesk_store::{
    ExamPeriod, LedgerEntry, Order, OverduePromise, Payment, PeriodCity, Promise,
    PromiseRegistration, Refund, Registration, StoreResult, Voucher,
};
use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;

use crate::convert::{corrupt, from_ts, from_ts_opt, parse, to_u32};
use crate::error::DbResultExt as _;

pub(crate) const PERIOD_SELECT: &str = "
SELECT p.id, p.certification_id, c.code AS certification_code, p.starts_at, p.ends_at,
       p.registration_opens_at, p.registration_closes_at, p.created_at
FROM exam_periods p JOIN certifications c ON c.id = p.certification_id";

pub(crate) const VOUCHER_COLUMNS: &str =
    "id, code, account_id, face_value, min_spend, expires_at, used_by_order, issued_at";

pub(crate) const PAYMENT_COLUMNS: &str =
    "id, account_id, gateway, amount, status, gateway_ref, created_at, completed_at";

pub(crate) const LEDGER_COLUMNS: &str =
    "id, account_id, balance, kind, amount, reason, order_id, payment_id, actor_id, at";

/// An order with its registration's id (the registration points at the order).
pub(crate) const ORDER_SELECT: &str = "
SELECT o.id, o.account_id, r.id AS registration_id, o.status, o.total, o.voucher_id, o.voucher,
       o.gift, o.cash, o.pay_first, o.paid_at, o.idempotency_key, o.request_hash
FROM orders o JOIN registrations r ON r.order_id = o.id";

pub(crate) const REGISTRATION_SELECT: &str = "
SELECT r.id, r.identity_id, r.account_id, r.certification_id, c.code AS certification_code,
       r.channel, r.attempt, r.status, r.period_id, r.city, r.exam_starts_at, r.exam_ends_at,
       r.reschedules_used, r.order_id, r.created_at, r.cancelled_at
FROM registrations r JOIN certifications c ON c.id = r.certification_id";

pub(crate) const REFUND_COLUMNS: &str =
    "order_id, cash, gift, voucher_forfeited, requested_at, completed_at";

pub(crate) const PROMISE_COLUMNS: &str =
    "id, kind, registration_id, due_at, kept_at, voided_at, created_at";

/// A money column: fen, never negative.
pub(crate) fn fen(row: &SqliteRow, column: &str) -> StoreResult<Fen> {
    Fen::new(row.try_get(column).db()?).map_err(|_| corrupt(format!("{column} out of range")))
}

pub(crate) fn cert_code(row: &SqliteRow) -> StoreResult<CertCode> {
    CertCode::parse(&row.try_get::<String, _>("certification_code").db()?)
        .map_err(|_| corrupt("certification code".into()))
}

fn text<T: std::str::FromStr>(row: &SqliteRow, column: &str) -> StoreResult<T> {
    parse(&row.try_get::<String, _>(column).db()?, column)
}

fn id_opt(row: &SqliteRow, column: &str) -> StoreResult<Option<i64>> {
    row.try_get(column).db()
}

/// A period row (`PERIOD_SELECT`) with its cities, already read.
pub(crate) fn period(row: &SqliteRow, cities: Vec<PeriodCity>) -> StoreResult<ExamPeriod> {
    Ok(ExamPeriod {
        id: ExamPeriodId(row.try_get("id").db()?),
        certification_id: CertificationId(row.try_get("certification_id").db()?),
        certification_code: cert_code(row)?,
        starts_at: from_ts(row.try_get("starts_at").db()?)?,
        ends_at: from_ts(row.try_get("ends_at").db()?)?,
        registration_opens_at: from_ts(row.try_get("registration_opens_at").db()?)?,
        registration_closes_at: from_ts(row.try_get("registration_closes_at").db()?)?,
        cities,
        created_at: from_ts(row.try_get("created_at").db()?)?,
    })
}

/// A seat pool row: `period_id, city, capacity, taken`.
pub(crate) fn city(row: &SqliteRow) -> StoreResult<(i64, PeriodCity)> {
    Ok((
        row.try_get("period_id").db()?,
        PeriodCity {
            city: row.try_get("city").db()?,
            capacity: to_u32(row.try_get("capacity").db()?, "capacity")?,
            taken: to_u32(row.try_get("taken").db()?, "taken")?,
        },
    ))
}

pub(crate) fn voucher(row: &SqliteRow) -> StoreResult<Voucher> {
    Ok(Voucher {
        id: VoucherId(row.try_get("id").db()?),
        code: VoucherCode::parse(&row.try_get::<String, _>("code").db()?)
            .map_err(|_| corrupt("voucher code".into()))?,
        account_id: AccountId(row.try_get("account_id").db()?),
        face_value: fen(row, "face_value")?,
        min_spend: fen(row, "min_spend")?,
        expires_at: from_ts(row.try_get("expires_at").db()?)?,
        used_by_order: id_opt(row, "used_by_order")?.map(OrderId),
        issued_at: from_ts(row.try_get("issued_at").db()?)?,
    })
}

pub(crate) fn payment(row: &SqliteRow) -> StoreResult<Payment> {
    Ok(Payment {
        id: PaymentId(row.try_get("id").db()?),
        account_id: AccountId(row.try_get("account_id").db()?),
        gateway: row.try_get("gateway").db()?,
        amount: fen(row, "amount")?,
        status: text(row, "status")?,
        gateway_ref: row.try_get("gateway_ref").db()?,
        created_at: from_ts(row.try_get("created_at").db()?)?,
        completed_at: from_ts_opt(row.try_get("completed_at").db()?)?,
    })
}

pub(crate) fn ledger_entry(row: &SqliteRow) -> StoreResult<LedgerEntry> {
    Ok(LedgerEntry {
        id: row.try_get("id").db()?,
        account_id: AccountId(row.try_get("account_id").db()?),
        balance: text(row, "balance")?,
        kind: text(row, "kind")?,
        amount: row.try_get("amount").db()?,
        reason: row.try_get("reason").db()?,
        order_id: id_opt(row, "order_id")?.map(OrderId),
        payment_id: id_opt(row, "payment_id")?.map(PaymentId),
        actor: id_opt(row, "actor_id")?.map(AccountId),
        at: from_ts(row.try_get("at").db()?)?,
    })
}

pub(crate) fn order(row: &SqliteRow) -> StoreResult<Order> {
    Ok(Order {
        id: OrderId(row.try_get("id").db()?),
        account_id: AccountId(row.try_get("account_id").db()?),
        registration_id: RegistrationId(row.try_get("registration_id").db()?),
        status: text(row, "status")?,
        total: fen(row, "total")?,
        voucher_id: id_opt(row, "voucher_id")?.map(VoucherId),
        voucher: fen(row, "voucher")?,
        gift: fen(row, "gift")?,
        cash: fen(row, "cash")?,
        pay_first: text(row, "pay_first")?,
        paid_at: from_ts(row.try_get("paid_at").db()?)?,
        idempotency_key: row.try_get("idempotency_key").db()?,
        request_hash: row.try_get("request_hash").db()?,
    })
}

pub(crate) fn registration(row: &SqliteRow) -> StoreResult<Registration> {
    Ok(Registration {
        id: RegistrationId(row.try_get("id").db()?),
        identity_id: IdentityId(row.try_get("identity_id").db()?),
        account_id: AccountId(row.try_get("account_id").db()?),
        certification_id: CertificationId(row.try_get("certification_id").db()?),
        certification_code: cert_code(row)?,
        channel: text(row, "channel")?,
        attempt: text(row, "attempt")?,
        status: text(row, "status")?,
        period_id: id_opt(row, "period_id")?.map(ExamPeriodId),
        city: row.try_get("city").db()?,
        exam_starts_at: from_ts(row.try_get("exam_starts_at").db()?)?,
        exam_ends_at: from_ts(row.try_get("exam_ends_at").db()?)?,
        reschedules_used: to_u32(row.try_get("reschedules_used").db()?, "reschedules used")?,
        order_id: id_opt(row, "order_id")?.map(OrderId),
        created_at: from_ts(row.try_get("created_at").db()?)?,
        cancelled_at: from_ts_opt(row.try_get("cancelled_at").db()?)?,
    })
}

pub(crate) fn refund(row: &SqliteRow) -> StoreResult<Refund> {
    Ok(Refund {
        order_id: OrderId(row.try_get("order_id").db()?),
        cash: fen(row, "cash")?,
        gift: fen(row, "gift")?,
        voucher_forfeited: fen(row, "voucher_forfeited")?,
        requested_at: from_ts(row.try_get("requested_at").db()?)?,
        completed_at: from_ts(row.try_get("completed_at").db()?)?,
    })
}

pub(crate) fn promise(row: &SqliteRow) -> StoreResult<Promise> {
    Ok(Promise {
        id: PromiseId(row.try_get("id").db()?),
        kind: text(row, "kind")?,
        registration_id: id_opt(row, "registration_id")?.map(RegistrationId),
        due_at: from_ts(row.try_get("due_at").db()?)?,
        kept_at: from_ts_opt(row.try_get("kept_at").db()?)?,
        voided_at: from_ts_opt(row.try_get("voided_at").db()?)?,
        created_at: from_ts(row.try_get("created_at").db()?)?,
    })
}

/// A row of `promises::OVERDUE_SQL`.
pub(crate) fn overdue_promise(row: &SqliteRow) -> StoreResult<OverduePromise> {
    let registration = match id_opt(row, "registration_id")? {
        None => None,
        Some(id) => Some(PromiseRegistration {
            id: RegistrationId(id),
            account_id: AccountId(row.try_get("account_id").db()?),
            certification_code: cert_code(row)?,
            city: row.try_get("city").db()?,
            exam_starts_at: from_ts(row.try_get("exam_starts_at").db()?)?,
            status: text(row, "status")?,
        }),
    };
    Ok(OverduePromise {
        id: PromiseId(row.try_get("id").db()?),
        kind: text(row, "kind")?,
        due_at: from_ts(row.try_get("due_at").db()?)?,
        created_at: from_ts(row.try_get("created_at").db()?)?,
        registration,
    })
}
