//! I3/I5/I6/I8 commits: an appointment booked or moved, the retake booked at once, a staff
//! refund. Lock order, as in the official channel: the registration row first (`locked!`),
//! then the slot; a slot's seat is taken with `… AND taken < capacity`, so a full slot writes
//! nothing under any concurrency.

use certdesk_domain::{Fen, RegistrationId};
use certdesk_store::{
    AppointmentCommit, Conflict, InstitutionRefund, InstitutionRefundCommit,
    InstitutionRegistration, InstitutionRetakeCommit, StoreError, StoreResult,
};
use jiff::{SignedDuration, Timestamp};

use super::rows;
use crate::SqlStore;
use crate::convert::{from_ts, ts};
use crate::db::{Row, Tx, query};

fn conflict(c: Conflict) -> StoreError {
    StoreError::Conflict(c)
}

/// Takes a seat of `slot`; `Conflict::SlotFull` when none is left. Answers its start.
async fn take_seat(tx: &mut Tx, slot: i64) -> StoreResult<Timestamp> {
    let row = query(
        "UPDATE slots SET taken = taken + 1 WHERE id = $1 AND taken < capacity RETURNING starts_at",
    )
    .bind(slot)
    .fetch_optional(&mut *tx)
    .await?;
    match row {
        Some(row) => from_ts(row.int("starts_at")?),
        None => {
            let exists = query("SELECT id FROM slots WHERE id = $1")
                .bind(slot)
                .fetch_optional(&mut *tx)
                .await?;
            Err(if exists.is_some() {
                conflict(Conflict::SlotFull)
            } else {
                StoreError::NotFound
            })
        }
    }
}

async fn release_seat(tx: &mut Tx, slot: i64) -> StoreResult<()> {
    query("UPDATE slots SET taken = taken - 1 WHERE id = $1")
        .bind(slot)
        .execute(tx)
        .await?;
    Ok(())
}

fn ends(starts_at: Timestamp, minutes: u32) -> Timestamp {
    starts_at
        .checked_add(SignedDuration::from_mins(i64::from(minutes)))
        .unwrap_or(Timestamp::MAX)
}

/// The registration row, locked, refused unless it is a live one of the institution channel.
async fn lock_live(tx: &mut Tx, id: RegistrationId) -> StoreResult<Row> {
    let row = query(locked!(
        "SELECT id, status, channel, attempt, slot_id, identity_id, account_id, certification_id,
                retake_of
         FROM registrations WHERE id = $1"
    ))
    .bind(id.get())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    if row.text("channel")? != "institution" {
        return Err(StoreError::NotFound);
    }
    Ok(row)
}

pub(super) async fn commit_appointment(
    store: &SqlStore,
    c: AppointmentCommit,
) -> StoreResult<InstitutionRegistration> {
    let mut tx = store.begin().await?;
    let row = lock_live(&mut tx, c.registration_id).await?;
    let current = row.int_opt("slot_id")?;
    if !matches!(row.text("status")?.as_str(), "confirmed" | "ticket_issued")
        || current != c.from_slot.map(|s| s.get())
    {
        return Err(conflict(Conflict::RegistrationChanged));
    }
    if current == Some(c.to_slot.get()) {
        return Err(conflict(Conflict::RegistrationChanged));
    }
    let starts_at = take_seat(&mut tx, c.to_slot.get()).await?;
    if let Some(old) = current {
        release_seat(&mut tx, old).await?;
    }
    query(
        "UPDATE registrations SET slot_id = $2, exam_starts_at = $3, exam_ends_at = $4,
                reschedules_used = reschedules_used + $5
         WHERE id = $1",
    )
    .bind(c.registration_id.get())
    .bind(c.to_slot.get())
    .bind(ts(starts_at))
    .bind(ts(ends(starts_at, c.duration_minutes)))
    .bind(i64::from(current.is_some()))
    .execute(&mut tx)
    .await?;
    let (staff, reason) = match &c.staff {
        Some((staff, reason)) => (Some(staff.get()), Some(reason.as_str())),
        None => (None, None),
    };
    query(
        "INSERT INTO appointment_changes (registration_id, from_slot_id, to_slot_id, staff_id,
                                          reason, at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(c.registration_id.get())
    .bind(current)
    .bind(c.to_slot.get())
    .bind(staff)
    .bind(reason)
    .bind(ts(c.at))
    .execute(&mut tx)
    .await?;
    crate::jobs::enqueue(&mut tx, &c.jobs, Some(c.at)).await?;
    let booked = rows::load(&mut tx, c.registration_id).await?;
    tx.commit().await?;
    Ok(booked)
}

pub(super) async fn commit_retake(
    store: &SqlStore,
    c: InstitutionRetakeCommit,
) -> StoreResult<InstitutionRegistration> {
    let mut tx = store.begin().await?;
    let first = lock_live(&mut tx, c.first_registration_id).await?;
    if first.text("attempt")? != "first"
        || !matches!(first.text("status")?.as_str(), "failed" | "absent")
    {
        return Err(conflict(Conflict::RegistrationChanged));
    }
    if crate::official::retake::retake_taken(&mut tx, c.first_registration_id).await? {
        return Err(conflict(Conflict::RetakeUsed));
    }
    let starts_at = take_seat(&mut tx, c.slot_id.get()).await?;
    let inserted = query(
        "INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt,
                                    status, exam_starts_at, exam_ends_at, created_at, retake_of,
                                    slot_id)
         VALUES ($1, $2, $3, 'institution', 'retake', 'confirmed', $4, $5, $6, $7, $8)
         RETURNING id",
    )
    .bind(first.int("identity_id")?)
    .bind(first.int("account_id")?)
    .bind(first.int("certification_id")?)
    .bind(ts(starts_at))
    .bind(ts(ends(starts_at, c.duration_minutes)))
    .bind(ts(c.at))
    .bind(c.first_registration_id.get())
    .bind(c.slot_id.get())
    .fetch_one(&mut tx)
    .await;
    let id = crate::official::retake::retake_inserted(inserted)?;
    query(
        "INSERT INTO appointment_changes (registration_id, from_slot_id, to_slot_id, at)
         VALUES ($1, NULL, $2, $3)",
    )
    .bind(id)
    .bind(c.slot_id.get())
    .bind(ts(c.at))
    .execute(&mut tx)
    .await?;
    crate::official::promises::record(&mut tx, id, &c.promises, c.at).await?;
    crate::jobs::enqueue_for_registration(&mut tx, id, &c.jobs, c.at).await?;
    let booked = rows::load(&mut tx, RegistrationId(id)).await?;
    tx.commit().await?;
    Ok(booked)
}

/// I8: the amount is added to what was refunded only while the sum stays within what was
/// paid (one conditional UPDATE, so concurrent refunds never exceed it). When nothing
/// remains, the purchase is undone: every live registration it led to (the first attempt,
/// or the retake that followed) is cancelled, its seat released and its promises voided.
pub(super) async fn commit_refund(
    store: &SqlStore,
    c: InstitutionRefundCommit,
) -> StoreResult<InstitutionRefund> {
    let mut tx = store.begin().await?;
    let row = query(
        "UPDATE institution_registrations SET refunded = refunded + $2
         WHERE registration_id = $1 AND refunded + $2 <= paid RETURNING paid, refunded",
    )
    .bind(c.registration_id.get())
    .bind(c.amount.get())
    .fetch_optional(&mut tx)
    .await?;
    let Some(row) = row else {
        let exists = query("SELECT paid FROM institution_registrations WHERE registration_id = $1")
            .bind(c.registration_id.get())
            .fetch_optional(&mut tx)
            .await?;
        return Err(match exists {
            Some(_) => conflict(Conflict::RefundExceedsPaid),
            None => StoreError::NotFound,
        });
    };
    let remaining = row.int("paid")? - row.int("refunded")?;
    let id = query(
        "INSERT INTO institution_refunds (registration_id, amount, reason, staff_id, at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(c.registration_id.get())
    .bind(c.amount.get())
    .bind(&c.reason)
    .bind(c.staff_id.get())
    .bind(ts(c.at))
    .fetch_one(&mut tx)
    .await?
    .int("id")?;
    let mut cancelled = false;
    if remaining == 0 {
        let live = query(
            "SELECT id, slot_id FROM registrations
             WHERE (id = $1 OR retake_of = $1) AND status IN ('confirmed', 'ticket_issued', 'awaiting_payment')",
        )
        .bind(c.registration_id.get())
        .fetch_all(&mut tx)
        .await?;
        for r in &live {
            let id = r.int("id")?;
            query("UPDATE registrations SET status = 'cancelled', cancelled_at = $2 WHERE id = $1")
                .bind(id)
                .bind(ts(c.at))
                .execute(&mut tx)
                .await?;
            if let Some(slot) = r.int_opt("slot_id")? {
                release_seat(&mut tx, slot).await?;
            }
            crate::official::promises::void_open(&mut tx, id, c.at).await?;
            cancelled = true;
        }
    }
    crate::audit::insert(&mut tx, &c.audit).await?;
    crate::jobs::enqueue(&mut tx, &c.jobs, Some(c.at)).await?;
    tx.commit().await?;
    Ok(InstitutionRefund {
        id,
        registration_id: c.registration_id,
        amount: c.amount,
        reason: c.reason,
        staff_id: c.staff_id,
        at: c.at,
        remaining: Fen::new(remaining)
            .map_err(|_| crate::convert::corrupt("refund remainder".into()))?,
        cancelled,
    })
}

pub(super) async fn list_refunds(
    store: &SqlStore,
    registration: RegistrationId,
) -> StoreResult<Vec<InstitutionRefund>> {
    let rows = query(
        "SELECT f.id, f.registration_id, f.amount, f.reason, f.staff_id, f.at, e.paid
         FROM institution_refunds f
         JOIN institution_registrations e ON e.registration_id = f.registration_id
         WHERE f.registration_id = $1 ORDER BY f.id",
    )
    .bind(registration.get())
    .fetch_all(store.read())
    .await?;
    // What remained after each refund: the paid amount less the refunds so far, in order.
    let mut remaining = None;
    rows.iter()
        .map(|r| {
            let amount = crate::official::rows::fen(r, "amount")?;
            let left = remaining.unwrap_or(r.int("paid")?) - amount.get();
            remaining = Some(left);
            Ok(InstitutionRefund {
                id: r.int("id")?,
                registration_id: RegistrationId(r.int("registration_id")?),
                amount,
                reason: r.text("reason")?,
                staff_id: certdesk_domain::AccountId(r.int("staff_id")?),
                at: from_ts(r.int("at")?)?,
                remaining: Fen::new(left)
                    .map_err(|_| crate::convert::corrupt("refund remainder".into()))?,
                cancelled: false,
            })
        })
        .collect()
}
