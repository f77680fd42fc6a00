//! What institutions and operators set up (I1–I3): institutions with their versioned
//! agreements, test centres and slots, and the rows they read back.

use certdesk_domain::{InstitutionId, SlotId, TestCentreId};
use certdesk_store::{
    Agreement, Conflict, Institution, NewAuditEntry, NewInstitution, NewSlot, NewTestCentre, Slot,
    StoreError, StoreResult, TestCentre,
};
use jiff::Timestamp;

use crate::SqlStore;
use crate::convert::{from_ts, to_u32, ts};
use crate::db::{Exec, Row, Tx, missing_reference, query};

const INSTITUTION_SELECT: &str = "
SELECT i.id, i.name, i.hotline, i.email, i.created_at,
       (SELECT MAX(a.version) FROM agreements a WHERE a.institution_id = i.id) AS agreement_version
FROM institutions i";

pub(super) const CENTRE_COLUMNS: &str =
    "id, institution_id, name, city, address, contact_name, contact_phone";

pub(super) const SLOT_SELECT: &str = "
SELECT s.id, s.test_centre_id, c.institution_id, s.starts_at, s.capacity, s.taken
FROM slots s JOIN test_centres c ON c.id = s.test_centre_id";

fn institution(row: &Row) -> StoreResult<Institution> {
    Ok(Institution {
        id: InstitutionId(row.int("id")?),
        name: row.text("name")?,
        hotline: row.text("hotline")?,
        email: row.text("email")?,
        agreement_version: to_u32(row.int("agreement_version")?, "agreement version")?,
        created_at: from_ts(row.int("created_at")?)?,
    })
}

fn agreement(row: &Row) -> StoreResult<Agreement> {
    Ok(Agreement {
        institution_id: InstitutionId(row.int("institution_id")?),
        version: to_u32(row.int("version")?, "agreement version")?,
        text: row.text("text")?,
        published_at: from_ts(row.int("published_at")?)?,
    })
}

pub(super) fn centre(row: &Row) -> StoreResult<TestCentre> {
    Ok(TestCentre {
        id: TestCentreId(row.int("id")?),
        institution_id: InstitutionId(row.int("institution_id")?),
        name: row.text("name")?,
        city: row.text("city")?,
        address: row.text("address")?,
        contact_name: row.text("contact_name")?,
        contact_phone: row.text("contact_phone")?,
    })
}

pub(super) fn slot(row: &Row) -> StoreResult<Slot> {
    Ok(Slot {
        id: SlotId(row.int("id")?),
        test_centre_id: TestCentreId(row.int("test_centre_id")?),
        institution_id: InstitutionId(row.int("institution_id")?),
        starts_at: from_ts(row.int("starts_at")?)?,
        capacity: to_u32(row.int("capacity")?, "slot capacity")?,
        taken: to_u32(row.int("taken")?, "slot seats taken")?,
    })
}

pub(super) async fn get_institution<'c>(
    on: impl Exec<'c>,
    id: InstitutionId,
) -> StoreResult<Institution> {
    let sql = format!("{INSTITUTION_SELECT} WHERE i.id = $1");
    let row = query(&sql).bind(id.get()).fetch_optional(on).await?;
    institution(&row.ok_or(StoreError::NotFound)?)
}

pub(super) async fn list_institutions(store: &SqlStore) -> StoreResult<Vec<Institution>> {
    let sql = format!("{INSTITUTION_SELECT} ORDER BY i.id");
    let rows = query(&sql).fetch_all(store.read()).await?;
    rows.iter().map(institution).collect()
}

async fn insert_agreement(
    tx: &mut Tx,
    institution: i64,
    version: i64,
    text: &str,
    at: Timestamp,
) -> StoreResult<Agreement> {
    let row = query(
        "INSERT INTO agreements (institution_id, version, text, published_at)
         VALUES ($1, $2, $3, $4) RETURNING institution_id, version, text, published_at",
    )
    .bind(institution)
    .bind(version)
    .bind(text)
    .bind(ts(at))
    .fetch_one(tx)
    .await
    .map_err(missing_reference)?;
    agreement(&row)
}

pub(super) async fn commit_institution(
    store: &SqlStore,
    new: NewInstitution,
) -> StoreResult<Institution> {
    let mut tx = store.begin().await?;
    let id = query(
        "INSERT INTO institutions (name, hotline, email, created_at)
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&new.name)
    .bind(&new.hotline)
    .bind(&new.email)
    .bind(ts(new.at))
    .fetch_one(&mut tx)
    .await?
    .int("id")?;
    insert_agreement(&mut tx, id, 1, &new.agreement_text, new.at).await?;
    let mut audit = new.audit;
    audit.target_id = id.to_string();
    crate::audit::insert(&mut tx, &audit).await?;
    let created = get_institution(&mut tx, InstitutionId(id)).await?;
    tx.commit().await?;
    Ok(created)
}

/// I1: the next version. The institution's row is locked first (PostgreSQL), so two
/// publications at once get consecutive versions, and a registration reading the current
/// version in its own transaction sees one or the other.
pub(super) async fn commit_agreement(
    store: &SqlStore,
    institution: InstitutionId,
    text: String,
    audit: NewAuditEntry,
) -> StoreResult<Agreement> {
    let mut tx = store.begin().await?;
    lock_institution(&mut tx, institution).await?;
    let current = current_version(&mut tx, institution).await?;
    let published = insert_agreement(
        &mut tx,
        institution.get(),
        i64::from(current) + 1,
        &text,
        audit.at,
    )
    .await?;
    crate::audit::insert(&mut tx, &audit).await?;
    tx.commit().await?;
    Ok(published)
}

/// Locks the institution's row (PostgreSQL; SQLite's single writer already serialises):
/// agreement publications and registrations reading the current version take it.
/// `NotFound` for an unknown institution.
pub(super) async fn lock_institution(tx: &mut Tx, institution: InstitutionId) -> StoreResult<()> {
    query(locked!("SELECT id FROM institutions WHERE id = $1"))
        .bind(institution.get())
        .fetch_optional(tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(())
}

pub(super) async fn current_version<'c>(
    on: impl Exec<'c>,
    institution: InstitutionId,
) -> StoreResult<u32> {
    let row = query("SELECT MAX(version) AS version FROM agreements WHERE institution_id = $1")
        .bind(institution.get())
        .fetch_one(on)
        .await?;
    let version = row.int_opt("version")?.ok_or(StoreError::NotFound)?;
    to_u32(version, "agreement version")
}

pub(super) async fn current_agreement(
    store: &SqlStore,
    institution: InstitutionId,
) -> StoreResult<Agreement> {
    let row = query(
        "SELECT institution_id, version, text, published_at FROM agreements
         WHERE institution_id = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(institution.get())
    .fetch_optional(store.read())
    .await?;
    agreement(&row.ok_or(StoreError::NotFound)?)
}

pub(super) async fn commit_test_centre(
    store: &SqlStore,
    new: NewTestCentre,
) -> StoreResult<TestCentre> {
    let mut tx = store.begin().await?;
    let sql = format!(
        "INSERT INTO test_centres (institution_id, name, city, address, contact_name,
                                   contact_phone, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {CENTRE_COLUMNS}"
    );
    let row = query(&sql)
        .bind(new.institution_id.get())
        .bind(&new.name)
        .bind(&new.city)
        .bind(&new.address)
        .bind(&new.contact_name)
        .bind(&new.contact_phone)
        .bind(ts(new.at))
        .fetch_one(&mut tx)
        .await
        .map_err(missing_reference)?;
    let created = centre(&row)?;
    let mut audit = new.audit;
    audit.target_id = created.id.to_string();
    crate::audit::insert(&mut tx, &audit).await?;
    tx.commit().await?;
    Ok(created)
}

pub(super) async fn get_test_centre<'c>(
    on: impl Exec<'c>,
    id: TestCentreId,
) -> StoreResult<TestCentre> {
    let sql = format!("SELECT {CENTRE_COLUMNS} FROM test_centres WHERE id = $1");
    let row = query(&sql).bind(id.get()).fetch_optional(on).await?;
    centre(&row.ok_or(StoreError::NotFound)?)
}

pub(super) async fn list_test_centres(
    store: &SqlStore,
    institution: Option<InstitutionId>,
    city: Option<&str>,
) -> StoreResult<Vec<TestCentre>> {
    let sql = format!(
        "SELECT {CENTRE_COLUMNS} FROM test_centres
         WHERE ($1 IS NULL OR institution_id = $1) AND ($2 IS NULL OR city = $2)
         ORDER BY city, id"
    );
    let rows = query(&sql)
        .bind(institution.map(InstitutionId::get))
        .bind(city)
        .fetch_all(store.read())
        .await?;
    rows.iter().map(centre).collect()
}

pub(super) async fn commit_slot(store: &SqlStore, new: NewSlot) -> StoreResult<Slot> {
    let mut tx = store.begin().await?;
    let inserted = query(
        "INSERT INTO slots (test_centre_id, starts_at, capacity, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(new.test_centre_id.get())
    .bind(ts(new.starts_at))
    .bind(i64::from(new.capacity))
    .bind(new.created_by.get())
    .bind(ts(new.at))
    .fetch_one(&mut tx)
    .await;
    let id = match inserted {
        Ok(row) => row.int("id")?,
        Err(e) if e.is_unique_violation("slots_centre_start_unique") => {
            return Err(StoreError::Conflict(Conflict::SlotExists));
        }
        Err(e) => return Err(missing_reference(e)),
    };
    let created = get_slot(&mut tx, SlotId(id)).await?;
    tx.commit().await?;
    Ok(created)
}

pub(super) async fn get_slot<'c>(on: impl Exec<'c>, id: SlotId) -> StoreResult<Slot> {
    let sql = format!("{SLOT_SELECT} WHERE s.id = $1");
    let row = query(&sql).bind(id.get()).fetch_optional(on).await?;
    slot(&row.ok_or(StoreError::NotFound)?)
}

pub(super) async fn list_slots(
    store: &SqlStore,
    centre: TestCentreId,
    from: Timestamp,
    to: Timestamp,
) -> StoreResult<Vec<Slot>> {
    let sql = format!(
        "{SLOT_SELECT} WHERE s.test_centre_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3
         ORDER BY s.starts_at, s.id"
    );
    let rows = query(&sql)
        .bind(centre.get())
        .bind(ts(from))
        .bind(ts(to))
        .fetch_all(store.read())
        .await?;
    rows.iter().map(slot).collect()
}
