//! sqlx errors as `StoreError`: lock and serialization trouble becomes `Busy`; known
//! constraint violations are recognised by SQLSTATE and constraint name, never by message text.

use certdesk_store::{StoreError, StoreResult};

/// SQLSTATEs worth a retry: serialization_failure, deadlock_detected, lock_not_available,
/// too_many_connections, cannot_connect_now.
const RETRYABLE: &[&str] = &["40001", "40P01", "55P03", "53300", "57P03"];

pub(crate) fn db_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::PoolTimedOut => StoreError::Busy,
        sqlx::Error::Database(d) if d.code().is_some_and(|c| RETRYABLE.contains(&c.as_ref())) => {
            StoreError::Busy
        }
        _ => StoreError::Other(anyhow::Error::new(e)),
    }
}

/// A unique violation of this named constraint.
pub(crate) fn is_unique_violation(e: &sqlx::Error, constraint: &str) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation() && d.constraint().is_none_or(|c| c == constraint)
        }
        _ => false,
    }
}

/// A foreign key pointing nowhere: the referenced account (or other row) does not exist.
pub(crate) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
}

/// `.db()?` turns a sqlx result into a store result.
pub(crate) trait DbResultExt<T> {
    fn db(self) -> StoreResult<T>;
}

impl<T> DbResultExt<T> for Result<T, sqlx::Error> {
    fn db(self) -> StoreResult<T> {
        self.map_err(db_error)
    }
}
