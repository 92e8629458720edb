//! What a TOTP's sealed columns hold: its key, and its recovery codes not used
//! yet, either listable or kept only as keyed hashes (shown once).

use super::vault::{self, KEY_LEN, OpenFailure, Vault};
use crate::otp::{SecretKey, SecretString};
use crate::store::{Sealed, StoreError, TotpRecord};
use crate::wipe::take_secret;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The first byte of the hashed form (the listed form is ASCII text).
const HASHED: u8 = 0xFF;
const DIGEST_LEN: usize = 32;
/// The meta record holding the key of the recovery-code hashes, sealed.
pub const HASH_KEY_META: &str = "recovery_code_hash_key";

/// Where a TOTP's values live, for the associated data: the row is the TOTP
/// and its owner, so a value moved to another TOTP or another user fails.
fn place(totp_id: &str, user_id: &str, column: &str) -> String {
    vault::aad("totps", &[totp_id, "/", user_id].concat(), column)
}

/// The place of a meta record's value.
pub fn meta_place(key: &str) -> String {
    vault::aad("meta", key, "value")
}

/// Turns a value that did not open into a storage error naming the TOTP.
fn unopened<'a>(totp_id: &'a str, column: &'a str) -> impl FnOnce(OpenFailure) -> StoreError + 'a {
    move |e| {
        StoreError::Failed(format!(
            "the {column} of TOTP {totp_id} cannot be opened: {e}"
        ))
    }
}

pub fn seal_key(vault: &Vault, totp_id: &str, user_id: &str, key: &SecretKey) -> Sealed {
    vault.seal(&place(totp_id, user_id, "secret"), key.as_bytes())
}

pub fn open_key(
    vault: &Vault,
    totp: &TotpRecord,
    accept_plain: bool,
) -> Result<SecretKey, StoreError> {
    let place = || place(&totp.totp_id, &totp.user_id, "secret");
    let bytes = vault
        .open_at(place, totp.secret.as_bytes(), accept_plain)
        .map_err(unopened(&totp.totp_id, "secret"))?;
    Ok(SecretKey::from(take_secret(bytes)))
}

/// The key of the recovery-code hashes: 32 random bytes, kept sealed in the
/// store's meta records (so it moves to a new host key with everything else).
pub struct HashKey(Zeroizing<[u8; KEY_LEN]>);

/// Constant time, like every comparison of secrets.
impl PartialEq for HashKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&*other.0).into()
    }
}

impl HashKey {
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        crate::random::fill(&mut bytes[..]);
        Self(bytes)
    }

    pub fn seal(&self, vault: &Vault) -> Sealed {
        vault.seal(&meta_place(HASH_KEY_META), &self.0[..])
    }

    pub fn open(vault: &Vault, sealed: &[u8]) -> Result<Self, StoreError> {
        let bytes = vault
            .open(&meta_place(HASH_KEY_META), sealed, false)
            .map_err(|e| {
                StoreError::Failed(format!("the recovery code hash key cannot be opened: {e}"))
            })?;
        let key: [u8; KEY_LEN] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| StoreError::Failed("the recovery code hash key is not 32 bytes".into()))?;
        Ok(Self(Zeroizing::new(key)))
    }

    fn digest(&self, code: &str) -> [u8; DIGEST_LEN] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0[..])
            .expect("HMAC takes a key of any length");
        mac.update(code.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// The recovery codes of a TOTP not used yet.
pub enum RecoveryCodes {
    /// Codes separated by single spaces; the recovery_codes route lists them.
    Listed(SecretString),
    /// HMAC-SHA256 digests of the codes: they can be checked, never shown.
    Hashed(Vec<[u8; DIGEST_LEN]>),
}

impl RecoveryCodes {
    pub fn listed(codes: &[SecretString]) -> Self {
        let joined: Vec<&str> = codes.iter().map(SecretString::expose).collect();
        Self::Listed(SecretString::from(joined.join(" ")))
    }

    pub fn hashed(codes: &[SecretString], key: &HashKey) -> Self {
        Self::Hashed(codes.iter().map(|c| key.digest(c.expose())).collect())
    }

    pub fn is_hashed(&self) -> bool {
        matches!(self, Self::Hashed(_))
    }

    /// The codes a listing shows: none for hashed codes.
    pub fn to_list(&self) -> Vec<SecretString> {
        match self {
            Self::Listed(codes) => codes
                .expose()
                .split_ascii_whitespace()
                .map(SecretString::from)
                .collect(),
            Self::Hashed(_) => Vec::new(),
        }
    }

    /// Whether `code` is one of them, comparing with every one in constant
    /// time. Hashed codes need `key`.
    pub fn contains(&self, code: &str, key: Option<&HashKey>) -> bool {
        let mut found = false;
        match (self, key) {
            (Self::Listed(codes), _) => {
                for candidate in codes.expose().split_ascii_whitespace() {
                    found |= bool::from(candidate.as_bytes().ct_eq(code.as_bytes()));
                }
            }
            (Self::Hashed(digests), Some(key)) => {
                let digest = key.digest(code);
                for candidate in digests {
                    found |= bool::from(candidate.ct_eq(&digest));
                }
            }
            (Self::Hashed(_), None) => {}
        }
        found
    }

    /// Uses up `code` (which must be one of them).
    pub fn remove(&mut self, code: &str, key: Option<&HashKey>) {
        match (self, key) {
            (Self::Listed(codes), _) => {
                let rest: Vec<&str> = codes
                    .expose()
                    .split_ascii_whitespace()
                    .filter(|c| *c != code)
                    .collect();
                *codes = SecretString::from(rest.join(" "));
            }
            (Self::Hashed(digests), Some(key)) => {
                let digest = key.digest(code);
                digests.retain(|d| !bool::from(d.ct_eq(&digest)));
            }
            (Self::Hashed(_), None) => {}
        }
    }

    pub fn seal(&self, vault: &Vault, totp_id: &str, user_id: &str) -> Sealed {
        let place = place(totp_id, user_id, "recovery_codes");
        match self {
            Self::Listed(codes) => vault.seal(&place, codes.expose().as_bytes()),
            Self::Hashed(digests) => {
                let mut bytes = Vec::with_capacity(1 + digests.len() * DIGEST_LEN);
                bytes.push(HASHED);
                digests.iter().for_each(|d| bytes.extend_from_slice(d));
                vault.seal(&place, &bytes)
            }
        }
    }

    pub fn open(vault: &Vault, totp: &TotpRecord, accept_plain: bool) -> Result<Self, StoreError> {
        let place = place(&totp.totp_id, &totp.user_id, "recovery_codes");
        let corrupt =
            || StoreError::Failed(format!("TOTP {} has corrupt recovery codes", totp.totp_id));
        let bytes = vault
            .open(&place, totp.recovery_codes.as_bytes(), accept_plain)
            .map_err(unopened(&totp.totp_id, "recovery codes"))?;
        match bytes.split_first() {
            Some((&HASHED, digests)) => {
                let chunks = digests.chunks_exact(DIGEST_LEN);
                if !chunks.remainder().is_empty() {
                    return Err(corrupt());
                }
                Ok(Self::Hashed(
                    chunks
                        .map(|d| d.try_into().unwrap_or([0; DIGEST_LEN]))
                        .collect(),
                ))
            }
            _ => {
                let text = String::from_utf8(take_secret(bytes)).map_err(|e| {
                    let mut bytes = e.into_bytes();
                    zeroize::Zeroize::zeroize(&mut bytes);
                    corrupt()
                })?;
                Ok(Self::Listed(SecretString::from(text)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::vault::KeyBytes;

    #[test]
    fn hashed_codes_check_and_use_up_but_never_list() {
        let vault = Vault::new(&[("k".to_owned(), KeyBytes::new([1; KEY_LEN]))]);
        let key = HashKey::generate();
        let codes = [
            SecretString::from("aaaa-bbbb-cccc"),
            SecretString::from("dddd-eeee-ffff"),
        ];
        let mut hashed = RecoveryCodes::hashed(&codes, &key);
        assert!(hashed.to_list().is_empty());
        assert!(hashed.contains("aaaa-bbbb-cccc", Some(&key)));
        assert!(!hashed.contains("aaaa-bbbb-cccc", Some(&HashKey::generate())));
        assert!(!hashed.contains("aaaa-bbbb-cccc", None));
        hashed.remove("aaaa-bbbb-cccc", Some(&key));
        assert!(!hashed.contains("aaaa-bbbb-cccc", Some(&key)));
        assert!(hashed.contains("dddd-eeee-ffff", Some(&key)));

        let record = TotpRecord {
            totp_id: "totp-1".into(),
            user_id: "user-1".into(),
            secret: Sealed::from(vec![0]),
            verified: false,
            created_at: 0,
            expires_at: 0,
            last_step: None,
            recovery_codes: hashed.seal(&vault, "totp-1", "user-1"),
        };
        let opened = RecoveryCodes::open(&vault, &record, false).unwrap();
        assert!(opened.is_hashed() && opened.contains("dddd-eeee-ffff", Some(&key)));
        let sealed_key = key.seal(&vault);
        let reopened = HashKey::open(&vault, sealed_key.as_bytes()).unwrap();
        assert!(opened.contains("dddd-eeee-ffff", Some(&reopened)));

        let mut listed = RecoveryCodes::listed(&codes);
        assert_eq!(listed.to_list(), codes.to_vec());
        listed.remove("aaaa-bbbb-cccc", None);
        assert_eq!(listed.to_list(), codes[1..].to_vec());
    }
}
