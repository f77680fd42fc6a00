//! O5 on SQLite: register and pay as ONE statement per registration, many registrations per
//! commit.
//!
//! Two costs dominate a rush on SQLite, measured on the 2-core machine: an fsync per commit,
//! and a round trip to sqlx's connection thread per statement (~45 µs, more than the statement
//! itself). So:
//! - **One statement per registration.** SQLite has no data-modifying `WITH`, but it has
//!   triggers: `INSERT INTO register_and_pay …` (a view) fires an `INSTEAD OF` trigger that
//!   takes the seat, debits, writes the order, spends the voucher, writes the registration,
//!   ledger entries, promises and the confirmation inbox message. A refusal is
//!   `RAISE(ABORT, 'certdesk_refused:<what>')`: SQLite backs out everything that one statement
//!   wrote and keeps the transaction, so a group needs no savepoints. The view and trigger are
//!   TEMP objects of the writer connection (created when it connects), code rather than
//!   schema: they change with the binary, never need a migration, and PostgreSQL's schema
//!   stays identical.
//! - **Group commit** (`certdesk_store::group`): a group of queued registrations is written in
//!   ONE `BEGIN IMMEDIATE` transaction, one statement each, then ONE query reads back what the
//!   paid ones became (ids and the sitting's times, found by A2's live key: a person holds one
//!   live registration per certification), then the jobs of all of them in one statement per
//!   64 (P2's outbox rows, with bound values: cheaper than the trigger reading them from
//!   JSON), then one commit, one fsync. Only then is anybody answered: "paid" always means
//!   "on disk".
//!
//! Refusals are told apart by SQLite's extended code for a trigger's RAISE
//! (`SQLITE_CONSTRAINT_TRIGGER`) and the token the trigger raised — our own fixed words, not a
//! driver's message. A constraint the checks did not foresee (a CHECK, a foreign key) also
//! aborts only its statement and refuses only its registration.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use certdesk_store::group::{GroupWrite, Outcome};
use certdesk_store::{Conflict, PaidRegistration, StoreError, StoreResult};
use serde::Serialize;
use sqlx::{SqliteConnection, SqlitePool};

use crate::convert::{corrupt, to_json, ts};
use crate::db::{DbError, Row};
use crate::official::paid::{PaidIds, records};

/// The writer connection's register-and-pay statement: a TEMP view and its trigger. Run on
/// every new writer connection (`Pools::open`), before the migrations on a new file: SQLite
/// resolves the tables a trigger names when a statement fires it, not when it is created.
pub(super) const REGISTER_AND_PAY: &str = "
CREATE TEMP VIEW IF NOT EXISTS register_and_pay (
    account_id, identity_id, certification_id, period_id, city, paid_at, total, voucher_id,
    voucher, gift, cash, pay_first, idempotency_key, request_hash, promises, inbox
) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
            NULL, NULL WHERE 0;

CREATE TEMP TRIGGER IF NOT EXISTS register_and_pay_insert
INSTEAD OF INSERT ON register_and_pay
BEGIN
    -- Refusals come in the order OrderStore::commit_paid_registration documents. The single
    -- writer holds the write lock (BEGIN IMMEDIATE), so what a check reads stays true; a
    -- conditional write is checked by changes(), which inside a trigger counts the trigger's
    -- own last statement.
    SELECT RAISE(ABORT, 'certdesk_refused:not_found')
    WHERE NOT EXISTS (SELECT 1 FROM seat_pools s JOIN exam_periods p ON p.id = s.period_id
                      WHERE s.period_id = NEW.period_id AND s.city = NEW.city
                        AND p.certification_id = NEW.certification_id);
    -- O3: a seat, only while one is left.
    UPDATE seat_pools SET taken = taken + 1
    WHERE period_id = NEW.period_id AND city = NEW.city AND taken < capacity;
    SELECT RAISE(ABORT, 'certdesk_refused:no_seats_left') WHERE changes() = 0;
    SELECT RAISE(ABORT, 'certdesk_refused:idempotency_key_used')
    WHERE EXISTS (SELECT 1 FROM orders
                  WHERE account_id = NEW.account_id AND idempotency_key = NEW.idempotency_key);
    -- O5: gift and cash in one conditional UPDATE, never below zero; an account never
    -- credited has no wallet.
    UPDATE wallets SET cash = cash - NEW.cash, gift = gift - NEW.gift
    WHERE account_id = NEW.account_id AND cash >= NEW.cash AND gift >= NEW.gift
      AND (NEW.gift > 0 OR NEW.cash > 0);
    SELECT RAISE(ABORT, 'certdesk_refused:insufficient_balance')
    WHERE changes() = 0 AND (NEW.gift > 0 OR NEW.cash > 0);
    INSERT INTO orders (account_id, status, total, voucher_id, voucher, gift, cash, pay_first,
                        paid_at, idempotency_key, request_hash)
    VALUES (NEW.account_id, 'paid', NEW.total, NEW.voucher_id, NEW.voucher, NEW.gift, NEW.cash,
            NEW.pay_first, NEW.paid_at, NEW.idempotency_key, NEW.request_hash);
    -- O5: single use. The other terms (the buyer's own, unexpired at payment (T4), minimum
    -- spend met, face value covering what was applied) are the use case's; repeated here so
    -- that no race can spend a voucher against them. Inside a trigger, last_insert_rowid() is
    -- the row this trigger inserted last: the order, until the registration is inserted.
    UPDATE vouchers SET used_by_order = last_insert_rowid()
    WHERE id = NEW.voucher_id AND used_by_order IS NULL AND account_id = NEW.account_id
      AND expires_at > NEW.paid_at AND min_spend <= NEW.total AND face_value >= NEW.voucher;
    SELECT RAISE(ABORT, 'certdesk_refused:voucher_unavailable')
    WHERE changes() = 0 AND NEW.voucher_id IS NOT NULL;
    -- A2: one live registration per person and certification (the partial unique index
    -- registrations_live_unique backs this up).
    SELECT RAISE(ABORT, 'certdesk_refused:already_registered')
    WHERE EXISTS (SELECT 1 FROM registrations
                  WHERE identity_id = NEW.identity_id AND certification_id = NEW.certification_id
                    AND status IN ('confirmed', 'ticket_issued'));
    INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt, status,
                               period_id, seat_pool_id, city, exam_starts_at, exam_ends_at,
                               reschedules_used, order_id, created_at)
    SELECT NEW.identity_id, NEW.account_id, p.certification_id, 'official', 'first', 'confirmed',
           p.id, s.id, s.city, p.starts_at, p.ends_at, 0, last_insert_rowid(), NEW.paid_at
    FROM exam_periods p JOIN seat_pools s ON s.period_id = p.id
    WHERE p.id = NEW.period_id AND s.city = NEW.city;

    -- From here on the registration is the person's live one for the certification (A2's key).
    -- O5: one ledger entry per balance touched, negative; gift first.
    INSERT INTO ledger_entries (account_id, balance, kind, amount, reason, order_id, payment_id,
                                actor_id, at)
    SELECT NEW.account_id, 'gift', 'order_debit', -NEW.gift, '', r.order_id, NULL, NULL, NEW.paid_at
    FROM registrations r
    WHERE r.identity_id = NEW.identity_id AND r.certification_id = NEW.certification_id
      AND r.status IN ('confirmed', 'ticket_issued') AND NEW.gift > 0;
    INSERT INTO ledger_entries (account_id, balance, kind, amount, reason, order_id, payment_id,
                                actor_id, at)
    SELECT NEW.account_id, 'cash', 'order_debit', -NEW.cash, '', r.order_id, NULL, NULL, NEW.paid_at
    FROM registrations r
    WHERE r.identity_id = NEW.identity_id AND r.certification_id = NEW.certification_id
      AND r.status IN ('confirmed', 'ticket_issued') AND NEW.cash > 0;
    -- P1: [[kind, due_at, kept_at], …]. Elements are read by path from the whole argument
    -- (SQLite parses it once per statement and caches it), never through json_each's
    -- `value`, which renders each element back to text for every use.
    INSERT INTO promises (kind, registration_id, due_at, kept_at, created_at)
    SELECT json_extract(NEW.promises, '$[' || k.key || '][0]'), r.id,
           json_extract(NEW.promises, '$[' || k.key || '][1]'),
           json_extract(NEW.promises, '$[' || k.key || '][2]'), NEW.paid_at
    FROM registrations r, json_each(NEW.promises) k
    WHERE r.identity_id = NEW.identity_id AND r.certification_id = NEW.certification_id
      AND r.status IN ('confirmed', 'ticket_issued')
    ORDER BY k.key;
    -- O6: the confirmation in the inbox, with the registration.
    INSERT INTO inbox_messages (account_id, kind, title_zh, body_zh, title_en, body_en, source_job,
                                created_at)
    SELECT json_extract(NEW.inbox, '$.account_id'), json_extract(NEW.inbox, '$.kind'),
           json_extract(NEW.inbox, '$.title_zh'), json_extract(NEW.inbox, '$.body_zh'),
           json_extract(NEW.inbox, '$.title_en'), json_extract(NEW.inbox, '$.body_en'),
           json_extract(NEW.inbox, '$.source_job'), json_extract(NEW.inbox, '$.created_at')
    WHERE NEW.inbox IS NOT NULL;
END;
";

const INSERT: &str = "
INSERT INTO register_and_pay (account_id, identity_id, certification_id, period_id, city, paid_at,
    total, voucher_id, voucher, gift, cash, pay_first, idempotency_key, request_hash, promises,
    inbox)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

/// What the paid registrations of a group became: their live registrations, by A2's key
/// `[[identity_id, certification_id], …]`.
const READ_BACK: &str = "
SELECT r.identity_id, r.certification_id, r.id AS registration_id, r.order_id, r.exam_starts_at,
       r.exam_ends_at, c.code AS certification_code
FROM json_each($1) k
JOIN registrations r ON r.identity_id = json_extract($1, '$[' || k.key || '][0]')
                    AND r.certification_id = json_extract($1, '$[' || k.key || '][1]')
                    AND r.status IN ('confirmed', 'ticket_issued')
JOIN certifications c ON c.id = r.certification_id";

/// Jobs per statement of [`enqueue`]. A group's jobs fill as many statements as they need,
/// the last one padded with NULL rows that it skips: one statement text, prepared once on the
/// writer connection, whatever the group's size.
const JOBS_PER_INSERT: usize = 64;

/// The group's jobs (P2's outbox rows: one per notification and channel), after its
/// registrations and read-back. A job keeping a promise (P1) points at the promise of that
/// kind its registration recorded. Rows are `(kind, payload, channel, dedup_key,
/// max_attempts, run_at, paid_at, registration_id, keeps)`.
static INSERT_JOBS: LazyLock<String> = LazyLock::new(|| {
    // Anonymous `?`s, bound in order: sqlx looks a numbered one's index up by name, and
    // SQLite finds a name by a scan of all of them, which at 576 parameters cost more than
    // the inserts.
    let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; JOBS_PER_INSERT];
    format!(
        "INSERT INTO jobs (kind, payload, channel, dedup_key, status, attempts, max_attempts,
                           run_at, created_at, updated_at, promise_id)
         SELECT v.column1, v.column2, v.column3, v.column4, 'pending', 0, v.column5, v.column6,
                v.column7, v.column7,
                (SELECT pr.id FROM promises pr
                 WHERE pr.registration_id = v.column8 AND pr.kind = v.column9)
         FROM (VALUES {}) v
         WHERE v.column1 IS NOT NULL
         ON CONFLICT (dedup_key) DO NOTHING",
        rows.join(", ")
    )
});

/// SQLite's extended result code for a trigger's `RAISE(ABORT, …)`.
const SQLITE_CONSTRAINT_TRIGGER: &str = "1811";

/// Writes groups on the single writer connection.
#[derive(Debug)]
pub(super) struct SqliteGroupWrite {
    pub(super) writer: SqlitePool,
}

#[async_trait]
impl GroupWrite<PaidRegistration> for SqliteGroupWrite {
    async fn write_group(&self, group: &[PaidRegistration]) -> StoreResult<Vec<Outcome>> {
        let mut tx = self
            .writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(DbError::sqlite)?;
        let mut refusals: Vec<Option<StoreError>> = Vec::with_capacity(group.len());
        for paid in group {
            refusals.push(match insert(&mut tx, paid).await? {
                Step::Paid => None,
                Step::Refused(refusal) => Some(refusal),
            });
        }
        let paid: Vec<&PaidRegistration> = group
            .iter()
            .zip(&refusals)
            .filter_map(|(paid, refusal)| refusal.is_none().then_some(paid))
            .collect();
        let mut found = read_back(&mut tx, &paid).await?;
        enqueue(&mut tx, &paid, &found).await?;
        tx.commit().await.map_err(DbError::sqlite)?;
        group
            .iter()
            .zip(refusals)
            .map(|(paid, refusal)| match refusal {
                Some(refusal) => Ok(Err(refusal)),
                None => {
                    let key = (paid.identity_id.get(), paid.certification_id.get());
                    let ids = found
                        .remove(&key)
                        .ok_or_else(|| corrupt("a paid registration was not found".into()))?;
                    Ok(Ok(records(paid, ids)))
                }
            })
            .collect()
    }
}

/// What one registration's statement came to.
enum Step {
    Paid,
    /// Written nothing; the transaction goes on.
    Refused(StoreError),
}

#[derive(Serialize)]
struct InboxRow<'a> {
    account_id: i64,
    kind: &'a str,
    title_zh: &'a str,
    body_zh: &'a str,
    title_en: &'a str,
    body_en: &'a str,
    source_job: Option<i64>,
    created_at: i64,
}

/// One registration's statement. `Err` is fatal to the group's transaction (busy, I/O).
async fn insert(conn: &mut SqliteConnection, paid: &PaidRegistration) -> StoreResult<Step> {
    let promises: Vec<(&str, i64, Option<i64>)> = paid
        .promises
        .iter()
        .map(|p| (p.kind.as_str(), ts(p.due_at), p.kept_at.map(ts)))
        .collect();
    let inbox = paid
        .inbox
        .as_ref()
        .map(|m| {
            to_json(&InboxRow {
                account_id: m.account_id.get(),
                kind: &m.kind,
                title_zh: &m.title_zh,
                body_zh: &m.body_zh,
                title_en: &m.title_en,
                body_en: &m.body_en,
                source_job: m.source_job.map(|j| j.get()),
                created_at: ts(m.created_at),
            })
        })
        .transpose()?;
    let (key, hash) = paid.idempotency.clone().unzip();
    let done = sqlx::query(INSERT)
        .bind(paid.account_id.get())
        .bind(paid.identity_id.get())
        .bind(paid.certification_id.get())
        .bind(paid.period_id.get())
        .bind(&paid.city)
        .bind(ts(paid.paid_at))
        .bind(paid.total.get())
        .bind(paid.voucher.map(|(id, _)| id.get()))
        .bind(paid.voucher.map_or(0, |(_, applied)| applied.get()))
        .bind(paid.gift.get())
        .bind(paid.cash.get())
        .bind(paid.pay_first.as_str())
        .bind(key)
        .bind(hash)
        .bind(to_json(&promises)?)
        .bind(inbox)
        .execute(conn)
        .await;
    match done {
        Ok(_) => Ok(Step::Paid),
        Err(e) => refusal(e).map(Step::Refused),
    }
}

/// A refusal of this registration alone, or (`Err`) a failure of the whole transaction.
fn refusal(e: sqlx::Error) -> StoreResult<StoreError> {
    let sqlx::Error::Database(d) = &e else {
        return Err(DbError::sqlite(e).into());
    };
    if d.code().as_deref() == Some(SQLITE_CONSTRAINT_TRIGGER) {
        let refused = match d.message().strip_prefix("certdesk_refused:") {
            Some("not_found") => StoreError::NotFound,
            Some("no_seats_left") => StoreError::Conflict(Conflict::NoSeatsLeft),
            Some("idempotency_key_used") => StoreError::Conflict(Conflict::IdempotencyKeyUsed),
            Some("insufficient_balance") => StoreError::Conflict(Conflict::InsufficientBalance),
            Some("voucher_unavailable") => StoreError::Conflict(Conflict::VoucherUnavailable),
            Some("already_registered") => StoreError::Conflict(Conflict::AlreadyRegistered),
            // Another trigger (the append-only ledger's): a defect, for this registration.
            _ => StoreError::Other(anyhow::Error::new(e)),
        };
        return Ok(refused);
    }
    Ok(match d.kind() {
        sqlx::error::ErrorKind::ForeignKeyViolation => StoreError::NotFound,
        sqlx::error::ErrorKind::UniqueViolation
        | sqlx::error::ErrorKind::CheckViolation
        | sqlx::error::ErrorKind::NotNullViolation => StoreError::Other(anyhow::Error::new(e)),
        // Busy, I/O and the like: the transaction itself is in doubt.
        _ => return Err(DbError::sqlite(e).into()),
    })
}

/// The ids and sitting of every paid registration, by (identity, certification).
async fn read_back(
    conn: &mut SqliteConnection,
    paid: &[&PaidRegistration],
) -> StoreResult<HashMap<(i64, i64), PaidIds>> {
    if paid.is_empty() {
        return Ok(HashMap::new());
    }
    let keys: Vec<(i64, i64)> = paid
        .iter()
        .map(|p| (p.identity_id.get(), p.certification_id.get()))
        .collect();
    let rows = sqlx::query(READ_BACK)
        .bind(to_json(&keys)?)
        .fetch_all(conn)
        .await
        .map_err(DbError::sqlite)?;
    let mut found = HashMap::with_capacity(rows.len());
    for row in rows.into_iter().map(Row::Sqlite) {
        found.insert(
            (row.int("identity_id")?, row.int("certification_id")?),
            PaidIds::from_row(&row)?,
        );
    }
    Ok(found)
}

/// Writes the jobs of the group's paid registrations in [`JOBS_PER_INSERT`]-row statements.
///
/// Outside the trigger on purpose: there each job's fields came through JSON, parsed and
/// rendered again per field, and each registration's statement journalled the pages its jobs
/// touched. Bound values in one statement per 64 jobs cost about a third as much (callgrind,
/// `store_rush` with three outside channels; docs/performance.md). A failure here is the
/// group's (a job cannot be refused: a repeated dedup key keeps the first job).
async fn enqueue(
    conn: &mut SqliteConnection,
    paid: &[&PaidRegistration],
    found: &HashMap<(i64, i64), PaidIds>,
) -> StoreResult<()> {
    let mut rows = Vec::new();
    for registration in paid {
        let key = (
            registration.identity_id.get(),
            registration.certification_id.get(),
        );
        let ids = found
            .get(&key)
            .ok_or_else(|| corrupt("a paid registration was not found".into()))?;
        for job in &registration.jobs {
            rows.push((job, ts(registration.paid_at), ids.registration));
        }
    }
    for chunk in rows.chunks(JOBS_PER_INSERT) {
        let mut insert = sqlx::query(INSERT_JOBS.as_str());
        for (job, paid_at, registration) in chunk {
            insert = insert
                .bind(job.kind.as_str())
                .bind(to_json(&job.payload)?)
                .bind(job.channel.as_deref())
                .bind(job.dedup_key.as_deref())
                .bind(i64::from(job.max_attempts))
                .bind(ts(job.run_at))
                .bind(*paid_at)
                .bind(*registration)
                .bind(job.keeps_promise.map(|kind| kind.as_str()));
        }
        for _ in chunk.len()..JOBS_PER_INSERT {
            insert = insert
                .bind(None::<&str>)
                .bind(None::<String>)
                .bind(None::<&str>)
                .bind(None::<&str>)
                .bind(None::<i64>)
                .bind(None::<i64>)
                .bind(None::<i64>)
                .bind(None::<i64>)
                .bind(None::<&str>);
        }
        insert.execute(&mut *conn).await.map_err(DbError::sqlite)?;
    }
    Ok(())
}
