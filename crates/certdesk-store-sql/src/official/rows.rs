//! The official channel's rows as records: the SELECT lists and their readers.

use certdesk_domain::{
    AccountId, CertCode, CertificationId, ExamPeriodId, Fen, IdentityId, OrderId, PaymentId,
    PromiseId, PromiseKind, RegistrationId, VoucherCode, VoucherId,
};

use certdesk_store::{
    ExamPeriod, LedgerEntry, Order, OverduePromise, Payment, PeriodCity, Promise,
    PromiseRegistration, PromiseSummary, Refund, Registration, Reschedule, StoreResult, Voucher,
};

use crate::convert::{corrupt, from_ts, from_ts_opt, parse, to_u32};
use crate::db::Row;

pub const PERIOD_SELECT: &str = "
SELECT p.id, p.certification_id, c.code AS certification_code, p.starts_at, p.ends_at,
       p.registration_opens_at, p.registration_closes_at, p.created_at
FROM exam_periods p JOIN certifications c ON c.id = p.certification_id";

pub const VOUCHER_COLUMNS: &str =
    "id, code, account_id, face_value, min_spend, expires_at, used_by_order, issued_at";

pub const PAYMENT_COLUMNS: &str =
    "id, account_id, gateway, amount, status, gateway_ref, created_at, completed_at";

pub const LEDGER_COLUMNS: &str =
    "id, account_id, balance, kind, amount, reason, order_id, payment_id, actor_id, at";

/// An order with its registration's id (the registration points at the order).
pub const ORDER_SELECT: &str = "
SELECT o.id, o.account_id, r.id AS registration_id, o.status, o.total, o.voucher_id, o.voucher,
       o.gift, o.cash, o.pay_first, o.paid_at, o.idempotency_key, o.request_hash
FROM orders o JOIN registrations r ON r.order_id = o.id";

pub const REGISTRATION_SELECT: &str = "
SELECT r.id, r.identity_id, r.account_id, r.certification_id, c.code AS certification_code,
       r.channel, r.attempt, r.status, r.period_id, r.city, r.exam_starts_at, r.exam_ends_at,
       r.reschedules_used, r.order_id, r.created_at, r.cancelled_at,
       COALESCE((SELECT h.from_starts_at FROM reschedules h
                 WHERE h.registration_id = r.id ORDER BY h.id LIMIT 1),
                r.exam_starts_at) AS original_exam_starts_at,
       x.score AS result_score, x.absent AS result_absent, x.passed AS result_passed,
       x.released_at AS result_released_at, r.retake_of,
       (SELECT t.id FROM registrations t WHERE t.retake_of = r.id) AS retake_id, r.slot_id
FROM registrations r JOIN certifications c ON c.id = r.certification_id
LEFT JOIN exam_results x ON x.registration_id = r.id";

/// O7's history rows (`reschedules`).
pub const RESCHEDULE_COLUMNS: &str =
    "id, registration_id, from_period_id, from_city, from_starts_at,
    to_period_id, to_city, to_starts_at, at";

pub const REFUND_COLUMNS: &str =
    "order_id, cash, gift, voucher_forfeited, requested_at, completed_at";

pub const PROMISE_COLUMNS: &str =
    "id, kind, registration_id, due_at, kept_at, voided_at, created_at";

/// A money column: fen, never negative.
pub fn fen(row: &Row, column: &str) -> StoreResult<Fen> {
    Fen::new(row.int(column)?).map_err(|_| corrupt(format!("{column} out of range")))
}

pub fn cert_code(row: &Row) -> StoreResult<CertCode> {
    CertCode::parse(&row.text("certification_code")?)
        .map_err(|_| corrupt("certification code".into()))
}

fn text<T: std::str::FromStr>(row: &Row, column: &str) -> StoreResult<T> {
    parse(&row.text(column)?, column)
}

fn id_opt(row: &Row, column: &str) -> StoreResult<Option<i64>> {
    row.int_opt(column)
}

/// A period row (`PERIOD_SELECT`) with its cities, already read.
pub fn period(row: &Row, cities: Vec<PeriodCity>) -> StoreResult<ExamPeriod> {
    Ok(ExamPeriod {
        id: ExamPeriodId(row.int("id")?),
        certification_id: CertificationId(row.int("certification_id")?),
        certification_code: cert_code(row)?,
        starts_at: from_ts(row.int("starts_at")?)?,
        ends_at: from_ts(row.int("ends_at")?)?,
        registration_opens_at: from_ts(row.int("registration_opens_at")?)?,
        registration_closes_at: from_ts(row.int("registration_closes_at")?)?,
        cities,
        created_at: from_ts(row.int("created_at")?)?,
    })
}

/// A seat pool row: `period_id, city, capacity, taken`.
pub fn city(row: &Row) -> StoreResult<(i64, PeriodCity)> {
    Ok((
        row.int("period_id")?,
        PeriodCity {
            city: row.text("city")?,
            capacity: to_u32(row.int("capacity")?, "capacity")?,
            taken: to_u32(row.int("taken")?, "taken")?,
        },
    ))
}

pub fn voucher(row: &Row) -> StoreResult<Voucher> {
    Ok(Voucher {
        id: VoucherId(row.int("id")?),
        code: VoucherCode::parse(&row.text("code")?).map_err(|_| corrupt("voucher code".into()))?,
        account_id: AccountId(row.int("account_id")?),
        face_value: fen(row, "face_value")?,
        min_spend: fen(row, "min_spend")?,
        expires_at: from_ts(row.int("expires_at")?)?,
        used_by_order: id_opt(row, "used_by_order")?.map(OrderId),
        issued_at: from_ts(row.int("issued_at")?)?,
    })
}

pub fn payment(row: &Row) -> StoreResult<Payment> {
    Ok(Payment {
        id: PaymentId(row.int("id")?),
        account_id: AccountId(row.int("account_id")?),
        gateway: row.text("gateway")?,
        amount: fen(row, "amount")?,
        status: text(row, "status")?,
        gateway_ref: row.text_opt("gateway_ref")?,
        created_at: from_ts(row.int("created_at")?)?,
        completed_at: from_ts_opt(row.int_opt("completed_at")?)?,
    })
}

pub fn ledger_entry(row: &Row) -> StoreResult<LedgerEntry> {
    Ok(LedgerEntry {
        id: row.int("id")?,
        account_id: AccountId(row.int("account_id")?),
        balance: text(row, "balance")?,
        kind: text(row, "kind")?,
        amount: row.int("amount")?,
        reason: row.text("reason")?,
        order_id: id_opt(row, "order_id")?.map(OrderId),
        payment_id: id_opt(row, "payment_id")?.map(PaymentId),
        actor: id_opt(row, "actor_id")?.map(AccountId),
        at: from_ts(row.int("at")?)?,
    })
}

pub fn order(row: &Row) -> StoreResult<Order> {
    Ok(Order {
        id: OrderId(row.int("id")?),
        account_id: AccountId(row.int("account_id")?),
        registration_id: RegistrationId(row.int("registration_id")?),
        status: text(row, "status")?,
        total: fen(row, "total")?,
        voucher_id: id_opt(row, "voucher_id")?.map(VoucherId),
        voucher: fen(row, "voucher")?,
        gift: fen(row, "gift")?,
        cash: fen(row, "cash")?,
        pay_first: text(row, "pay_first")?,
        paid_at: from_ts(row.int("paid_at")?)?,
        idempotency_key: row.text_opt("idempotency_key")?,
        request_hash: row.text_opt("request_hash")?,
    })
}

pub fn registration(row: &Row) -> StoreResult<Registration> {
    Ok(Registration {
        id: RegistrationId(row.int("id")?),
        identity_id: IdentityId(row.int("identity_id")?),
        account_id: AccountId(row.int("account_id")?),
        certification_id: CertificationId(row.int("certification_id")?),
        certification_code: cert_code(row)?,
        channel: text(row, "channel")?,
        attempt: text(row, "attempt")?,
        status: text(row, "status")?,
        period_id: id_opt(row, "period_id")?.map(ExamPeriodId),
        city: row.text_opt("city")?,
        exam_starts_at: from_ts_opt(row.int_opt("exam_starts_at")?)?,
        exam_ends_at: from_ts_opt(row.int_opt("exam_ends_at")?)?,
        reschedules_used: to_u32(row.int("reschedules_used")?, "reschedules used")?,
        original_exam_starts_at: from_ts_opt(row.int_opt("original_exam_starts_at")?)?,
        order_id: id_opt(row, "order_id")?.map(OrderId),
        created_at: from_ts(row.int("created_at")?)?,
        cancelled_at: from_ts_opt(row.int_opt("cancelled_at")?)?,
        result: crate::results::result_of(row)?,
        retake_of: id_opt(row, "retake_of")?.map(RegistrationId),
        retake_id: id_opt(row, "retake_id")?.map(RegistrationId),
        slot_id: id_opt(row, "slot_id")?.map(certdesk_domain::SlotId),
    })
}

pub fn reschedule(row: &Row) -> StoreResult<Reschedule> {
    Ok(Reschedule {
        id: row.int("id")?,
        registration_id: RegistrationId(row.int("registration_id")?),
        from_period_id: ExamPeriodId(row.int("from_period_id")?),
        from_city: row.text("from_city")?,
        from_starts_at: from_ts(row.int("from_starts_at")?)?,
        to_period_id: ExamPeriodId(row.int("to_period_id")?),
        to_city: row.text("to_city")?,
        to_starts_at: from_ts(row.int("to_starts_at")?)?,
        at: from_ts(row.int("at")?)?,
    })
}

pub fn refund(row: &Row) -> StoreResult<Refund> {
    Ok(Refund {
        order_id: OrderId(row.int("order_id")?),
        cash: fen(row, "cash")?,
        gift: fen(row, "gift")?,
        voucher_forfeited: fen(row, "voucher_forfeited")?,
        requested_at: from_ts(row.int("requested_at")?)?,
        completed_at: from_ts(row.int("completed_at")?)?,
    })
}

pub fn promise(row: &Row) -> StoreResult<Promise> {
    Ok(Promise {
        id: PromiseId(row.int("id")?),
        kind: text(row, "kind")?,
        registration_id: id_opt(row, "registration_id")?.map(RegistrationId),
        due_at: from_ts(row.int("due_at")?)?,
        kept_at: from_ts_opt(row.int_opt("kept_at")?)?,
        voided_at: from_ts_opt(row.int_opt("voided_at")?)?,
        created_at: from_ts(row.int("created_at")?)?,
    })
}

/// A row of `promises::OVERDUE_SQL`.
pub fn overdue_promise(row: &Row) -> StoreResult<OverduePromise> {
    let registration = match id_opt(row, "registration_id")? {
        None => None,
        Some(id) => Some(PromiseRegistration {
            id: RegistrationId(id),
            account_id: AccountId(row.int("account_id")?),
            certification_code: cert_code(row)?,
            city: row.text_opt("city")?,
            exam_starts_at: from_ts_opt(row.int_opt("exam_starts_at")?)?,
            status: text(row, "status")?,
        }),
    };
    Ok(OverduePromise {
        id: PromiseId(row.int("id")?),
        kind: text(row, "kind")?,
        due_at: from_ts(row.int("due_at")?)?,
        created_at: from_ts(row.int("created_at")?)?,
        registration,
    })
}

/// The summary query: per kind, kept on time (T4: `kept_at < due_at`), kept late, overdue
/// (open and `due_at <= now`) and pending (open, `due_at > now`); voided promises excluded.
pub const SUMMARY_SQL: &str = "
SELECT kind,
       SUM(CASE WHEN kept_at IS NOT NULL AND kept_at < due_at THEN 1 ELSE 0 END) AS kept_on_time,
       SUM(CASE WHEN kept_at IS NOT NULL AND kept_at >= due_at THEN 1 ELSE 0 END) AS kept_late,
       SUM(CASE WHEN kept_at IS NULL AND due_at <= $1 THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN kept_at IS NULL AND due_at > $1 THEN 1 ELSE 0 END) AS pending
FROM promises WHERE voided_at IS NULL GROUP BY kind";

/// Every kind in `PromiseKind::ALL` order, zeros where the query found none.
pub fn summaries(rows: &[Row]) -> StoreResult<Vec<PromiseSummary>> {
    let mut out: Vec<PromiseSummary> = PromiseKind::ALL
        .iter()
        .map(|&kind| PromiseSummary {
            kind,
            kept_on_time: 0,
            kept_late: 0,
            overdue: 0,
            pending: 0,
        })
        .collect();
    for row in rows {
        let kind: PromiseKind = parse(&row.text("kind")?, "promise kind")?;
        let count = |column: &str| -> StoreResult<u64> {
            let n = row.int(column)?;
            Ok(u64::try_from(n).unwrap_or(0))
        };
        if let Some(summary) = out.iter_mut().find(|s| s.kind == kind) {
            summary.kept_on_time = count("kept_on_time")?;
            summary.kept_late = count("kept_late")?;
            summary.overdue = count("overdue")?;
            summary.pending = count("pending")?;
        }
    }
    Ok(out)
}

/// P1's overdue list: the summary's `overdue` (unkept, not voided, `due_at <= $1`), of kind
/// `$2` or all, after the cursor promise `$3`'s (`due_at`, id) position, most overdue first,
/// with the registration each is owed to. A cursor naming no promise matches nothing.
pub const OVERDUE_SQL: &str = "
SELECT p.id, p.kind, p.due_at, p.created_at, p.registration_id, r.account_id,
       c.code AS certification_code, r.city, r.exam_starts_at, r.status
FROM promises p
LEFT JOIN registrations r ON r.id = p.registration_id
LEFT JOIN certifications c ON c.id = r.certification_id
WHERE p.kept_at IS NULL AND p.voided_at IS NULL AND p.due_at <= $1
  AND ($2 IS NULL OR p.kind = $2)
  AND ($3 IS NULL OR (p.due_at, p.id) > (SELECT q.due_at, q.id FROM promises q WHERE q.id = $3))
ORDER BY p.due_at, p.id
LIMIT $4";
