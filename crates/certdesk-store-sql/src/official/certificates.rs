//! O9: e-certificates, their paper copies' shipments and mailing addresses
//! (`CertificateStore`). Certificates are written in chunks of one transaction, each with its
//! paper copy in the queue and its promises (P1: the e-certificate kept, the paper shipment
//! recorded); a shipment copies the address as it is then and keeps its promise.

use async_trait::async_trait;
use certdesk_domain::{
    AccountId, CertCode, CertificateId, CertificateNumber, CertificationId, IdentityId,
    RegistrationId,
};
use certdesk_store::{
    Certificate, CertificateDue, CertificateStore, Conflict, MailingAddress, NewAuditEntry,
    NewCertificate, NewInboxMessage, Page, PageRequest, PaperCertificate, Shipment, StoreError,
    StoreResult,
};
use jiff::Timestamp;

use crate::SqlStore;
use crate::convert::{
    after, corrupt, fetch_limit, from_ts, from_ts_opt, into_page, to_u32, ts, value_groups,
};
use crate::db::{DbError, Exec, Row, Tx, query};

/// Certificates per chunk of statements (7 parameters each: far below either database's
/// limit).
const CHUNK: usize = 300;

const CERTIFICATE_SELECT: &str = "
SELECT k.id, k.number, k.registration_id, k.identity_id, k.certification_id,
       c.code AS certification_code, c.name_zh, c.name_en, k.holder_name, k.issued_at,
       k.expires_at, k.revoked_at, k.revoked_reason
FROM certificates k JOIN certifications c ON c.id = k.certification_id";

const PAPER_SELECT: &str = "
SELECT p.certificate_id, k.number, k.holder_name, r.account_id, p.due_at,
       p.recipient, p.phone, p.province, p.city, p.address, p.postcode, p.carrier,
       p.tracking_number, p.shipped_at,
       m.recipient AS m_recipient, m.phone AS m_phone, m.province AS m_province,
       m.city AS m_city, m.address AS m_address, m.postcode AS m_postcode,
       m.updated_at AS m_updated_at
FROM paper_certificates p
JOIN certificates k ON k.id = p.certificate_id
JOIN registrations r ON r.id = k.registration_id
LEFT JOIN mailing_addresses m ON m.account_id = r.account_id";

fn number(text: &str) -> StoreResult<CertificateNumber> {
    CertificateNumber::parse(text).map_err(|_| corrupt("certificate number".into()))
}

fn certificate_from_row(row: &Row) -> StoreResult<Certificate> {
    let revoked = match from_ts_opt(row.int_opt("revoked_at")?)? {
        Some(at) => Some((at, row.text_opt("revoked_reason")?.unwrap_or_default())),
        None => None,
    };
    Ok(Certificate {
        id: CertificateId(row.int("id")?),
        number: number(&row.text("number")?)?,
        registration_id: RegistrationId(row.int("registration_id")?),
        identity_id: IdentityId(row.int("identity_id")?),
        certification_id: CertificationId(row.int("certification_id")?),
        certification_code: CertCode::parse(&row.text("certification_code")?)
            .map_err(|_| corrupt("certification code".into()))?,
        certification_name_zh: row.text("name_zh")?,
        certification_name_en: row.text("name_en")?,
        holder_name: row.text("holder_name")?,
        issued_at: from_ts(row.int("issued_at")?)?,
        expires_at: from_ts(row.int("expires_at")?)?,
        revoked,
    })
}

/// A mailing address from columns named `{prefix}recipient`, … (`updated` names the time).
fn address_from_row(row: &Row, prefix: &str, updated: &str) -> StoreResult<Option<MailingAddress>> {
    let column = |name: &str| format!("{prefix}{name}");
    let Some(recipient) = row.text_opt(&column("recipient"))? else {
        return Ok(None);
    };
    Ok(Some(MailingAddress {
        recipient,
        phone: row.text_opt(&column("phone"))?.unwrap_or_default(),
        province: row.text_opt(&column("province"))?.unwrap_or_default(),
        city: row.text_opt(&column("city"))?.unwrap_or_default(),
        address: row.text_opt(&column("address"))?.unwrap_or_default(),
        postcode: row.text_opt(&column("postcode"))?,
        updated_at: from_ts(row.int(updated)?)?,
    }))
}

fn paper_from_row(row: &Row) -> StoreResult<PaperCertificate> {
    let shipment = match from_ts_opt(row.int_opt("shipped_at")?)? {
        None => None,
        Some(shipped_at) => Some(Shipment {
            carrier: row.text_opt("carrier")?.unwrap_or_default(),
            tracking_number: row.text_opt("tracking_number")?.unwrap_or_default(),
            shipped_at,
            address: address_from_row(row, "", "shipped_at")?
                .ok_or_else(|| corrupt("a shipment without its address".into()))?,
        }),
    };
    Ok(PaperCertificate {
        certificate_id: CertificateId(row.int("certificate_id")?),
        certificate_number: number(&row.text("number")?)?,
        holder_name: row.text("holder_name")?,
        account_id: AccountId(row.int("account_id")?),
        due_at: from_ts(row.int("due_at")?)?,
        address: address_from_row(row, "m_", "m_updated_at")?,
        shipment,
    })
}

async fn fetch_certificates<'c>(
    on: impl Exec<'c>,
    filter: &str,
    key: crate::db::Arg<'_>,
) -> StoreResult<Vec<Certificate>> {
    let sql = format!("{CERTIFICATE_SELECT} WHERE {filter} ORDER BY k.id DESC");
    let rows = query(&sql).bind(key).fetch_all(on).await?;
    rows.iter().map(certificate_from_row).collect()
}

async fn fetch_paper(tx: &mut Tx, certificate: CertificateId) -> StoreResult<PaperCertificate> {
    let sql = format!("{PAPER_SELECT} WHERE p.certificate_id = $1");
    let row = query(&sql)
        .bind(certificate.get())
        .fetch_optional(tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    paper_from_row(&row)
}

/// A unique key refused a certificate: a number drawn twice or a registration certified
/// meanwhile.
fn taken(e: DbError) -> StoreError {
    let keys = [
        "certificates_number_unique",
        "certificates_registration_unique",
    ];
    if keys.iter().any(|k| e.is_unique_violation(k)) {
        StoreError::Conflict(Conflict::CertificateTaken)
    } else {
        e.into()
    }
}

/// `$first, …`: `n` placeholders for an `IN (…)` list.
fn ids(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn write_chunk(tx: &mut Tx, chunk: &[NewCertificate]) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO certificates (number, registration_id, identity_id, certification_id,
             holder_name, issued_at, expires_at) VALUES {} RETURNING id, registration_id",
        value_groups(1, 7, chunk.len())
    );
    let mut insert = query(&sql);
    for c in chunk {
        insert = insert
            .bind(c.number.as_str())
            .bind(c.registration_id.get())
            .bind(c.identity_id.get())
            .bind(c.certification_id.get())
            .bind(c.holder_name.as_str())
            .bind(ts(c.issued_at))
            .bind(ts(c.expires_at));
    }
    let written = insert.fetch_all(&mut *tx).await.map_err(taken)?;
    let mut id_of = std::collections::HashMap::new();
    for row in &written {
        id_of.insert(row.int("registration_id")?, row.int("id")?);
    }
    // The paper copies, in the shipping queue until they ship (O9).
    let sql = format!(
        "INSERT INTO paper_certificates (certificate_id, due_at) VALUES {}",
        value_groups(1, 2, chunk.len())
    );
    let mut papers = query(&sql);
    for c in chunk {
        let id = id_of
            .get(&c.registration_id.get())
            .ok_or_else(|| corrupt("a written certificate was not returned".into()))?;
        papers = papers.bind(*id).bind(ts(c.paper_due_at));
    }
    papers.execute(&mut *tx).await?;
    // P1: the e-certificate promise is kept now; the paper shipment's is recorded.
    let sql = format!(
        "UPDATE promises SET kept_at = $1
         WHERE kind = 'e_certificate' AND kept_at IS NULL AND voided_at IS NULL
           AND registration_id IN ({})",
        ids(2, chunk.len())
    );
    let mut keep = query(&sql).bind(ts(chunk[0].issued_at));
    for c in chunk {
        keep = keep.bind(c.registration_id.get());
    }
    keep.execute(&mut *tx).await?;
    let sql = format!(
        "INSERT INTO promises (kind, registration_id, due_at, kept_at, created_at) VALUES {}",
        value_groups(1, 5, chunk.len())
    );
    let mut promise = query(&sql);
    for c in chunk {
        promise = promise
            .bind("paper_certificate")
            .bind(c.registration_id.get())
            .bind(ts(c.paper_due_at))
            .bind(None::<i64>)
            .bind(ts(c.issued_at));
    }
    promise.execute(&mut *tx).await?;
    let notices: Vec<&NewInboxMessage> = chunk.iter().map(|c| &c.inbox).collect();
    crate::inbox::insert_messages(tx, &notices).await
}

#[async_trait]
impl CertificateStore for SqlStore {
    async fn list_certificates_due(&self, limit: usize) -> StoreResult<Vec<CertificateDue>> {
        let rows = query(
            "SELECT r.id, r.identity_id, r.account_id, ai.real_name, r.certification_id,
                    c.code, c.name_zh, c.name_en, c.validity_months, r.exam_ends_at
             FROM registrations r
             JOIN exam_results x ON x.registration_id = r.id
             JOIN certifications c ON c.id = r.certification_id
             JOIN account_identities ai ON ai.account_id = r.account_id
             WHERE r.status = 'passed'
               AND NOT EXISTS (SELECT 1 FROM certificates k WHERE k.registration_id = r.id)
             ORDER BY x.released_at, r.id LIMIT $1",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(self.read())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CertificateDue {
                    registration_id: RegistrationId(row.int("id")?),
                    identity_id: IdentityId(row.int("identity_id")?),
                    account_id: AccountId(row.int("account_id")?),
                    holder_name: row.text("real_name")?,
                    certification_id: CertificationId(row.int("certification_id")?),
                    certification_code: CertCode::parse(&row.text("code")?)
                        .map_err(|_| corrupt("certification code".into()))?,
                    certification_name_zh: row.text("name_zh")?,
                    certification_name_en: row.text("name_en")?,
                    validity_months: to_u32(row.int("validity_months")?, "validity")?,
                    exam_ends_at: from_ts(row.int("exam_ends_at")?)?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(certificates = certificates.len()))]
    async fn commit_certificates(&self, certificates: Vec<NewCertificate>) -> StoreResult<usize> {
        if certificates.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        for chunk in certificates.chunks(CHUNK) {
            write_chunk(&mut tx, chunk).await?;
        }
        tx.commit().await?;
        Ok(certificates.len())
    }

    async fn find_certificate(
        &self,
        number: &CertificateNumber,
    ) -> StoreResult<Option<Certificate>> {
        let found = fetch_certificates(self.read(), "k.number = $1", number.as_str().into());
        Ok(found.await?.pop())
    }

    async fn find_certificate_by_id(&self, id: CertificateId) -> StoreResult<Option<Certificate>> {
        let found = fetch_certificates(self.read(), "k.id = $1", id.get().into());
        Ok(found.await?.pop())
    }

    async fn list_certificates(&self, identity: IdentityId) -> StoreResult<Vec<Certificate>> {
        fetch_certificates(self.read(), "k.identity_id = $1", identity.get().into()).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn commit_revocation(
        &self,
        number: &CertificateNumber,
        reason: &str,
        at: Timestamp,
        audit: NewAuditEntry,
    ) -> StoreResult<Certificate> {
        let mut tx = self.begin().await?;
        let revoked = query(
            "UPDATE certificates SET revoked_at = $2, revoked_reason = $3
             WHERE number = $1 AND revoked_at IS NULL",
        )
        .bind(number.as_str())
        .bind(ts(at))
        .bind(reason)
        .execute(&mut tx)
        .await?;
        let found = fetch_certificates(&mut tx, "k.number = $1", number.as_str().into())
            .await?
            .pop()
            .ok_or(StoreError::NotFound)?;
        if revoked == 0 {
            return Err(StoreError::Conflict(Conflict::AlreadyRevoked));
        }
        crate::audit::insert(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn find_mailing_address(
        &self,
        account: AccountId,
    ) -> StoreResult<Option<MailingAddress>> {
        let row = query(
            "SELECT recipient, phone, province, city, address, postcode, updated_at
             FROM mailing_addresses WHERE account_id = $1",
        )
        .bind(account.get())
        .fetch_optional(self.read())
        .await?;
        match row {
            Some(row) => address_from_row(&row, "", "updated_at"),
            None => Ok(None),
        }
    }

    async fn put_mailing_address(
        &self,
        account: AccountId,
        address: MailingAddress,
    ) -> StoreResult<MailingAddress> {
        query(
            "INSERT INTO mailing_addresses (account_id, recipient, phone, province, city, address,
                 postcode, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (account_id) DO UPDATE SET recipient = excluded.recipient,
                 phone = excluded.phone, province = excluded.province, city = excluded.city,
                 address = excluded.address, postcode = excluded.postcode,
                 updated_at = excluded.updated_at",
        )
        .bind(account.get())
        .bind(address.recipient.as_str())
        .bind(address.phone.as_str())
        .bind(address.province.as_str())
        .bind(address.city.as_str())
        .bind(address.address.as_str())
        .bind(address.postcode.as_deref())
        .bind(ts(address.updated_at))
        .execute(self.write())
        .await
        .map_err(crate::db::missing_reference)?;
        Ok(address)
    }

    async fn list_paper_certificates(
        &self,
        shipped: bool,
        page: PageRequest,
    ) -> StoreResult<Page<PaperCertificate>> {
        let sql = format!(
            "{PAPER_SELECT}
             WHERE (($1 AND p.shipped_at IS NOT NULL) OR (NOT $1 AND p.shipped_at IS NULL))
               AND p.certificate_id > $2
             ORDER BY p.certificate_id LIMIT $3"
        );
        let rows = query(&sql)
            .bind(shipped)
            .bind(after(page))
            .bind(fetch_limit(page))
            .fetch_all(self.read())
            .await?;
        let items = rows
            .iter()
            .map(paper_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(into_page(items, page, |p| p.certificate_id.get()))
    }

    async fn find_paper_certificate(
        &self,
        certificate: CertificateId,
    ) -> StoreResult<Option<PaperCertificate>> {
        let sql = format!("{PAPER_SELECT} WHERE p.certificate_id = $1");
        let row = query(&sql)
            .bind(certificate.get())
            .fetch_optional(self.read())
            .await?;
        row.as_ref().map(paper_from_row).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(certificate_id = %certificate))]
    async fn commit_shipment(
        &self,
        certificate: CertificateId,
        carrier: &str,
        tracking_number: &str,
        at: Timestamp,
        inbox: NewInboxMessage,
        audit: NewAuditEntry,
    ) -> StoreResult<PaperCertificate> {
        let mut tx = self.begin().await?;
        let paper = fetch_paper(&mut tx, certificate).await?;
        if paper.shipment.is_some() {
            return Err(StoreError::Conflict(Conflict::AlreadyShipped));
        }
        let Some(to) = paper.address else {
            return Err(StoreError::Conflict(Conflict::NoMailingAddress));
        };
        let shipped = query(
            "UPDATE paper_certificates SET recipient = $2, phone = $3, province = $4, city = $5,
                 address = $6, postcode = $7, carrier = $8, tracking_number = $9, shipped_at = $10
             WHERE certificate_id = $1 AND shipped_at IS NULL",
        )
        .bind(certificate.get())
        .bind(to.recipient.as_str())
        .bind(to.phone.as_str())
        .bind(to.province.as_str())
        .bind(to.city.as_str())
        .bind(to.address.as_str())
        .bind(to.postcode.as_deref())
        .bind(carrier)
        .bind(tracking_number)
        .bind(ts(at))
        .execute(&mut tx)
        .await?;
        if shipped == 0 {
            return Err(StoreError::Conflict(Conflict::AlreadyShipped));
        }
        // P1: the paper shipment's promise is kept now.
        query(
            "UPDATE promises SET kept_at = $2
             WHERE kind = 'paper_certificate' AND kept_at IS NULL AND voided_at IS NULL
               AND registration_id = (SELECT registration_id FROM certificates WHERE id = $1)",
        )
        .bind(certificate.get())
        .bind(ts(at))
        .execute(&mut tx)
        .await?;
        crate::inbox::insert(&mut tx, &inbox).await?;
        crate::audit::insert(&mut tx, &audit).await?;
        let shipped = fetch_paper(&mut tx, certificate).await?;
        tx.commit().await?;
        Ok(shipped)
    }
}
