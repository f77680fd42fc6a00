//! What is PostgreSQL's own: the connection pool, what SQLSTATEs mean, job claims with `SKIP
//! LOCKED`, and the register-and-pay group writer (`paid.rs`, `group.rs`). Any number of
//! processes may share the database (`certdesk serve` plus `certdesk worker`s).

mod group;
mod jobs;
mod paid;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use certdesk_store::group::GroupCommit;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub(crate) use jobs::claim_jobs;

/// Connections per process: enough for web requests and a few workers on a 2-core host.
const MAX_CONNECTIONS: u32 = 10;
/// How long a call waits for a free connection before answering `StoreError::Busy`.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLSTATEs worth a retry: serialization_failure, deadlock_detected, lock_not_available,
/// too_many_connections, cannot_connect_now.
const RETRYABLE: &[&str] = &["40001", "40P01", "55P03", "53300", "57P03"];

pub(crate) async fn connect(options: PgConnectOptions) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .context("cannot connect to PostgreSQL")
}

/// Register-and-pay's group commit through the pool (`group.rs`).
pub(crate) fn group_commit(pool: &PgPool) -> GroupCommit {
    GroupCommit::start(Arc::new(group::PostgresGroupWrite { pool: pool.clone() }))
}

/// A lock, a serialization failure or a full server: retry later.
pub(crate) fn is_retryable(code: Option<&str>) -> bool {
    code.is_some_and(|c| RETRYABLE.contains(&c))
}
