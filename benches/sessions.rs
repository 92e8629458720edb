//! Session JWTs: minting, local verification and key generation, beside the
//! `jsonwebtoken` crate doing the same work, in one run. Rounds of each
//! operation are interleaved so that every one sees the same machine load.
//!
//! `cargo bench --bench sessions` (release profile). Times are per operation:
//! median and 99th percentile.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::Value;
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};
use stytch_totp::engine::Environment;
use stytch_totp::sessions::{
    Expiry, Keyring, RotationPolicy, SessionToken, SigningKey, issuer, mint, verify,
};

#[path = "samples/mod.rs"]
mod samples;
#[path = "../tests/sessions_common/mod.rs"]
mod sessions_common;
use samples::{Samples, report};
use sessions_common::{PROJECT, now, session};

/// Set in a child process: time the first signature of a fresh process.
const FIRST_SIGN_KEY: &str = "SESSIONS_BENCH_FIRST_SIGN_KEY";

/// The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (the form
/// jsonwebtoken takes), for 2048-bit keys: SEQUENCE { INTEGER 0,
/// AlgorithmIdentifier, OCTET STRING { RSAPrivateKey } }.
fn pkcs1_of(pkcs8: &[u8]) -> &[u8] {
    assert_eq!(&pkcs8[..4], [0x30, 0x82, pkcs8[2], pkcs8[3]]);
    let algorithm_end = 4 + 3 + 2 + usize::from(pkcs8[8]);
    assert_eq!(pkcs8[algorithm_end], 0x04);
    let len = usize::from(u16::from_be_bytes([
        pkcs8[algorithm_end + 2],
        pkcs8[algorithm_end + 3],
    ]));
    &pkcs8[algorithm_end + 4..algorithm_end + 4 + len]
}

/// In a fresh process: how long loading the key and minting the first JWT
/// take (aws-lc seeds its random generator on first use, and loading a key
/// signs its certificate).
fn first_sign_child(der_path: &str) {
    let der = std::fs::read(der_path).unwrap();
    let session = session(1_767_225_600);
    let start = Instant::now();
    let key = SigningKey::from_pkcs8_der("jwk-test-bench", 0, &der).unwrap();
    black_box(mint(&key, PROJECT, &session, 1_767_225_600).unwrap());
    println!("{}", start.elapsed().as_nanos());
}

fn first_sign_in_fresh_processes(der: &[u8], runs: usize) -> Samples {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("key.der");
    std::fs::write(&path, der).unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut samples = Samples::new("load key + first mint, fresh process");
    for _ in 0..runs {
        let out = Command::new(&exe)
            .env(FIRST_SIGN_KEY, &path)
            .output()
            .unwrap();
        assert!(out.status.success());
        let nanos: u64 = String::from_utf8(out.stdout)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        samples.times.push(Duration::from_nanos(nanos));
    }
    samples
}

fn main() {
    if let Ok(path) = std::env::var(FIRST_SIGN_KEY) {
        return first_sign_child(&path);
    }
    let now = now();
    let mut keyring = Keyring::new(RotationPolicy::default(), vec![]);
    keyring.rotate_if_due(Environment::Test, now).unwrap();
    let key = keyring.signing_key().unwrap();
    let pkcs8 = key.to_pkcs8_der().unwrap();
    let session = session(now);
    let jwt = mint(key, PROJECT, &session, now).unwrap();

    // The peer: jsonwebtoken with the same key and the same claims.
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            jwt.split('.').nth(1).unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid().to_owned());
    let encoding_key = EncodingKey::from_rsa_der(pkcs1_of(&pkcs8));
    let jwks: jsonwebtoken::jwk::JwkSet =
        serde_json::from_value(serde_json::to_value(keyring.jwks(String::new(), now)).unwrap())
            .unwrap();
    let decoding_key = DecodingKey::from_jwk(jwks.find(key.kid()).unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[PROJECT]);
    validation.set_issuer(&[issuer(PROJECT)]);
    assert!(jsonwebtoken::decode::<Value>(&jwt, &decoding_key, &validation).is_ok());

    let mut rows = [
        Samples::new("mint (ours)"),
        Samples::new("mint (jsonwebtoken encode)"),
        Samples::new("verify (ours)"),
        Samples::new("verify (jsonwebtoken decode)"),
        Samples::new("session token + SHA-256"),
        Samples::new("key generation + certificate (ours)"),
    ];
    for _round in 0..20 {
        rows[0].run(100, || {
            black_box(mint(key, PROJECT, &session, now).unwrap());
        });
        rows[1].run(100, || {
            black_box(jsonwebtoken::encode(&header, &claims, &encoding_key).unwrap());
        });
        rows[2].run(250, || {
            black_box(verify(&keyring, PROJECT, &jwt, now, Expiry::Enforce).unwrap());
        });
        rows[3].run(250, || {
            black_box(jsonwebtoken::decode::<Value>(&jwt, &decoding_key, &validation).unwrap());
        });
        rows[4].run(250, || {
            black_box(SessionToken::generate().hash());
        });
        rows[5].run(1, || {
            black_box(SigningKey::generate(Environment::Test, now).unwrap());
        });
    }
    report(
        &mut rows,
        &[
            ("mint (ours)", "mint (jsonwebtoken encode)"),
            ("verify (ours)", "verify (jsonwebtoken decode)"),
        ],
    );
    println!();
    report(&mut [first_sign_in_fresh_processes(&pkcs8, 15)], &[]);
}
