//! Sealing secrets at rest: XChaCha20-Poly1305 under 32-byte host keys, each
//! value bound to its place in the store.
//!
//! A sealed value is `0x01 | kid length | kid | 24-byte random nonce |
//! ciphertext | 16-byte tag`. Without keys, values are kept as `0x00 |
//! plaintext`, so that a sealed value and a plain one are never mistaken for
//! each other. The associated data, `stytch_totp/v1|<table>|<row>|<column>`,
//! names where the value lives: a value copied into another row or column
//! does not open.

use crate::store::Sealed;
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{Key, Tag, XChaCha20Poly1305, XNonce};
use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// Bytes in a host key.
pub const KEY_LEN: usize = 32;
/// Longest key id, in bytes.
pub const MAX_KID_LEN: usize = 64;
const PLAIN: u8 = 0x00;
const SEALED_V1: u8 = 0x01;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// The associated data of the value in `column` of row `row` of `table`.
pub fn aad(table: &str, row: &str, column: &str) -> String {
    // Concatenated, not formatted: this runs on every sign-in.
    ["stytch_totp/v1|", table, "|", row, "|", column].concat()
}

/// Whether `kid` can name a key: 1 to 64 ASCII letters, digits, `.`, `_`, `-`
/// (it is stored in every value and shown in errors; it is never secret).
pub fn is_valid_kid(kid: &str) -> bool {
    (1..=MAX_KID_LEN).contains(&kid.len())
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The 32 bytes of a host key. Wiped when dropped; `Debug` never shows them.
#[derive(Clone)]
pub struct KeyBytes(Zeroizing<[u8; KEY_LEN]>);

impl KeyBytes {
    pub fn new(bytes: [u8; KEY_LEN]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

/// Constant time, like every comparison of secrets.
impl PartialEq for KeyBytes {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&*other.0).into()
    }
}

impl Eq for KeyBytes {}

impl fmt::Debug for KeyBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyBytes(<redacted>)")
    }
}

/// Who sealed a stored value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sealer<'a> {
    /// Stored without a key.
    Plain,
    /// Sealed under the key with this id.
    Key(&'a str),
}

impl Sealer<'_> {
    /// The name of this sealer in the store's record of keys in use: the key
    /// id, or `""` for plaintext (a key id is never empty).
    pub fn name(&self) -> &str {
        match self {
            Sealer::Plain => "",
            Sealer::Key(kid) => kid,
        }
    }
}

/// Why a stored value did not open.
#[derive(Debug, PartialEq, Eq)]
pub enum OpenFailure {
    /// Not an envelope this library writes.
    Malformed,
    /// Sealed under a key id that is not configured.
    UnknownKey(String),
    /// Stored in plaintext where plaintext is no longer accepted.
    Plaintext,
    /// The tag does not verify: a different key under the same id, a value
    /// tampered with, or one moved from another row or column.
    Forged,
}

impl fmt::Display for OpenFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenFailure::Malformed => f.write_str("it is not a sealed value"),
            OpenFailure::UnknownKey(kid) => write!(
                f,
                "it is sealed under key id {kid:?}, which is not in encryption_keys"
            ),
            OpenFailure::Plaintext => f.write_str(
                "it is stored unencrypted, but every value of this store has been sealed",
            ),
            OpenFailure::Forged => f.write_str(
                "it does not authenticate: tampered with, moved from another row, or a \
                 different key under the same id",
            ),
        }
    }
}

/// One configured key, ready to use. The cipher wipes its key when dropped.
struct HostKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

/// The host keys: the first seals, every one opens. Without keys, values are
/// stored as tagged plaintext.
pub struct Vault {
    keys: Vec<HostKey>,
}

impl fmt::Debug for Vault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        write!(f, "Vault({ids:?})")
    }
}

impl Vault {
    /// `keys` in order: the first is active, the others only open values.
    pub fn new(keys: &[(String, KeyBytes)]) -> Self {
        Self {
            keys: keys
                .iter()
                .map(|(id, bytes)| HostKey {
                    id: id.clone(),
                    cipher: XChaCha20Poly1305::new(&Key::from(*bytes.as_bytes())),
                })
                .collect(),
        }
    }

    /// Whether values are encrypted (keys are configured).
    pub fn encrypts(&self) -> bool {
        !self.keys.is_empty()
    }

    /// Who seals new values: the active key, or plaintext without keys.
    pub fn active(&self) -> Sealer<'_> {
        self.keys
            .first()
            .map_or(Sealer::Plain, |k| Sealer::Key(&k.id))
    }

    /// Every configured key id, the active one first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.id.as_str())
    }

    /// Seals `plaintext` under the active key (tags it as plaintext without keys).
    pub fn seal(&self, aad: &str, plaintext: &[u8]) -> Sealed {
        match self.keys.first() {
            Some(key) => seal_under(key, aad, plaintext),
            None => {
                let mut bytes = Vec::with_capacity(1 + plaintext.len());
                bytes.push(PLAIN);
                bytes.extend_from_slice(plaintext);
                Sealed::from(bytes)
            }
        }
    }

    /// Seals `plaintext` under the configured key `kid` (for key checks).
    pub fn seal_with(&self, kid: &str, aad: &str, plaintext: &[u8]) -> Option<Sealed> {
        let key = self.keys.iter().find(|k| k.id == kid)?;
        Some(seal_under(key, aad, plaintext))
    }

    /// Opens a value sealed under any configured key; a plaintext value only
    /// when `accept_plain` (the store may still hold some).
    pub fn open(
        &self,
        aad: &str,
        sealed: &[u8],
        accept_plain: bool,
    ) -> Result<Zeroizing<Vec<u8>>, OpenFailure> {
        self.open_at(|| aad, sealed, accept_plain)
    }

    /// `open`, with the associated data made only for a sealed value: a
    /// plaintext value (no host key) needs none.
    pub fn open_at<A: AsRef<str>>(
        &self,
        aad: impl FnOnce() -> A,
        sealed: &[u8],
        accept_plain: bool,
    ) -> Result<Zeroizing<Vec<u8>>, OpenFailure> {
        let envelope = Envelope::parse(sealed)?;
        let (kid, nonce, body) = match envelope {
            Envelope::Plain(text) if accept_plain => return Ok(Zeroizing::new(text.to_vec())),
            Envelope::Plain(_) => return Err(OpenFailure::Plaintext),
            Envelope::Sealed { kid, nonce, body } => (kid, nonce, body),
        };
        let key = self
            .keys
            .iter()
            .find(|k| k.id == kid)
            .ok_or_else(|| OpenFailure::UnknownKey(kid.to_owned()))?;
        let (ciphertext, tag) = body.split_at(body.len() - TAG_LEN);
        let tag = Tag::try_from(tag).map_err(|_| OpenFailure::Malformed)?;
        let mut plaintext = Zeroizing::new(ciphertext.to_vec());
        key.cipher
            .decrypt_inout_detached(
                &XNonce::from(nonce),
                aad().as_ref().as_bytes(),
                plaintext.as_mut_slice().into(),
                &tag,
            )
            .map_err(|_| OpenFailure::Forged)?;
        Ok(plaintext)
    }
}

/// Who sealed `sealed`, read from its envelope without opening it.
pub fn sealer_of(sealed: &[u8]) -> Result<Sealer<'_>, OpenFailure> {
    Ok(match Envelope::parse(sealed)? {
        Envelope::Plain(_) => Sealer::Plain,
        Envelope::Sealed { kid, .. } => Sealer::Key(kid),
    })
}

fn seal_under(key: &HostKey, aad: &str, plaintext: &[u8]) -> Sealed {
    let mut nonce = [0u8; NONCE_LEN];
    crate::random::fill(&mut nonce);
    let kid = key.id.as_bytes();
    let start = 2 + kid.len() + NONCE_LEN;
    let mut bytes = Vec::with_capacity(start + plaintext.len() + TAG_LEN);
    bytes.push(SEALED_V1);
    bytes.push(kid.len() as u8); // at most MAX_KID_LEN
    bytes.extend_from_slice(kid);
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(plaintext);
    // The plaintext is encrypted where it lies, so no copy of it is left
    // behind; the capacity already holds the tag.
    let sealed = key.cipher.encrypt_inout_detached(
        &XNonce::from(nonce),
        aad.as_bytes(),
        (&mut bytes[start..]).into(),
    );
    match sealed {
        Ok(tag) => bytes.extend_from_slice(&tag),
        // Only values of hundreds of gigabytes are refused.
        Err(_) => {
            bytes.zeroize();
            panic!(
                "XChaCha20-Poly1305 refused a value of {} bytes",
                plaintext.len()
            );
        }
    }
    Sealed::from(bytes)
}

enum Envelope<'a> {
    Plain(&'a [u8]),
    Sealed {
        kid: &'a str,
        nonce: [u8; NONCE_LEN],
        /// Ciphertext then tag.
        body: &'a [u8],
    },
}

impl<'a> Envelope<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, OpenFailure> {
        match bytes.split_first() {
            Some((&PLAIN, text)) => Ok(Envelope::Plain(text)),
            Some((&SEALED_V1, rest)) => {
                let (&kid_len, rest) = rest.split_first().ok_or(OpenFailure::Malformed)?;
                let kid_len = usize::from(kid_len);
                if rest.len() < kid_len + NONCE_LEN + TAG_LEN {
                    return Err(OpenFailure::Malformed);
                }
                let (kid, rest) = rest.split_at(kid_len);
                let (nonce, body) = rest.split_at(NONCE_LEN);
                let kid = std::str::from_utf8(kid).map_err(|_| OpenFailure::Malformed)?;
                Ok(Envelope::Sealed {
                    kid,
                    nonce: nonce.try_into().map_err(|_| OpenFailure::Malformed)?,
                    body,
                })
            }
            _ => Err(OpenFailure::Malformed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault(ids: &[(&str, u8)]) -> Vault {
        let keys: Vec<(String, KeyBytes)> = ids
            .iter()
            .map(|(id, b)| (id.to_string(), KeyBytes::new([*b; KEY_LEN])))
            .collect();
        Vault::new(&keys)
    }

    #[test]
    fn a_sealed_value_opens_only_in_its_place_and_under_its_key() {
        let v = vault(&[("k2", 2), ("k1", 1)]);
        let place = aad("totps", "totp-1/user-1", "secret");
        let sealed = v.seal(&place, b"the key");
        let bytes = sealed.as_bytes();
        assert_eq!(bytes[0], SEALED_V1);
        assert_eq!(sealer_of(bytes), Ok(Sealer::Key("k2")));
        assert!(!bytes.windows(7).any(|w| w == b"the key"));
        assert_eq!(v.open(&place, bytes, false).unwrap().as_slice(), b"the key");
        // Another row, another column: refused.
        let elsewhere = aad("totps", "totp-2/user-1", "secret");
        assert_eq!(v.open(&elsewhere, bytes, false), Err(OpenFailure::Forged));
        let column = aad("totps", "totp-1/user-1", "recovery_codes");
        assert_eq!(v.open(&column, bytes, false), Err(OpenFailure::Forged));
        // Any flipped bit: refused.
        for i in 2 + 2..bytes.len() {
            let mut tampered = bytes.to_vec();
            tampered[i] ^= 1;
            assert_eq!(
                v.open(&place, &tampered, false),
                Err(OpenFailure::Forged),
                "{i}"
            );
        }
        // The old key still opens what it sealed; a different key under the
        // same id does not; an unknown id is named.
        let old = vault(&[("k1", 1)]).seal(&place, b"old");
        assert_eq!(
            v.open(&place, old.as_bytes(), false).unwrap().as_slice(),
            b"old"
        );
        let impostor = vault(&[("k1", 9)]).seal(&place, b"x");
        assert_eq!(
            v.open(&place, impostor.as_bytes(), false),
            Err(OpenFailure::Forged)
        );
        let unknown = vault(&[("k3", 3)]).seal(&place, b"x");
        assert_eq!(
            v.open(&place, unknown.as_bytes(), false),
            Err(OpenFailure::UnknownKey("k3".into()))
        );
        // Nonces are fresh: sealing twice differs.
        assert_ne!(v.seal(&place, b"the key"), v.seal(&place, b"the key"));
    }

    #[test]
    fn plaintext_is_tagged_and_accepted_only_when_allowed() {
        let plain = vault(&[]);
        let place = aad("totps", "t/u", "secret");
        let stored = plain.seal(&place, b"raw");
        assert_eq!(stored.as_bytes(), b"\0raw");
        assert_eq!(sealer_of(stored.as_bytes()), Ok(Sealer::Plain));
        assert_eq!(
            plain
                .open(&place, stored.as_bytes(), true)
                .unwrap()
                .as_slice(),
            b"raw"
        );
        let keyed = vault(&[("k", 1)]);
        assert_eq!(
            keyed
                .open(&place, stored.as_bytes(), true)
                .unwrap()
                .as_slice(),
            b"raw"
        );
        assert_eq!(
            keyed.open(&place, stored.as_bytes(), false),
            Err(OpenFailure::Plaintext)
        );
        for bad in [&b""[..], b"\x02abc", b"\x01", b"\x01\x05k", b"\x01\x01k123"] {
            assert_eq!(
                keyed.open(&place, bad, true),
                Err(OpenFailure::Malformed),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn key_ids_are_short_and_plain() {
        assert!(is_valid_kid("2026-11_a.b"));
        for bad in ["", "a b", "ключ", "a|b", &"k".repeat(65)] {
            assert!(!is_valid_kid(bad), "{bad:?}");
        }
        assert!(!format!("{:?}", KeyBytes::new([7; KEY_LEN])).contains('7'));
    }
}
