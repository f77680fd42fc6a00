//! What every handler can reach: the application, the web configuration, keys and metrics.

use std::sync::Arc;

use certdesk_app::App;

use crate::WebConfig;
use crate::csrf::CsrfKey;
use crate::middleware::metrics::Metrics;

/// Shared state of the router; cheap to clone.
#[derive(Clone)]
pub(crate) struct AppState {
    pub app: Arc<App>,
    pub config: Arc<WebConfig>,
    pub csrf: CsrfKey,
    pub metrics: Arc<Metrics>,
    /// The app's public URL is `https://`: every request is taken to have come over HTTPS.
    pub https_site: bool,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .field("https_site", &self.https_site)
            .finish_non_exhaustive()
    }
}
