//! Group commit for register-and-pay (O5): `certdesk_store::group` queues the calls, and this
//! writes a group in ONE transaction, one statement per registration (`paid.rs`), then
//! commits once.
//!
//! Why: every buyer of a city updates the same seat-pool row and holds its lock until
//! commit, so registrations of a city are serialised on that row — wake-up, update, commit,
//! WAL flush, release — one at a time. Measured on the 2-core machine, that capped a rush at
//! about 1,300/s at the store however idle the CPUs were. A group pays that serial section
//! once for many seats.
//!
//! A refusal that writes nothing (no seat left, no such period) is answered in the statement
//! and leaves the transaction intact. A refusal found after writing (balance, voucher, A2's
//! live registration, a reused idempotency key, a seat lost to another node) aborts the
//! transaction: it is rolled back, the registrations before the refused one are written
//! again as a group, and those after it one by one (each its own transaction). A deadlock or
//! serialization failure (possible with other app nodes' groups) rolls back and writes every
//! registration of the group one by one. Nothing is ever answered as paid before its commit.

use async_trait::async_trait;
use certdesk_store::group::{GroupWrite, Outcome};
use certdesk_store::{PaidRegistration, StoreError, StoreResult};
use sqlx::PgPool;

use super::paid::{Written, execute, refusal};
use crate::db::DbError;

/// Writes groups through the store's pool.
#[derive(Debug)]
pub(crate) struct PostgresGroupWrite {
    pub(crate) pool: PgPool,
}

#[async_trait]
impl GroupWrite<PaidRegistration> for PostgresGroupWrite {
    async fn write_group(&self, group: &[PaidRegistration]) -> StoreResult<Vec<Outcome>> {
        let items: Vec<&PaidRegistration> = group.iter().collect();
        write(&self.pool, &items).await
    }
}

/// Boxed: it calls itself for the registrations before a refused one.
type GroupWritten<'a> =
    std::pin::Pin<Box<dyn Future<Output = StoreResult<Vec<Outcome>>> + Send + 'a>>;

fn write<'a>(pool: &'a PgPool, items: &'a [&'a PaidRegistration]) -> GroupWritten<'a> {
    Box::pin(async move {
        match items {
            [] => return Ok(Vec::new()),
            [one] => return Ok(vec![alone(pool, one).await]),
            _ => {}
        }
        let mut tx = pool.begin().await.map_err(DbError::postgres)?;
        let mut outcomes = Vec::with_capacity(items.len());
        for (n, paid) in items.iter().enumerate() {
            let e = match execute(&mut tx, paid).await? {
                Written::Paid(order, registration) => {
                    outcomes.push(Ok((order, registration)));
                    continue;
                }
                Written::Refused(refused) => {
                    outcomes.push(Err(refused));
                    continue;
                }
                Written::Aborted(e) => e,
            };
            tx.rollback().await.map_err(DbError::postgres)?;
            return match refusal(e) {
                refused @ (StoreError::Conflict(_) | StoreError::NotFound) => {
                    let mut outcomes = write(pool, &items[..n]).await?;
                    outcomes.push(Err(refused));
                    for paid in &items[n + 1..] {
                        outcomes.push(alone(pool, paid).await);
                    }
                    Ok(outcomes)
                }
                StoreError::Busy => {
                    tracing::info!(size = items.len(), "group rolled back; writing one by one");
                    let mut outcomes = Vec::with_capacity(items.len());
                    for paid in items {
                        outcomes.push(alone(pool, paid).await);
                    }
                    Ok(outcomes)
                }
                failed => Err(failed),
            };
        }
        tx.commit().await.map_err(DbError::postgres)?;
        Ok(outcomes)
    })
}

/// One registration in its own transaction (autocommit: one round trip, one commit).
async fn alone(pool: &PgPool, paid: &PaidRegistration) -> Outcome {
    let mut conn = pool.acquire().await.map_err(DbError::postgres)?;
    match execute(&mut conn, paid).await? {
        Written::Paid(order, registration) => Ok((order, registration)),
        Written::Refused(refused) => Err(refused),
        Written::Aborted(e) => Err(refusal(e)),
    }
}
