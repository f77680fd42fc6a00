//! sqlx errors as `StoreError`: busy/locked becomes `Busy`; known constraint violations are
//! recognised by kind (never by message text) at the call site that expects them.

use certdesk_store::{StoreError, StoreResult};

/// SQLite primary result codes (the low byte of an extended code).
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;

pub(crate) fn db_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::PoolTimedOut => StoreError::Busy,
        sqlx::Error::Database(d) if is_busy(d.code().as_deref()) => StoreError::Busy,
        _ => StoreError::Other(anyhow::Error::new(e)),
    }
}

fn is_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, SQLITE_BUSY | SQLITE_LOCKED))
}

/// A unique violation. SQLite does not name the constraint, so callers only ask about
/// statements with a single unique key besides the row id.
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

#[cfg(test)]
mod tests {
    use super::is_busy;

    #[test]
    fn busy_and_locked_codes_are_busy() {
        for code in ["5", "6", "261", "517", "262"] {
            assert!(is_busy(Some(code)), "{code}");
        }
        for code in ["1", "19", "2067", "x"] {
            assert!(!is_busy(Some(code)), "{code}");
        }
        assert!(!is_busy(None));
    }
}
