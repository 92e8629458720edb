//! The routes as typed functions, users then TOTPs. Each reads its arguments
//! into the request `stytch_call` fills for the same route, so both doors
//! answer the same input alike.

use super::boundary::read_arg;
use super::client::respond;
use super::{
    stytch_client, stytch_error, stytch_totp_authenticate_response, stytch_totp_create_response,
    stytch_totp_recover_response, stytch_totp_recovery_codes_response,
    stytch_users_create_response, stytch_users_delete_response, stytch_users_delete_totp_response,
    stytch_users_get_response,
};
use crate::engine::CreateUserRequest;
use crate::engine::request::{
    AuthenticateRequest, CreateTotpRequest, DeleteTotpRequest, DeleteUserRequest, GetUserRequest,
    RecoverRequest, RecoveryCodesRequest,
};
use std::ffi::c_char;

/// Creates a user. `request_json` is Stytch's `POST /v1/users` body: optional
/// `email`, `phone_number` (E.164), `name` {`first_name`, `middle_name`,
/// `last_name`}, `external_id` (unique), `trusted_metadata`,
/// `untrusted_metadata`; NULL means `{}`. Returns a response handle, or NULL
/// with `*error_out` set (`bad_request`, `invalid_email`,
/// `invalid_phone_number`, `duplicate_external_id`). Thread-safe.
///
/// A NULL `client` is a `bad_request`.
///
/// # Safety
/// `request_json` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_create(
    client: Option<&stytch_client>,
    request_json: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_create_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_users_create_response, || {
            CreateUserRequest::from_json(read_arg(request_json).optional("request_json")?)
        })
    }
}

/// Fetches a user by `user_id` or `external_id`. NULL with `*error_out` set:
/// `bad_request` (NULL `user_id` or `client`), `invalid_user_id` (empty or
/// malformed), `user_not_found`. Thread-safe.
///
/// # Safety
/// `user_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_get(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_get_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_users_get_response, || {
            GetUserRequest::new(read_arg(user_id))
        })
    }
}

/// Deletes a user and its TOTPs. NULL with `*error_out` set: `bad_request`
/// (NULL `user_id` or `client`), `invalid_user_id`, `user_not_found`.
/// Thread-safe.
///
/// # Safety
/// As for `stytch_users_get`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_delete(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_delete_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_users_delete_response, || {
            DeleteUserRequest::new(read_arg(user_id))
        })
    }
}

/// Deletes one TOTP (so that the user can enrol again). NULL with
/// `*error_out` set: `bad_request` (NULL or empty `totp_id`, NULL `client`),
/// `totp_not_found`. Thread-safe.
///
/// # Safety
/// `totp_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_delete_totp(
    client: Option<&stytch_client>,
    totp_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_delete_totp_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_users_delete_totp_response, || {
            DeleteTotpRequest::new(read_arg(totp_id))
        })
    }
}

/// Enrols a TOTP for a user (`user_id` or `external_id`). `expiration_minutes`:
/// 0 for the default (1440), else 5..=1440; an unverified TOTP stops working
/// after that long. A pending (unverified) TOTP of the user is replaced.
/// Returns the secret, QR code and recovery codes, or NULL with `*error_out`
/// set: `bad_request` (NULL `user_id` or `client`), `invalid_user_id`,
/// `user_not_found`, `invalid_expiration`, `active_totp_exists`. Thread-safe.
///
/// # Safety
/// `user_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_create(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    expiration_minutes: i32,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_create_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_totp_create_response, || {
            CreateTotpRequest::new(read_arg(user_id), Some(i64::from(expiration_minutes)))
        })
    }
}

/// Checks a 6-digit code from the user's authenticator app (steps T-1..T+1).
/// Success verifies the TOTP and resets the failure count. NULL with
/// `*error_out` set: `bad_request` (NULL `user_id`, `totp_code` or
/// `client`), `invalid_user_id`, `user_not_found`, `invalid_totp_code` (not 6
/// ASCII digits; not counted), `totp_not_found`, `expired_totp`,
/// `totp_code_already_authenticated` (replay), `unable_to_authenticate_totp`
/// (wrong code; counted), `user_lock_limit_reached` (locked). Thread-safe and
/// atomic: concurrent tries of one code have one winner.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_authenticate(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    totp_code: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_authenticate_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_totp_authenticate_response, || {
            AuthenticateRequest::new(read_arg(user_id), read_arg(totp_code))
        })
    }
}

/// Lists the unused recovery codes of every usable TOTP of the user. NULL
/// with `*error_out` set: `bad_request` (NULL `user_id` or `client`),
/// `invalid_user_id`, `user_not_found`. Thread-safe.
///
/// # Safety
/// As for `stytch_totp_create`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_recovery_codes(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_recovery_codes_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(
            client,
            error_out,
            stytch_totp_recovery_codes_response,
            || RecoveryCodesRequest::new(read_arg(user_id)),
        )
    }
}

/// Signs in with a recovery code instead of a TOTP code, consuming it. Either
/// case, with or without dashes. NULL with `*error_out` set: `bad_request`
/// (NULL `user_id`, `recovery_code` or `client`), `invalid_user_id`,
/// `user_not_found`, `invalid_recovery_code` (malformed; not counted),
/// `totp_code_used_as_recovery_code`, `totp_not_found`, `expired_totp`,
/// `unable_to_authenticate_recovery_code` (wrong or used; counted),
/// `user_lock_limit_reached`. Read the result with the
/// `stytch_totp_authenticate_response_*` functions. Thread-safe and atomic.
///
/// # Safety
/// As for `stytch_totp_authenticate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_recover(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    recovery_code: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_recover_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_totp_authenticate_response, || {
            RecoverRequest::new(read_arg(user_id), read_arg(recovery_code))
        })
    }
}

// The session routes: after the TOTP ones in the header.
mod sessions;
pub use sessions::*;
