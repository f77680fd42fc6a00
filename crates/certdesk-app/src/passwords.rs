//! Passwords: a length policy, argon2id hashing (the argon2 crate's defaults: m=19 MiB, t=2,
//! p=1, the OWASP minimum), and verification off the async runtime.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use certdesk_domain::{ErrorCode, LocalizedText, Refusal};
use secrecy::{ExposeSecret, SecretString};

use crate::error::AppResult;

pub const MIN_PASSWORD_CHARS: usize = 8;
/// Long enough for any passphrase, short enough that hashing stays cheap to refuse.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The password policy: 8–128 characters. Refusal `invalid_password`, field `password`.
pub fn check_password_policy(password: &str) -> Result<(), Refusal> {
    let n = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n) {
        Ok(())
    } else {
        Err(Refusal::new(ErrorCode::InvalidPassword)
            .field("password")
            .detail(LocalizedText::fixed(
                "密码长度须为 8–128 个字符。",
                "A password has 8 to 128 characters.",
            )))
    }
}

/// An argon2id PHC string for `password`, computed on a blocking thread.
pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = SecretString::from(password.to_owned());
    let hashed = tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
    })
    .await
    .map_err(anyhow::Error::from)??;
    Ok(hashed)
}

/// Whether `password` matches `phc`. With `phc = None` it checks against a fixed dummy hash so
/// that an unknown account costs the same argon2 work as a known one (no email enumeration
/// by timing). A malformed stored hash never matches.
pub async fn verify_password(password: &str, phc: Option<String>) -> AppResult<bool> {
    let password = SecretString::from(password.to_owned());
    let ok = tokio::task::spawn_blocking(move || {
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| dummy_hash().to_owned());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            tracing::error!("stored password hash is not a PHC string");
            return false;
        };
        let matched = Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok();
        known && matched
    })
    .await
    .map_err(anyhow::Error::from)?;
    Ok(ok)
}

/// A hash of a random password with the same parameters as real ones, made once per process.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        let random = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(random.as_str().as_bytes(), &salt)
            .map(|h| h.to_string())
            .expect("argon2 default parameters are valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_counts_characters_not_bytes() {
        assert!(check_password_policy("1234567").is_err());
        assert!(check_password_policy("12345678").is_ok());
        assert!(check_password_policy("密码密码密码密码").is_ok());
        assert!(check_password_policy(&"x".repeat(128)).is_ok());
        let refusal = check_password_policy(&"x".repeat(129)).unwrap_err();
        assert_eq!(refusal.code, ErrorCode::InvalidPassword);
        assert_eq!(refusal.field.as_deref(), Some("password"));
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let phc = hash_password("correct horse").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(
            verify_password("correct horse", Some(phc.clone()))
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse", Some(phc)).await.unwrap());
        assert!(!verify_password("correct horse", None).await.unwrap());
        assert!(!verify_password("x", Some("garbage".into())).await.unwrap());
    }
}
