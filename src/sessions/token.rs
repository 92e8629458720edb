//! Opaque session tokens: 33 CSPRNG bytes as 44 characters of unpadded
//! base64url, the length and alphabet of Stytch's. Only the token's SHA-256
//! is ever stored, so a copy of the store yields no live token; sessions are
//! found by that hash.

use super::encoding::{b64url, b64url_decode};
use super::error::SessionError;
use std::fmt;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// Random bytes in a token.
pub const SESSION_TOKEN_BYTES: usize = 33;
/// Characters in a token.
pub const SESSION_TOKEN_LEN: usize = 44;

/// A session token as handed to the application. Wiped on drop; `Debug`
/// does not show it. Tokens are compared only through their hashes.
#[derive(Clone)]
pub struct SessionToken(Zeroizing<String>);

impl SessionToken {
    /// A fresh token from the OS CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = [0u8; SESSION_TOKEN_BYTES];
        crate::random::fill(&mut bytes);
        let token = Self(Zeroizing::new(b64url(&bytes)));
        bytes.zeroize();
        token
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the store keeps and looks the session up by.
    pub fn hash(&self) -> TokenHash {
        TokenHash::of(&self.0)
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// SHA-256 of a session token. Equality is constant-time.
#[derive(Clone, Copy, Debug, Eq)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    /// The hash of a `session_token` a request presents. A string that cannot
    /// be a token (wrong length or alphabet) is refused before any look-up.
    pub fn of_presented(token: &str) -> Result<Self, SessionError> {
        let well_formed = token.len() == SESSION_TOKEN_LEN
            && b64url_decode(token).is_some_and(|mut bytes| {
                bytes.zeroize();
                true
            });
        if !well_formed {
            return Err(SessionError::InvalidToken);
        }
        Ok(Self::of(token))
    }

    fn of(token: &str) -> Self {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, token.as_bytes());
        let mut hash = [0u8; 32];
        hash.copy_from_slice(digest.as_ref());
        Self(hash)
    }

    /// A hash read back from the store.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl PartialEq for TokenHash {
    fn eq(&self, other: &Self) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_stytchs_length_and_alphabet_and_differ() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_eq!(a.as_str().len(), SESSION_TOKEN_LEN);
        assert!(
            a.as_str()
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
        );
        assert_eq!(
            b64url_decode(a.as_str()).unwrap().len(),
            SESSION_TOKEN_BYTES
        );
        assert_ne!(a.as_str(), b.as_str());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(format!("{a:?}"), "SessionToken(..)");
    }

    #[test]
    fn a_presented_token_is_found_by_its_sha256() {
        let token = SessionToken::generate();
        let presented = TokenHash::of_presented(token.as_str()).unwrap();
        assert_eq!(presented, token.hash());
        assert_eq!(TokenHash::from_bytes(*presented.as_bytes()), presented);
        // SHA-256 of the token text, independently computed.
        use sha2::Digest as _;
        let expected: [u8; 32] = sha2::Sha256::digest(token.as_str().as_bytes()).into();
        assert_eq!(presented.as_bytes(), &expected);
        // The documented example token has the same shape.
        assert!(TokenHash::of_presented("mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q").is_ok());
    }

    #[test]
    fn strings_that_cannot_be_tokens_are_refused() {
        let good = SessionToken::generate();
        let mut flipped = good.as_str().to_owned();
        flipped.replace_range(0..1, if flipped.starts_with('A') { "B" } else { "A" });
        assert!(TokenHash::of_presented(&flipped).is_ok()); // well formed, just unknown
        for bad in [
            String::new(),
            good.as_str()[..43].to_owned(),
            format!("{}A", good.as_str()),
            format!("{}=", &good.as_str()[..43]),
            format!("+{}", &good.as_str()[1..]),
            format!("é{}", &good.as_str()[2..]),
        ] {
            assert_eq!(
                TokenHash::of_presented(&bad),
                Err(SessionError::InvalidToken),
                "{bad:?}"
            );
        }
    }
}
