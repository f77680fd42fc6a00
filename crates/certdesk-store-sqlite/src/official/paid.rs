//! O5: register and pay — seat, order, wallet debits, voucher, registration, ledger entries,
//! promises (P1), the confirmation inbox message (O6) and jobs, all or nothing.
//!
//! This is the hot path of the rush benchmark. Through sqlx every statement is a round trip
//! to the connection's worker thread (~45 µs here, more than the statement itself), so a
//! registration is ONE multi-statement batch inside a savepoint: the statements refer to the
//! rows written before them by `(SELECT MAX(id) FROM …)` — exact, because the single writer
//! holds the write lock and ids only grow — and each checked statement answers one `step` row
//! through RETURNING when it did its work. A missing row is a refusal: the savepoint is rolled
//! back and the reason decided from which step stayed silent (never from error text).
//! Batches are committed in groups by `group.rs`.
//!
//! sqlx 0.8 runs the statements of one SQLite query in order; it calls that behaviour
//! deprecated (launchbadge/sqlx#3108) while keeping it. The conformance suite exercises every
//! step, so an upgrade that drops it fails loudly.

use certdesk_domain::{
    Attempt, Channel, Fen, OrderId, OrderStatus, RegistrationId, RegistrationStatus,
};
use certdesk_store::{Conflict, Order, PaidRegistration, Registration, StoreError, StoreResult};
use futures::TryStreamExt as _;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments as _, Row as _, Sqlite, SqliteConnection};

use super::rows;
use crate::convert::{from_ts, to_json, ts};
use crate::error::{DbResultExt as _, db_error};

/// Binds values and hands out their `$n` placeholders.
struct Args {
    args: SqliteArguments<'static>,
    n: usize,
}

impl Args {
    fn add<T>(&mut self, value: T) -> StoreResult<String>
    where
        T: sqlx::Encode<'static, Sqlite> + sqlx::Type<Sqlite> + 'static,
    {
        self.args
            .add(value)
            .map_err(|e| StoreError::Other(anyhow::anyhow!("binding a value: {e}")))?;
        self.n += 1;
        Ok(format!("${}", self.n))
    }
}

/// The batch for one registration, and which checked steps must answer.
fn batch(paid: &PaidRegistration, release_first: bool) -> StoreResult<(String, Args, Expect)> {
    let mut a = Args {
        args: SqliteArguments::default(),
        n: 0,
    };
    let mut sql = String::from(if release_first {
        "RELEASE paid; SAVEPOINT paid;\n"
    } else {
        "SAVEPOINT paid;\n"
    });
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
    let order = "(SELECT MAX(id) FROM orders)";
    let registration = "(SELECT MAX(id) FROM registrations)";
    // O3: a seat, only while one is left.
    sql += &format!(
        "UPDATE seat_pools SET taken = taken + 1 WHERE period_id = {period} AND city = {city}
             AND taken < capacity RETURNING 'seat' AS step;\n"
    );
    // The order, paid; the account's `Idempotency-Key` is unique.
    sql += &format!(
        "INSERT INTO orders (account_id, status, total, voucher_id, voucher, gift, cash, pay_first, paid_at,
             idempotency_key, request_hash)
         VALUES ({account}, 'paid', {total}, {voucher_id}, {applied}, {gift}, {cash}, {}, {at}, {}, {})
         RETURNING 'order' AS step, id;\n",
        a.add(paid.pay_first.as_str())?,
        a.add(key)?,
        a.add(hash)?,
    );
    let expect = Expect {
        debit: !(paid.gift.is_zero() && paid.cash.is_zero()),
        voucher: paid.voucher.is_some(),
    };
    if expect.debit {
        // O5: gift and cash in one conditional UPDATE; never below zero (no wallet: refused).
        sql += &format!(
            "UPDATE wallets SET cash = cash - {cash}, gift = gift - {gift}
             WHERE account_id = {account} AND cash >= {cash} AND gift >= {gift} RETURNING 'debit' AS step;\n"
        );
    }
    if expect.voucher {
        // O5: single use. The other terms (the buyer's own, unexpired at payment (T4), minimum
        // spend met, face value covering what was applied) are the use case's; they are
        // repeated here so that no race can spend a voucher against them.
        sql += &format!(
            "UPDATE vouchers SET used_by_order = {order}
             WHERE id = {voucher_id} AND used_by_order IS NULL AND account_id = {account}
               AND expires_at > {at} AND min_spend <= {total} AND face_value >= {applied}
             RETURNING 'voucher' AS step;\n"
        );
    }
    // A2: the partial unique index on live registrations refuses a person's second one.
    sql += &format!(
        "INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt, status,
             period_id, seat_pool_id, city, exam_starts_at, exam_ends_at, reschedules_used, order_id, created_at)
         SELECT {}, {account}, p.certification_id, 'official', 'first', 'confirmed', p.id, s.id, s.city,
                p.starts_at, p.ends_at, 0, {order}, {at}
         FROM exam_periods p JOIN seat_pools s ON s.period_id = p.id
         WHERE p.id = {period} AND s.city = {city} AND p.certification_id = {}
         RETURNING 'registration' AS step, id, exam_starts_at, exam_ends_at,
                   (SELECT code FROM certifications c WHERE c.id = certification_id) AS certification_code;\n",
        a.add(paid.identity_id.get())?,
        a.add(paid.certification_id.get())?,
    );
    // One ledger entry per balance touched, negative (O5).
    let mut entries = Vec::new();
    for (balance, amount, placeholder) in [("gift", paid.gift, &gift), ("cash", paid.cash, &cash)] {
        if !amount.is_zero() {
            entries.push(format!(
                "({account}, '{balance}', 'order_debit', -{placeholder}, '', {order}, NULL, NULL, {at})"
            ));
        }
    }
    if !entries.is_empty() {
        sql += &format!(
            "INSERT INTO ledger_entries (account_id, balance, kind, amount, reason, order_id, payment_id,
                 actor_id, at) VALUES {};\n",
            entries.join(", ")
        );
    }
    let mut promises = Vec::new();
    for promise in &paid.promises {
        let (kind, due, kept) = (
            a.add(promise.kind.as_str())?,
            a.add(ts(promise.due_at))?,
            a.add(promise.kept_at.map(ts))?,
        );
        promises.push(format!("({kind}, {registration}, {due}, {kept}, {at})"));
    }
    if !promises.is_empty() {
        sql += &format!(
            "INSERT INTO promises (kind, registration_id, due_at, kept_at, created_at) VALUES {};\n",
            promises.join(", ")
        );
    }
    // O6: the confirmation in the inbox, with the registration.
    if let Some(m) = &paid.inbox {
        sql += &format!(
            "INSERT INTO inbox_messages (account_id, kind, title_zh, body_zh, title_en, body_en, source_job,
                 created_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {});\n",
            a.add(m.account_id.get())?,
            a.add(m.kind.clone())?,
            a.add(m.title_zh.clone())?,
            a.add(m.body_zh.clone())?,
            a.add(m.title_en.clone())?,
            a.add(m.body_en.clone())?,
            a.add(m.source_job.map(|j| j.get()))?,
            a.add(ts(m.created_at))?,
        );
    }
    let mut jobs = Vec::new();
    for job in &paid.jobs {
        // P1: the promise of that kind recorded just above.
        let promise = match job.keeps_promise {
            Some(kind) => format!(
                "(SELECT MAX(id) FROM promises WHERE registration_id = {registration} AND kind = {})",
                a.add(kind.as_str())?
            ),
            None => "NULL".to_owned(),
        };
        jobs.push(format!(
            "({}, {}, {}, {}, 'pending', 0, {}, {}, {at}, {at}, {promise})",
            a.add(job.kind.clone())?,
            a.add(to_json(&job.payload)?)?,
            a.add(job.channel.clone())?,
            a.add(job.dedup_key.clone())?,
            a.add(i64::from(job.max_attempts))?,
            a.add(ts(job.run_at))?,
        ));
    }
    if !jobs.is_empty() {
        sql += &format!(
            "INSERT INTO jobs (kind, payload, channel, dedup_key, status, attempts, max_attempts, run_at,
                 created_at, updated_at, promise_id)
             VALUES {} ON CONFLICT (dedup_key) DO NOTHING;\n",
            jobs.join(", ")
        );
    }
    Ok((sql, a, expect))
}

/// The optional checked steps of a batch.
#[derive(Debug, Clone, Copy)]
struct Expect {
    debit: bool,
    voucher: bool,
}

/// What the batch's step rows said.
#[derive(Default)]
struct Seen {
    seat: bool,
    order: Option<i64>,
    debit: bool,
    voucher: bool,
    registration: Option<SqliteRow>,
}

impl Seen {
    fn read(&mut self, row: SqliteRow) -> StoreResult<()> {
        match row.try_get::<String, _>("step").db()?.as_str() {
            "seat" => self.seat = true,
            "order" => self.order = Some(row.try_get("id").db()?),
            "debit" => self.debit = true,
            "voucher" => self.voucher = true,
            "registration" => self.registration = Some(row),
            other => {
                return Err(crate::convert::corrupt(format!(
                    "unknown batch step {other}"
                )));
            }
        }
        Ok(())
    }

    /// The first checked step before the registration that did not do its work, in order.
    fn first_silent(&self, expect: Expect) -> Option<Refusal> {
        if !self.seat {
            Some(Refusal::Seat)
        } else if expect.debit && !self.debit {
            Some(Refusal::Conflict(Conflict::InsufficientBalance))
        } else if expect.voucher && !self.voucher {
            Some(Refusal::Conflict(Conflict::VoucherUnavailable))
        } else {
            None
        }
    }
}

/// Why a registration was refused, before the seat case is told apart.
#[derive(Debug)]
enum Refusal {
    /// No seat taken: unknown period or city, or none left.
    Seat,
    Conflict(Conflict),
    NotFound,
    Other(StoreError),
}

/// Writes one registration inside the caller's transaction. The outer error is fatal to the
/// transaction (it must be rolled back); the inner one refuses this registration only, whose
/// writes were rolled back to its savepoint. `release_first` releases the savepoint of the
/// previous registration of the same transaction, which succeeded.
pub(super) async fn write_one(
    conn: &mut SqliteConnection,
    paid: &PaidRegistration,
    release_first: bool,
) -> StoreResult<StoreResult<(Order, Registration)>> {
    let (sql, args, expect) = match batch(paid, release_first) {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    let mut seen = Seen::default();
    let mut failed = None;
    {
        let mut rows = sqlx::query_with(&sql, args.args).fetch(&mut *conn);
        loop {
            match rows.try_next().await {
                Ok(Some(row)) => seen.read(row)?,
                Ok(None) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
    }
    let refusal = match failed {
        Some(sqlx::Error::Database(d)) if d.kind() != sqlx::error::ErrorKind::Other => {
            let constraint = d.kind();
            Some(seen.first_silent(expect).unwrap_or(match constraint {
                // The only unique keys: the order's idempotency key, then A2's live index.
                sqlx::error::ErrorKind::UniqueViolation if seen.order.is_none() => {
                    Refusal::Conflict(Conflict::IdempotencyKeyUsed)
                }
                sqlx::error::ErrorKind::UniqueViolation => {
                    Refusal::Conflict(Conflict::AlreadyRegistered)
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => Refusal::NotFound,
                _ => Refusal::Other(db_error(sqlx::Error::Database(d))),
            }))
        }
        // Busy, I/O and the like: the transaction itself is in doubt.
        Some(e) => return Err(db_error(e)),
        None => seen.first_silent(expect).or_else(|| {
            // No registration row: the period is not of the certification named.
            seen.registration.is_none().then_some(Refusal::NotFound)
        }),
    };
    if let Some(refusal) = refusal {
        sqlx::query("ROLLBACK TO paid; RELEASE paid")
            .execute(&mut *conn)
            .await
            .db()?;
        return Ok(Err(match refusal {
            Refusal::Seat => no_seat(conn, paid).await?,
            Refusal::Conflict(c) => StoreError::Conflict(c),
            Refusal::NotFound => StoreError::NotFound,
            Refusal::Other(e) => e,
        }));
    }
    let (Some(order), Some(row)) = (seen.order, seen.registration) else {
        return Err(crate::convert::corrupt(
            "a registration batch lost a step".into(),
        ));
    };
    Ok(Ok(records(paid, OrderId(order), &row)?))
}

/// No seat was taken: an unknown period or city (`NotFound`), or none left.
async fn no_seat(conn: &mut SqliteConnection, paid: &PaidRegistration) -> StoreResult<StoreError> {
    let pool = sqlx::query("SELECT 1 FROM seat_pools WHERE period_id = $1 AND city = $2")
        .bind(paid.period_id.get())
        .bind(&paid.city)
        .fetch_optional(conn)
        .await
        .db()?;
    Ok(match pool {
        Some(_) => StoreError::Conflict(Conflict::NoSeatsLeft),
        None => StoreError::NotFound,
    })
}

/// The order and registration as written (nothing is read back).
fn records(
    paid: &PaidRegistration,
    id: OrderId,
    row: &SqliteRow,
) -> StoreResult<(Order, Registration)> {
    let registration = Registration {
        id: RegistrationId(row.try_get("id").db()?),
        identity_id: paid.identity_id,
        account_id: paid.account_id,
        certification_id: paid.certification_id,
        certification_code: rows::cert_code(row)?,
        channel: Channel::Official,
        attempt: Attempt::First,
        status: RegistrationStatus::Confirmed,
        period_id: Some(paid.period_id),
        city: Some(paid.city.clone()),
        exam_starts_at: from_ts(row.try_get("exam_starts_at").db()?)?,
        exam_ends_at: from_ts(row.try_get("exam_ends_at").db()?)?,
        reschedules_used: 0,
        order_id: Some(id),
        created_at: paid.paid_at,
        cancelled_at: None,
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
    Ok((order, registration))
}
