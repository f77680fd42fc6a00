//! Value conversions: the shared portable column types of `certdesk_store::sql`.

pub(crate) use certdesk_store::sql::*;
