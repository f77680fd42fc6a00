//! O5 on PostgreSQL: register and pay as ONE statement — seat, order, wallet debits, voucher, registration,
//! ledger entries, promises (P1), the confirmation inbox message (O6) and jobs, all or nothing.
//!
//! This is the hot path of the rush benchmark, and on PostgreSQL every statement is a round
//! trip, so the whole registration is one data-modifying `WITH` statement: one round trip.
//! Statements are run in groups, one transaction and one commit per group (`group.rs`).
//! Each step feeds the next through RETURNING. When there is no seat to take (or no such
//! period and city) nothing is written at all and the statement answers the refusal in its
//! `refused` column, leaving the group's transaction intact. A checked step that finds nothing
//! to do after something was written makes the final SELECT call `certdesk_refuse(name)`
//! (migration `…_official_channel.sql`), which aborts the statement with the refusal as the
//! error's constraint name. Unique keys (the idempotency key, A2's live index) abort it the
//! same way.
//!
//! Every buyer of a city updates the same seat-pool row, and its lock is held until commit,
//! so the seat is taken LAST: the UPDATE waits (by an init-plan) for the other inserts.
//! Before that, the order is only inserted while the pool shows a free seat (a read that sees
//! the group's own seats): once a city is sold out, every later step has no order to work on
//! and an attempt costs almost nothing. The final conditional UPDATE decides (READ COMMITTED
//! re-checks `taken < capacity` on the committed row after waiting).

use certdesk_store::{Conflict, Order, PaidRegistration, Registration, StoreError, StoreResult};
use sqlx::postgres::PgArguments;
use sqlx::{Arguments as _, PgConnection, Postgres};

use crate::convert::{corrupt, to_json, ts};
use crate::db::{DbError, Row};
use crate::official::paid::{PaidIds, records};

/// Binds values and hands out their `$n` placeholders.
struct Args {
    args: PgArguments,
    n: usize,
}

impl Args {
    fn add<T>(&mut self, value: T) -> StoreResult<String>
    where
        T: for<'q> sqlx::Encode<'q, Postgres> + sqlx::Type<Postgres> + Send + 'static,
    {
        self.args
            .add(value)
            .map_err(|e| StoreError::Other(anyhow::anyhow!("binding a value: {e}")))?;
        self.n += 1;
        Ok(format!("${}", self.n))
    }
}

/// The statement for one registration.
fn statement(paid: &PaidRegistration) -> StoreResult<(String, PgArguments)> {
    let mut a = Args {
        args: PgArguments::default(),
        n: 0,
    };
    let (period, city, account, at) = (
        a.add(paid.period_id.get())?,
        a.add(paid.city.clone())?,
        a.add(paid.account_id.get())?,
        a.add(ts(paid.paid_at))?,
    );
    let (total, gift, cash) = (
        a.add(paid.total.get())?,
        a.add(paid.gift.get())?,
        a.add(paid.cash.get())?,
    );
    let (voucher_id, applied) = (
        a.add(paid.voucher.map(|(id, _)| id.get()))?,
        a.add(paid.voucher.map_or(0, |(_, fen)| fen.get()))?,
    );
    let (key, hash) = paid.idempotency.clone().unzip();
    // The order, only while the city shows a free seat; its idempotency key is unique.
    let mut steps = vec![format!(
        "o AS (
            INSERT INTO orders (account_id, status, total, voucher_id, voucher, gift, cash, pay_first,
                paid_at, idempotency_key, request_hash)
            SELECT {account}, 'paid', {total}, {voucher_id}, {applied}, {gift}, {cash}, {}, {at}, {}, {}
            WHERE EXISTS (SELECT 1 FROM seat_pools WHERE period_id = {period} AND city = {city}
                          AND taken < capacity)
            RETURNING id)",
        a.add(paid.pay_first.as_str())?,
        a.add(key)?,
        a.add(hash)?,
    )];
    // No order: nothing was written; the `refused` column says why.
    let refused = format!(
        "CASE WHEN NOT EXISTS (SELECT 1 FROM o) THEN CASE WHEN EXISTS
             (SELECT 1 FROM seat_pools WHERE period_id = {period} AND city = {city})
             THEN 'refused_no_seats_left' ELSE 'refused_not_found' END END"
    );
    let mut checks = vec!["WHEN NOT EXISTS (SELECT 1 FROM o) THEN NULL".to_owned()];
    if !(paid.gift.is_zero() && paid.cash.is_zero()) {
        // O5: gift and cash in one conditional UPDATE; never below zero (no wallet: refused).
        steps.push(format!(
            "w AS (
                UPDATE wallets SET cash = cash - {cash}, gift = gift - {gift}
                WHERE account_id = {account} AND cash >= {cash} AND gift >= {gift}
                  AND EXISTS (SELECT 1 FROM o)
                RETURNING account_id)"
        ));
        checks.push(
            "WHEN NOT EXISTS (SELECT 1 FROM w) THEN certdesk_refuse('refused_insufficient_balance')"
                .to_owned(),
        );
    }
    if paid.voucher.is_some() {
        // O5: single use. The other terms (the buyer's own, unexpired at payment (T4),
        // minimum spend met, face value covering what was applied) are the use case's; they
        // are repeated so that no race can spend a voucher against them.
        steps.push(format!(
            "v AS (
                UPDATE vouchers SET used_by_order = (SELECT id FROM o)
                WHERE id = {voucher_id} AND used_by_order IS NULL AND account_id = {account}
                  AND expires_at > {at} AND min_spend <= {total} AND face_value >= {applied}
                  AND EXISTS (SELECT 1 FROM o)
                RETURNING id)"
        ));
        checks.push(
            "WHEN NOT EXISTS (SELECT 1 FROM v) THEN certdesk_refuse('refused_voucher_unavailable')"
                .to_owned(),
        );
    }
    // Written only when the debit and the voucher did their work: the registration is read
    // first by the final SELECT, so the wallet and voucher rows are locked before it (lock
    // order: order, wallet, voucher, registration, seat pool).
    let after: String = ["w", "v"]
        .iter()
        .filter(|name| steps.iter().any(|s| s.starts_with(&format!("{name} AS"))))
        .map(|name| format!(" AND EXISTS (SELECT 1 FROM {name})"))
        .collect();
    // A2: the partial unique index refuses a person's second live registration.
    steps.push(format!(
        "r AS (
            INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt,
                status, period_id, seat_pool_id, city, exam_starts_at, exam_ends_at, reschedules_used,
                order_id, created_at)
            SELECT {}, {account}, p.certification_id, 'official', 'first', 'confirmed', p.id, s.id,
                   s.city, p.starts_at, p.ends_at, 0, o.id, {at}
            FROM o, exam_periods p JOIN seat_pools s ON s.period_id = p.id
            WHERE p.id = {period} AND s.city = {city} AND p.certification_id = {}{after}
            RETURNING id, seat_pool_id, certification_id, exam_starts_at, exam_ends_at)",
        a.add(paid.identity_id.get())?,
        a.add(paid.certification_id.get())?,
    ));
    // No registration: the period is not of the certification named.
    checks.push(
        "WHEN NOT EXISTS (SELECT 1 FROM r) THEN certdesk_refuse('refused_not_found')".to_owned(),
    );
    let mut before_seat = Vec::new();
    // One ledger entry per balance touched, negative (O5).
    let mut entries = Vec::new();
    for (balance, amount) in [("gift", paid.gift), ("cash", paid.cash)] {
        if !amount.is_zero() {
            entries.push(format!("('{balance}', {})", a.add(-amount.get())?));
        }
    }
    if !entries.is_empty() {
        steps.push(format!(
            "l AS (
                INSERT INTO ledger_entries (account_id, balance, kind, amount, reason, order_id,
                    payment_id, actor_id, at)
                SELECT {account}, e.balance, 'order_debit', e.amount, '', o.id, NULL, NULL, {at}
                FROM o, (VALUES {}) AS e(balance, amount)
                RETURNING id)",
            entries.join(", ")
        ));
        before_seat.push("(SELECT count(*) FROM l)");
    }
    let mut promises = Vec::new();
    for promise in &paid.promises {
        promises.push(format!(
            "({}, {}, {}::BIGINT)",
            a.add(promise.kind.as_str())?,
            a.add(ts(promise.due_at))?,
            a.add(promise.kept_at.map(ts))?
        ));
    }
    if !promises.is_empty() {
        steps.push(format!(
            "pr AS (
                INSERT INTO promises (kind, registration_id, due_at, kept_at, created_at)
                SELECT k.kind, r.id, k.due_at, k.kept_at, {at}
                FROM r, (VALUES {}) AS k(kind, due_at, kept_at)
                RETURNING id, kind)",
            promises.join(", ")
        ));
        before_seat.push("(SELECT count(*) FROM pr)");
    }
    // O6: the confirmation in the inbox, with the registration.
    if let Some(m) = &paid.inbox {
        steps.push(format!(
            "im AS (
                INSERT INTO inbox_messages (account_id, kind, title_zh, body_zh, title_en, body_en,
                    source_job, created_at)
                SELECT {}, {}, {}, {}, {}, {}, {}::BIGINT, {} FROM r
                RETURNING id)",
            a.add(m.account_id.get())?,
            a.add(m.kind.clone())?,
            a.add(m.title_zh.clone())?,
            a.add(m.body_zh.clone())?,
            a.add(m.title_en.clone())?,
            a.add(m.body_en.clone())?,
            a.add(m.source_job.map(|j| j.get()))?,
            a.add(ts(m.created_at))?,
        ));
        before_seat.push("(SELECT count(*) FROM im)");
    }
    let mut jobs = Vec::new();
    for job in &paid.jobs {
        jobs.push(format!(
            "({}, {}, {}, {}, {}, {}, {})",
            a.add(job.kind.clone())?,
            a.add(to_json(&job.payload)?)?,
            a.add(job.channel.clone())?,
            a.add(job.dedup_key.clone())?,
            a.add(i64::from(job.max_attempts))?,
            a.add(ts(job.run_at))?,
            a.add(job.keeps_promise.map(|k| k.as_str()))?,
        ));
    }
    if !jobs.is_empty() {
        // P1: a job keeping a promise points at the promise of that kind recorded above.
        let promise = if promises.is_empty() {
            "NULL::BIGINT"
        } else {
            "(SELECT pr.id FROM pr WHERE pr.kind = j.keeps LIMIT 1)"
        };
        steps.push(format!(
            "jb AS (
                INSERT INTO jobs (kind, payload, channel, dedup_key, status, attempts, max_attempts,
                    run_at, created_at, updated_at, promise_id)
                SELECT j.kind, j.payload, j.channel, j.dedup_key, 'pending', 0, j.max_attempts, j.run_at,
                       {at}, {at}, {promise}
                FROM r, (VALUES {}) AS j(kind, payload, channel, dedup_key, max_attempts, run_at, keeps)
                ON CONFLICT (dedup_key) DO NOTHING
                RETURNING id)",
            jobs.join(", ")
        ));
        before_seat.push("(SELECT count(*) FROM jb)");
    }
    // O3: the seat, last; the init-plan makes the other inserts run before the row is locked.
    let wait_for = if before_seat.is_empty() {
        String::new()
    } else {
        format!(" AND {} >= 0", before_seat.join(" + "))
    };
    steps.push(format!(
        "s AS (
            UPDATE seat_pools SET taken = taken + 1
            WHERE id = (SELECT seat_pool_id FROM r) AND taken < capacity{wait_for}
            RETURNING id)"
    ));
    checks.push(
        "WHEN NOT EXISTS (SELECT 1 FROM s) THEN certdesk_refuse('refused_no_seats_left')"
            .to_owned(),
    );
    // Exactly one row, whatever happened, so that the checks always run.
    let sql = format!(
        "WITH {}
         SELECT CASE {} ELSE (SELECT id FROM o) END AS order_id, {refused} AS refused,
                r.id AS registration_id, r.exam_starts_at, r.exam_ends_at,
                (SELECT code FROM certifications c WHERE c.id = r.certification_id) AS certification_code
         FROM (VALUES (1)) AS one (x) LEFT JOIN r ON TRUE",
        steps.join(",\n"),
        checks.join("\n")
    );
    Ok((sql, a.args))
}

/// What one registration's statement came to.
#[expect(
    clippy::large_enum_variant,
    reason = "one per registration, unpacked at once; a box would only add an allocation"
)]
pub(super) enum Written {
    Paid(Order, Registration),
    /// Refused having written nothing: a transaction around it is intact.
    Refused(StoreError),
    /// The statement failed and aborted any transaction around it: a refusal found after
    /// writing ([`refusal`] names it), or a failure.
    Aborted(sqlx::Error),
}

/// Runs one registration's statement on `conn`. `Err`: it ran, but its answer is unreadable
/// (a defect; a transaction around it must not commit).
pub(super) async fn execute(
    conn: &mut PgConnection,
    paid: &PaidRegistration,
) -> StoreResult<Written> {
    let (sql, args) = match statement(paid) {
        Ok(statement) => statement,
        Err(e) => return Ok(Written::Refused(e)),
    };
    let row = match sqlx::query_with(&sql, args).fetch_optional(conn).await {
        Ok(Some(row)) => row,
        Ok(None) => return Err(corrupt("register-and-pay answered no row".into())),
        Err(e) => return Ok(Written::Aborted(e)),
    };
    let row = Row::Postgres(row);
    Ok(match row.text_opt("refused")?.as_deref() {
        None => {
            let (order, registration) = records(paid, PaidIds::from_row(&row)?);
            Written::Paid(order, registration)
        }
        Some("refused_no_seats_left") => {
            Written::Refused(StoreError::Conflict(Conflict::NoSeatsLeft))
        }
        Some(_) => Written::Refused(StoreError::NotFound),
    })
}

/// A refusal by constraint name (never by message text): the step that found nothing to do,
/// or a unique key. Anything else is a failure, as `StoreError` says.
pub(super) fn refusal(e: sqlx::Error) -> StoreError {
    let sqlx::Error::Database(d) = &e else {
        return DbError::postgres(e).into();
    };
    let conflict = match d.constraint() {
        Some("refused_no_seats_left") => Conflict::NoSeatsLeft,
        Some("refused_insufficient_balance") => Conflict::InsufficientBalance,
        Some("refused_voucher_unavailable") => Conflict::VoucherUnavailable,
        Some("orders_idempotency_unique") if d.is_unique_violation() => {
            Conflict::IdempotencyKeyUsed
        }
        Some("registrations_live_unique") if d.is_unique_violation() => Conflict::AlreadyRegistered,
        Some("refused_not_found") => return StoreError::NotFound,
        _ if d.is_foreign_key_violation() => return StoreError::NotFound,
        _ => return DbError::postgres(e).into(),
    };
    StoreError::Conflict(conflict)
}
