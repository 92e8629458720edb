//! Signing keys the host supplies (`session_keys.signing_keys`) instead of
//! keys the library generates: RSA private keys as PKCS#8 PEM, each with its
//! `kid` and creation time, checked when the configuration is read. They are
//! never written to a store: the host keeps them, and rotates them by
//! changing its configuration.

use super::error::KeyError;
use super::keys::SigningKey;
use aws_lc_rs::rsa::KeyPair;
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;
use std::fmt;
use zeroize::Zeroizing;

/// The most keys a configuration may supply.
pub const MAX_HOST_KEYS: usize = 8;

/// One supplied key as the configuration gives it. The PKCS#8 DER is wiped
/// on drop; `Debug` shows only the `kid`.
#[derive(Clone, PartialEq, Eq)]
pub struct HostKeySpec {
    pub kid: String,
    /// Unix time the key was made: its certificate's `notBefore`. Fixed, so
    /// that every process publishes the same JWK.
    pub created_at: i64,
    /// Published for verification only: it never signs.
    pub verify_only: bool,
    pkcs8: Zeroizing<Vec<u8>>,
}

/// Why a supplied key was refused. Messages never include the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKeyError {
    /// No PEM `PRIVATE KEY` block could be read.
    Pem,
    /// A PKCS#1 `RSA PRIVATE KEY` block: PKCS#8 is asked for.
    Pkcs1,
    /// Not an RSA key (EC, Ed25519, ...).
    NotRsa,
    TooSmall,
    TooLarge,
    /// PKCS#8 that does not hold a usable RSA key.
    Invalid,
}

impl fmt::Display for HostKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HostKeyError::Pem => "is not a PEM \"PRIVATE KEY\" (PKCS#8) block",
            HostKeyError::Pkcs1 => {
                "is a PKCS#1 \"RSA PRIVATE KEY\" block: convert it to PKCS#8 \
                 (openssl pkcs8 -topk8 -nocrypt)"
            }
            HostKeyError::NotRsa => "is not an RSA key (RS256 needs RSA)",
            HostKeyError::TooSmall => "is an RSA key under 2048 bits",
            HostKeyError::TooLarge => "is an RSA key over 8192 bits",
            HostKeyError::Invalid => "is not a usable RSA private key",
        })
    }
}

impl HostKeySpec {
    /// Reads and checks one key. The PEM text is the caller's to wipe; every
    /// copy made here is wiped.
    pub fn from_pem(
        kid: String,
        created_at: i64,
        verify_only: bool,
        pem: &str,
    ) -> Result<Self, HostKeyError> {
        let der = Zeroizing::new(
            PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|_| HostKeyError::Pem)?,
        );
        let pkcs8 = match &*der {
            PrivateKeyDer::Pkcs8(key) => Zeroizing::new(key.secret_pkcs8_der().to_vec()),
            PrivateKeyDer::Pkcs1(_) => return Err(HostKeyError::Pkcs1),
            _ => return Err(HostKeyError::NotRsa),
        };
        KeyPair::from_pkcs8(&pkcs8).map_err(|e| match e.description_() {
            "WrongAlgorithm" => HostKeyError::NotRsa,
            "TooSmall" => HostKeyError::TooSmall,
            "TooLarge" => HostKeyError::TooLarge,
            _ => HostKeyError::Invalid,
        })?;
        Ok(Self {
            kid,
            created_at,
            verify_only,
            pkcs8,
        })
    }

    pub fn signing_key(&self) -> Result<SigningKey, KeyError> {
        SigningKey::from_pkcs8_der(&self.kid, self.created_at, &self.pkcs8)
    }
}

impl fmt::Debug for HostKeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostKeySpec")
            .field("kid", &self.kid)
            .field("created_at", &self.created_at)
            .field("verify_only", &self.verify_only)
            .finish_non_exhaustive()
    }
}

/// The supplied keys a keyring publishes: the one that signs first (when one
/// may sign), then the others in the configuration's order.
#[derive(Debug, Default)]
pub struct HostKeys {
    keys: Vec<SigningKey>,
    signs: bool,
}

impl HostKeys {
    pub fn new(specs: &[HostKeySpec]) -> Result<Self, KeyError> {
        let signer = specs.iter().position(|s| !s.verify_only);
        let mut keys = Vec::with_capacity(specs.len());
        if let Some(at) = signer {
            keys.push(specs[at].signing_key()?);
        }
        for (i, spec) in specs.iter().enumerate() {
            if Some(i) != signer {
                keys.push(spec.signing_key()?);
            }
        }
        Ok(Self {
            keys,
            signs: signer.is_some(),
        })
    }

    /// The key that signs instead of the library's, if any.
    pub fn signer(&self) -> Option<&SigningKey> {
        self.keys.first().filter(|_| self.signs)
    }

    pub fn keys(&self) -> &[SigningKey] {
        &self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sessions::test_keys::T0;

    const RSA_A: &str = include_str!("../../tests/data/session_keys/rsa2048_a.pem");
    const RSA_B: &str = include_str!("../../tests/data/session_keys/rsa2048_b.pem");
    const RSA_1024: &str = include_str!("../../tests/data/session_keys/rsa1024.pem");
    const RSA_A_PKCS1: &str = include_str!("../../tests/data/session_keys/rsa2048_a_pkcs1.pem");
    const EC: &str = include_str!("../../tests/data/session_keys/ec_p256.pem");

    fn spec(kid: &str, verify_only: bool, pem: &str) -> HostKeySpec {
        HostKeySpec::from_pem(kid.into(), T0, verify_only, pem).unwrap()
    }

    #[test]
    fn each_kind_of_bad_key_has_its_own_reason() {
        let truncated = &RSA_A[..RSA_A.len() / 2];
        for (pem, reason) in [
            ("", HostKeyError::Pem),
            ("not a key", HostKeyError::Pem),
            (truncated, HostKeyError::Pem),
            (RSA_A_PKCS1, HostKeyError::Pkcs1),
            (EC, HostKeyError::NotRsa),
            (RSA_1024, HostKeyError::TooSmall),
        ] {
            assert_eq!(
                HostKeySpec::from_pem("k".into(), T0, false, pem).unwrap_err(),
                reason
            );
        }
    }

    #[test]
    fn a_supplied_key_is_the_same_key_each_time_and_debug_hides_it() {
        let a = spec("host-a", false, RSA_A);
        let (first, second) = (a.signing_key().unwrap(), a.signing_key().unwrap());
        assert_eq!(first.jwk(), second.jwk());
        assert_eq!(first.kid(), "host-a");
        let debug = format!("{a:?}");
        assert!(debug.contains("host-a"));
        let body: String = RSA_A.lines().nth(1).unwrap().into();
        assert!(!debug.contains(&body[..20]));
        assert!(!debug.contains("pkcs8"));
    }

    #[test]
    fn the_first_key_that_may_sign_signs_and_every_key_is_kept() {
        let specs = [
            spec("old", true, RSA_B),
            spec("current", false, RSA_A),
            spec("previous", false, RSA_B),
        ];
        let host = HostKeys::new(&specs).unwrap();
        assert_eq!(host.signer().unwrap().kid(), "current");
        let kids: Vec<&str> = host.keys().iter().map(|k| k.kid()).collect();
        assert_eq!(kids, ["current", "old", "previous"]);
        let verify_only = HostKeys::new(&specs[..1]).unwrap();
        assert!(verify_only.signer().is_none());
        assert_eq!(verify_only.keys().len(), 1);
        assert!(HostKeys::default().signer().is_none());
    }
}
