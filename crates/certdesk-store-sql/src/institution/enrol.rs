//! I1: a registration without an account, and its payment reported paid.
//!
//! The candidate's contact becomes an account row of kind `contact`: it has no password (its
//! hash `!` verifies nothing) and an email key no address can equal (`contact:<id>`), so it
//! can never sign in, yet notices, results and certificates reach it by the paths every
//! account uses. Its identity is the person's (found by the blind index, A2), verified for
//! the contact and not counted against A2's accounts-per-person limit.

use certdesk_domain::RegistrationId;
use certdesk_store::{
    Conflict, InstitutionPaymentCommit, InstitutionPaymentOutcome, InstitutionRegistration,
    NewInstitutionRegistration, Payment, StoreError, StoreResult,
};

use super::rows;
use super::setup::current_version;
use crate::SqlStore;
use crate::convert::ts;
use crate::db::{Tx, missing_reference, query};
use crate::official::rows::{PAYMENT_COLUMNS, payment};

fn conflict(c: Conflict) -> StoreError {
    StoreError::Conflict(c)
}

/// The contact account; its email key is made unique by its own id.
async fn insert_contact(tx: &mut Tx, new: &NewInstitutionRegistration) -> StoreResult<i64> {
    let pending_key = format!(
        "contact:new:{}:{}",
        ts(new.at),
        new.blind_index
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let id = query(
        "INSERT INTO accounts (email, email_key, phone, password_hash, roles, institution_id,
                               opted_out, created_at, kind, locale)
         VALUES ($1, $2, $3, '!', '[]', $4, '[]', $5, 'contact', $6) RETURNING id",
    )
    .bind(new.email.as_str())
    .bind(pending_key)
    .bind(new.phone.e164())
    .bind(new.institution_id.get())
    .bind(ts(new.at))
    .bind(&new.locale)
    .fetch_one(&mut *tx)
    .await?
    .int("id")?;
    query("UPDATE accounts SET email_key = $2 WHERE id = $1")
        .bind(id)
        .bind(format!("contact:{id}"))
        .execute(&mut *tx)
        .await?;
    Ok(id)
}

/// The person's identity row (created on first sight), verified for the contact.
async fn attach_identity(
    tx: &mut Tx,
    contact: i64,
    new: &NewInstitutionRegistration,
) -> StoreResult<i64> {
    let identity = crate::identity::person(
        tx,
        &new.blind_index,
        &new.id_number_ciphertext,
        &new.id_number_masked,
        new.at,
    )
    .await?;
    query(
        "INSERT INTO account_identities
             (account_id, identity_id, status, real_name, reason, submitted_at, decided_at, decided_by)
         VALUES ($1, $2, 'verified', $3, NULL, $4, $4, NULL)",
    )
    .bind(contact)
    .bind(identity)
    .bind(&new.real_name)
    .bind(ts(new.at))
    .execute(&mut *tx)
    .await?;
    Ok(identity)
}

pub(super) async fn commit_registration(
    store: &SqlStore,
    new: NewInstitutionRegistration,
) -> StoreResult<(InstitutionRegistration, Payment)> {
    let mut tx = store.begin().await?;
    // I1: the version is read under the institution's lock, which a new version's
    // publication also takes: a registration never accepts a version already superseded.
    super::setup::lock_institution(&mut tx, new.institution_id).await?;
    if current_version(&mut tx, new.institution_id).await? != new.agreement_version {
        return Err(conflict(Conflict::AgreementOutdated));
    }
    let contact = insert_contact(&mut tx, &new).await?;
    let identity = attach_identity(&mut tx, contact, &new).await?;
    // A2: refused early when the person already holds a live registration (the unique key
    // decides at payment, when this one becomes live).
    let live = query(
        "SELECT id FROM registrations WHERE identity_id = $1 AND certification_id = $2
           AND status IN ('confirmed', 'ticket_issued')",
    )
    .bind(identity)
    .bind(new.certification_id.get())
    .fetch_optional(&mut tx)
    .await?;
    if live.is_some() {
        return Err(conflict(Conflict::AlreadyRegistered));
    }
    let sql = format!(
        "INSERT INTO payments (account_id, gateway, amount, status, created_at, purpose)
         VALUES ($1, $2, $3, 'pending', $4, 'institution_registration') RETURNING {PAYMENT_COLUMNS}"
    );
    let paying = payment(
        &query(&sql)
            .bind(contact)
            .bind(&new.gateway)
            .bind(new.fee.get())
            .bind(ts(new.at))
            .fetch_one(&mut tx)
            .await?,
    )?;
    let id = query(
        "INSERT INTO registrations (identity_id, account_id, certification_id, channel, attempt,
                                    status, created_at)
         VALUES ($1, $2, $3, 'institution', 'first', 'awaiting_payment', $4) RETURNING id",
    )
    .bind(identity)
    .bind(contact)
    .bind(new.certification_id.get())
    .bind(ts(new.at))
    .fetch_one(&mut tx)
    .await
    .map_err(missing_reference)?
    .int("id")?;
    query(
        "INSERT INTO institution_registrations (registration_id, institution_id, agreement_version,
             agreement_accepted_at, payment_id, paid)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(new.institution_id.get())
    .bind(i64::from(new.agreement_version))
    .bind(ts(new.at))
    .bind(paying.id.get())
    .bind(new.fee.get())
    .execute(&mut tx)
    .await?;
    let registered = rows::load(&mut tx, RegistrationId(id)).await?;
    tx.commit().await?;
    tracing::debug!(
        registration_id = id,
        "institution registration awaiting payment"
    );
    Ok((registered, paying))
}

/// The registration an institution payment pays for, if it is one.
pub(super) async fn registration_paid_by<'c>(
    on: impl crate::db::Exec<'c>,
    payment: certdesk_domain::PaymentId,
) -> StoreResult<Option<RegistrationId>> {
    let row = query("SELECT registration_id FROM institution_registrations WHERE payment_id = $1")
        .bind(payment.get())
        .fetch_optional(on)
        .await?;
    row.map(|r| r.int("registration_id").map(RegistrationId))
        .transpose()
}

/// I1/I4: pending (or cancelled: the money arrived) → succeeded, and the registration it pays
/// for confirmed with its promises, jobs and inbox message. A repeat changes nothing.
pub(super) async fn commit_payment(
    store: &SqlStore,
    c: InstitutionPaymentCommit,
) -> StoreResult<InstitutionPaymentOutcome> {
    let mut tx = store.begin().await?;
    let registration = registration_paid_by(&mut tx, c.payment_id)
        .await?
        .ok_or(StoreError::NotFound)?
        .get();
    let sql = format!(
        "UPDATE payments SET status = 'succeeded', gateway_ref = $2, completed_at = $3
         WHERE id = $1 AND status IN ('pending', 'cancelled') RETURNING {PAYMENT_COLUMNS}"
    );
    let updated = query(&sql)
        .bind(c.payment_id.get())
        .bind(&c.gateway_ref)
        .bind(ts(c.at))
        .fetch_optional(&mut tx)
        .await?;
    let Some(row) = updated else {
        let paid = crate::official::payments::get(&mut tx, c.payment_id).await?;
        return Ok(InstitutionPaymentOutcome {
            payment: paid,
            registration_id: RegistrationId(registration),
            confirmed: false,
        });
    };
    let paid = payment(&row)?;
    let confirmed = query(
        "UPDATE registrations SET status = 'confirmed'
         WHERE id = $1 AND status = 'awaiting_payment'",
    )
    .bind(registration)
    .execute(&mut tx)
    .await;
    match confirmed {
        Ok(1) => {}
        Ok(_) => return Err(conflict(Conflict::RegistrationChanged)),
        Err(e) if e.is_unique_violation("registrations_live_unique") => {
            return Err(conflict(Conflict::AlreadyRegistered));
        }
        Err(e) => return Err(e.into()),
    }
    crate::official::promises::record(&mut tx, registration, &c.promises, c.at).await?;
    if let Some(message) = &c.inbox {
        crate::inbox::insert(&mut tx, message).await?;
    }
    crate::jobs::enqueue_for_registration(&mut tx, registration, &c.jobs, c.at).await?;
    tx.commit().await?;
    tracing::debug!(
        registration_id = registration,
        "institution registration paid"
    );
    Ok(InstitutionPaymentOutcome {
        payment: paid,
        registration_id: RegistrationId(registration),
        confirmed: true,
    })
}
