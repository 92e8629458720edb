//! A TOTP sign-in that starts a session, beside the same sign-in without one,
//! minting a session JWT alone, and verifying one locally, in one run (rounds
//! interleaved, so every operation sees the same machine load).
//!
//! `cargo bench --bench session_signin` (release profile, in-memory store).
//! Times are per operation: median and 99th percentile.

use std::hint::black_box;

#[path = "samples/mod.rs"]
mod samples;
use samples::{Samples, report};
use stytch_totp::engine::{Client, Environment, sessions::SessionArgs};
use stytch_totp::otp::CodeGenerator;
use stytch_totp::sessions::{Expiry, Keyring, RotationPolicy, mint, verify};

const PROJECT: &str = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const T0: i64 = 1_767_225_600;
const ROUNDS: usize = 40;
const PER_ROUND: usize = 25;

/// A client with `users` users, each with a verified TOTP: (user_id, code
/// generator) pairs.
fn enrolled(client: &Client, users: usize) -> Vec<(String, CodeGenerator)> {
    (0..users)
        .map(|n| {
            let body = format!(r#"{{"email":"signin-{n}@example.com"}}"#);
            let user: serde_json::Value =
                serde_json::from_str(&client.call("POST", "/v1/users", Some(&body))).unwrap();
            let user_id = user["user_id"].as_str().unwrap().to_owned();
            let totp = client.create_totp(&user_id, None).unwrap();
            let generator = CodeGenerator::from_base32(totp.secret.expose()).unwrap();
            (user_id, generator)
        })
        .collect()
}

fn code(generator: &CodeGenerator, t: i64) -> String {
    String::from_utf8(generator.code_at(t).to_vec()).unwrap()
}

fn main() {
    let config = format!(r#"{{"database":":memory:","project_id":"{PROJECT}"}}"#);
    let client = Client::from_config_json(Some(&config)).unwrap();
    client.set_time(T0).unwrap();
    let users = enrolled(&client, PER_ROUND);
    let with_session = SessionArgs {
        session_duration_minutes: Some(60),
        ..SessionArgs::default()
    };
    // The first session makes the signing key; keep one JWT to verify.
    client.set_time(T0 - 30).unwrap();
    let first = client
        .authenticate_totp_with_session(&users[0].0, &code(&users[0].1, T0 - 30), &with_session)
        .unwrap();
    let session = first.session.clone().unwrap();
    let jwks: serde_json::Value =
        serde_json::from_str(&client.call("GET", &format!("/v1/sessions/jwks/{PROJECT}"), None))
            .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);

    let mut plain = Samples::new("authenticate, no session");
    let mut started = Samples::new("authenticate + new session (60 min)");
    let mut minting = Samples::new("mint a session JWT alone");
    let mut verifying = Samples::new("verify a session JWT locally");
    // Minting and verifying alone use a key of the client's size (RSA-2048)
    // and the session the client returned.
    let mut keys = Keyring::new(RotationPolicy::default(), Vec::new());
    keys.rotate_if_due(Environment::Test, T0).unwrap();
    let key = keys.signing_key().unwrap();
    let jwt = mint(key, PROJECT, &session, T0).unwrap();
    for round in 0..ROUNDS {
        // Each sign-in takes a fresh step: two steps per round (one per kind).
        let t = T0 + 60 * (2 * round as i64 + 1);
        client.set_time(t).unwrap();
        for (user_id, generator) in &users {
            let c = code(generator, t);
            plain.run(1, || {
                black_box(client.authenticate_totp(user_id, &c).unwrap());
            });
        }
        let t = t + 60;
        client.set_time(t).unwrap();
        for (user_id, generator) in &users {
            let c = code(generator, t);
            started.run(1, || {
                black_box(
                    client
                        .authenticate_totp_with_session(user_id, &c, &with_session)
                        .unwrap(),
                );
            });
        }
        minting.run(PER_ROUND, || {
            black_box(mint(key, PROJECT, &session, t).unwrap());
        });
        verifying.run(PER_ROUND, || {
            black_box(verify(&keys, PROJECT, &jwt, T0, Expiry::Enforce).unwrap());
        });
    }
    report(
        &mut [plain, started, minting, verifying],
        &[(
            "authenticate + new session (60 min)",
            "authenticate, no session",
        )],
    );
}
