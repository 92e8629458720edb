//! Secret text that is wiped from memory when dropped and never printed.

use serde::{Serialize, Serializer};
use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// RFC 4648 base32 without `=` padding, as authenticator apps write secrets.
const BASE32: base32::Alphabet = base32::Alphabet::Rfc4648 { padding: false };

/// Bytes of entropy in a TOTP secret (160 bits, RFC 4226 §4's recommendation).
pub const SECRET_BYTES: usize = 20;

/// A string holding a secret (a TOTP key or a recovery code). Zeroized on drop;
/// `Debug` prints a placeholder.
#[derive(Clone, Default)]
pub struct SecretString(Zeroizing<String>);

/// Constant time, like every comparison of secrets.
impl PartialEq for SecretString {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for SecretString {}

impl SecretString {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(s: String) -> Self {
        Self(Zeroizing::new(s))
    }
}

impl From<&str> for SecretString {
    fn from(s: &str) -> Self {
        Self(Zeroizing::new(s.to_owned()))
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// The raw bytes of a TOTP key. Zeroized on drop; `Debug` prints a placeholder.
#[derive(Clone)]
pub struct SecretKey(Zeroizing<Vec<u8>>);

/// Constant time, like every comparison of secrets.
impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl Eq for SecretKey {}

impl SecretKey {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Base32, upper case, without padding: what authenticator apps take.
    pub fn to_base32(&self) -> SecretString {
        SecretString::from(base32::encode(BASE32, &self.0))
    }

    /// Decodes upper-case RFC 4648 base32 without padding; `None` for any
    /// other character.
    pub fn from_base32(text: &str) -> Option<Self> {
        base32::decode(BASE32, text).map(Self::from)
    }
}

impl From<Vec<u8>> for SecretKey {
    fn from(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// A fresh TOTP key: 20 bytes from the OS CSPRNG.
pub fn generate_key() -> SecretKey {
    let mut bytes = vec![0u8; SECRET_BYTES];
    crate::random::fill(&mut bytes);
    SecretKey::from(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_32_base32_chars_and_differ() {
        let (a, b) = (generate_key(), generate_key());
        assert_eq!(a.as_bytes().len(), SECRET_BYTES);
        assert_ne!(a, b);
        let text = a.to_base32();
        assert_eq!(text.expose().len(), 32);
        let base32 = |c: u8| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c);
        assert!(text.expose().bytes().all(base32));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let s = SecretString::from("TOPSECRET");
        assert!(!format!("{s:?}").contains("TOPSECRET"));
        let k = format!("{:?}", SecretKey::from(b"TOPSECRET".to_vec()));
        assert!(!k.contains("TOPSECRET") && !k.contains("84, 79"));
    }
}
