//! O8: a retake registered in one transaction. The first attempt's row is read first and
//! locked (on PostgreSQL; SQLite's single writer already holds the write lock), so of two
//! concurrent retakes of one first attempt the second reads the first's retake and is refused
//! (`registrations_retake_of_unique` backs this up). The retake is a registration of its own —
//! attempt `retake`, no order, `retake_of` the first attempt — whose insert meets A2's live
//! key. Its seat is taken last with `… AND taken < capacity` (lock order: registration, seat
//! pool, as everywhere in the official channel), so a full city writes nothing.

use async_trait::async_trait;
use certdesk_store::{Conflict, Registration, RetakeCommit, RetakeStore, StoreError, StoreResult};

use super::orders::registration_by_id;
use super::{promises, seats};
use crate::SqlStore;
use crate::convert::ts;
use crate::db::{DbResult, Row, Tx, query};

fn conflict(c: Conflict) -> StoreError {
    StoreError::Conflict(c)
}

/// The first attempt the retake follows, locked: its person and certification.
struct First {
    identity: i64,
    certification: i64,
}

/// The first attempt as it stands; refused unless it is a failed or absent first attempt of
/// the official channel that has not given its retake yet.
async fn first_attempt(tx: &mut Tx, c: &RetakeCommit) -> StoreResult<First> {
    let row = query(locked!(
        "SELECT identity_id, certification_id, channel, attempt, status
         FROM registrations WHERE id = $1"
    ))
    .bind(c.first_registration_id.get())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let status = row.text("status")?;
    if row.text("channel")? != "official"
        || row.text("attempt")? != "first"
        || !matches!(status.as_str(), "failed" | "absent")
    {
        return Err(conflict(Conflict::RegistrationChanged));
    }
    if retake_taken(tx, c.first_registration_id).await? {
        return Err(conflict(Conflict::RetakeUsed));
    }
    Ok(First {
        identity: row.int("identity_id")?,
        certification: row.int("certification_id")?,
    })
}

/// O8/I6: has the first attempt given its retake already?
pub(crate) async fn retake_taken(
    tx: &mut Tx,
    first: certdesk_domain::RegistrationId,
) -> StoreResult<bool> {
    let taken = query("SELECT id FROM registrations WHERE retake_of = $1")
        .bind(first.get())
        .fetch_optional(&mut *tx)
        .await?;
    Ok(taken.is_some())
}

/// The retake registration's id, or what its INSERT met: A2's live key
/// (`Conflict::AlreadyRegistered`) or the first attempt's retake key (`Conflict::RetakeUsed`;
/// on SQLite the single writer already read no retake, so only PostgreSQL meets it here).
/// Both channels' retakes (O8, I6) insert this way.
pub(crate) fn retake_inserted(inserted: DbResult<Row>) -> StoreResult<i64> {
    match inserted {
        Ok(row) => row.int("id"),
        Err(e) if e.is_unique_violation("registrations_live_unique") => {
            Err(conflict(Conflict::AlreadyRegistered))
        }
        Err(e) if e.is_unique_violation("registrations_retake_of_unique") => {
            Err(conflict(Conflict::RetakeUsed))
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn commit(store: &SqlStore, c: RetakeCommit) -> StoreResult<Registration> {
    if c.jobs.iter().any(|j| j.keeps_promise.is_some()) {
        return Err(StoreError::Other(anyhow::anyhow!(
            "a retake's jobs keep no promise"
        )));
    }
    let mut tx = store.begin().await?;
    let first = first_attempt(&mut tx, &c).await?;
    let target = seats::target(&mut tx, c.period_id.get(), &c.city, first.certification).await?;
    let inserted = query(
        "INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt,
                                    status, period_id, seat_pool_id, city, exam_starts_at,
                                    exam_ends_at, created_at, retake_of)
         VALUES ($1, $2, $3, 'official', 'retake', 'confirmed', $4, $5, $6, $7, $8, $9, $10)
         RETURNING id",
    )
    .bind(first.identity)
    .bind(c.account_id.get())
    .bind(first.certification)
    .bind(c.period_id.get())
    .bind(target.pool)
    .bind(&c.city)
    .bind(target.starts_at)
    .bind(target.ends_at)
    .bind(ts(c.at))
    .bind(c.first_registration_id.get())
    .fetch_one(&mut tx)
    .await;
    let id = retake_inserted(inserted)?;
    promises::record(&mut tx, id, &c.promises, c.at).await?;
    if let Some(message) = &c.inbox {
        crate::inbox::insert(&mut tx, message).await?;
    }
    crate::jobs::enqueue(&mut tx, &c.jobs, Some(c.at)).await?;
    let registration = registration_by_id(&mut tx, certdesk_domain::RegistrationId(id)).await?;
    // O3: the seat last. A full city writes nothing: the transaction is dropped, so rolled
    // back.
    if !seats::take(&mut tx, target.pool).await? {
        return Err(conflict(Conflict::NoSeatsLeft));
    }
    tx.commit().await?;
    tracing::debug!(registration_id = id, first_registration_id = %c.first_registration_id, "retake registered");
    Ok(registration)
}

#[async_trait]
impl RetakeStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(first_registration_id = %retake.first_registration_id))]
    async fn commit_retake(&self, retake: RetakeCommit) -> StoreResult<Registration> {
        commit(self, retake).await
    }
}
