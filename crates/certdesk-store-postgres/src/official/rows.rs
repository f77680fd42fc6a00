//! The official channel's rows: shared with the other backend (`certdesk_store::sql`).

pub(crate) use certdesk_store::sql::official_rows::*;
