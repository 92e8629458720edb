//! The otpauth URI that authenticator apps scan (Google Authenticator's "Key Uri Format").

use super::{DIGITS, STEP_SECONDS};
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
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str) -> String {
    let issuer = utf8_percent_encode(issuer, LABEL);
    let account = utf8_percent_encode(account, LABEL);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret_base32}&issuer={issuer}\
         &algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_the_separator_is_not() {
        let uri = otpauth_uri("Acme: Test+Co", "a+b@example.com", "ABC");
        assert_eq!(
            uri,
            "otpauth://totp/Acme%3A%20Test%2BCo:a%2Bb@example.com?secret=ABC\
             &issuer=Acme%3A%20Test%2BCo&algorithm=SHA1&digits=6&period=30"
        );
    }
}
