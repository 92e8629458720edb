//! Session JWTs as Stytch mints them: RS256, header `{"alg","kid","typ"}`,
//! claims `aud` (array), `exp` (five minutes), `iat`, `iss`
//! (`stytch.com/<project_id>`), `nbf`, `sub`, the `https://stytch.com/session`
//! claim and the custom claims at the top level.
//!
//! Verification is for `POST /v1/sessions/authenticate` and for tokens an
//! authenticate call presents: RS256 only, a published `kid`, our issuer and
//! audience, and `exp`/`nbf` unless the caller refreshes an expired JWT of a
//! live session (Stytch: "A new JWT will be returned if both the signature
//! and the underlying Session are still valid").

use super::claims::{RESERVED_CLAIMS, STYTCH_CLAIM_PREFIX};
use super::encoding::{b64url, b64url_decode};
use super::error::{JwtError, KeyError};
use super::keyring::Keyring;
use super::keys::SigningKey;
use super::model::{Session, SessionClaim};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// A session JWT's lifetime, whatever the session's.
pub const JWT_LIFETIME_SECS: i64 = 300;

/// The claim holding the session.
pub const SESSION_CLAIM: &str = "https://stytch.com/session";

/// Longer input is refused unread: custom claims are capped at 4 KB, so a
/// genuine JWT stays far below this.
const MAX_JWT_LEN: usize = 16 * 1024;

/// The `iss` of a project's JWTs.
pub fn issuer(project_id: &str) -> String {
    format!("stytch.com/{project_id}")
}

/// The header, in this member order.
#[derive(Serialize)]
struct Header<'a> {
    alg: &'a str,
    kid: &'a str,
    typ: &'a str,
}

/// A session JWT for `session`, issued at `now`, signed with `key`.
pub fn mint(
    key: &SigningKey,
    project_id: &str,
    session: &Session,
    now: i64,
) -> Result<String, KeyError> {
    let header = Header {
        alg: "RS256",
        kid: key.kid(),
        typ: "JWT",
    };
    // Custom claims first: the registered ones overwrite any that slipped in.
    let mut claims = session.custom_claims.clone();
    for (name, value) in [
        ("aud", json!([project_id])),
        ("exp", json!(now.saturating_add(JWT_LIFETIME_SECS))),
        ("iat", json!(now)),
        ("iss", json!(issuer(project_id))),
        ("nbf", json!(now)),
        ("sub", json!(session.user_id)),
        (SESSION_CLAIM, json!(SessionClaim::from(session))),
    ] {
        claims.insert(name.to_owned(), value);
    }
    let signing_input = format!(
        "{}.{}",
        b64url(&serde_json::to_vec(&header).map_err(|_| KeyError::Signing)?),
        b64url(&serde_json::to_vec(&claims).map_err(|_| KeyError::Signing)?)
    );
    let signature = key.sign(signing_input.as_bytes())?;
    Ok(format!("{signing_input}.{}", b64url(&signature)))
}

/// Whether verification checks the JWT's own lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// `exp`, `nbf` and `iat` must admit `now`.
    Enforce,
    /// As `Enforce`, each bound widened by this many seconds (the official
    /// SDKs' `leeway`, 0 by default).
    Within(i64),
    /// Signature, key, issuer and audience only: the caller checks the
    /// session itself (refreshing an expired JWT of a live session).
    Ignore,
}

/// What a verified JWT says.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedJwt {
    /// The `kid` it was signed with.
    pub kid: String,
    pub session_id: String,
    /// `sub`.
    pub user_id: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub session: SessionClaim,
    /// Every claim but the registered and `https://stytch.com/` ones, as the
    /// official SDKs rebuild `custom_claims`.
    pub custom_claims: Map<String, Value>,
}

/// The header members verification reads.
#[derive(Deserialize)]
struct ReceivedHeader {
    alg: String,
    kid: Option<String>,
    typ: Option<String>,
    crit: Option<Value>,
}

/// Verifies `jwt` against the keys `keyring` publishes at `now`.
pub fn verify(
    keyring: &Keyring,
    project_id: &str,
    jwt: &str,
    now: i64,
    expiry: Expiry,
) -> Result<VerifiedJwt, JwtError> {
    if jwt.len() > MAX_JWT_LEN {
        return Err(JwtError::Malformed);
    }
    let mut parts = jwt.split('.');
    let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header: ReceivedHeader = b64url_decode(header_b64)
        .and_then(|json| serde_json::from_slice(&json).ok())
        .ok_or(JwtError::Malformed)?;
    if header.alg != "RS256" {
        return Err(JwtError::UnsupportedAlgorithm);
    }
    if header.crit.is_some() || header.typ.is_some_and(|t| !t.eq_ignore_ascii_case("JWT")) {
        return Err(JwtError::Malformed);
    }
    let key = header
        .kid
        .and_then(|kid| keyring.find(&kid, now))
        .ok_or(JwtError::UnknownKey)?;
    let signature = b64url_decode(signature_b64).ok_or(JwtError::Malformed)?;
    let signing_input = &jwt[..header_b64.len() + 1 + payload_b64.len()];
    if !key.verifies(signing_input.as_bytes(), &signature) {
        return Err(JwtError::BadSignature);
    }

    // Signed by us from here on; still checked, as the key may have signed
    // for another project.
    let Some(Value::Object(mut claims)) =
        b64url_decode(payload_b64).and_then(|json| serde_json::from_slice::<Value>(&json).ok())
    else {
        return Err(JwtError::Malformed);
    };
    match claims.get("iss") {
        Some(Value::String(iss)) if *iss == issuer(project_id) => {}
        Some(_) => return Err(JwtError::WrongIssuer),
        None => return Err(JwtError::MissingClaim("iss")),
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(aud)) => aud == project_id,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(project_id)),
        Some(_) => false,
        None => return Err(JwtError::MissingClaim("aud")),
    };
    if !audience_ok {
        return Err(JwtError::WrongAudience);
    }
    let time = |name: &'static str| {
        claims
            .get(name)
            .and_then(Value::as_i64)
            .ok_or(JwtError::MissingClaim(name))
    };
    let (expires_at, issued_at, not_before) = (time("exp")?, time("iat")?, time("nbf")?);
    let leeway = match expiry {
        Expiry::Enforce => Some(0),
        Expiry::Within(leeway) => Some(leeway),
        Expiry::Ignore => None,
    };
    if let Some(leeway) = leeway {
        if now >= expires_at.saturating_add(leeway) {
            return Err(JwtError::Expired);
        }
        let late_now = now.saturating_add(leeway);
        if late_now < not_before || late_now < issued_at {
            return Err(JwtError::NotYetValid);
        }
    }
    let Some(Value::String(user_id)) = claims.remove("sub") else {
        return Err(JwtError::MissingClaim("sub"));
    };
    let session: SessionClaim = claims
        .remove(SESSION_CLAIM)
        .and_then(|claim| serde_json::from_value(claim).ok())
        .ok_or(JwtError::MissingClaim(SESSION_CLAIM))?;
    claims.retain(|name, _| {
        !RESERVED_CLAIMS.contains(&name.as_str()) && !name.starts_with(STYTCH_CLAIM_PREFIX)
    });
    Ok(VerifiedJwt {
        kid: key.kid().to_owned(),
        session_id: session.id.clone(),
        user_id,
        issued_at,
        expires_at,
        session,
        custom_claims: claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ids::Environment;
    use crate::sessions::keyring::RotationPolicy;
    use crate::sessions::model::{Attributes, Factor};
    use crate::sessions::rules::SessionUpdate;
    use crate::sessions::test_keys::{DAY, PROJECT, T0, key};

    const USER: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";

    fn session() -> Session {
        let factor = Factor::Totp {
            totp_id: "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c".into(),
        };
        let update = SessionUpdate {
            duration_minutes: Some(60),
            custom_claims: Some(json!({"plan": "pro", "org": {"id": 7}})),
        };
        let attributes = Attributes {
            ip_address: "203.0.113.7".into(),
            user_agent: "test-agent".into(),
        };
        let mut session =
            Session::start(Environment::Test, USER, &factor, &update, attributes, T0).unwrap();
        let recovery = Factor::RecoveryCode {
            totp_recovery_code_id: "totp-recovery-code-test-0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
                .into(),
        };
        session
            .apply(Some(&recovery), &SessionUpdate::default(), T0 + 30)
            .unwrap();
        session
    }

    fn keyring() -> Keyring {
        Keyring::new(RotationPolicy::default(), vec![key(0, T0)])
    }

    fn decode_json(part: &str) -> Value {
        serde_json::from_slice(&b64url_decode(part).unwrap()).unwrap()
    }

    /// A JWT with any header and payload, signed (RS256) by `key`.
    fn sign_raw(key: &SigningKey, header: &Value, payload: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(payload.to_string().as_bytes())
        );
        format!("{input}.{}", b64url(&key.sign(input.as_bytes()).unwrap()))
    }

    fn payload_of(jwt: &str) -> Value {
        decode_json(jwt.split('.').nth(1).unwrap())
    }

    fn header_for(key: &SigningKey) -> Value {
        json!({"alg": "RS256", "kid": key.kid(), "typ": "JWT"})
    }

    #[test]
    fn a_minted_jwt_has_stytchs_header_and_claims() {
        let keyring = keyring();
        let key = keyring.signing_key().unwrap();
        let session = session();
        let now = T0 + 60;
        let jwt = mint(key, PROJECT, &session, now).unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header = String::from_utf8(b64url_decode(parts[0]).unwrap()).unwrap();
        assert_eq!(
            header,
            format!(r#"{{"alg":"RS256","kid":"{}","typ":"JWT"}}"#, key.kid())
        );
        assert_eq!(b64url_decode(parts[2]).unwrap().len(), 256);

        let payload = decode_json(parts[1]);
        assert_eq!(payload["aud"], json!([PROJECT]));
        assert_eq!(payload["iss"], format!("stytch.com/{PROJECT}"));
        assert_eq!(payload["sub"], USER);
        assert_eq!(payload["iat"], now);
        assert_eq!(payload["nbf"], now);
        assert_eq!(payload["exp"], now + 300);
        assert_eq!(payload["plan"], "pro");
        assert_eq!(payload["org"], json!({"id": 7}));
        let claim = &payload[SESSION_CLAIM];
        assert_eq!(
            claim,
            &json!({
                "id": session.session_id,
                "started_at": "2026-01-01T00:00:00Z",
                "last_accessed_at": "2026-01-01T00:00:30Z",
                "expires_at": "2026-01-01T01:00:00Z",
                "attributes": {"ip_address": "203.0.113.7", "user_agent": "test-agent"},
                "authentication_factors": [
                    {"type": "totp", "delivery_method": "authenticator_app",
                     "last_authenticated_at": "2026-01-01T00:00:00Z",
                     "authenticator_app_factor": {"totp_id": "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c"}},
                    {"type": "recovery_codes", "delivery_method": "recovery_code",
                     "last_authenticated_at": "2026-01-01T00:00:30Z",
                     "recovery_code_factor": {"totp_recovery_code_id": "totp-recovery-code-test-0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"}}
                ],
                "roles": ["stytch_user"]
            })
        );
        let mut names: Vec<&String> = payload.as_object().unwrap().keys().collect();
        names.sort();
        assert_eq!(
            names,
            [
                "aud",
                "exp",
                "https://stytch.com/session",
                "iat",
                "iss",
                "nbf",
                "org",
                "plan",
                "sub"
            ]
        );
    }

    #[test]
    fn a_minted_jwt_verifies_and_gives_back_the_session() {
        let keyring = keyring();
        let session = session();
        let jwt = mint(keyring.signing_key().unwrap(), PROJECT, &session, T0 + 60).unwrap();
        let verified = verify(&keyring, PROJECT, &jwt, T0 + 60, Expiry::Enforce).unwrap();
        assert_eq!(verified.kid, keyring.signing_key().unwrap().kid());
        assert_eq!(verified.session_id, session.session_id);
        assert_eq!(verified.user_id, USER);
        assert_eq!(
            (verified.issued_at, verified.expires_at),
            (T0 + 60, T0 + 360)
        );
        assert_eq!(verified.session, SessionClaim::from(&session));
        assert_eq!(verified.custom_claims, session.custom_claims);
        // Valid through its last second, not after.
        assert!(verify(&keyring, PROJECT, &jwt, T0 + 359, Expiry::Enforce).is_ok());
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, T0 + 360, Expiry::Enforce),
            Err(JwtError::Expired)
        );
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, T0 + 59, Expiry::Enforce),
            Err(JwtError::NotYetValid)
        );
        // A leeway widens both bounds by as many seconds, and no more.
        assert!(verify(&keyring, PROJECT, &jwt, T0 + 369, Expiry::Within(10)).is_ok());
        assert!(verify(&keyring, PROJECT, &jwt, T0 + 50, Expiry::Within(10)).is_ok());
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, T0 + 370, Expiry::Within(10)),
            Err(JwtError::Expired)
        );
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, T0 + 49, Expiry::Within(10)),
            Err(JwtError::NotYetValid)
        );
        // Refreshing an expired JWT checks everything but its lifetime.
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, T0 + 9 * DAY, Expiry::Ignore).unwrap(),
            verified
        );
    }

    #[test]
    fn a_jwt_of_the_previous_key_verifies_during_the_grace_period_only() {
        let session = session();
        let old = key(0, T0);
        let jwt = mint(&old, PROJECT, &session, T0 + 180 * DAY - 10).unwrap();
        let keyring = Keyring::new(RotationPolicy::default(), vec![old, key(1, T0 + 180 * DAY)]);
        let in_grace = T0 + 210 * DAY - 1;
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, in_grace, Expiry::Ignore)
                .unwrap()
                .session_id,
            session.session_id
        );
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, in_grace + 1, Expiry::Ignore),
            Err(JwtError::UnknownKey)
        );
        // New JWTs are signed with the new key.
        let new = mint(
            keyring.signing_key().unwrap(),
            PROJECT,
            &session,
            T0 + 180 * DAY,
        )
        .unwrap();
        assert!(verify(&keyring, PROJECT, &new, in_grace + 1, Expiry::Ignore).is_ok());
    }

    #[test]
    fn tampered_jwts_fail_the_signature_check() {
        let keyring = keyring();
        let jwt = mint(keyring.signing_key().unwrap(), PROJECT, &session(), T0).unwrap();
        let (input, signature) = jwt.rsplit_once('.').unwrap();
        // Another signature (a bit flipped in the last byte).
        let mut bytes = b64url_decode(signature).unwrap();
        bytes[255] ^= 1;
        let flipped = format!("{input}.{}", b64url(&bytes));
        assert_eq!(
            verify(&keyring, PROJECT, &flipped, T0, Expiry::Enforce),
            Err(JwtError::BadSignature)
        );
        // Another payload under the old signature.
        let mut payload = payload_of(&jwt);
        payload["sub"] = json!("user-test-00000000-0000-4000-8000-000000000000");
        let header = jwt.split('.').next().unwrap();
        let forged = format!(
            "{header}.{}.{signature}",
            b64url(payload.to_string().as_bytes())
        );
        assert_eq!(
            verify(&keyring, PROJECT, &forged, T0, Expiry::Enforce),
            Err(JwtError::BadSignature)
        );
        // The signature of another key with this key's kid.
        let other = key(1, T0);
        let payload = payload_of(&jwt);
        let impostor = sign_raw(
            &other,
            &header_for(keyring.signing_key().unwrap()),
            &payload,
        );
        assert_eq!(
            verify(&keyring, PROJECT, &impostor, T0, Expiry::Enforce),
            Err(JwtError::BadSignature)
        );
        // Stripped of its signature.
        assert_eq!(
            verify(&keyring, PROJECT, &format!("{input}."), T0, Expiry::Enforce),
            Err(JwtError::BadSignature)
        );
    }

    #[test]
    fn only_rs256_is_accepted() {
        let keyring = keyring();
        let key = keyring.signing_key().unwrap();
        let payload = payload_of(&mint(key, PROJECT, &session(), T0).unwrap());
        let encode = |header: Value, signature: &[u8]| {
            format!(
                "{}.{}.{}",
                b64url(header.to_string().as_bytes()),
                b64url(payload.to_string().as_bytes()),
                b64url(signature)
            )
        };
        // alg "none", unsigned.
        let none = encode(json!({"alg": "none", "kid": key.kid(), "typ": "JWT"}), b"");
        assert_eq!(
            verify(&keyring, PROJECT, &none, T0, Expiry::Enforce),
            Err(JwtError::UnsupportedAlgorithm)
        );
        // HS256 keyed with the public key (the classic confusion attack), in
        // each form a confused verifier might use as the secret.
        let header = json!({"alg": "HS256", "kid": key.kid(), "typ": "JWT"});
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(payload.to_string().as_bytes())
        );
        for secret in [
            key.jwk().n.as_bytes().to_vec(),
            serde_json::to_vec(key.jwk()).unwrap(),
            b64url_decode(&key.jwk().n).unwrap(),
        ] {
            let mac = aws_lc_rs::hmac::sign(
                &aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &secret),
                input.as_bytes(),
            );
            let hs256 = format!("{input}.{}", b64url(mac.as_ref()));
            assert_eq!(
                verify(&keyring, PROJECT, &hs256, T0, Expiry::Enforce),
                Err(JwtError::UnsupportedAlgorithm)
            );
        }
        // Other RSA algorithms and case variants are refused too.
        for alg in ["RS512", "PS256", "rs256", "ES256"] {
            let token = sign_raw(key, &json!({"alg": alg, "kid": key.kid()}), &payload);
            assert_eq!(
                verify(&keyring, PROJECT, &token, T0, Expiry::Enforce),
                Err(JwtError::UnsupportedAlgorithm),
                "{alg}"
            );
        }
        // A header the verifier would have to understand (`crit`), or of another type.
        for header in [
            json!({"alg": "RS256", "kid": key.kid(), "crit": ["exp"], "exp": 1}),
            json!({"alg": "RS256", "kid": key.kid(), "typ": "at+jwt"}),
        ] {
            let token = sign_raw(key, &header, &payload);
            assert_eq!(
                verify(&keyring, PROJECT, &token, T0, Expiry::Enforce),
                Err(JwtError::Malformed)
            );
        }
        // No typ, or lower case, is still a JWT.
        for header in [
            json!({"alg": "RS256", "kid": key.kid()}),
            json!({"alg": "RS256", "kid": key.kid(), "typ": "jwt"}),
        ] {
            assert!(
                verify(
                    &keyring,
                    PROJECT,
                    &sign_raw(key, &header, &payload),
                    T0,
                    Expiry::Enforce
                )
                .is_ok()
            );
        }
    }

    #[test]
    fn the_kid_must_name_a_published_key() {
        let keyring = keyring();
        let key = keyring.signing_key().unwrap();
        let payload = payload_of(&mint(key, PROJECT, &session(), T0).unwrap());
        for header in [
            json!({"alg": "RS256", "typ": "JWT"}),
            json!({"alg": "RS256", "kid": "jwk-test-00000000-0000-4000-8000-000000000000"}),
            json!({"alg": "RS256", "kid": ""}),
        ] {
            let token = sign_raw(key, &header, &payload);
            assert_eq!(
                verify(&keyring, PROJECT, &token, T0, Expiry::Enforce),
                Err(JwtError::UnknownKey)
            );
        }
        // A key the keyring does not hold.
        let stranger = crate::sessions::test_keys::key(2, T0);
        let token = mint(&stranger, PROJECT, &session(), T0).unwrap();
        assert_eq!(
            verify(&keyring, PROJECT, &token, T0, Expiry::Enforce),
            Err(JwtError::UnknownKey)
        );
    }

    #[test]
    fn issuer_and_audience_must_be_this_projects() {
        let keyring = keyring();
        let key = keyring.signing_key().unwrap();
        let other = "project-test-00000000-0000-4000-8000-000000000000";
        let jwt = mint(key, other, &session(), T0).unwrap();
        assert_eq!(
            verify(&keyring, PROJECT, &jwt, T0, Expiry::Ignore),
            Err(JwtError::WrongIssuer)
        );
        let base = payload_of(&mint(key, PROJECT, &session(), T0).unwrap());
        let with = |name: &str, value: Value| {
            let mut payload = base.clone();
            payload[name] = value;
            verify(
                &keyring,
                PROJECT,
                &sign_raw(key, &header_for(key), &payload),
                T0,
                Expiry::Enforce,
            )
        };
        assert_eq!(
            with("iss", json!("https://api.stytch.com")),
            Err(JwtError::WrongIssuer)
        );
        assert_eq!(
            with("iss", json!(["stytch.com/x"])),
            Err(JwtError::WrongIssuer)
        );
        assert_eq!(with("aud", json!([other])), Err(JwtError::WrongAudience));
        assert_eq!(with("aud", json!([])), Err(JwtError::WrongAudience));
        assert_eq!(with("aud", json!(other)), Err(JwtError::WrongAudience));
        assert_eq!(with("aud", json!(7)), Err(JwtError::WrongAudience));
        // RFC 7519 allows a single string, and other audiences beside ours.
        assert!(with("aud", json!(PROJECT)).is_ok());
        assert!(with("aud", json!([other, PROJECT])).is_ok());
    }

    #[test]
    fn every_required_claim_must_be_present_and_typed() {
        let keyring = keyring();
        let key = keyring.signing_key().unwrap();
        let base = payload_of(&mint(key, PROJECT, &session(), T0).unwrap());
        for name in ["iss", "aud", "exp", "iat", "nbf", "sub", SESSION_CLAIM] {
            let mut missing = base.clone();
            missing.as_object_mut().unwrap().remove(name);
            let expected = JwtError::MissingClaim(name);
            assert_eq!(
                verify(
                    &keyring,
                    PROJECT,
                    &sign_raw(key, &header_for(key), &missing),
                    T0,
                    Expiry::Enforce
                ),
                Err(expected),
                "{name}"
            );
        }
        for (name, value) in [
            ("exp", json!("soon")),
            ("iat", json!(1.5)),
            ("sub", json!(7)),
            (SESSION_CLAIM, json!({"started_at": "x"})),
        ] {
            let mut wrong = base.clone();
            wrong[name] = value;
            assert_eq!(
                verify(
                    &keyring,
                    PROJECT,
                    &sign_raw(key, &header_for(key), &wrong),
                    T0,
                    Expiry::Enforce
                ),
                Err(JwtError::MissingClaim(name)),
                "{name}"
            );
        }
    }

    #[test]
    fn custom_claims_are_every_claim_but_the_registered_and_stytch_ones() {
        let keyring = keyring();
        let key = keyring.signing_key().unwrap();
        let mut payload = payload_of(&mint(key, PROJECT, &session(), T0).unwrap());
        payload["jti"] = json!("id-1");
        payload["https://stytch.com/organization"] = json!({});
        let verified = verify(
            &keyring,
            PROJECT,
            &sign_raw(key, &header_for(key), &payload),
            T0,
            Expiry::Enforce,
        )
        .unwrap();
        assert_eq!(
            Value::Object(verified.custom_claims),
            json!({"plan": "pro", "org": {"id": 7}})
        );
    }

    /// Garbage, truncations and single-character changes of a valid JWT are
    /// refused with an error, never a panic and never a success.
    #[test]
    fn malformed_input_is_an_error_never_a_panic() {
        let keyring = keyring();
        let jwt = mint(keyring.signing_key().unwrap(), PROJECT, &session(), T0).unwrap();
        for garbage in [
            "",
            ".",
            "..",
            "...",
            "a.b.c",
            "a.b.c.d",
            "é.é.é",
            "e30.e30.",
            "W10.e30.AA",
            "bnVsbA.e30.AA",
        ] {
            assert!(
                verify(&keyring, PROJECT, garbage, T0, Expiry::Enforce).is_err(),
                "{garbage:?}"
            );
        }
        let huge = format!("{jwt}{}", "A".repeat(MAX_JWT_LEN));
        assert_eq!(
            verify(&keyring, PROJECT, &huge, T0, Expiry::Enforce),
            Err(JwtError::Malformed)
        );
        for end in 0..jwt.len() {
            assert!(
                verify(&keyring, PROJECT, &jwt[..end], T0, Expiry::Enforce).is_err(),
                "prefix {end}"
            );
        }
        let alphabet = b"AQgw-_.=";
        for at in 0..jwt.len() {
            for &c in alphabet {
                let mut bytes = jwt.clone().into_bytes();
                if bytes[at] == c {
                    continue;
                }
                bytes[at] = c;
                let changed = String::from_utf8(bytes).unwrap();
                assert!(
                    verify(&keyring, PROJECT, &changed, T0, Expiry::Enforce).is_err(),
                    "{at} {c}"
                );
            }
        }
        assert!(verify(&keyring, PROJECT, &jwt, T0, Expiry::Enforce).is_ok());
    }
}
