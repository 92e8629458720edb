//! Secret text that is wiped from memory when dropped and never printed.

use rand::RngExt;
use serde::{Serialize, Serializer};
use std::fmt;
use zeroize::Zeroizing;

/// Bytes of entropy in a TOTP secret (160 bits, RFC 4226 §4's recommendation).
pub const SECRET_BYTES: usize = 20;

/// A string holding a secret (a TOTP key or a recovery code). Zeroized on drop;
/// `Debug` prints a placeholder.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(Zeroizing<String>);

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

/// A fresh TOTP secret: 20 bytes from the thread's CSPRNG, base32 upper case
/// without padding (32 characters).
pub fn generate_secret() -> SecretString {
    let mut bytes = Zeroizing::new([0u8; SECRET_BYTES]);
    rand::rng().fill(&mut bytes[..]);
    SecretString::from(totp_rs::Secret::from(*bytes).to_base32())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_32_base32_chars_and_differ() {
        let a = generate_secret();
        let b = generate_secret();
        assert_eq!(a.expose().len(), 32);
        assert!(
            a.expose()
                .bytes()
                .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c))
        );
        assert_ne!(a, b);
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let s = SecretString::from("TOPSECRET");
        assert!(!format!("{s:?}").contains("TOPSECRET"));
    }
}
