//! O5's reads before an order in ONE query (`load_order_context`): each query costs a hand-off
//! to SQLite's connection thread or a round trip to PostgreSQL, so the identity (A1), the
//! period with its seat pools (O1–O3), its certification and the wallet come back together,
//! one row per city.

use certdesk_domain::{AccountId, CertificationId, ExamPeriodId};
use certdesk_store::{ExamPeriod, OrderContext, PeriodCity, StoreResult, WalletBalance};

use super::rows;
use crate::SqlStore;
use crate::catalogue::cert_from_row;
use crate::convert::from_ts;
use crate::db::{Row, query};
use crate::identity::record_from_row;

/// Driven by a one-row subquery so the identity and the wallet are read even when the
/// period is unknown; certification columns keep their names (`cert_from_row`), the
/// period's own `id` and `created_at` are renamed.
const CONTEXT_SELECT: &str = "
SELECT ai.account_id, ai.identity_id, ai.real_name, i.id_number_masked, ai.status, ai.reason,
       ai.submitted_at, ai.decided_at, ai.decided_by,
       w.cash AS wallet_cash, w.gift AS wallet_gift,
       p.id AS period_id, p.certification_id, c.code AS certification_code, p.starts_at,
       p.ends_at, p.registration_opens_at, p.registration_closes_at,
       p.created_at AS period_created_at,
       c.id, c.code, c.name_zh, c.name_en, c.family, c.track, c.level, c.fee_fen,
       c.duration_minutes, c.pass_mark, c.validity_months, c.retired, c.created_at,
       c.updated_at,
       s.city, s.capacity, s.taken
FROM (SELECT CAST($1 AS BIGINT) AS account_id, CAST($2 AS BIGINT) AS period_id) q
LEFT JOIN account_identities ai ON ai.account_id = q.account_id
LEFT JOIN identities i ON i.id = ai.identity_id
LEFT JOIN wallets w ON w.account_id = q.account_id
LEFT JOIN exam_periods p ON p.id = q.period_id
LEFT JOIN certifications c ON c.id = p.certification_id
LEFT JOIN seat_pools s ON s.period_id = p.id
ORDER BY s.position";

/// The period columns of a context row, with its cities already read.
fn period(row: &Row, cities: Vec<PeriodCity>) -> StoreResult<ExamPeriod> {
    Ok(ExamPeriod {
        id: ExamPeriodId(row.get("period_id")?),
        certification_id: CertificationId(row.get("certification_id")?),
        certification_code: rows::cert_code(row)?,
        starts_at: from_ts(row.get("starts_at")?)?,
        ends_at: from_ts(row.get("ends_at")?)?,
        registration_opens_at: from_ts(row.get("registration_opens_at")?)?,
        registration_closes_at: from_ts(row.get("registration_closes_at")?)?,
        cities,
        created_at: from_ts(row.get("period_created_at")?)?,
    })
}

impl SqlStore {
    pub(crate) async fn order_context(
        &self,
        account: AccountId,
        period_id: ExamPeriodId,
    ) -> StoreResult<OrderContext> {
        let found = query(CONTEXT_SELECT)
            .bind(account.get())
            .bind(period_id.get())
            .fetch_all(self.read())
            .await?;
        let Some(first) = found.first() else {
            return Ok(OrderContext {
                identity: None,
                period: None,
                balance: WalletBalance::default(),
            });
        };
        let identity = match first.get::<Option<i64>>("account_id")? {
            Some(_) => Some(record_from_row(first)?),
            None => None,
        };
        let balance = match first.get::<Option<i64>>("wallet_cash")? {
            Some(_) => WalletBalance {
                cash: rows::fen(first, "wallet_cash")?,
                gift: rows::fen(first, "wallet_gift")?,
            },
            None => WalletBalance::default(),
        };
        let period = match first.get::<Option<i64>>("period_id")? {
            None => None,
            Some(_) => {
                let mut cities = Vec::with_capacity(found.len());
                for row in &found {
                    if row.get::<Option<String>>("city")?.is_some() {
                        cities.push(rows::city(row)?.1);
                    }
                }
                Some((period(first, cities)?, cert_from_row(first)?))
            }
        };
        Ok(OrderContext {
            identity,
            period,
            balance,
        })
    }
}
