//! One-time passwords: RFC 4226/6238 codes (HMAC-SHA-1), secrets, recovery
//! codes and the otpauth URI. Pure functions; no state, no clock.

mod hotp_mac;
mod recovery;
mod secret;
mod uri;

pub use recovery::{RecoveryCodeInput, generate_recovery_codes, parse_recovery_code};
pub use secret::{SecretKey, SecretString, generate_key};
pub use uri::otpauth_uri;

use hotp_mac::HotpMac;
use subtle::ConstantTimeEq;

/// Seconds per time step (RFC 6238 X).
pub const STEP_SECONDS: i64 = 30;
/// Digits in a code.
pub const DIGITS: usize = 6;

/// The time step that contains `unix_time` (RFC 6238 T, with T0 = 0), rounding
/// towards minus infinity so that times before 1970 have steps of their own.
pub fn step_at(unix_time: i64) -> i64 {
    unix_time.div_euclid(STEP_SECONDS)
}

/// An HOTP generator keyed by one secret.
pub struct CodeGenerator {
    // HMAC-SHA-1 after the key's inner and outer blocks (RFC 2104), so that a
    // code costs two SHA-1 compressions instead of four. Wiped on drop.
    keyed: HotpMac,
}

impl CodeGenerator {
    /// A generator for a key's raw bytes; `None` for an empty key.
    pub fn new(key: &[u8]) -> Option<Self> {
        if key.is_empty() {
            return None;
        }
        Some(Self {
            keyed: HotpMac::new(key),
        })
    }

    /// Accepts RFC 4648 base32 in either case, with or without `=` padding.
    /// Returns `None` for anything else, or an empty secret.
    pub fn from_base32(secret: &str) -> Option<Self> {
        let key = SecretKey::from_base32_any_case(secret)?;
        Self::new(key.as_bytes())
    }

    /// The code for one time step (RFC 4226 HOTP with dynamic truncation).
    /// Steps before 1970 are negative; the 8-byte counter holds them in two's
    /// complement.
    pub fn code_at_step(&self, step: i64) -> [u8; DIGITS] {
        let digest = self.keyed.sign(step.to_be_bytes());
        let offset = usize::from(digest[digest.len() - 1] & 0x0f);
        let word = [0, 1, 2, 3].map(|i| digest[offset + i]);
        let mut value = (u32::from_be_bytes(word) & 0x7fff_ffff) % 10u32.pow(DIGITS as u32);
        let mut code = [b'0'; DIGITS];
        for digit in code.iter_mut().rev() {
            *digit = b'0' + (value % 10) as u8;
            value /= 10;
        }
        code
    }

    /// The code valid at `unix_time`.
    pub fn code_at(&self, unix_time: i64) -> [u8; DIGITS] {
        self.code_at_step(step_at(unix_time))
    }

    /// The steps in `around - window ..= around + window` whose code equals
    /// `code`, ascending. Every candidate is computed and compared in constant
    /// time, so timing tells nothing about which step (if any) matched.
    pub fn matching_steps(&self, code: &[u8; DIGITS], around: i64, window: i64) -> Vec<i64> {
        let mut found = Vec::new();
        for step in around.saturating_sub(window)..=around.saturating_add(window) {
            let matched: bool = self.code_at_step(step).ct_eq(code).into();
            if matched {
                found.push(step);
            }
        }
        found
    }
}

/// `Some(code)` when `input` is exactly six ASCII digits (no spaces, no signs,
/// no other scripts' digits).
pub fn parse_totp_code(input: &str) -> Option<[u8; DIGITS]> {
    let bytes: [u8; DIGITS] = input.as_bytes().try_into().ok()?;
    bytes.iter().all(u8::is_ascii_digit).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // "12345678901234567890"

    #[test]
    fn rfc4226_hotp_values() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        let generator = CodeGenerator::from_base32(RFC_SECRET_B32).unwrap();
        for (count, want) in expected.iter().enumerate() {
            assert_eq!(&generator.code_at_step(count as i64), want.as_bytes());
        }
    }

    #[test]
    fn steps_round_towards_minus_infinity() {
        assert_eq!(step_at(0), 0);
        assert_eq!(step_at(29), 0);
        assert_eq!(step_at(30), 1);
        assert_eq!(step_at(-1), -1);
        assert_eq!(step_at(-30), -1);
        assert_eq!(step_at(-31), -2);
    }

    #[test]
    fn matching_step_finds_only_the_window() {
        let generator = CodeGenerator::from_base32(RFC_SECRET_B32).unwrap();
        let code = generator.code_at_step(100);
        assert_eq!(generator.matching_steps(&code, 100, 1), vec![100]);
        assert_eq!(generator.matching_steps(&code, 101, 1), vec![100]);
        assert_eq!(generator.matching_steps(&code, 99, 1), vec![100]);
        assert!(generator.matching_steps(&code, 102, 1).is_empty());
        assert!(generator.matching_steps(&code, 98, 1).is_empty());
    }

    #[test]
    fn codes_must_be_six_ascii_digits() {
        assert_eq!(parse_totp_code("012345"), Some(*b"012345"));
        for bad in [
            "",
            "12345",
            "1234567",
            " 12345",
            "12345 ",
            "+12345",
            "12a456",
            "١٢٣٤٥٦",
        ] {
            assert_eq!(parse_totp_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn secrets_accept_case_and_padding_but_not_garbage() {
        assert!(CodeGenerator::from_base32("gezdgnbvgy3tqojq").is_some());
        assert!(CodeGenerator::from_base32("GEZDGNBVGY3TQOJQ======").is_some());
        for bad in ["", "=", "1", "GEZ!", "GEZDGNBV GY3TQOJQ"] {
            assert!(CodeGenerator::from_base32(bad).is_none(), "{bad:?}");
        }
    }
}
