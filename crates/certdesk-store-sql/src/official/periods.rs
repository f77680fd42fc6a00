//! Exam periods and their seat pools (O1–O3): one pool per offered city, in the operator's
//! order, with the seats taken so far.

use std::collections::HashMap;

use async_trait::async_trait;
use certdesk_domain::ExamPeriodId;
use certdesk_store::{
    ExamPeriod, NewAuditEntry, NewExamPeriod, PeriodCity, PeriodFilter, PeriodStore, StoreError,
    StoreResult,
};

use super::rows::{self, PERIOD_SELECT};
use crate::SqlStore;
use crate::convert::ts;
use crate::db::{Tx, missing_reference, query};

/// Inserts the period's seat pools, numbered in the operator's order.
async fn insert_pools(tx: &mut Tx, period: i64, cities: &[(String, u32)]) -> StoreResult<()> {
    if cities.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..cities.len())
        .map(|i| format!("($1, ${}, ${}, ${}, 0)", 3 * i + 2, 3 * i + 3, 3 * i + 4))
        .collect();
    let sql = format!(
        "INSERT INTO seat_pools (period_id, city, position, capacity, taken) VALUES {}",
        values.join(", ")
    );
    let mut insert = query(&sql).bind(period);
    for (position, (city, capacity)) in cities.iter().enumerate() {
        insert = insert
            .bind(city)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(i64::from(*capacity));
    }
    insert.execute(tx).await?;
    Ok(())
}

impl SqlStore {
    /// The periods matching `WHERE {filter}` (binding `args` as $1, $2, …), each with its
    /// cities: two indexed queries, whatever the number of periods.
    async fn periods_where(
        &self,
        filter: &str,
        args: &[Option<i64>],
    ) -> StoreResult<Vec<ExamPeriod>> {
        let sql = format!("{PERIOD_SELECT} WHERE {filter} ORDER BY p.starts_at, p.id");
        let mut select = query(&sql);
        for arg in args {
            select = select.bind(*arg);
        }
        let rows = select.fetch_all(self.read()).await?;
        let pools_sql = format!(
            "SELECT s.period_id, s.city, s.capacity, s.taken FROM seat_pools s
             WHERE s.period_id IN (SELECT p.id FROM exam_periods p WHERE {filter})
             ORDER BY s.period_id, s.position"
        );
        let mut select = query(&pools_sql);
        for arg in args {
            select = select.bind(*arg);
        }
        let pools = select.fetch_all(self.read()).await?;
        let mut cities: HashMap<i64, Vec<PeriodCity>> = HashMap::new();
        for row in &pools {
            let (period, city) = rows::city(row)?;
            cities.entry(period).or_default().push(city);
        }
        rows.iter()
            .map(|row| {
                let id = row.int("id")?;
                rows::period(row, cities.remove(&id).unwrap_or_default())
            })
            .collect()
    }
}

#[async_trait]
impl PeriodStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, fields(certification_id = %period.certification_id))]
    async fn commit_exam_period(
        &self,
        period: NewExamPeriod,
        audit: NewAuditEntry,
    ) -> StoreResult<ExamPeriod> {
        let mut tx = self.begin().await?;
        let id = query(
            "INSERT INTO exam_periods (certification_id, starts_at, ends_at, registration_opens_at,
                 registration_closes_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(period.certification_id.get())
        .bind(ts(period.starts_at))
        .bind(ts(period.ends_at))
        .bind(ts(period.registration_opens_at))
        .bind(ts(period.registration_closes_at))
        .bind(ts(period.created_at))
        .fetch_one(&mut tx)
        .await
        .map_err(missing_reference)?
        .int("id")?;
        insert_pools(&mut tx, id, &period.cities).await?;
        crate::audit::insert(&mut tx, &audit).await?;
        crate::jobs::enqueue(&mut tx, &period.jobs, Some(period.created_at)).await?;
        tx.commit().await?;
        tracing::debug!(period_id = id, "exam period created");
        self.get_exam_period(ExamPeriodId(id)).await
    }

    async fn get_exam_period(&self, id: ExamPeriodId) -> StoreResult<ExamPeriod> {
        self.periods_where("p.id = $1", &[Some(id.get())])
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    async fn list_exam_periods(&self, filter: PeriodFilter) -> StoreResult<Vec<ExamPeriod>> {
        let certification = filter.certification_id.map(|c| c.get());
        let from = filter.starts_from.map(ts);
        self.periods_where(
            "($1 IS NULL OR p.certification_id = $1) AND ($2 IS NULL OR p.starts_at >= $2)",
            &[certification, from],
        )
        .await
    }
}
