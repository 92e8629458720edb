//! Sessions as Stytch issues them, self-contained: opaque session tokens
//! (stored only as SHA-256), RS256 session JWTs that the official SDKs verify
//! locally, the JWKS that publishes their keys, key rotation with a grace
//! period, custom claims, and the rules that start and extend a session.
//!
//! Nothing here stores or routes: the engine keeps sessions and signing keys
//! in its store (sealing the keys' PKCS#8 DER) and calls these functions
//! inside its transactions.

mod claims;
mod encoding;
mod error;
mod host_keys;
mod jwt;
mod keyring;
mod keys;
mod model;
mod rules;
#[cfg(test)]
mod test_keys;
mod token;

pub use claims::{
    MAX_CUSTOM_CLAIMS_BYTES, RESERVED_CLAIMS, STYTCH_CLAIM_PREFIX, merge_custom_claims,
};
pub use error::{JwtError, KeyError, SessionError};
pub use host_keys::{HostKeyError, HostKeySpec, HostKeys, MAX_HOST_KEYS};
pub use jwt::{Expiry, JWT_LIFETIME_SECS, SESSION_CLAIM, VerifiedJwt, issuer, mint, verify};
pub use keyring::{Keyring, RotationPolicy};
#[cfg(test)]
pub use keys::GENERATED;
pub use keys::{CERTIFICATE_ORGANIZATION, SigningKey};
pub use model::{
    Attributes, AuthenticationFactor, AuthenticatorAppFactor, DEFAULT_ROLES, DeliveryMethod,
    Factor, FactorType, Jwk, JwksResponse, RecoveryCodeFactor, Session, SessionClaim,
};
pub use rules::{SESSION_DURATION_MINUTES, SessionUpdate};
pub use token::{SESSION_TOKEN_BYTES, SESSION_TOKEN_LEN, SessionToken, TokenHash};
