//! An institution registration read back: the registration's own columns (as
//! `official/rows.rs` reads them), its enrolment (a retake's is its first attempt's), its
//! slot and the contact the candidate gave — one SELECT.

use std::sync::LazyLock;

use certdesk_domain::{
    Email, InstitutionId, PaymentId, Phone, RegistrationId, SlotId, TestCentreId,
};
use certdesk_store::{Enrolment, InstitutionRegistration, Slot, StoreError, StoreResult};

use crate::convert::{corrupt, from_ts, to_u32};
use crate::db::{Exec, Row, query};
use crate::official::rows::{REGISTRATION_SELECT, fen, registration};

/// `REGISTRATION_SELECT` with the enrolment, slot and contact columns and joins.
pub(super) static SELECT: LazyLock<String> = LazyLock::new(|| {
    let (columns, from) = REGISTRATION_SELECT
        .split_once("\nFROM registrations r")
        .expect("REGISTRATION_SELECT selects FROM registrations r");
    format!(
        "{columns},
       e.registration_id AS e_registration_id, e.institution_id AS e_institution_id,
       e.agreement_version, e.agreement_accepted_at, e.payment_id, e.paid, e.refunded,
       s.id AS s_id, s.test_centre_id AS s_centre_id, tc.institution_id AS s_institution_id,
       s.starts_at AS s_starts_at, s.capacity AS s_capacity, s.taken AS s_taken,
       ai.real_name AS contact_real_name, a.email AS contact_email, a.phone AS contact_phone,
       r.checked_in_at
FROM registrations r{from}
JOIN institution_registrations e ON e.registration_id = COALESCE(r.retake_of, r.id)
JOIN accounts a ON a.id = r.account_id
LEFT JOIN account_identities ai ON ai.account_id = r.account_id
LEFT JOIN slots s ON s.id = r.slot_id
LEFT JOIN test_centres tc ON tc.id = s.test_centre_id"
    )
});

pub(super) fn institution_registration(row: &Row) -> StoreResult<InstitutionRegistration> {
    let slot = match row.int_opt("s_id")? {
        None => None,
        Some(id) => Some(Slot {
            id: SlotId(id),
            test_centre_id: TestCentreId(row.int("s_centre_id")?),
            institution_id: InstitutionId(row.int("s_institution_id")?),
            starts_at: from_ts(row.int("s_starts_at")?)?,
            capacity: to_u32(row.int("s_capacity")?, "slot capacity")?,
            taken: to_u32(row.int("s_taken")?, "slot seats taken")?,
        }),
    };
    let email = row.text("contact_email")?;
    Ok(InstitutionRegistration {
        registration: registration(row)?,
        enrolment: Enrolment {
            registration_id: RegistrationId(row.int("e_registration_id")?),
            institution_id: InstitutionId(row.int("e_institution_id")?),
            agreement_version: to_u32(row.int("agreement_version")?, "agreement version")?,
            agreement_accepted_at: from_ts(row.int("agreement_accepted_at")?)?,
            payment_id: PaymentId(row.int("payment_id")?),
            paid: fen(row, "paid")?,
            refunded: fen(row, "refunded")?,
        },
        slot,
        real_name: row.text_opt("contact_real_name")?.unwrap_or_default(),
        email: Email::parse(&email).map_err(|_| corrupt("contact email".into()))?,
        phone: row
            .text_opt("contact_phone")?
            .map(|p| Phone::parse(&p))
            .transpose()
            .map_err(|_| corrupt("contact phone".into()))?,
        checked_in_at: crate::convert::from_ts_opt(row.int_opt("checked_in_at")?)?,
    })
}

pub(super) async fn load<'c>(
    on: impl Exec<'c>,
    id: RegistrationId,
) -> StoreResult<InstitutionRegistration> {
    let sql = format!("{} WHERE r.id = $1", *SELECT);
    let row = query(&sql).bind(id.get()).fetch_optional(on).await?;
    institution_registration(&row.ok_or(StoreError::NotFound)?)
}
