//! An independent verifier, the `jsonwebtoken` crate, accepts the library's
//! session JWTs against the library's JWKS body, as an application's own JWT
//! middleware would, and refuses them once their key has left the JWKS.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Value, json};
use sessions_common::{DAY, OTHER_PROJECT, PROJECT, USER, now, session};
use stytch_totp::engine::Environment;
use stytch_totp::sessions::{Keyring, RotationPolicy, SESSION_CLAIM, SigningKey, issuer, mint};

mod sessions_common;

/// What jsonwebtoken makes of `jwt`, given the JWKS body as served.
fn verify_with_jwks(jwks_body: &str, jwt: &str, audience: &str) -> Result<Value, String> {
    let jwks: JwkSet = serde_json::from_str(jwks_body).map_err(|e| e.to_string())?;
    let kid = decode_header(jwt)
        .map_err(|e| e.to_string())?
        .kid
        .ok_or("no kid")?;
    let jwk = jwks.find(&kid).ok_or("kid not in the JWKS")?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| e.to_string())?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[issuer(PROJECT)]);
    validation.set_required_spec_claims(&["exp", "nbf", "iat", "aud", "iss", "sub"]);
    validation.validate_nbf = true;
    validation.leeway = 0;
    decode::<Value>(jwt, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| e.to_string())
}

fn jwks_body(keyring: &Keyring, now: i64) -> String {
    serde_json::to_string(&keyring.jwks("request-id-test-1".into(), now)).unwrap()
}

#[test]
fn jsonwebtoken_verifies_a_minted_jwt_against_the_jwks() {
    let now = now();
    let mut keyring = Keyring::new(RotationPolicy::default(), vec![]);
    keyring.rotate_if_due(Environment::Test, now).unwrap();
    let session = session(now);
    let jwt = mint(keyring.signing_key().unwrap(), PROJECT, &session, now).unwrap();

    let claims = verify_with_jwks(&jwks_body(&keyring, now), &jwt, PROJECT).unwrap();
    assert_eq!(claims["sub"], USER);
    assert_eq!(claims[SESSION_CLAIM]["id"], session.session_id);
    assert_eq!(claims["plan"], "pro");
    assert_eq!(claims["org"], json!({"id": 7, "name": "Acme"}));

    // It does verify: another audience, or a changed payload, is refused.
    assert!(verify_with_jwks(&jwks_body(&keyring, now), &jwt, OTHER_PROJECT).is_err());
    let parts: Vec<&str> = jwt.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    payload["sub"] = json!("user-test-00000000-0000-4000-8000-000000000000");
    let forged = [
        parts[0],
        &URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2],
    ]
    .join(".");
    assert_eq!(
        verify_with_jwks(&jwks_body(&keyring, now), &forged, PROJECT),
        Err("InvalidSignature".into())
    );
}

#[test]
fn a_jwt_of_the_previous_key_verifies_while_the_jwks_still_lists_it() {
    let now = now();
    let old = SigningKey::generate(Environment::Test, now - 181 * DAY).unwrap();
    let jwt = mint(&old, PROJECT, &session(now), now).unwrap();
    let new = SigningKey::generate(Environment::Test, now - DAY).unwrap();
    let keyring = Keyring::new(RotationPolicy::default(), vec![old, new]);

    // One day after the rotation both keys are published.
    let claims = verify_with_jwks(&jwks_body(&keyring, now), &jwt, PROJECT).unwrap();
    assert_eq!(claims["sub"], USER);
    // Thirty days after it, the old key is gone from the JWKS.
    assert_eq!(
        verify_with_jwks(&jwks_body(&keyring, now + 29 * DAY), &jwt, PROJECT),
        Err("kid not in the JWKS".into())
    );
}
