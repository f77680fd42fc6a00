//! The conformance suite on SQLite, plus what only raw SQL can check.

mod official;
mod raw;

use std::sync::Arc;

use certdesk_store::Store;

use crate::SqliteStore;

/// A fresh store on a new file in its own temporary directory (removed with the store).
pub(crate) async fn fresh_store() -> SqliteStore {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite:{}", dir.path().join("certdesk.db").display());
    let mut store = SqliteStore::open(&url).await.expect("open SQLite store");
    store._test_dir = Some(Arc::new(dir));
    store
}

async fn fresh(_test: &'static str) -> Option<Arc<dyn Store>> {
    Some(Arc::new(fresh_store().await))
}

mod conformance {
    certdesk_store::conformance_tests!(super::fresh);
}
