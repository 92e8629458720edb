//! RSA keys for the unit tests: generated once per test process (generation
//! takes a fraction of a second), then loaded from PKCS#8 at any creation time.

use super::keys::SigningKey;
use crate::engine::ids::Environment;
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// 2026-01-01T00:00:00Z.
pub const T0: i64 = 1_767_225_600;
pub const DAY: i64 = 86_400;
pub const PROJECT: &str = "project-test-6f1e4a7c-2b8d-4c3e-9f0a-1d2e3f4a5b6c";

const POOL: usize = 3;

fn pool() -> &'static [(String, Zeroizing<Vec<u8>>)] {
    static KEYS: OnceLock<Vec<(String, Zeroizing<Vec<u8>>)>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (0..POOL)
            .map(|_| {
                let key = SigningKey::generate(Environment::Test, T0).unwrap();
                (key.kid().to_owned(), key.to_pkcs8_der().unwrap())
            })
            .collect()
    })
}

/// Test key number `n` (0..3), created at `created_at`.
pub fn key(n: usize, created_at: i64) -> SigningKey {
    let (kid, der) = &pool()[n];
    SigningKey::from_pkcs8_der(kid, created_at, der).unwrap()
}
