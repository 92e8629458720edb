//! Stored records -> the `user` object Stytch returns.

use super::clock::format_rfc3339;
use super::models::{Email, Name, PhoneNumber, User, UserTotp};
use crate::store::{Lock, TotpRecord, UserRecord};
use serde_json::{Map, Value};

/// A TOTP can still be used: verified, or pending and not yet expired.
pub fn is_usable(totp: &TotpRecord, now: i64) -> bool {
    totp.verified || now < totp.expires_at
}

/// The lock in force at `now`, if any (a lock lifts by itself at its expiry).
pub fn active_lock(user: &UserRecord, now: i64) -> Option<Lock> {
    user.lock.filter(|lock| now < lock.expires_at)
}

fn metadata(json: &str) -> Map<String, Value> {
    // Written by this library from a checked JSON object; most are empty.
    match json {
        "{}" => Map::new(),
        json => serde_json::from_str(json).unwrap_or_default(),
    }
}

/// The `user` object at `now`: usable TOTPs only, lock fields only while
/// locked. Takes the record, whose strings become the view's.
pub fn user_view(user: UserRecord, totps: &[TotpRecord], now: i64) -> User {
    let lock = active_lock(&user, now);
    User {
        user_id: user.user_id,
        emails: user
            .email
            .into_iter()
            .map(|c| Email {
                email_id: c.id,
                email: c.value,
                verified: c.verified,
            })
            .collect(),
        status: "active",
        phone_numbers: user
            .phone
            .into_iter()
            .map(|c| PhoneNumber {
                phone_id: c.id,
                phone_number: c.value,
                verified: c.verified,
            })
            .collect(),
        webauthn_registrations: [],
        providers: [],
        totps: totps
            .iter()
            .filter(|t| is_usable(t, now))
            .map(|t| UserTotp {
                totp_id: t.totp_id.clone(),
                verified: t.verified,
            })
            .collect(),
        crypto_wallets: [],
        biometric_registrations: [],
        is_locked: lock.is_some(),
        roles: Vec::new(),
        name: Name {
            first_name: user.first_name,
            middle_name: user.middle_name,
            last_name: user.last_name,
        },
        created_at: Some(format_rfc3339(user.created_at)),
        password: None,
        trusted_metadata: metadata(&user.trusted_metadata),
        untrusted_metadata: metadata(&user.untrusted_metadata),
        external_id: user.external_id,
        lock_created_at: lock.map(|l| format_rfc3339(l.created_at)),
        lock_expires_at: lock.map(|l| format_rfc3339(l.expires_at)),
    }
}
