//! A TOTP sign-in that starts a session, beside the same sign-in without one,
//! minting a session JWT alone, and verifying one locally, in one run (rounds
//! interleaved, so every operation sees the same machine load).
//!
//! `cargo bench --bench session_signin` (release profile, in-memory store).
//! Times are per operation: median and 99th percentile.

use std::hint::black_box;
use std::time::{Duration, Instant};
use stytch_totp::engine::{Client, Environment, sessions::SessionArgs};
use stytch_totp::otp::CodeGenerator;
use stytch_totp::sessions::{Expiry, Keyring, RotationPolicy, mint, verify};

const PROJECT: &str = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const T0: i64 = 1_767_225_600;
const ROUNDS: usize = 40;
const PER_ROUND: usize = 25;

struct Samples {
    name: &'static str,
    times: Vec<Duration>,
}

impl Samples {
    fn new(name: &'static str) -> Self {
        Self {
            name,
            times: Vec::new(),
        }
    }

    fn time<T>(&mut self, op: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = op();
        self.times.push(start.elapsed());
        out
    }

    fn median_p99(&mut self) -> (Duration, Duration) {
        self.times.sort_unstable();
        let at = |q: f64| self.times[((self.times.len() - 1) as f64 * q).round() as usize];
        (at(0.5), at(0.99))
    }
}

/// A client with `users` users, each with a verified TOTP: (user_id, code
/// generator) pairs.
fn enrolled(client: &Client, users: usize) -> Vec<(String, CodeGenerator)> {
    (0..users)
        .map(|_| {
            let user: serde_json::Value =
                serde_json::from_str(&client.call("POST", "/v1/users", Some("{}"))).unwrap();
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
            black_box(plain.time(|| client.authenticate_totp(user_id, &c).unwrap()));
        }
        let t = t + 60;
        client.set_time(t).unwrap();
        for (user_id, generator) in &users {
            let c = code(generator, t);
            black_box(started.time(|| {
                client
                    .authenticate_totp_with_session(user_id, &c, &with_session)
                    .unwrap()
            }));
        }
        for _ in 0..PER_ROUND {
            black_box(minting.time(|| mint(key, PROJECT, &session, t).unwrap()));
            black_box(
                verifying.time(|| verify(&keys, PROJECT, &jwt, T0, Expiry::Enforce).unwrap()),
            );
        }
    }
    println!(
        "{:<40} {:>6} {:>12} {:>12}",
        "operation", "n", "median µs", "p99 µs"
    );
    let mut medians = Vec::new();
    for row in [&mut plain, &mut started, &mut minting, &mut verifying] {
        let (median, p99) = row.median_p99();
        println!(
            "{:<40} {:>6} {:>12.1} {:>12.1}",
            row.name,
            row.times.len(),
            median.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6
        );
        medians.push(median.as_secs_f64());
    }
    println!(
        "ratio authenticate + new session / authenticate, no session: {:.2}",
        medians[1] / medians[0]
    );
}
