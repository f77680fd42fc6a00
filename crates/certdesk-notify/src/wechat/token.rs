//! The official account's access token, one per process.
//!
//! WeChat invalidates the previous token (after a 5-minute overlap) each time a new one is
//! fetched, so workers fetching on their own would knock each other's tokens out. Here every
//! worker goes through one [`TokenCache`]: the first that needs a token fetches it while the
//! others wait on the same lock and take its result; a token rejected by the vendor is dropped
//! only if it is still the cached one, so several workers seeing the same rejection cause one
//! refresh.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use certdesk_domain::Clock;
use jiff::{SignedDuration, Timestamp};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::error::{Step, WeChatError, bounded};

/// Per request; the vendor normally answers well within a second.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How long before the vendor's expiry a token is refreshed: 5 minutes, or a tenth of its
/// lifetime when that is shorter. The margin absorbs our clock's skew against the vendor's
/// and the time a request spends in flight; for short lifetimes (a vendor change, a test
/// server) a fixed 5 minutes could exceed the lifetime and make every call refetch.
pub fn refresh_margin(expires_in: SignedDuration) -> SignedDuration {
    let tenth = expires_in / 10;
    tenth.min(SignedDuration::from_mins(5))
}

/// An access token. `Debug` does not show it; it is only sent as the `access_token` query
/// parameter.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken([REDACTED])")
    }
}

/// Where tokens come from: `GET {api_base}/cgi-bin/token`.
pub(crate) struct TokenSource {
    pub(crate) http: reqwest::Client,
    pub(crate) api_base: String,
    pub(crate) app_id: String,
    pub(crate) app_secret: SecretString,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    expires_in: Option<i64>,
    errcode: Option<i64>,
    errmsg: Option<String>,
}

impl TokenSource {
    async fn fetch(&self) -> Result<(AccessToken, SignedDuration), WeChatError> {
        let answer = self
            .http
            .get(format!("{}/cgi-bin/token", self.api_base))
            .query(&[
                ("grant_type", "client_credential"),
                ("appid", self.app_id.as_str()),
                ("secret", self.app_secret.expose_secret()),
            ])
            .timeout(REQUEST_TIMEOUT)
            .send()
            .await
            .map_err(|e| WeChatError::transport(Step::Token, e))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(WeChatError::Status {
                step: Step::Token,
                status: status.as_u16(),
            });
        }
        let body = answer
            .bytes()
            .await
            .map_err(|e| WeChatError::transport(Step::Token, e))?;
        let malformed = |message: String| WeChatError::Malformed {
            step: Step::Token,
            message,
        };
        let answer: TokenAnswer =
            serde_json::from_slice(&body).map_err(|e| malformed(e.to_string()))?;
        match answer {
            TokenAnswer {
                errcode: Some(errcode),
                errmsg,
                ..
            } if errcode != 0 => Err(WeChatError::Api {
                step: Step::Token,
                errcode,
                errmsg: bounded(errmsg.unwrap_or_default()),
            }),
            TokenAnswer {
                access_token: Some(token),
                expires_in: Some(secs),
                ..
            } if !token.is_empty() => Ok((
                AccessToken(token.into()),
                SignedDuration::from_secs(secs.max(0)),
            )),
            _ => Err(malformed(
                "应答缺少 access_token 或 expires_in / answer without access_token or expires_in"
                    .into(),
            )),
        }
    }
}

struct Cached {
    token: AccessToken,
    /// When we stop handing it out and fetch another.
    refresh_at: Timestamp,
    /// When the vendor stops accepting it; between the two it still serves if a refresh fails.
    expires_at: Timestamp,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    /// The outcome of the last fetch when it failed, for the tasks that waited on it.
    last_failure: Option<WeChatError>,
}

/// The process's access-token cache. Held in an `Arc` by [`super::WeChatClient`].
pub struct TokenCache {
    source: TokenSource,
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
    /// Fetches finished so far; a task that sees it move while it waited for the lock knows a
    /// fetch ran on its behalf.
    fetches_done: AtomicU64,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("api_base", &self.source.api_base)
            .field("app_id", &self.source.app_id)
            .field("fetches_done", &self.fetches_done.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    pub(crate) fn new(source: TokenSource, clock: Arc<dyn Clock>) -> TokenCache {
        TokenCache {
            source,
            clock,
            state: Mutex::new(State::default()),
            fetches_done: AtomicU64::new(0),
        }
    }

    /// A token good for a call now: the cached one, or a fresh one (one fetch however many
    /// tasks ask at once).
    pub async fn get(&self) -> Result<AccessToken, WeChatError> {
        let seen = self.fetches_done.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        let now = self.clock.now();
        if let Some(cached) = &state.cached
            && now < cached.refresh_at
        {
            return Ok(cached.token.clone());
        }
        if self.fetches_done.load(Ordering::Acquire) != seen
            && let Some(failure) = &state.last_failure
        {
            // The fetch we waited for failed: share its answer rather than hammer the vendor
            // once per waiting task.
            return fallback(&state, now, failure.clone());
        }

        // The lifetime counts from before the request: the vendor's clock started no earlier.
        let started = self.clock.now();
        let outcome = self.source.fetch().await;
        self.fetches_done.fetch_add(1, Ordering::AcqRel);
        match outcome {
            Ok((token, expires_in)) => {
                tracing::debug!(
                    expires_in = expires_in.as_secs(),
                    "wechat access token fetched"
                );
                state.cached = Some(Cached {
                    token: token.clone(),
                    refresh_at: later(started, expires_in - refresh_margin(expires_in)),
                    expires_at: later(started, expires_in),
                });
                state.last_failure = None;
                Ok(token)
            }
            Err(failure) => {
                tracing::warn!(error = %failure, "wechat access token fetch failed");
                state.last_failure = Some(failure.clone());
                fallback(&state, now, failure)
            }
        }
    }

    /// Forgets `rejected` if it is still the cached token, so the next [`TokenCache::get`]
    /// fetches a fresh one; a no-op when another task already replaced it.
    pub async fn invalidate(&self, rejected: &AccessToken) {
        let mut state = self.state.lock().await;
        if state
            .cached
            .as_ref()
            .is_some_and(|cached| &cached.token == rejected)
        {
            state.cached = None;
        }
    }
}

fn later(from: Timestamp, by: SignedDuration) -> Timestamp {
    from.checked_add(by).unwrap_or(Timestamp::MAX)
}

/// After a failed refresh the old token still serves until the vendor's expiry.
fn fallback(
    state: &State,
    now: Timestamp,
    failure: WeChatError,
) -> Result<AccessToken, WeChatError> {
    match &state.cached {
        Some(cached) if now < cached.expires_at => Ok(cached.token.clone()),
        _ => Err(failure),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_is_five_minutes_or_a_tenth_of_a_short_lifetime() {
        let secs = SignedDuration::from_secs;
        assert_eq!(refresh_margin(secs(7200)), secs(300));
        assert_eq!(refresh_margin(secs(3000)), secs(300));
        assert_eq!(refresh_margin(secs(600)), secs(60));
        assert_eq!(refresh_margin(secs(0)), secs(0));
    }

    #[test]
    fn the_token_stays_out_of_debug() {
        let token = AccessToken("ACCESS-TOKEN-VALUE".into());
        assert!(!format!("{token:?}").contains("ACCESS-TOKEN-VALUE"));
        assert_eq!(token.expose(), "ACCESS-TOKEN-VALUE");
    }
}
