//! Recovery codes: `xxxx-xxxx-xxxx`, lower-case letters and digits.

use super::{SecretString, parse_totp_code};
use rand::RngExt;

/// Recovery codes issued with each TOTP.
pub const RECOVERY_CODE_COUNT: usize = 10;
const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const GROUPS: usize = 3;
const GROUP_LEN: usize = 4;

/// Ten fresh codes (62 bits of entropy each), from a CSPRNG seeded by the OS.
pub fn generate_recovery_codes() -> Vec<SecretString> {
    let mut rng = crate::random::seeded();
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let mut code = String::with_capacity(GROUPS * (GROUP_LEN + 1));
            for group in 0..GROUPS {
                if group > 0 {
                    code.push('-');
                }
                for _ in 0..GROUP_LEN {
                    code.push(ALPHABET[rng.random_range(0..ALPHABET.len())] as char);
                }
            }
            SecretString::from(code)
        })
        .collect()
}

/// What a caller sent as a recovery code.
#[derive(Debug, PartialEq, Eq)]
pub enum RecoveryCodeInput {
    /// A well-formed code, normalised to the stored form (`xxxx-xxxx-xxxx`).
    Code(SecretString),
    /// Six digits: a TOTP code sent to the wrong endpoint.
    TotpCode,
    Malformed,
}

/// Accepts either case, with or without the two dashes.
pub fn parse_recovery_code(input: &str) -> RecoveryCodeInput {
    if parse_totp_code(input).is_some() {
        return RecoveryCodeInput::TotpCode;
    }
    let bytes = input.as_bytes();
    let dashed = bytes.len() == 14 && bytes[4] == b'-' && bytes[9] == b'-';
    if bytes.len() != 12 && !dashed {
        return RecoveryCodeInput::Malformed;
    }
    let mut code = String::with_capacity(14);
    for (i, &b) in bytes.iter().filter(|&&b| !dashed || b != b'-').enumerate() {
        if !b.is_ascii_alphanumeric() || i >= 12 {
            return RecoveryCodeInput::Malformed;
        }
        if i > 0 && i % GROUP_LEN == 0 {
            code.push('-');
        }
        code.push(b.to_ascii_lowercase() as char);
    }
    if code.len() != 14 {
        return RecoveryCodeInput::Malformed;
    }
    RecoveryCodeInput::Code(SecretString::from(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_have_the_documented_shape() {
        let codes = generate_recovery_codes();
        assert_eq!(codes.len(), 10);
        for code in &codes {
            let c = code.expose().as_bytes();
            assert_eq!(c.len(), 14);
            for (i, b) in c.iter().enumerate() {
                if i == 4 || i == 9 {
                    assert_eq!(*b, b'-');
                } else {
                    assert!(b.is_ascii_lowercase() || b.is_ascii_digit());
                }
            }
        }
    }

    #[test]
    fn parsing_normalises_case_and_dashes() {
        let want = RecoveryCodeInput::Code(SecretString::from("ab12-cd34-ef56"));
        assert_eq!(parse_recovery_code("ab12-cd34-ef56"), want);
        assert_eq!(parse_recovery_code("AB12-CD34-EF56"), want);
        assert_eq!(parse_recovery_code("ab12cd34ef56"), want);
        assert_eq!(parse_recovery_code("123456"), RecoveryCodeInput::TotpCode);
        for bad in [
            "",
            "ab12-cd34-ef5",
            "ab12--cd34ef56",
            "ab12-cd34-ef5!",
            " ab12cd34ef56",
            "ab1-2cd34-ef56",
            "ab12-cd34-ef-6",
        ] {
            assert_eq!(
                parse_recovery_code(bad),
                RecoveryCodeInput::Malformed,
                "{bad:?}"
            );
        }
    }
}
