//! Conversions between Rust values and the portable column types of the schema: times as UTC
//! microseconds, lists as JSON text, pages fetched with one extra row. The one place that
//! decides how a value is stored, on both databases.

use certdesk_store::{Page, PageRequest, StoreError, StoreResult};
use jiff::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The one way a `Timestamp` is stored: UTC microseconds since the Unix epoch.
pub fn ts(t: Timestamp) -> i64 {
    t.as_microsecond()
}

/// The inverse of [`ts`].
pub fn from_ts(micros: i64) -> StoreResult<Timestamp> {
    Timestamp::from_microsecond(micros).map_err(|e| corrupt(format!("timestamp out of range: {e}")))
}

pub fn from_ts_opt(micros: Option<i64>) -> StoreResult<Option<Timestamp>> {
    micros.map(from_ts).transpose()
}

pub fn to_json<T: Serialize + ?Sized>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Other(e.into()))
}

pub fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("unreadable {what}: {e}")))
}

/// Parses a stored value with `FromStr`; never echoes the value (it may be personal data).
pub fn parse<T: std::str::FromStr>(text: &str, what: &str) -> StoreResult<T> {
    text.parse()
        .map_err(|_| corrupt(format!("unreadable {what}")))
}

pub fn to_u32(value: i64, what: &str) -> StoreResult<u32> {
    u32::try_from(value).map_err(|_| corrupt(format!("{what} out of range")))
}

/// Data that cannot have been written by this store.
pub fn corrupt(message: String) -> StoreError {
    StoreError::Other(anyhow::anyhow!("corrupt data in the database: {message}"))
}

/// The LIMIT to query: one more than the page, to learn whether another page follows.
pub fn fetch_limit(page: PageRequest) -> i64 {
    i64::from(page.limit.clamp(1, PageRequest::MAX_LIMIT)) + 1
}

/// Cursor bound for lists in ascending key order.
pub fn after(page: PageRequest) -> i64 {
    page.cursor.unwrap_or(i64::MIN)
}

/// Cursor bound for lists in descending key order (newest first).
pub fn before(page: PageRequest) -> i64 {
    page.cursor.unwrap_or(i64::MAX)
}

/// `n` VALUES rows: `(before $k, $k+1, … after)`, `width` placeholders each, numbered from
/// `first`; `before` and `after` hold what every row shares (bound once).
///
/// Keep the parameters of one statement to a few hundred: SQLite finds a `$n` parameter's
/// name by a linear search when the driver binds it, so binding one statement costs the
/// square of its parameters (1,000 rows of 7 took 65 ms to bind; 100 rows of 5, well under
/// 1 ms) — bind what rows share once, and write 100 rows or so a statement.
pub fn shared_value_groups(
    first: usize,
    n: usize,
    width: usize,
    before: &str,
    after: &str,
) -> String {
    (0..n)
        .map(|i| {
            let own: Vec<String> = (0..width)
                .map(|k| format!("${}", first + i * width + k))
                .collect();
            format!("({before}{}{after})", own.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($first, …), (…)`: `n` groups of `width` placeholders, for a multi-row INSERT.
pub fn value_groups(first: usize, width: usize, n: usize) -> String {
    (0..n)
        .map(|i| {
            let group: Vec<String> = (0..width)
                .map(|k| format!("${}", first + i * width + k))
                .collect();
            format!("({})", group.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Cuts the extra row off and sets the cursor to the last item's key.
pub fn into_page<T>(mut items: Vec<T>, page: PageRequest, key: impl Fn(&T) -> i64) -> Page<T> {
    let limit = page.limit.clamp(1, PageRequest::MAX_LIMIT) as usize;
    let more = items.len() > limit;
    items.truncate(limit);
    let next_cursor = if more { items.last().map(key) } else { None };
    Page { items, next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_in_microseconds() {
        let t: Timestamp = "2027-03-10T01:00:00.123456Z".parse().unwrap();
        assert_eq!(from_ts(ts(t)).unwrap(), t);
        assert_eq!(ts(Timestamp::UNIX_EPOCH), 0);
        assert!(from_ts(i64::MAX).is_err());
    }

    #[test]
    fn value_groups_number_placeholders_row_by_row() {
        assert_eq!(value_groups(2, 3, 2), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(value_groups(1, 1, 0), "");
    }

    #[test]
    fn pages_cut_the_extra_row() {
        let page = PageRequest::first(2);
        assert_eq!(fetch_limit(page), 3);
        let p = into_page(vec![5, 4, 3], page, |v| *v);
        assert_eq!((p.items, p.next_cursor), (vec![5, 4], Some(4)));
        let p = into_page(vec![5, 4], page, |v| *v);
        assert_eq!((p.items, p.next_cursor), (vec![5, 4], None));
        assert_eq!(
            fetch_limit(PageRequest {
                limit: 0,
                cursor: None
            }),
            2
        );
    }
}
