//! O7: a reschedule in one transaction. The registration row is read first and locked (on
//! PostgreSQL; SQLite's single writer already holds the write lock), so of two concurrent
//! reschedules of one registration the second reads the first's result and is refused; the
//! move itself is a conditional UPDATE on what the use case saw (period and reschedules used)
//! as well. The target's seat is taken with `… AND taken < capacity` and the old one released,
//! the two pools in ascending id order — so two opposite moves between the same pools lock
//! them in the same order and cannot deadlock — and last, so their rows, which every buyer of
//! the city updates, are held for little more than the commit (lock order: registration, seat
//! pools, as everywhere in the official channel).

use async_trait::async_trait;
use certdesk_domain::RegistrationId;
use certdesk_store::{
    Conflict, Registration, Reschedule, RescheduleCommit, RescheduleStore, StoreError, StoreResult,
};

use super::orders::registration_by_id;
use super::rows::{self, RESCHEDULE_COLUMNS};
use super::seats;
use crate::SqlStore;
use crate::convert::ts;
use crate::db::{Tx, query};

fn conflict(c: Conflict) -> StoreError {
    StoreError::Conflict(c)
}

/// Where the registration is now: what the move starts from.
struct From {
    period: i64,
    pool: i64,
    city: String,
    starts_at: i64,
    certification: i64,
}

/// The registration as it stands, locked; refused unless it is still what the use case saw.
async fn current(tx: &mut Tx, c: &RescheduleCommit) -> StoreResult<From> {
    let row = query(locked!(
        "SELECT period_id, seat_pool_id, city, exam_starts_at, certification_id, channel, attempt,
                status, reschedules_used
         FROM registrations WHERE id = $1"
    ))
    .bind(c.registration_id.get())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let confirmed_first = row.text("channel")? == "official"
        && row.text("attempt")? == "first"
        && row.text("status")? == "confirmed";
    let (Some(period), Some(pool), Some(city), true) = (
        row.int_opt("period_id")?,
        row.int_opt("seat_pool_id")?,
        row.text_opt("city")?,
        confirmed_first,
    ) else {
        return Err(conflict(Conflict::RegistrationChanged));
    };
    if period != c.from_period_id.get()
        || row.int("reschedules_used")? != i64::from(c.reschedules_used)
    {
        return Err(conflict(Conflict::RescheduleUsed));
    }
    Ok(From {
        period,
        pool,
        city,
        starts_at: row.int("exam_starts_at")?,
        certification: row.int("certification_id")?,
    })
}

pub(super) async fn commit(store: &SqlStore, c: RescheduleCommit) -> StoreResult<Registration> {
    if c.jobs.iter().any(|j| j.keeps_promise.is_some()) {
        return Err(StoreError::Other(anyhow::anyhow!(
            "a reschedule records no promise for a job to keep"
        )));
    }
    let mut tx = store.begin().await?;
    let from = current(&mut tx, &c).await?;
    if c.to_period_id.get() == from.period {
        return Err(StoreError::Other(anyhow::anyhow!(
            "registration {} would move to the period it is on",
            c.registration_id
        )));
    }
    // The target: a city of a period of the same certification.
    let target = seats::target(
        &mut tx,
        c.to_period_id.get(),
        &c.to_city,
        from.certification,
    )
    .await?;
    let to_pool = target.pool;
    let to_starts_at = target.starts_at;
    let moved = query(
        "UPDATE registrations
         SET period_id = $2, seat_pool_id = $3, city = $4, exam_starts_at = $5, exam_ends_at = $6,
             reschedules_used = reschedules_used + 1
         WHERE id = $1 AND status = 'confirmed' AND attempt = 'first'
           AND period_id = $7 AND reschedules_used = $8",
    )
    .bind(c.registration_id.get())
    .bind(c.to_period_id.get())
    .bind(to_pool)
    .bind(&c.to_city)
    .bind(to_starts_at)
    .bind(target.ends_at)
    .bind(from.period)
    .bind(i64::from(c.reschedules_used))
    .execute(&mut tx)
    .await?;
    if moved != 1 {
        return Err(conflict(Conflict::RescheduleUsed));
    }
    // P1: the promises that follow the sitting, while still owed.
    for p in &c.promises {
        query(
            "UPDATE promises SET due_at = $3
             WHERE registration_id = $1 AND kind = $2 AND kept_at IS NULL AND voided_at IS NULL",
        )
        .bind(c.registration_id.get())
        .bind(p.kind.as_str())
        .bind(ts(p.due_at))
        .execute(&mut tx)
        .await?;
    }
    query(
        "INSERT INTO reschedules (registration_id, from_period_id, from_seat_pool_id, from_city,
                                  from_starts_at, to_period_id, to_seat_pool_id, to_city,
                                  to_starts_at, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(c.registration_id.get())
    .bind(from.period)
    .bind(from.pool)
    .bind(&from.city)
    .bind(from.starts_at)
    .bind(c.to_period_id.get())
    .bind(to_pool)
    .bind(&c.to_city)
    .bind(to_starts_at)
    .bind(ts(c.at))
    .execute(&mut tx)
    .await?;
    if let Some(message) = &c.inbox {
        crate::inbox::insert(&mut tx, message).await?;
    }
    crate::jobs::enqueue(&mut tx, &c.jobs, Some(c.at)).await?;
    let registration = registration_by_id(&mut tx, c.registration_id).await?;
    // O3: the seats last, in ascending pool id order. A full target writes nothing: the
    // transaction is dropped, so rolled back.
    let seat_taken = if to_pool < from.pool {
        let taken = seats::take(&mut tx, to_pool).await?;
        if taken {
            seats::release(&mut tx, from.pool).await?;
        }
        taken
    } else {
        seats::release(&mut tx, from.pool).await?;
        seats::take(&mut tx, to_pool).await?
    };
    if !seat_taken {
        return Err(conflict(Conflict::NoSeatsLeft));
    }
    tx.commit().await?;
    tracing::debug!(registration_id = %c.registration_id, to_period_id = %c.to_period_id, "registration rescheduled");
    Ok(registration)
}

#[async_trait]
impl RescheduleStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(registration_id = %reschedule.registration_id))]
    async fn commit_reschedule(&self, reschedule: RescheduleCommit) -> StoreResult<Registration> {
        commit(self, reschedule).await
    }

    async fn list_reschedules(&self, registration: RegistrationId) -> StoreResult<Vec<Reschedule>> {
        let sql = format!(
            "SELECT {RESCHEDULE_COLUMNS} FROM reschedules WHERE registration_id = $1 ORDER BY id"
        );
        let rows = query(&sql)
            .bind(registration.get())
            .fetch_all(self.read())
            .await?;
        rows.iter().map(rows::reschedule).collect()
    }
}
