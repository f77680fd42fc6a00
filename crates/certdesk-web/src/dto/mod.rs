//! JSON shapes of the API (field names from API.md) and their conversions from records.
//! Times are RFC 3339 with the programme's +08:00 offset (T1); money is integer fen.

pub(crate) mod accounts;
pub(crate) mod admin;
pub(crate) mod applications;
pub(crate) mod catalogue;
pub(crate) mod certificates;
pub(crate) mod identity;
pub(crate) mod institution;
pub(crate) mod orders;
pub(crate) mod page;
pub(crate) mod periods;
pub(crate) mod results;
pub(crate) mod support;
pub(crate) mod tickets;
pub(crate) mod wallet;

/// `2027-03-10T09:00:00+08:00`: an instant as the API speaks it (T1).
pub(crate) fn rfc3339(ts: jiff::Timestamp) -> String {
    let offset = certdesk_domain::time::programme_zone().to_offset(ts);
    ts.display_with_offset(offset).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn instants_are_shown_at_plus_eight() {
        let ts: jiff::Timestamp = "2027-03-10T01:00:00Z".parse().unwrap();
        assert_eq!(super::rfc3339(ts), "2027-03-10T09:00:00+08:00");
    }
}
