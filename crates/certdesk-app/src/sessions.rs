//! Log-in, sessions and the log-in throttle. Tokens are 32 random bytes (base64url); only
//! their SHA-256 is stored, so a database leak yields no usable session.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::net::IpAddr;

use certdesk_domain::rules::login_address_key;
use certdesk_domain::{Email, ErrorCode, LocalizedText, Refusal};
use certdesk_store::{Account, LoginThrottle, NewSession, Session, SessionKind};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use secrecy::SecretString;
use sha2::{Digest, Sha256};

use crate::App;
use crate::accounts::LoggedIn;
use crate::error::AppResult;
use crate::passwords::verify_password;

/// API bearer tokens live 30 days: scripts and the mobile client should not have to log in
/// again every week, and a token can always be revoked by logging out.
pub const API_SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(30 * 24);
/// Browser sessions live 7 days: a cookie on a shared or lost computer should not outlive a
/// week, yet a candidate preparing for an exam is not asked to log in every day.
pub const WEB_SESSION_LIFETIME: SignedDuration = SignedDuration::from_hours(7 * 24);

/// Which of the two throttles a key belongs to (its policy values).
#[derive(Debug, Clone, Copy)]
enum Key {
    Email,
    Address,
}

/// Longest token we bother hashing: a real one is 43 characters.
const MAX_TOKEN_LEN: usize = 256;

fn new_token() -> SecretString {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(bytes.as_mut());
    SecretString::from(URL_SAFE_NO_PAD.encode(bytes.as_ref()))
}

/// SHA-256 of a token: what the store keeps and looks sessions up by.
pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn invalid_credentials() -> Refusal {
    Refusal::new(ErrorCode::InvalidCredentials)
}

fn too_many_attempts(until: Timestamp) -> Refusal {
    Refusal::new(ErrorCode::TooManyAttempts)
        .deadline(until)
        .detail(LocalizedText::fixed(
            "连续多次登录失败，账号已暂时锁定。",
            "Too many failed log-ins; this account is locked for a while.",
        ))
}

fn address_locked(until: Timestamp) -> Refusal {
    Refusal::new(ErrorCode::TooManyAttempts)
        .deadline(until)
        .detail(LocalizedText::fixed(
            "您所在的网络连续多次登录失败，已暂时停止从该网络登录。",
            "Too many failed log-ins from your network; log-ins from it are paused for a while.",
        ))
}

/// The lock in force at `now`, if any.
fn locked_at(throttle: Option<&LoginThrottle>, now: Timestamp) -> Option<Timestamp> {
    throttle
        .and_then(|t| t.locked_until)
        .filter(|&until| now < until)
}

impl App {
    /// Logs in with email and password, from the client address `from` when the web layer
    /// knows it. Throttled twice over, both persisted so a restart resets nothing:
    /// - per email: after the policy's number of failures within its window the email is
    ///   locked for the lockout, during which even the right password is refused with the
    ///   deadline;
    /// - per client address (an IPv6 /64 counts as one), whatever emails it tries: one
    ///   address can no longer guess at many accounts, each with a fresh count. A success
    ///   does not clear an address's count — else a guesser with one real account could
    ///   reset it between guesses; it lapses with its window.
    ///
    /// An unknown email and a wrong password answer alike and cost the same argon2 work.
    #[tracing::instrument(skip_all, fields(kind = ?kind))]
    pub async fn log_in(
        &self,
        email: &str,
        password: &str,
        kind: SessionKind,
        from: Option<IpAddr>,
    ) -> AppResult<LoggedIn> {
        let now = self.now();
        let address_key = from.map(login_address_key);
        if let Some(key) = &address_key
            && let Some(until) = locked_at(self.store.find_login_throttle(key).await?.as_ref(), now)
        {
            return Err(address_locked(until).into());
        }
        let Ok(email) = Email::parse(email) else {
            // No email to throttle on, but a guess from this address, with the same work as
            // a real attempt.
            verify_password(password, None).await?;
            let address = self
                .record_failure(address_key.as_deref(), now, Key::Address)
                .await?;
            return Err(match address {
                Some(until) => address_locked(until),
                None => invalid_credentials(),
            }
            .into());
        };
        // Emails compare case-insensitively (the store's rule), so the throttle key does too.
        let key = email.as_str().to_lowercase();
        let throttle = self.store.find_login_throttle(&key).await?;
        if let Some(until) = locked_at(throttle.as_ref(), now) {
            return Err(too_many_attempts(until).into());
        }

        let account = self.store.find_account_by_email(&email).await?;
        let ok =
            verify_password(password, account.as_ref().map(|a| a.password_hash.clone())).await?;
        let Some(account) = account.filter(|_| ok) else {
            let by_email = self.record_failure(Some(&key), now, Key::Email).await?;
            let by_address = self
                .record_failure(address_key.as_deref(), now, Key::Address)
                .await?;
            // Both may lock at once: the later lift is the one the caller waits for.
            return Err(match (by_email, by_address) {
                (Some(e), Some(a)) if a > e => address_locked(a),
                (Some(e), _) => too_many_attempts(e),
                (None, Some(a)) => address_locked(a),
                (None, None) => invalid_credentials(),
            }
            .into());
        };

        if throttle.is_some() {
            self.store.clear_login_failures(&key).await?;
        }
        let token = new_token();
        let lifetime = match kind {
            SessionKind::Api => API_SESSION_LIFETIME,
            SessionKind::Web => WEB_SESSION_LIFETIME,
        };
        let expires_at = certdesk_domain::time::saturating_add(now, lifetime);
        self.store
            .create_session(NewSession {
                token_hash: token_hash(secrecy::ExposeSecret::expose_secret(&token)),
                account_id: account.id,
                kind,
                created_at: now,
                expires_at,
            })
            .await?;
        tracing::info!(account_id = %account.id, "logged in");
        Ok(LoggedIn {
            token,
            account,
            expires_at,
        })
    }

    /// Counts one failed log-in against a throttle key under its policy values; the lock it
    /// puts in force, if any. No key (an address the web layer does not know): nothing.
    async fn record_failure(
        &self,
        key: Option<&str>,
        now: Timestamp,
        which: Key,
    ) -> AppResult<Option<Timestamp>> {
        let Some(key) = key else { return Ok(None) };
        let p = &self.policy;
        let (max, window, lockout) = match which {
            Key::Email => (
                p.login_max_failures,
                p.login_failure_window_minutes,
                p.login_lockout_minutes,
            ),
            Key::Address => (
                p.login_address_max_failures,
                p.login_address_window_minutes,
                p.login_address_lockout_minutes,
            ),
        };
        let state = self
            .store
            .record_login_failure(
                key,
                now,
                SignedDuration::from_mins(window),
                max,
                SignedDuration::from_mins(lockout),
            )
            .await?;
        tracing::info!(failures = state.failures, key = ?which, "log-in failed");
        Ok(locked_at(Some(&state), now))
    }

    /// The live session a token opens, with its account; `None` for an unknown or expired one.
    pub async fn authenticate(&self, token: &str) -> AppResult<Option<(Session, Account)>> {
        let token = token.trim();
        if token.is_empty() || token.len() > MAX_TOKEN_LEN {
            return Ok(None);
        }
        Ok(self
            .store
            .find_session(&token_hash(token), self.now())
            .await?)
    }

    /// Ends the session of a token; logging out twice is not an error.
    pub async fn log_out(&self, token: &str) -> AppResult<()> {
        let token = token.trim();
        if token.is_empty() || token.len() > MAX_TOKEN_LEN {
            return Ok(());
        }
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn tokens_are_43_char_base64url_and_distinct() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.expose_secret().len(), 43);
        assert!(
            a.expose_secret()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_eq!(token_hash(a.expose_secret()).len(), 32);
    }

    #[test]
    fn lifetimes() {
        assert_eq!(API_SESSION_LIFETIME.as_hours(), 720);
        assert_eq!(WEB_SESSION_LIFETIME.as_hours(), 168);
    }
}
