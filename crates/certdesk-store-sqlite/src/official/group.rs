//! Group commit for register-and-pay (O5) on the single writer: `certdesk_store::group` queues
//! the calls, and this writes a group in ONE `BEGIN IMMEDIATE` transaction, each registration
//! in its own savepoint (`paid.rs`), so a refused one rolls back to its savepoint without
//! disturbing the others. With `synchronous=FULL` every commit waits for the disk (fsync);
//! a group pays that wait once.

use async_trait::async_trait;
use certdesk_store::group::{GroupWrite, Outcome};
use certdesk_store::{PaidRegistration, StoreResult};
use sqlx::SqlitePool;

use crate::error::DbResultExt as _;

/// Writes groups on the single writer connection.
#[derive(Debug)]
pub(crate) struct SqliteGroupWrite {
    pub(crate) writer: SqlitePool,
}

#[async_trait]
impl GroupWrite for SqliteGroupWrite {
    async fn write_group(&self, group: &[PaidRegistration]) -> StoreResult<Vec<Outcome>> {
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await.db()?;
        let mut outcomes = Vec::with_capacity(group.len());
        // Whether the previous registration's savepoint is still open (it succeeded).
        let mut open = false;
        for paid in group {
            let outcome = super::paid::write_one(&mut tx, paid, open).await?;
            open = outcome.is_ok();
            outcomes.push(outcome);
        }
        tx.commit().await.db()?;
        Ok(outcomes)
    }
}
