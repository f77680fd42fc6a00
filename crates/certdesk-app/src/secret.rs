//! The server's one secret key: the root of the PII encryption and blind-index keys (A2).

use std::fmt;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use base64::Engine;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};

/// 32 secret bytes. `Debug` never shows them; they are zeroed on drop.
pub struct SecretKey(SecretBox<[u8; 32]>);

impl SecretKey {
    /// A fresh random key from the operating system's generator.
    pub fn generate() -> SecretKey {
        let mut bytes = Box::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(bytes.as_mut());
        SecretKey(SecretBox::new(bytes))
    }

    /// A key written as 64 hex characters or as base64 (standard or URL-safe, padded or not)
    /// of exactly 32 bytes. Errors never repeat the input.
    pub fn from_encoded(s: &str) -> anyhow::Result<SecretKey> {
        let s = s.trim();
        let decoded = if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(s).ok()
        } else {
            use base64::engine::general_purpose::{
                STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
            };
            [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
                .iter()
                .find_map(|e| e.decode(s).ok())
        };
        let Some(mut decoded) = decoded else {
            bail!("the secret key is neither 64 hex characters nor base64");
        };
        let result = <[u8; 32]>::try_from(decoded.as_slice())
            .map(|bytes| SecretKey(SecretBox::new(Box::new(bytes))))
            .map_err(|_| {
                anyhow::anyhow!("the secret key must be 32 bytes, found {}", decoded.len())
            });
        zeroize::Zeroize::zeroize(&mut decoded);
        result
    }

    /// The embedded default: read the key file beside the database, or create it with 0600
    /// permissions. Returns the key and whether the file was created now.
    pub fn load_or_create_file(path: &Path) -> anyhow::Result<(SecretKey, bool)> {
        match read_key_file(path) {
            Ok(key) => return Ok((key, false)),
            Err(e) if is_not_found(&e) => {}
            Err(e) => return Err(e),
        }
        let key = SecretKey::generate();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(path) {
            Ok(mut file) => {
                let encoded = zeroize::Zeroizing::new(hex::encode(key.expose()));
                file.write_all(encoded.as_bytes())
                    .and_then(|()| file.write_all(b"\n"))
                    .and_then(|()| file.sync_all())
                    .with_context(|| {
                        format!("cannot write the secret key file {}", path.display())
                    })?;
                Ok((key, true))
            }
            // Another process created it between our read and our create: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Ok((read_key_file(path)?, false))
            }
            Err(e) => Err(e)
                .with_context(|| format!("cannot create the secret key file {}", path.display())),
        }
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }
}

fn read_key_file(path: &Path) -> anyhow::Result<SecretKey> {
    let text = zeroize::Zeroizing::new(
        std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the secret key file {}", path.display()))?,
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), mode = format_args!("{mode:o}"), "secret key file is readable by others; chmod 600 it");
        }
    }
    SecretKey::from_encoded(&text)
        .with_context(|| format!("bad secret key file {}", path.display()))
}

fn is_not_found(e: &anyhow::Error) -> bool {
    e.downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
}

impl Clone for SecretKey {
    fn clone(&self) -> Self {
        SecretKey(SecretBox::new(Box::new(*self.expose())))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_hex_and_base64_and_refuses_wrong_lengths() {
        let hex_key = "00".repeat(31) + "ff";
        assert_eq!(
            SecretKey::from_encoded(&hex_key).unwrap().expose()[31],
            0xff
        );
        let b64 = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        assert_eq!(
            SecretKey::from_encoded(&format!(" {b64}\n"))
                .unwrap()
                .expose(),
            &[7u8; 32]
        );
        let short = base64::engine::general_purpose::STANDARD.encode([7u8; 16]);
        let err = SecretKey::from_encoded(&short).unwrap_err().to_string();
        assert!(err.contains("32 bytes"), "{err}");
        assert!(SecretKey::from_encoded("not a key!").is_err());
    }

    #[test]
    fn debug_is_redacted_and_keys_differ() {
        let key = SecretKey::generate();
        assert_eq!(format!("{key:?}"), "SecretKey([REDACTED])");
        assert_ne!(key.expose(), SecretKey::generate().expose());
    }

    #[test]
    fn key_file_is_created_once_with_private_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("certdesk.key");
        let (first, created) = SecretKey::load_or_create_file(&path).unwrap();
        assert!(created);
        let (again, created) = SecretKey::load_or_create_file(&path).unwrap();
        assert!(!created);
        assert_eq!(first.expose(), again.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
    }
}
