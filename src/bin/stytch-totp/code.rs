//! `code`: the code of a secret at a time.

use crate::failure::{Failure, Outcome};
use crate::output::Output;
use serde::Serialize;
use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};
use stytch_totp::otp::{CodeGenerator, STEP_SECONDS, SecretString, step_at};
use zeroize::Zeroizing;

#[derive(Serialize)]
struct CodeBody {
    code: String,
    unix_time: i64,
    /// The code is valid from this time (its step's start) ...
    valid_from: i64,
    /// ... to this one, exclusive (the next step's start).
    valid_until: i64,
}

pub fn run(out: &Output, secret: &str, time: Option<i64>) -> Outcome<()> {
    let secret = read_secret(secret)?;
    let generator = generator(&secret)?;
    let unix_time = time.unwrap_or_else(now);
    let code = generator.code_at(unix_time);
    let valid_from = step_at(unix_time).saturating_mul(STEP_SECONDS);
    let body = CodeBody {
        code: String::from_utf8_lossy(&code).into_owned(),
        unix_time,
        valid_from,
        valid_until: valid_from.saturating_add(STEP_SECONDS),
    };
    out.print(&body, |b| format!("{}\n", b.code));
    Ok(())
}

/// The secret given, or read from standard input for `-` (surrounding
/// whitespace removed).
pub fn read_secret(arg: &str) -> Outcome<SecretString> {
    if arg != "-" {
        return Ok(SecretString::from(arg));
    }
    let mut text = Zeroizing::new(String::new());
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::usage(format!("cannot read the secret from standard input: {e}")))?;
    Ok(SecretString::from(text.trim()))
}

/// A generator for a base32 secret; the error never repeats it.
pub fn generator(secret: &SecretString) -> Outcome<CodeGenerator> {
    CodeGenerator::from_base32(secret.expose()).ok_or_else(|| {
        Failure::usage(
            "the secret is not base32 (RFC 4648: letters A-Z and digits 2-7, either case, \
             padding optional)",
        )
    })
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
