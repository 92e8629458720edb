//! Email addresses and phone numbers: which are accepted, and when two are
//! the same. A user is found by either, so each belongs to one user at most.

/// Longest email address accepted, in bytes (RFC 5321's path limit).
const MAX_EMAIL_LEN: usize = 254;

/// A plausible address: one `@` with something before it and a dotted
/// domain after it, no spaces or control characters.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= MAX_EMAIL_LEN
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// E.164: `+`, then 8 to 15 digits, the first not 0. A number is kept and
/// compared exactly as given: E.164 has one spelling per number.
pub fn is_valid_phone_number(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// The form in which two addresses are compared: the whole address with its
/// ASCII letters in lower case, so `Ada@Example.com` is `ada@example.com`.
/// The address itself is kept and shown as it was given.
///
/// ASCII only, on purpose: domain names compare case-insensitively in ASCII
/// (internationalised domains compare in their ASCII form), mail providers
/// treat local parts the same way, and no case folding is defined for the
/// rest. It is also exactly what the SQL stores' unique indexes compute
/// (SQLite's `lower()`, PostgreSQL's `translate()` of A-Z), so every store
/// and every process writing to one agrees on which addresses clash.
pub fn email_key(email: &str) -> String {
    email.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_and_phone_checks() {
        assert!(is_valid_email("a+b@example.com"));
        for bad in [
            "",
            "a",
            "a@b",
            "@b.com",
            "a@@b.com",
            "a b@c.com",
            "a@.com",
            "a@b.com.",
        ] {
            assert!(!is_valid_email(bad), "{bad:?}");
        }
        assert!(is_valid_phone_number("+12025550123"));
        for bad in [
            "",
            "12025550123",
            "+0123456789",
            "+1202",
            "+1202555012345678",
            "+1202-555-0123",
        ] {
            assert!(!is_valid_phone_number(bad), "{bad:?}");
        }
    }

    #[test]
    fn addresses_compare_without_ascii_case() {
        assert_eq!(
            email_key("Ada.Lovelace@Example.COM"),
            "ada.lovelace@example.com"
        );
        // Letters beyond ASCII are compared as they are.
        assert_eq!(email_key("ÉLODIE@exemple.fr"), "Élodie@exemple.fr");
    }
}
