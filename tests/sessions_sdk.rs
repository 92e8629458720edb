//! The official Python SDK (`stytch` from PyPI) against the library's
//! sessions: this test mints JWTs and writes them, the JWKS body and a session
//! body into a temporary directory, then runs `tests/sessions/` (pytest) with
//! the SDK's Python on them. `make test-sessions` builds the pinned venv and
//! runs it; without that Python it fails, it does not skip.

mod sessions_common;

use serde_json::json;
use sessions_common::{DAY, OTHER_PROJECT, PROJECT, now, session};
use std::path::Path;
use std::process::Command;
use stytch_totp::engine::Environment;
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
