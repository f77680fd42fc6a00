//! Start-up configuration that is more than a flag: the secret key for PII encryption.

use crate::storage::{Database, classify};
use anyhow::{Context, bail};
use certdesk_app::SecretKey;
use std::path::PathBuf;

/// The key that encrypts ID numbers at rest (A2) and keys their blind index.
///
/// `CERTDESK_SECRET_KEY` (32 bytes, base64 or hex) wins. Without it the embedded default
/// keeps a key file beside the SQLite database (0600), so a newcomer needs no set-up; with
/// PostgreSQL the key is required, since nodes share one database and must share the key.
pub fn secret_key(database_url: &str) -> anyhow::Result<SecretKey> {
    if let Ok(encoded) = std::env::var("CERTDESK_SECRET_KEY") {
        return SecretKey::from_encoded(encoded.trim())
            .context("CERTDESK_SECRET_KEY must be 32 bytes, base64 or 64 hex characters");
    }
    match classify(database_url)? {
        Database::Sqlite(db) => {
            let path = key_file_beside(&db);
            let (key, created) = SecretKey::load_or_create_file(&path)
                .with_context(|| format!("reading the key file {}", path.display()))?;
            if created {
                tracing::warn!(path = %path.display(), "created a new secret key file; back it up with the database: without it the stored ID numbers cannot be decrypted");
            } else {
                tracing::warn!(path = %path.display(), "ID numbers are encrypted with the key file beside the database; keep a backup of it (or set CERTDESK_SECRET_KEY)");
            }
            Ok(key)
        }
        Database::Postgres => {
            bail!("CERTDESK_SECRET_KEY is required with PostgreSQL (32 bytes, base64 or hex)")
        }
    }
}

fn key_file_beside(db: &std::path::Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".key");
    db.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_sits_beside_the_database() {
        assert_eq!(
            key_file_beside(std::path::Path::new("data/certdesk.db")),
            PathBuf::from("data/certdesk.db.key")
        );
        assert_eq!(
            key_file_beside(std::path::Path::new("certdesk.db")),
            PathBuf::from("certdesk.db.key")
        );
    }
}
