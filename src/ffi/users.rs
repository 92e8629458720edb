//! The user routes as typed functions, and their response handles.

use super::boundary::{
    CText, arg, arg_or, ctext, fallible, free, opt_arg, read, read_json, read_str,
};
use super::user::lazy_user;
use super::{stytch_client, stytch_error, stytch_user};
use crate::engine::models::{
    UsersCreateResponse, UsersDeleteResponse, UsersDeleteTotpResponse, UsersGetResponse, to_json,
};
use crate::engine::{ApiError, CreateUserRequest, error_response};
use std::ffi::c_char;
use std::sync::OnceLock;

/// Response of `stytch_users_create` (`api_user_v1_CreateResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_users_create_response {
    body: UsersCreateResponse,
    request_id: CText,
    user_id: CText,
    email_id: CText,
    phone_id: CText,
    status: CText,
    user: OnceLock<stytch_user>,
}

/// Response of `stytch_users_get` (`api_user_v1_GetResponse`, the user's fields
/// at the top level). Immutable: any thread may read it; free it once.
pub struct stytch_users_get_response {
    body: UsersGetResponse,
    request_id: CText,
    user: OnceLock<stytch_user>,
}

/// Response of `stytch_users_delete` (`api_user_v1_DeleteResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_users_delete_response {
    body: UsersDeleteResponse,
    request_id: CText,
    user_id: CText,
}

/// Response of `stytch_users_delete_totp` (`api_user_v1_DeleteTOTPResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_users_delete_totp_response {
    body: UsersDeleteTotpResponse,
    request_id: CText,
    user_id: CText,
    user: OnceLock<stytch_user>,
}

/// Creates a user. `request_json` is Stytch's `POST /v1/users` body: optional
/// `email`, `phone_number` (E.164), `name` {`first_name`, `middle_name`,
/// `last_name`}, `external_id` (unique), `trusted_metadata`,
/// `untrusted_metadata`; NULL means `{}`. Returns a response handle, or NULL
/// with `*error_out` set (`bad_request`, `invalid_email`,
/// `invalid_phone_number`, `duplicate_external_id`). Thread-safe.
///
/// # Safety
/// `client` is NULL or live; `request_json` NULL or NUL-terminated;
/// `error_out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_create(
    client: *const stytch_client,
    request_json: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_create_response {
    let env = stytch_client::env(client);
    let fail = |e| error_response(env, e);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let body = opt_arg(request_json, "request_json").map_err(fail)?;
            let request = CreateUserRequest::from_json(body).map_err(fail)?;
            let body = client.create_user(&request)?;
            Ok(stytch_users_create_response {
                request_id: ctext(&body.request_id),
                user_id: ctext(&body.user_id),
                email_id: ctext(&body.email_id),
                phone_id: ctext(&body.phone_id),
                status: ctext(body.status),
                user: OnceLock::new(),
                body,
            })
        })
    }
}

/// Fetches a user by `user_id` or `external_id`. NULL with `*error_out` set:
/// `invalid_user_id` (empty, NULL, malformed), `user_not_found`. Thread-safe.
///
/// # Safety
/// `client` is NULL or live; `user_id` NULL or NUL-terminated; `error_out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_get(
    client: *const stytch_client,
    user_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_get_response {
    let env = stytch_client::env(client);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let user_id = arg_or(user_id, "user_id", env, ApiError::invalid_user_id)?;
            let body = client.get_user(user_id)?;
            Ok(stytch_users_get_response {
                request_id: ctext(&body.request_id),
                user: OnceLock::new(),
                body,
            })
        })
    }
}

/// Deletes a user and its TOTPs. NULL with `*error_out` set:
/// `invalid_user_id`, `user_not_found`. Thread-safe.
///
/// # Safety
/// As for `stytch_users_get`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_delete(
    client: *const stytch_client,
    user_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_delete_response {
    let env = stytch_client::env(client);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let user_id = arg_or(user_id, "user_id", env, ApiError::invalid_user_id)?;
            let body = client.delete_user(user_id)?;
            Ok(stytch_users_delete_response {
                request_id: ctext(&body.request_id),
                user_id: ctext(&body.user_id),
                body,
            })
        })
    }
}

/// Deletes one TOTP (so that the user can enrol again). NULL with
/// `*error_out` set: `bad_request` (NULL), `totp_not_found`. Thread-safe.
///
/// # Safety
/// `client` is NULL or live; `totp_id` NULL or NUL-terminated; `error_out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_delete_totp(
    client: *const stytch_client,
    totp_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_users_delete_totp_response {
    let env = stytch_client::env(client);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let totp_id = arg(totp_id, "totp_id").map_err(|e| error_response(env, e))?;
            let body = client.delete_totp(totp_id)?;
            Ok(stytch_users_delete_totp_response {
                request_id: ctext(&body.request_id),
                user_id: ctext(&body.user_id),
                user: OnceLock::new(),
                body,
            })
        })
    }
}

/// `request_id`. Borrowed; NULL for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_request_id(
    response: *const stytch_users_create_response,
) -> *const c_char {
    read_str(response, |r| r.request_id.as_ptr())
}

/// `status_code` (200); 0 for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_status_code(
    response: *const stytch_users_create_response,
) -> i32 {
    read(response, 0, |r| i32::from(r.body.status_code))
}

/// `user_id` of the new user. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_user_id(
    response: *const stytch_users_create_response,
) -> *const c_char {
    read_str(response, |r| r.user_id.as_ptr())
}

/// `email_id`; `""` when no email was given. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_email_id(
    response: *const stytch_users_create_response,
) -> *const c_char {
    read_str(response, |r| r.email_id.as_ptr())
}

/// `phone_id`; `""` when no phone number was given. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_phone_id(
    response: *const stytch_users_create_response,
) -> *const c_char {
    read_str(response, |r| r.phone_id.as_ptr())
}

/// `status` of the user (`"active"`). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_status(
    response: *const stytch_users_create_response,
) -> *const c_char {
    read_str(response, |r| r.status.as_ptr())
}

/// `user`. Borrowed: valid until the response is freed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_user(
    response: *const stytch_users_create_response,
) -> *const stytch_user {
    read(response, std::ptr::null(), |r| {
        lazy_user(&r.user, &r.body.user)
    })
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_to_json(
    response: *const stytch_users_create_response,
) -> *mut c_char {
    read_json(response, |r| to_json(&r.body))
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_create_response_free(
    response: *mut stytch_users_create_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_request_id(
    response: *const stytch_users_get_response,
) -> *const c_char {
    read_str(response, |r| r.request_id.as_ptr())
}

/// `status_code` (200); 0 for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_status_code(
    response: *const stytch_users_get_response,
) -> i32 {
    read(response, 0, |r| i32::from(r.body.status_code))
}

/// The user's fields (the response carries them at its top level). Borrowed:
/// valid until the response is freed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_user(
    response: *const stytch_users_get_response,
) -> *const stytch_user {
    read(response, std::ptr::null(), |r| {
        lazy_user(&r.user, &r.body.user)
    })
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_to_json(
    response: *const stytch_users_get_response,
) -> *mut c_char {
    read_json(response, |r| to_json(&r.body))
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_get_response_free(response: *mut stytch_users_get_response) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_request_id(
    response: *const stytch_users_delete_response,
) -> *const c_char {
    read_str(response, |r| r.request_id.as_ptr())
}

/// `status_code` (200); 0 for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_status_code(
    response: *const stytch_users_delete_response,
) -> i32 {
    read(response, 0, |r| i32::from(r.body.status_code))
}

/// `user_id` of the deleted user. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_user_id(
    response: *const stytch_users_delete_response,
) -> *const c_char {
    read_str(response, |r| r.user_id.as_ptr())
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_to_json(
    response: *const stytch_users_delete_response,
) -> *mut c_char {
    read_json(response, |r| to_json(&r.body))
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_delete_response_free(
    response: *mut stytch_users_delete_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_request_id(
    response: *const stytch_users_delete_totp_response,
) -> *const c_char {
    read_str(response, |r| r.request_id.as_ptr())
}

/// `status_code` (200); 0 for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_status_code(
    response: *const stytch_users_delete_totp_response,
) -> i32 {
    read(response, 0, |r| i32::from(r.body.status_code))
}

/// `user_id` of the TOTP's user. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_user_id(
    response: *const stytch_users_delete_totp_response,
) -> *const c_char {
    read_str(response, |r| r.user_id.as_ptr())
}

/// `user`, without the deleted TOTP. Borrowed: valid until the response is freed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_user(
    response: *const stytch_users_delete_totp_response,
) -> *const stytch_user {
    read(response, std::ptr::null(), |r| {
        lazy_user(&r.user, &r.body.user)
    })
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_to_json(
    response: *const stytch_users_delete_totp_response,
) -> *mut c_char {
    read_json(response, |r| to_json(&r.body))
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_users_delete_totp_response_free(
    response: *mut stytch_users_delete_totp_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}
