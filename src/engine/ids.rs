//! Stytch-style identifiers: `<kind>-<environment>-<uuid v4>`.

use uuid::Uuid;

/// The project environment, which names every ID (`user-test-…`, `user-live-…`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Environment {
    Test,
    Live,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Test => "test",
            Environment::Live => "live",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    User,
    Totp,
    RequestId,
    Email,
    PhoneNumber,
    TotpRecoveryCode,
}

impl IdKind {
    fn prefix(self) -> &'static str {
        match self {
            IdKind::User => "user",
            IdKind::Totp => "totp",
            IdKind::RequestId => "request-id",
            IdKind::Email => "email",
            IdKind::PhoneNumber => "phone-number",
            IdKind::TotpRecoveryCode => "totp-recovery-code",
        }
    }
}

/// A fresh ID. The UUID's random bits come from the OS CSPRNG, except for
/// request IDs (minted on every call, never stored), which come from the
/// per-thread generator.
pub fn new_id(kind: IdKind, env: Environment) -> String {
    let mut bytes = [0u8; 16];
    match kind {
        IdKind::RequestId => crate::random::fill_unstored(&mut bytes),
        _ => crate::random::fill(&mut bytes),
    }
    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
    let mut text = Uuid::encode_buffer();
    let uuid = uuid.hyphenated().encode_lower(&mut text);
    // Concatenated, not formatted: a request ID is minted on every call.
    [kind.prefix(), "-", env.as_str(), "-", uuid].concat()
}

/// Whether `id` is shaped like an ID of `kind` (either environment, lower-case
/// hyphenated UUID), whether or not it exists.
pub fn is_well_formed(id: &str, kind: IdKind) -> bool {
    let Some(rest) = id
        .strip_prefix(kind.prefix())
        .and_then(|r| r.strip_prefix('-'))
    else {
        return false;
    };
    let Some(uuid) = rest
        .strip_prefix("test-")
        .or_else(|| rest.strip_prefix("live-"))
    else {
        return false;
    };
    uuid.len() == 36
        && !uuid.bytes().any(|b| b.is_ascii_uppercase())
        && Uuid::try_parse(uuid).is_ok()
}

/// Whether `id` starts like an ID of `kind` (so it is meant as one, not as an
/// external ID).
pub fn has_prefix(id: &str, kind: IdKind) -> bool {
    id.strip_prefix(kind.prefix())
        .is_some_and(|r| r.starts_with('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_ids_are_well_formed_v4_and_distinct() {
        let a = new_id(IdKind::User, Environment::Test);
        let b = new_id(IdKind::User, Environment::Test);
        assert!(a.starts_with("user-test-"));
        assert!(is_well_formed(&a, IdKind::User));
        assert!(!is_well_formed(&a, IdKind::Totp));
        assert_ne!(a, b);
        let uuid = Uuid::parse_str(&a["user-test-".len()..]).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
        assert!(new_id(IdKind::PhoneNumber, Environment::Live).starts_with("phone-number-live-"));
    }

    #[test]
    fn malformed_ids_are_rejected() {
        for bad in [
            "",
            "user-test-",
            "user-prod-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
            "user-test-16D9BA61-97A1-4BA4-9720-B03761DC50C6",
            "user-test-16d9ba6197a14ba49720b03761dc50c6",
            "usertest-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
        ] {
            assert!(!is_well_formed(bad, IdKind::User), "{bad:?}");
        }
    }
}
