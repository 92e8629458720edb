//! The official Python SDK (`stytch` from PyPI) against the library's
//! sessions: this test mints JWTs and writes them, the JWKS body and a session
//! body into a temporary directory, then runs `tests/sessions/` (pytest) with
//! the SDK's Python on them. `make test-sessions` builds the pinned venv and
//! runs it; without that Python it fails, it does not skip.

mod sessions_common;

use serde_json::Value;
use serde_json::json;
use sessions_common::{DAY, OTHER_PROJECT, PROJECT, now, session};
use std::path::Path;
use std::process::Command;
use stytch_totp::engine::{Client, Environment};
use stytch_totp::sessions::{Keyring, RotationPolicy, SigningKey, mint};

const PYTHON: &str = "SESSIONS_SDK_PYTHON";

fn write_fixtures(dir: &Path, now: i64) {
    // The active key was created yesterday; the one it replaced is in grace.
    let previous = SigningKey::generate(Environment::Test, now - 181 * DAY).unwrap();
    let active = SigningKey::generate(Environment::Test, now - DAY).unwrap();
    let stranger = SigningKey::generate(Environment::Test, now).unwrap();
    let session = session(now);
    let valid = mint(&active, PROJECT, &session, now).unwrap();
    let (input, signature) = valid.rsplit_once('.').unwrap();
    let tampered_signature = if signature.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{input}.{tampered_signature}{}", &signature[1..]);
    let tokens = json!({
        "project_id": PROJECT,
        "valid": valid,
        "previous_key": mint(&previous, PROJECT, &session, now).unwrap(),
        "expired": mint(&active, PROJECT, &session, now - 301).unwrap(),
        "wrong_audience": mint(&active, OTHER_PROJECT, &session, now).unwrap(),
        "tampered": tampered,
        "unknown_key": mint(&stranger, PROJECT, &session, now).unwrap(),
    });
    let keyring = Keyring::new(RotationPolicy::default(), vec![previous, active]);
    let jwks = keyring.jwks(
        "request-id-test-55c2e4a1-3b0c-4b8e-9d6f-0a1b2c3d4e5f".into(),
        now,
    );
    assert_eq!(jwks.keys.len(), 2);
    for (name, body) in [
        ("tokens.json", tokens),
        ("jwks.json", serde_json::to_value(&jwks).unwrap()),
        ("session.json", serde_json::to_value(&session).unwrap()),
    ] {
        std::fs::write(dir.join(name), serde_json::to_vec_pretty(&body).unwrap()).unwrap();
    }
    write_route_fixtures(dir, now);
}

/// A session started through the real route (a user enrolled, a TOTP code
/// with `session_duration_minutes`), then a recovery code added by token: the
/// response bodies and the JWKS route's body, as the library serves them.
fn write_route_fixtures(dir: &Path, now: i64) {
    let config = json!({"database": ":memory:", "project_id": PROJECT});
    let client = Client::from_config_json(Some(&config.to_string())).unwrap();
    client.set_time(now).unwrap();
    let call = |method: &str, path: &str, body: Value| -> Value {
        let out = client.call(method, path, Some(&body.to_string()));
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["status_code"], 200, "{method} {path}: {value}");
        value
    };
    let user = call("POST", "/v1/users", json!({"email": "ada@example.com"}));
    let user_id = user["user_id"].as_str().unwrap();
    let totp = call("POST", "/v1/totps", json!({"user_id": user_id}));
    let secret = totp["secret"].as_str().unwrap();
    let generator = stytch_totp::otp::CodeGenerator::from_base32(secret).unwrap();
    let code = String::from_utf8(generator.code_at(now).to_vec()).unwrap();
    let started = call(
        "POST",
        "/v1/totps/authenticate",
        json!({"user_id": user_id, "totp_code": code, "session_duration_minutes": 60,
            "session_custom_claims": {"plan": "pro", "org": {"id": 7}}}),
    );
    let recovered = call(
        "POST",
        "/v1/totps/recover",
        json!({"user_id": user_id, "recovery_code": totp["recovery_codes"][0],
            "session_token": started["session_token"]}),
    );
    let jwks = client.call("GET", &format!("/v1/sessions/jwks/{PROJECT}"), None);
    let authenticated = call(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": recovered["session_token"]}),
    );
    let listed = call("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    let route = json!({
        "started": started,
        "recovered": recovered,
        "authenticated": authenticated,
        "listed": listed,
    });
    std::fs::write(
        dir.join("route.json"),
        serde_json::to_vec_pretty(&route).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("route_jwks.json"), jwks.as_bytes()).unwrap();
}

#[test]
#[ignore = "needs the official SDK's venv: run `make test-sessions`"]
fn the_official_python_sdk_verifies_and_parses_our_sessions() {
    let python = std::env::var(PYTHON).unwrap_or_else(|_| {
        panic!("{PYTHON} must name the SDK venv's python (make test-sessions)")
    });
    let dir = tempfile::tempdir().unwrap();
    write_fixtures(dir.path(), now());
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sessions");
    let status = Command::new(&python)
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(&tests)
        .env("SESSIONS_FIXTURES", dir.path())
        .status()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    assert!(status.success(), "the SDK tests failed: {status}");
}
