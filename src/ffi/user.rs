//! `stytch_user`: the `user` object, borrowed from a response handle.

use super::boundary::{CText, ctext, opt_ctext, opt_ptr, read, read_item, read_json, read_str};
use crate::engine::models::{User, to_json};
use std::ffi::c_char;
use std::sync::OnceLock;

/// A user (`api_user_v1_User`). Always borrowed from the response that returned
/// it and valid until that response is freed; never freed on its own.
/// Immutable: any thread may read it.
pub struct stytch_user {
    body: User,
    user_id: CText,
    status: CText,
    first_name: CText,
    middle_name: CText,
    last_name: CText,
    created_at: Option<CText>,
    external_id: Option<CText>,
    lock_created_at: Option<CText>,
    lock_expires_at: Option<CText>,
    trusted_metadata: CText,
    untrusted_metadata: CText,
    email_ids: Vec<CText>,
    emails: Vec<CText>,
    phone_ids: Vec<CText>,
    phone_numbers: Vec<CText>,
    totp_ids: Vec<CText>,
    roles: Vec<CText>,
}

impl stytch_user {
    pub(crate) fn new(body: User) -> Self {
        let json = |m| ctext(&serde_json::Value::Object(m).to_string());
        Self {
            user_id: ctext(&body.user_id),
            status: ctext(body.status),
            first_name: ctext(&body.name.first_name),
            middle_name: ctext(&body.name.middle_name),
            last_name: ctext(&body.name.last_name),
            created_at: opt_ctext(&body.created_at),
            external_id: opt_ctext(&body.external_id),
            lock_created_at: opt_ctext(&body.lock_created_at),
            lock_expires_at: opt_ctext(&body.lock_expires_at),
            trusted_metadata: json(body.trusted_metadata.clone()),
            untrusted_metadata: json(body.untrusted_metadata.clone()),
            email_ids: body.emails.iter().map(|e| ctext(&e.email_id)).collect(),
            emails: body.emails.iter().map(|e| ctext(&e.email)).collect(),
            phone_ids: body
                .phone_numbers
                .iter()
                .map(|p| ctext(&p.phone_id))
                .collect(),
            phone_numbers: body
                .phone_numbers
                .iter()
                .map(|p| ctext(&p.phone_number))
                .collect(),
            totp_ids: body.totps.iter().map(|t| ctext(&t.totp_id)).collect(),
            roles: body.roles.iter().map(|r| ctext(r)).collect(),
            body,
        }
    }
}

/// The user view of a response, made on first use (most callers never ask).
pub(crate) fn lazy_user(cell: &OnceLock<stytch_user>, user: &User) -> *const stytch_user {
    cell.get_or_init(|| stytch_user::new(user.clone()))
}

/// `user_id`. Borrowed; NULL for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_user_id(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| u.user_id.as_ptr())
}

/// `status`: `"active"` (users are created active). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_status(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| u.status.as_ptr())
}

/// `name.first_name` (`""` when not given). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_first_name(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| u.first_name.as_ptr())
}

/// `name.middle_name` (`""` when not given). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_middle_name(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| u.middle_name.as_ptr())
}

/// `name.last_name` (`""` when not given). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_last_name(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| u.last_name.as_ptr())
}

/// `created_at`, RFC 3339 UTC. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_created_at(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| opt_ptr(&u.created_at))
}

/// `external_id`; NULL when the user has none. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_external_id(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| opt_ptr(&u.external_id))
}

/// `is_locked`: a lockout is in force. False for a NULL user.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_is_locked(user: *const stytch_user) -> bool {
    read(user, false, |u| u.body.is_locked)
}

/// `lock_created_at`; NULL when not locked. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_lock_created_at(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| opt_ptr(&u.lock_created_at))
}

/// `lock_expires_at`; NULL when not locked. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_lock_expires_at(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| opt_ptr(&u.lock_expires_at))
}

/// `trusted_metadata` as JSON object text (`"{}"` when empty). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_trusted_metadata(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| u.trusted_metadata.as_ptr())
}

/// `untrusted_metadata` as JSON object text (`"{}"` when empty). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_untrusted_metadata(user: *const stytch_user) -> *const c_char {
    read_str(user, |u| u.untrusted_metadata.as_ptr())
}

/// Number of `emails`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_emails_len(user: *const stytch_user) -> usize {
    read(user, 0, |u| u.emails.len())
}

/// `emails[i].email_id`; NULL out of range. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_email_id(user: *const stytch_user, i: usize) -> *const c_char {
    read_item(user, |u| u.email_ids.get(i).map(|s| s.as_c_str()))
}

/// `emails[i].email`; NULL out of range. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_email_address(user: *const stytch_user, i: usize) -> *const c_char {
    read_item(user, |u| u.emails.get(i).map(|s| s.as_c_str()))
}

/// `emails[i].verified`; false out of range.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_email_verified(user: *const stytch_user, i: usize) -> bool {
    read(user, false, |u| {
        u.body.emails.get(i).is_some_and(|e| e.verified)
    })
}

/// Number of `phone_numbers`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_numbers_len(user: *const stytch_user) -> usize {
    read(user, 0, |u| u.phone_numbers.len())
}

/// `phone_numbers[i].phone_id`; NULL out of range. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_id(user: *const stytch_user, i: usize) -> *const c_char {
    read_item(user, |u| u.phone_ids.get(i).map(|s| s.as_c_str()))
}

/// `phone_numbers[i].phone_number` (E.164); NULL out of range. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_number(user: *const stytch_user, i: usize) -> *const c_char {
    read_item(user, |u| u.phone_numbers.get(i).map(|s| s.as_c_str()))
}

/// `phone_numbers[i].verified`; false out of range.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_phone_verified(user: *const stytch_user, i: usize) -> bool {
    read(user, false, |u| {
        u.body.phone_numbers.get(i).is_some_and(|p| p.verified)
    })
}

/// Number of `totps` (usable TOTPs: verified, or pending and not expired).
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_totps_len(user: *const stytch_user) -> usize {
    read(user, 0, |u| u.totp_ids.len())
}

/// `totps[i].totp_id`; NULL out of range. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_totp_id(user: *const stytch_user, i: usize) -> *const c_char {
    read_item(user, |u| u.totp_ids.get(i).map(|s| s.as_c_str()))
}

/// `totps[i].verified`; false out of range.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_totp_verified(user: *const stytch_user, i: usize) -> bool {
    read(user, false, |u| {
        u.body.totps.get(i).is_some_and(|t| t.verified)
    })
}

/// Number of `roles`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_roles_len(user: *const stytch_user) -> usize {
    read(user, 0, |u| u.roles.len())
}

/// `roles[i]`; NULL out of range. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_role(user: *const stytch_user, i: usize) -> *const c_char {
    read_item(user, |u| u.roles.get(i).map(|s| s.as_c_str()))
}

/// The user object as JSON. Owned: release with `stytch_string_free`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_user_to_json(user: *const stytch_user) -> *mut c_char {
    read_json(user, |u| to_json(&u.body))
}
