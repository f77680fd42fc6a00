//! The catalogue of certifications (C1); every change audited in its transaction.

use async_trait::async_trait;
use certdesk_domain::{CertCode, CertificationId, Fen};
use certdesk_store::{
    CatalogueStore, Certification, CertificationData, Conflict, NewAuditEntry, StoreError,
    StoreResult,
};

use crate::SqlStore;
use crate::convert::{corrupt, from_ts, parse, to_u32, ts};
use crate::db::{Row, query};

const COLUMNS: &str =
    "id, code, name_zh, name_en, family, track, level, fee_fen, duration_minutes, pass_mark,
                       validity_months, retired, created_at, updated_at";

pub(crate) fn cert_from_row(row: &Row) -> StoreResult<Certification> {
    let track: Option<String> = row.get("track")?;
    let level: Option<String> = row.get("level")?;
    let data = CertificationData {
        code: CertCode::parse(&row.get::<String>("code")?)
            .map_err(|_| corrupt("certification code".into()))?,
        name_zh: row.get("name_zh")?,
        name_en: row.get("name_en")?,
        family: parse(&row.get::<String>("family")?, "family")?,
        track: track.map(|t| parse(&t, "track")).transpose()?,
        level: level.map(|l| parse(&l, "level")).transpose()?,
        fee: Fen::new(row.get("fee_fen")?).map_err(|_| corrupt("fee".into()))?,
        duration_minutes: to_u32(row.get("duration_minutes")?, "duration")?,
        pass_mark: to_u32(row.get("pass_mark")?, "pass mark")?,
        validity_months: to_u32(row.get("validity_months")?, "validity")?,
        retired: row.get("retired")?,
    };
    Ok(Certification {
        id: CertificationId(row.get("id")?),
        data,
        created_at: from_ts(row.get("created_at")?)?,
        updated_at: from_ts(row.get("updated_at")?)?,
    })
}

#[async_trait]
impl CatalogueStore for SqlStore {
    async fn list_certifications(&self, include_retired: bool) -> StoreResult<Vec<Certification>> {
        let sql =
            format!("SELECT {COLUMNS} FROM certifications WHERE $1 OR NOT retired ORDER BY code");
        let rows = query(&sql)
            .bind(include_retired)
            .fetch_all(self.read())
            .await?;
        rows.iter().map(cert_from_row).collect()
    }

    async fn find_certification(&self, code: &CertCode) -> StoreResult<Option<Certification>> {
        let sql = format!("SELECT {COLUMNS} FROM certifications WHERE code = $1");
        let row = query(&sql)
            .bind(code.as_str())
            .fetch_optional(self.read())
            .await?;
        row.as_ref().map(cert_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(code = %cert.code))]
    async fn commit_certification_create(
        &self,
        cert: CertificationData,
        audit: NewAuditEntry,
    ) -> StoreResult<Certification> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "INSERT INTO certifications (code, name_zh, name_en, family, track, level, fee_fen, duration_minutes,
                 pass_mark, validity_months, retired, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING {COLUMNS}"
        );
        let row = query(&sql)
            .bind(cert.code.as_str())
            .bind(&cert.name_zh)
            .bind(&cert.name_en)
            .bind(cert.family.as_str())
            .bind(cert.track.map(|t| t.as_str()))
            .bind(cert.level.map(|l| l.as_str()))
            .bind(cert.fee.get())
            .bind(i64::from(cert.duration_minutes))
            .bind(i64::from(cert.pass_mark))
            .bind(i64::from(cert.validity_months))
            .bind(cert.retired)
            .bind(ts(audit.at))
            .fetch_one(&mut tx)
            .await
            .map_err(|e| {
                if e.is_unique_violation("certifications_code_unique") {
                    StoreError::Conflict(Conflict::CertCodeTaken)
                } else {
                    StoreError::from(e)
                }
            })?;
        crate::audit::insert(&mut tx, &audit).await?;
        let created = cert_from_row(&row)?;
        tx.commit().await?;
        Ok(created)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(code = %code))]
    async fn commit_certification_update(
        &self,
        code: &CertCode,
        cert: CertificationData,
        audit: NewAuditEntry,
    ) -> StoreResult<Certification> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "UPDATE certifications SET name_zh = $2, name_en = $3, family = $4, track = $5, level = $6, fee_fen = $7,
                 duration_minutes = $8, pass_mark = $9, validity_months = $10, retired = $11, updated_at = $12
             WHERE code = $1 RETURNING {COLUMNS}"
        );
        let row = query(&sql)
            .bind(code.as_str())
            .bind(&cert.name_zh)
            .bind(&cert.name_en)
            .bind(cert.family.as_str())
            .bind(cert.track.map(|t| t.as_str()))
            .bind(cert.level.map(|l| l.as_str()))
            .bind(cert.fee.get())
            .bind(i64::from(cert.duration_minutes))
            .bind(i64::from(cert.pass_mark))
            .bind(i64::from(cert.validity_months))
            .bind(cert.retired)
            .bind(ts(audit.at))
            .fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        crate::audit::insert(&mut tx, &audit).await?;
        let updated = cert_from_row(&row)?;
        tx.commit().await?;
        Ok(updated)
    }
}
