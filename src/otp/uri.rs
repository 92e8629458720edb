//! The otpauth URI that authenticator apps scan (Google Authenticator's "Key Uri Format").

use super::{DIGITS, STEP_SECONDS, SecretString};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but unreserved characters and `@` is escaped, so `:` (the
/// label's separator), `+`, `&`, `=`, `/` and spaces inside a name are encoded.
const LABEL: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// `otpauth://totp/<issuer>:<account>?secret=..&issuer=..&algorithm=SHA1&digits=6&period=30`.
/// Built in one allocation of the right size, so no stray copy of the secret
/// is left behind by a reallocation.
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str) -> SecretString {
    let issuer = utf8_percent_encode(issuer, LABEL).to_string();
    let account = utf8_percent_encode(account, LABEL).to_string();
    let tail = format!("&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}");
    let parts = [
        "otpauth://totp/",
        &issuer,
        ":",
        &account,
        "?secret=",
        secret_base32,
        "&issuer=",
        &issuer,
        &tail,
    ];
    let mut uri = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    parts.iter().for_each(|p| uri.push_str(p));
    SecretString::from(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_the_separator_is_not() {
        let uri = otpauth_uri("Acme: Test+Co", "a+b@example.com", "ABC");
        assert_eq!(
            uri.expose(),
            "otpauth://totp/Acme%3A%20Test%2BCo:a%2Bb@example.com?secret=ABC\
             &issuer=Acme%3A%20Test%2BCo&algorithm=SHA1&digits=6&period=30"
        );
    }
}
