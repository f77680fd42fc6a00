//! O12: the official channel's reschedules (the `reschedules` history) and retakes (official
//! registrations with `retake_of`), in one list for the authorised institution's staff.

use certdesk_domain::{CertCode, RegistrationId};
use certdesk_store::{OfficialApplication, StoreResult};

use crate::SqlStore;
use crate::convert::{corrupt, from_ts};
use crate::db::{Row, query};

const LIST_SQL: &str = "
SELECT 'reschedule' AS kind, h.registration_id, c.code AS certification_code,
       ai.real_name, h.from_city, h.from_starts_at, h.to_city, h.to_starts_at,
       COALESCE((SELECT h0.from_starts_at FROM reschedules h0
                 WHERE h0.registration_id = h.registration_id ORDER BY h0.id LIMIT 1),
                h.from_starts_at) AS original_starts_at,
       h.at
FROM reschedules h
JOIN registrations r ON r.id = h.registration_id
JOIN certifications c ON c.id = r.certification_id
LEFT JOIN account_identities ai ON ai.account_id = r.account_id
UNION ALL
SELECT 'retake' AS kind, t.id, c.code, ai.real_name, f.city, f.exam_starts_at, t.city,
       t.exam_starts_at, f.exam_starts_at, t.created_at
FROM registrations t
JOIN registrations f ON f.id = t.retake_of
JOIN certifications c ON c.id = t.certification_id
LEFT JOIN account_identities ai ON ai.account_id = t.account_id
WHERE t.channel = 'official'
ORDER BY at DESC
LIMIT $1";

fn application(row: &Row) -> StoreResult<OfficialApplication> {
    let time = |column: &str| -> StoreResult<jiff::Timestamp> {
        from_ts(
            row.int_opt(column)?
                .ok_or_else(|| corrupt(format!("official application without {column}")))?,
        )
    };
    Ok(OfficialApplication {
        kind: row.text("kind")?,
        registration_id: RegistrationId(row.int("registration_id")?),
        certification_code: CertCode::parse(&row.text("certification_code")?)
            .map_err(|_| corrupt("certification code".into()))?,
        holder_name: row.text_opt("real_name")?.unwrap_or_default(),
        from_city: row.text_opt("from_city")?.unwrap_or_default(),
        from_starts_at: time("from_starts_at")?,
        to_city: row.text_opt("to_city")?.unwrap_or_default(),
        to_starts_at: time("to_starts_at")?,
        original_starts_at: time("original_starts_at")?,
        at: time("at")?,
    })
}

pub(super) async fn list(store: &SqlStore, limit: u32) -> StoreResult<Vec<OfficialApplication>> {
    let rows = query(LIST_SQL)
        .bind(i64::from(limit))
        .fetch_all(store.read())
        .await?;
    rows.iter().map(application).collect()
}
