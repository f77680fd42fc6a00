//! A2: ID numbers are stored encrypted (AES-256-GCM) and found again by a keyed blind index.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use anyhow::{anyhow, ensure};
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretBox};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::secret::SecretKey;

type HmacSha256 = Hmac<Sha256>;

/// Labels that derive independent keys from the one secret key. Changing one makes every
/// stored value unreadable, hence the version in the label.
const PII_KEY_LABEL: &[u8] = b"certdesk pii v1";
const BLIND_INDEX_KEY_LABEL: &[u8] = b"certdesk blind index v1";

/// The associated data of an encrypted ID number: a ciphertext made for one purpose cannot be
/// passed off as another.
pub const PURPOSE_ID_NUMBER: &str = "certdesk id_number v1";

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Encrypts PII and computes blind indexes. `Debug` shows no key material.
pub struct PiiCipher {
    aead: Aes256Gcm,
    index_key: SecretBox<[u8; 32]>,
}

impl PiiCipher {
    pub fn new(key: &SecretKey) -> PiiCipher {
        let pii_key = derive(key, PII_KEY_LABEL);
        let index_key = derive(key, BLIND_INDEX_KEY_LABEL);
        let aead =
            Aes256Gcm::new_from_slice(pii_key.as_slice()).expect("a 32-byte key fits AES-256");
        PiiCipher {
            aead,
            index_key: SecretBox::new(Box::new(*index_key)),
        }
    }

    /// A fresh random 96-bit nonce ‖ ciphertext and tag, bound to `purpose`.
    pub fn encrypt(&self, purpose: &str, plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .aead
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("encryption failed"))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plaintext of [`encrypt`](Self::encrypt)'s output; fails when the data was altered,
    /// made with another key or for another purpose.
    pub fn decrypt(&self, purpose: &str, data: &[u8]) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        ensure!(data.len() >= NONCE_LEN + TAG_LEN, "ciphertext too short");
        let (nonce, sealed) = data.split_at(NONCE_LEN);
        self.aead
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: purpose.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| anyhow!("ciphertext does not authenticate"))
    }

    /// HMAC-SHA256 of a normalised value under the blind-index key: equal inputs give equal
    /// indexes, so the store finds the same person without seeing the ID number (A2).
    pub fn blind_index(&self, normalised: &str) -> Vec<u8> {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(self.index_key.expose_secret())
            .expect("HMAC takes any key length");
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }
}

pub(crate) fn derive(key: &SecretKey, label: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut mac =
        <HmacSha256 as Mac>::new_from_slice(key.expose()).expect("HMAC takes any key length");
    mac.update(label);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

impl Clone for PiiCipher {
    fn clone(&self) -> Self {
        PiiCipher {
            aead: self.aead.clone(),
            index_key: SecretBox::new(Box::new(*self.index_key.expose_secret())),
        }
    }
}

impl fmt::Debug for PiiCipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PiiCipher([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "11010519491231002X";

    #[test]
    fn round_trip() {
        let cipher = PiiCipher::new(&SecretKey::generate());
        let sealed = cipher.encrypt(PURPOSE_ID_NUMBER, ID.as_bytes()).unwrap();
        assert!(
            !sealed.windows(ID.len()).any(|w| w == ID.as_bytes()),
            "plaintext leaked"
        );
        assert_eq!(
            cipher
                .decrypt(PURPOSE_ID_NUMBER, &sealed)
                .unwrap()
                .as_slice(),
            ID.as_bytes()
        );
    }

    #[test]
    fn tampering_wrong_purpose_and_wrong_key_are_detected() {
        let cipher = PiiCipher::new(&SecretKey::generate());
        let sealed = cipher.encrypt(PURPOSE_ID_NUMBER, ID.as_bytes()).unwrap();
        for i in [0, NONCE_LEN, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 0x01;
            assert!(
                cipher.decrypt(PURPOSE_ID_NUMBER, &bad).is_err(),
                "flip at {i} not detected"
            );
        }
        assert!(cipher.decrypt("another purpose", &sealed).is_err());
        assert!(cipher.decrypt(PURPOSE_ID_NUMBER, &sealed[..20]).is_err());
        let other = PiiCipher::new(&SecretKey::generate());
        assert!(other.decrypt(PURPOSE_ID_NUMBER, &sealed).is_err());
    }

    #[test]
    fn nonces_differ_between_encryptions() {
        let cipher = PiiCipher::new(&SecretKey::generate());
        let a = cipher.encrypt(PURPOSE_ID_NUMBER, ID.as_bytes()).unwrap();
        let b = cipher.encrypt(PURPOSE_ID_NUMBER, ID.as_bytes()).unwrap();
        assert_ne!(a[..NONCE_LEN], b[..NONCE_LEN]);
        assert_ne!(a, b);
    }

    #[test]
    fn blind_index_is_stable_and_keyed() {
        let key = SecretKey::generate();
        let cipher = PiiCipher::new(&key);
        let again = PiiCipher::new(&key.clone());
        assert_eq!(cipher.blind_index(ID), again.blind_index(ID));
        assert_eq!(cipher.blind_index(ID).len(), 32);
        assert_ne!(
            cipher.blind_index(ID),
            cipher.blind_index("110105194912310037")
        );
        let other = PiiCipher::new(&SecretKey::generate());
        assert_ne!(cipher.blind_index(ID), other.blind_index(ID));
        assert_eq!(format!("{cipher:?}"), "PiiCipher([REDACTED])");
    }
}
