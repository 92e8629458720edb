//! `stytch_user`: the `user` object, borrowed from a response handle.

use super::handle_type;
use crate::engine::models::User;
use crate::ffi::boundary::{read, read_json};
use crate::ffi::handle::Handle;
use std::ffi::c_char;
use std::ptr::null;

/// A user (`api_user_v1_User`). Always borrowed from the response that returned
/// it and valid until that response is freed; never freed on its own.
/// Immutable: any thread may read it.
pub struct stytch_user(pub(crate) Handle<User>);

handle_type!(stytch_user => User);

/// `user_id`. Borrowed; NULL for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_user_id(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_str(&u.user_id))
}

/// `status`: `"active"` (users are created active). Borrowed; NULL for a NULL
/// user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_status(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_str(u.status))
}

/// `name.first_name` (`""` when not given). Borrowed; NULL for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_first_name(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_str(&u.name.first_name))
}

/// `name.middle_name` (`""` when not given). Borrowed; NULL for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_middle_name(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_str(&u.name.middle_name))
}

/// `name.last_name` (`""` when not given). Borrowed; NULL for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_last_name(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_str(&u.name.last_name))
}

/// `created_at`, RFC 3339 UTC. Borrowed; NULL for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_created_at(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_opt(u.created_at.as_deref()))
}

/// `external_id`; NULL when the user has none, or for a NULL user. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_external_id(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_opt(u.external_id.as_deref()))
}

/// `is_locked`: a lockout is in force. False for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_is_locked(user: Option<&stytch_user>) -> bool {
    read(user, false, |u| u.is_locked)
}

/// `lock_created_at`; NULL when not locked, or for a NULL user. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_lock_created_at(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_opt(u.lock_created_at.as_deref()))
}

/// `lock_expires_at`; NULL when not locked, or for a NULL user. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_lock_expires_at(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_opt(u.lock_expires_at.as_deref()))
}

/// `trusted_metadata` as JSON object text (`"{}"` when empty). Borrowed; NULL
/// for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_trusted_metadata(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_json(&u.trusted_metadata))
}

/// `untrusted_metadata` as JSON object text (`"{}"` when empty). Borrowed;
/// NULL for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_untrusted_metadata(user: Option<&stytch_user>) -> *const c_char {
    read(user, null(), |u| u.c_json(&u.untrusted_metadata))
}

/// Number of `emails`; 0 for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_emails_len(user: Option<&stytch_user>) -> usize {
    read(user, 0, |u| u.emails.len())
}

/// `emails[i].email_id`. Borrowed; NULL out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_email_id(user: Option<&stytch_user>, i: usize) -> *const c_char {
    read(user, null(), |u| {
        u.c_opt(u.emails.get(i).map(|e| e.email_id.as_str()))
    })
}

/// `emails[i].email`. Borrowed; NULL out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_email_address(user: Option<&stytch_user>, i: usize) -> *const c_char {
    read(user, null(), |u| {
        u.c_opt(u.emails.get(i).map(|e| e.email.as_str()))
    })
}

/// `emails[i].verified`; false out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_email_verified(user: Option<&stytch_user>, i: usize) -> bool {
    read(user, false, |u| u.emails.get(i).is_some_and(|e| e.verified))
}

/// Number of `phone_numbers`; 0 for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_numbers_len(user: Option<&stytch_user>) -> usize {
    read(user, 0, |u| u.phone_numbers.len())
}

/// `phone_numbers[i].phone_id`. Borrowed; NULL out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_id(user: Option<&stytch_user>, i: usize) -> *const c_char {
    read(user, null(), |u| {
        u.c_opt(u.phone_numbers.get(i).map(|p| p.phone_id.as_str()))
    })
}

/// `phone_numbers[i].phone_number` (E.164). Borrowed; NULL out of range or for
/// a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_number(user: Option<&stytch_user>, i: usize) -> *const c_char {
    read(user, null(), |u| {
        u.c_opt(u.phone_numbers.get(i).map(|p| p.phone_number.as_str()))
    })
}

/// `phone_numbers[i].verified`; false out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_verified(user: Option<&stytch_user>, i: usize) -> bool {
    read(user, false, |u| {
        u.phone_numbers.get(i).is_some_and(|p| p.verified)
    })
}

/// Number of `totps` (usable TOTPs: verified, or pending and not expired); 0
/// for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_totps_len(user: Option<&stytch_user>) -> usize {
    read(user, 0, |u| u.totps.len())
}

/// `totps[i].totp_id`. Borrowed; NULL out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_totp_id(user: Option<&stytch_user>, i: usize) -> *const c_char {
    read(user, null(), |u| {
        u.c_opt(u.totps.get(i).map(|t| t.totp_id.as_str()))
    })
}

/// `totps[i].verified`; false out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_totp_verified(user: Option<&stytch_user>, i: usize) -> bool {
    read(user, false, |u| u.totps.get(i).is_some_and(|t| t.verified))
}

/// Number of `roles`; 0 for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_roles_len(user: Option<&stytch_user>) -> usize {
    read(user, 0, |u| u.roles.len())
}

/// `roles[i]`. Borrowed; NULL out of range or for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_role(user: Option<&stytch_user>, i: usize) -> *const c_char {
    read(user, null(), |u| {
        u.c_opt(u.roles.get(i).map(String::as_str))
    })
}

/// The user object as JSON. Owned: release with `stytch_string_free`. NULL for
/// a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_to_json(user: Option<&stytch_user>) -> *mut c_char {
    read_json(user, |u| u.body())
}
