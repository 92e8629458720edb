//! Typed session errors, and the one place that says which Stytch error each
//! becomes. Messages never quote a token, a JWT or key material.

use std::fmt;

/// Why a signing key could not be made, loaded or used. All are server-side
/// faults (500): a client can cause none of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// The RSA key generator failed.
    Generation,
    /// The stored or supplied key is not an RSA PKCS#8 private key of 2048
    /// to 8192 bits.
    InvalidPrivateKey,
    /// The key has no `kid`.
    InvalidKid,
    /// The creation time is outside 1970..=9999.
    InvalidCreationTime,
    /// The self-signed certificate could not be built.
    Certificate,
    /// Signing failed.
    Signing,
    /// The keyring holds no key to sign with.
    NoActiveKey,
}

/// Why a session JWT was refused. Each check is its own variant so that tests
/// (and logs) can tell them apart; the API reports them all alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url parts of JSON, or too long.
    Malformed,
    /// The header's `alg` is not `RS256`, or it carries `crit`.
    UnsupportedAlgorithm,
    /// No `kid`, or no key with that `kid` is published now.
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
    WrongIssuer,
    WrongAudience,
    /// `exp` has passed (only when expiry is enforced).
    Expired,
    /// `nbf` is still ahead (only when expiry is enforced).
    NotYetValid,
    /// Issued longer ago than the caller's maximum token age.
    TooOld,
    /// A required claim is absent or of the wrong type.
    MissingClaim(&'static str),
}

/// The errors of session handling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionError {
    /// `session_duration_minutes` outside 5..=527040.
    InvalidDuration,
    /// `session_custom_claims` is not a JSON object.
    ClaimsNotAnObject,
    /// A custom claim uses a registered JWT claim name.
    ReservedClaim(String),
    /// A custom claim uses a `https://stytch.com/` name.
    StytchClaim(String),
    /// The merged custom claims exceed 4 KB.
    ClaimsTooLarge,
    /// A `session_token` that cannot be one of ours (wrong length or alphabet).
    InvalidToken,
    /// A `session_jwt` that does not verify.
    Jwt(JwtError),
    Key(KeyError),
}

impl SessionError {
    /// The Stytch `error_type` this error is reported as.
    pub fn error_type(&self) -> &'static str {
        match self {
            SessionError::InvalidDuration => "invalid_session_duration_minutes",
            SessionError::ClaimsNotAnObject => "unable_to_represent_custom_claims_json",
            SessionError::ReservedClaim(_) => "reserved_claims_in_custom_claims",
            SessionError::StytchClaim(_) => "stytch_claims_in_custom_claims",
            SessionError::ClaimsTooLarge => "custom_claims_too_large",
            SessionError::InvalidToken => "invalid_session_token",
            SessionError::Jwt(_) => "unable_to_parse_session_jwt",
            SessionError::Key(_) => "internal_server_error",
        }
    }

    /// The HTTP status this error is reported with.
    pub fn status_code(&self) -> u16 {
        match self {
            SessionError::Jwt(_) => 401,
            SessionError::Key(_) => 500,
            _ => 400,
        }
    }
}

impl From<JwtError> for SessionError {
    fn from(e: JwtError) -> Self {
        SessionError::Jwt(e)
    }
}

impl From<KeyError> for SessionError {
    fn from(e: KeyError) -> Self {
        SessionError::Key(e)
    }
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::InvalidDuration => {
                f.write_str("session_duration_minutes must be between 5 and 527040.")
            }
            SessionError::ClaimsNotAnObject => {
                f.write_str("session_custom_claims must be a JSON object.")
            }
            SessionError::ReservedClaim(name) => write!(
                f,
                "Custom claims may not use the reserved claim {name:?} (iss, sub, aud, exp, nbf, iat and jti are reserved)."
            ),
            SessionError::StytchClaim(name) => write!(
                f,
                "Custom claims may not use the name {name:?}: names starting with https://stytch.com/ are reserved."
            ),
            SessionError::ClaimsTooLarge => {
                f.write_str("The session's custom claims may not exceed 4 kilobytes of JSON.")
            }
            SessionError::InvalidToken => f.write_str("session_token format is invalid."),
            SessionError::Jwt(_) => f.write_str("The session_jwt could not be parsed or verified."),
            SessionError::Key(_) => f.write_str("The session signing key is unusable."),
        }
    }
}

impl std::error::Error for SessionError {}
