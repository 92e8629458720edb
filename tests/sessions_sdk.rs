//! The official Python SDK (`stytch` from PyPI) against the library's
//! sessions: this test mints JWTs and writes them, the JWKS body and a session
//! body into a temporary directory, then runs `tests/sessions/` (pytest) with
//! the SDK's Python on them. `make test-sessions` builds the pinned venv and
//! runs it; without that Python it fails, it does not skip.

use serde_json::json;
use std::path::Path;
use std::process::Command;
use stytch_totp::engine::Environment;
use stytch_totp::sessions::{
    Attributes, Factor, Keyring, RotationPolicy, Session, SessionUpdate, SigningKey, mint,
};

const PROJECT: &str = "project-test-6f1e4a7c-2b8d-4c3e-9f0a-1d2e3f4a5b6c";
const OTHER_PROJECT: &str = "project-test-00000000-0000-4000-8000-000000000000";
const USER: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";
const DAY: i64 = 86_400;
const PYTHON: &str = "SESSIONS_SDK_PYTHON";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A session started by a TOTP code an hour ago, since joined by a
/// recovery code, with custom claims.
fn session(now: i64) -> Session {
    let update = SessionUpdate {
        duration_minutes: Some(24 * 60),
        custom_claims: Some(
            json!({"plan": "pro", "org": {"id": 7, "name": "Acme"}, "tags": ["a", "b"]}),
        ),
    };
    let attributes = Attributes {
        ip_address: "203.0.113.7".into(),
        user_agent: "Mozilla/5.0 (X11; Linux x86_64)".into(),
    };
    let totp = Factor::Totp {
        totp_id: "totp-test-41920359-8bbb-4fe8-8fa3-aaa83f35f02c".into(),
    };
    let mut session = Session::start(
        Environment::Test,
        USER,
        &totp,
        &update,
        attributes,
        now - 3600,
    )
    .unwrap();
    let recovery_code = Factor::RecoveryCode {
        totp_recovery_code_id: "totp-recovery-code-test-0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
            .into(),
    };
    session
        .apply(Some(&recovery_code), &SessionUpdate::default(), now - 60)
        .unwrap();
    session
}

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
