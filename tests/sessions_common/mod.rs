//! The session the sessions tests and benchmark mint JWTs for.
#![allow(dead_code)]

use serde_json::json;
use stytch_totp::engine::Environment;
use stytch_totp::sessions::{Attributes, Factor, Session, SessionUpdate};

pub const PROJECT: &str = "project-test-6f1e4a7c-2b8d-4c3e-9f0a-1d2e3f4a5b6c";
pub const OTHER_PROJECT: &str = "project-test-00000000-0000-4000-8000-000000000000";
pub const USER: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";
pub const DAY: i64 = 86_400;

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A session started by a TOTP code an hour before `now`, since joined by a
/// recovery code, with custom claims and request attributes.
pub fn session(now: i64) -> Session {
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
