//! The catalogue of certifications (C1); every change audited in its transaction.

use async_trait::async_trait;
use certdesk_domain::{CertCode, CertificationId, Fen};
use certdesk_store::{
    CatalogueStore, Certification, CertificationData, Conflict, NewAuditEntry, StoreError,
    StoreResult,
};
use sqlx::Row as _;
use sqlx::sqlite::SqliteRow;

use crate::SqliteStore;
use crate::convert::{corrupt, from_ts, parse, to_u32, ts};
use crate::error::{DbResultExt as _, db_error, is_unique_violation};

const COLUMNS: &str =
    "id, code, name_zh, name_en, family, track, level, fee_fen, duration_minutes, pass_mark,
                       validity_months, retired, created_at, updated_at";

pub(crate) fn cert_from_row(row: &SqliteRow) -> StoreResult<Certification> {
    let track: Option<String> = row.try_get("track").db()?;
    let level: Option<String> = row.try_get("level").db()?;
    let data = CertificationData {
        code: CertCode::parse(&row.try_get::<String, _>("code").db()?)
            .map_err(|_| corrupt("certification code".into()))?,
        name_zh: row.try_get("name_zh").db()?,
        name_en: row.try_get("name_en").db()?,
        family: parse(&row.try_get::<String, _>("family").db()?, "family")?,
        track: track.map(|t| parse(&t, "track")).transpose()?,
        level: level.map(|l| parse(&l, "level")).transpose()?,
        fee: Fen::new(row.try_get("fee_fen").db()?).map_err(|_| corrupt("fee".into()))?,
        duration_minutes: to_u32(row.try_get("duration_minutes").db()?, "duration")?,
        pass_mark: to_u32(row.try_get("pass_mark").db()?, "pass mark")?,
        validity_months: to_u32(row.try_get("validity_months").db()?, "validity")?,
        retired: row.try_get("retired").db()?,
    };
    Ok(Certification {
        id: CertificationId(row.try_get("id").db()?),
        data,
        created_at: from_ts(row.try_get("created_at").db()?)?,
        updated_at: from_ts(row.try_get("updated_at").db()?)?,
    })
}

#[async_trait]
impl CatalogueStore for SqliteStore {
    async fn list_certifications(&self, include_retired: bool) -> StoreResult<Vec<Certification>> {
        let sql =
            format!("SELECT {COLUMNS} FROM certifications WHERE $1 OR NOT retired ORDER BY code");
        let rows = sqlx::query(&sql)
            .bind(include_retired)
            .fetch_all(&self.readers)
            .await
            .db()?;
        rows.iter().map(cert_from_row).collect()
    }

    async fn find_certification(&self, code: &CertCode) -> StoreResult<Option<Certification>> {
        let sql = format!("SELECT {COLUMNS} FROM certifications WHERE code = $1");
        let row = sqlx::query(&sql)
            .bind(code.as_str())
            .fetch_optional(&self.readers)
            .await
            .db()?;
        row.as_ref().map(cert_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(code = %cert.code))]
    async fn commit_certification_create(
        &self,
        cert: CertificationData,
        audit: NewAuditEntry,
    ) -> StoreResult<Certification> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "INSERT INTO certifications (code, name_zh, name_en, family, track, level, fee_fen, duration_minutes,
                 pass_mark, validity_months, retired, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING {COLUMNS}"
        );
        let row = sqlx::query(&sql)
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
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| {
                if is_unique_violation(&e, "certifications_code_unique") {
                    StoreError::Conflict(Conflict::CertCodeTaken)
                } else {
                    db_error(e)
                }
            })?;
        crate::audit::insert(&mut tx, &audit).await?;
        let created = cert_from_row(&row)?;
        tx.commit().await.db()?;
        Ok(created)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(code = %code))]
    async fn commit_certification_update(
        &self,
        code: &CertCode,
        cert: CertificationData,
        audit: NewAuditEntry,
    ) -> StoreResult<Certification> {
        let mut tx = self.begin_write().await?;
        let sql = format!(
            "UPDATE certifications SET name_zh = $2, name_en = $3, family = $4, track = $5, level = $6, fee_fen = $7,
                 duration_minutes = $8, pass_mark = $9, validity_months = $10, retired = $11, updated_at = $12
             WHERE code = $1 RETURNING {COLUMNS}"
        );
        let row = sqlx::query(&sql)
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
            .fetch_optional(&mut *tx)
            .await
            .db()?
            .ok_or(StoreError::NotFound)?;
        crate::audit::insert(&mut tx, &audit).await?;
        let updated = cert_from_row(&row)?;
        tx.commit().await.db()?;
        Ok(updated)
    }
}
