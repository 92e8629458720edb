//! Local verification of a session JWT, as the official SDKs'
//! `authenticate_jwt_local`: the signature against this project's published
//! keys, `iss`, `aud`, `exp`/`nbf`/`iat` (with an optional leeway) and an
//! optional maximum age; the session is read from the claims, never from the
//! store. The keys are the ones last read (as the SDKs cache the JWKS), read
//! again only when there are none yet or the JWT names a `kid` they lack.

use super::super::error::ApiError;
use super::super::{Client, ErrorResponse};
use crate::sessions::{self, Expiry, JwtError, Keyring, Session, SessionError, VerifiedJwt};
use crate::store::Access;
use std::sync::{Arc, PoisonError};

impl Client {
    /// The session `session_jwt` carries, when it verifies now. `leeway`
    /// widens the lifetime checks by that many seconds; a JWT issued
    /// `max_token_age_seconds` or more ago is refused (0 refuses all). Every
    /// refusal is a 401 `unable_to_parse_session_jwt`.
    pub fn authenticate_jwt_local(
        &self,
        session_jwt: &str,
        max_token_age_seconds: Option<i64>,
        leeway: i64,
    ) -> Result<Session, ErrorResponse> {
        let refused = |e: JwtError| self.error(ApiError::from(SessionError::from(e)));
        let project_id = self.project_id().map_err(|e| self.error(e))?;
        let now = self.now().map_err(|e| self.error(e))?;
        let check = |keyring: &Keyring| {
            sessions::verify(
                keyring,
                project_id,
                session_jwt,
                now,
                Expiry::Within(leeway),
            )
        };
        let verified = match self.cached_keyring().map(|keyring| check(&keyring)) {
            Some(Err(JwtError::UnknownKey)) | None => {
                let keyring =
                    self.atomically(Access::Read, |tx, now| self.signing_keys(tx, now))?;
                check(&keyring)
            }
            Some(result) => result,
        }
        .map_err(refused)?;
        if max_token_age_seconds.is_some_and(|max| now.saturating_sub(verified.issued_at) >= max) {
            return Err(refused(JwtError::TooOld));
        }
        Ok(session_of_claims(verified))
    }

    /// The keyring last read from the store, if any.
    fn cached_keyring(&self) -> Option<Arc<Keyring>> {
        let cache = self.session_keys.last.read();
        let cache = cache.unwrap_or_else(PoisonError::into_inner);
        cache.as_ref().map(|(_, keyring)| Arc::clone(keyring))
    }
}

/// The session a verified JWT describes, as the official SDKs rebuild it.
fn session_of_claims(verified: VerifiedJwt) -> Session {
    let claim = verified.session;
    Session {
        session_id: claim.id,
        user_id: verified.user_id,
        started_at: claim.started_at,
        last_accessed_at: claim.last_accessed_at,
        expires_at: claim.expires_at,
        attributes: claim.attributes,
        authentication_factors: claim.authentication_factors,
        custom_claims: verified.custom_claims,
        roles: claim.roles,
    }
}
