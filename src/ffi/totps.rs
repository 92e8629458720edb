//! The TOTP routes as typed functions, and their response handles.

use super::boundary::{
    CText, SecretCText, arg_or, code_arg, ctext, fallible, free, read, read_item, read_json,
    read_str, secret_ctext,
};
use super::user::lazy_user;
use super::{stytch_client, stytch_error, stytch_user};
use crate::engine::ApiError;
use crate::engine::models::{
    TotpAuthenticateResponse, TotpCreateResponse, TotpRecoveryCodesResponse, to_json,
};
use std::ffi::c_char;
use std::ptr;
use std::sync::OnceLock;

/// Response of `stytch_totp_create` (`api_totp_v1_CreateResponse`). Holds the
/// secret and recovery codes: they are wiped from memory when it is freed.
/// Immutable: any thread may read it; free it once.
pub struct stytch_totp_create_response {
    body: TotpCreateResponse,
    request_id: CText,
    totp_id: CText,
    secret: SecretCText,
    qr_code: SecretCText,
    recovery_codes: Vec<SecretCText>,
    user_id: CText,
    user: OnceLock<stytch_user>,
}

/// Response of `stytch_totp_authenticate` and `stytch_totp_recover`
/// (`api_totp_v1_AuthenticateResponse` / `api_totp_v1_RecoverResponse`, which
/// have the same fields). No session is created: `session` is null and the
/// tokens are `""`. Immutable: any thread may read it; free it once.
pub struct stytch_totp_authenticate_response {
    body: TotpAuthenticateResponse,
    request_id: CText,
    totp_id: CText,
    user_id: CText,
    session_token: CText,
    session_jwt: CText,
    user: OnceLock<stytch_user>,
}

/// Response of `stytch_totp_recover`: the same type as the authenticate
/// response; read it with the `stytch_totp_authenticate_response_*` functions.
pub type stytch_totp_recover_response = stytch_totp_authenticate_response;

/// One TOTP of a recovery-codes listing.
struct TotpCodes {
    totp_id: CText,
    verified: bool,
    recovery_codes: Vec<SecretCText>,
}

/// Response of `stytch_totp_recovery_codes` (`api_totp_v1_RecoveryCodesResponse`).
/// Holds recovery codes: they are wiped from memory when it is freed.
/// Immutable: any thread may read it; free it once.
pub struct stytch_totp_recovery_codes_response {
    body: TotpRecoveryCodesResponse,
    request_id: CText,
    user_id: CText,
    totps: Vec<TotpCodes>,
}

impl stytch_totp_authenticate_response {
    fn new(body: TotpAuthenticateResponse) -> Self {
        Self {
            request_id: ctext(&body.request_id),
            totp_id: ctext(&body.totp_id),
            user_id: ctext(&body.user_id),
            session_token: ctext(&body.session_token),
            session_jwt: ctext(&body.session_jwt),
            user: OnceLock::new(),
            body,
        }
    }
}

/// Enrols a TOTP for a user (`user_id` or `external_id`). `expiration_minutes`:
/// 0 for the default (1440), else 5..=1440; an unverified TOTP stops working
/// after that long. A pending (unverified) TOTP of the user is replaced.
/// Returns the secret, QR code and recovery codes, or NULL with `*error_out`
/// set: `invalid_user_id`, `user_not_found`, `invalid_expiration`,
/// `active_totp_exists`. Thread-safe.
///
/// # Safety
/// `client` is NULL or live; `user_id` NULL or NUL-terminated; `error_out`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_create(
    client: *const stytch_client,
    user_id: *const c_char,
    expiration_minutes: i32,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_create_response {
    let env = stytch_client::env(client);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let user_id = arg_or(user_id, "user_id", env, ApiError::invalid_user_id)?;
            let body = client.create_totp(user_id, Some(i64::from(expiration_minutes)))?;
            Ok(stytch_totp_create_response {
                request_id: ctext(&body.request_id),
                totp_id: ctext(&body.totp_id),
                secret: secret_ctext(body.secret.expose()),
                qr_code: secret_ctext(body.qr_code.expose()),
                recovery_codes: body
                    .recovery_codes
                    .iter()
                    .map(|c| secret_ctext(c.expose()))
                    .collect(),
                user_id: ctext(&body.user_id),
                user: OnceLock::new(),
                body,
            })
        })
    }
}

/// Checks a 6-digit code from the user's authenticator app (steps T-1..T+1).
/// Success verifies the TOTP and resets the failure count. NULL with
/// `*error_out` set: `invalid_user_id`, `user_not_found`, `invalid_totp_code`
/// (not 6 ASCII digits; not counted), `totp_not_found`, `expired_totp`,
/// `totp_code_already_authenticated` (replay), `unable_to_authenticate_totp`
/// (wrong code; counted), `user_lock_limit_reached` (locked). Thread-safe and
/// atomic: concurrent tries of one code have one winner.
///
/// # Safety
/// `client` is NULL or live; strings NULL or NUL-terminated; `error_out` NULL
/// or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_authenticate(
    client: *const stytch_client,
    user_id: *const c_char,
    totp_code: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_authenticate_response {
    let env = stytch_client::env(client);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let user_id = arg_or(user_id, "user_id", env, ApiError::invalid_user_id)?;
            let code = code_arg(totp_code);
            let body = client.authenticate_totp(user_id, &code)?;
            Ok(stytch_totp_authenticate_response::new(body))
        })
    }
}

/// Lists the unused recovery codes of every usable TOTP of the user. NULL
/// with `*error_out` set: `invalid_user_id`, `user_not_found`. Thread-safe.
///
/// # Safety
/// As for `stytch_totp_create`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_recovery_codes(
    client: *const stytch_client,
    user_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_recovery_codes_response {
    let env = stytch_client::env(client);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let user_id = arg_or(user_id, "user_id", env, ApiError::invalid_user_id)?;
            let body = client.recovery_codes(user_id)?;
            Ok(stytch_totp_recovery_codes_response {
                request_id: ctext(&body.request_id),
                user_id: ctext(&body.user_id),
                totps: body
                    .totps
                    .iter()
                    .map(|t| TotpCodes {
                        totp_id: ctext(&t.totp_id),
                        verified: t.verified,
                        recovery_codes: t
                            .recovery_codes
                            .iter()
                            .map(|c| secret_ctext(c.expose()))
                            .collect(),
                    })
                    .collect(),
                body,
            })
        })
    }
}

/// Signs in with a recovery code instead of a TOTP code, consuming it. Either
/// case, with or without dashes. NULL with `*error_out` set:
/// `invalid_user_id`, `user_not_found`, `invalid_recovery_code` (malformed; not
/// counted), `totp_code_used_as_recovery_code`, `totp_not_found`, `expired_totp`,
/// `unable_to_authenticate_recovery_code` (wrong or used; counted),
/// `user_lock_limit_reached`. Read the result with the
/// `stytch_totp_authenticate_response_*` functions. Thread-safe and atomic.
///
/// # Safety
/// As for `stytch_totp_authenticate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_recover(
    client: *const stytch_client,
    user_id: *const c_char,
    recovery_code: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_recover_response {
    let env = stytch_client::env(client);
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let user_id = arg_or(user_id, "user_id", env, ApiError::invalid_user_id)?;
            let code = code_arg(recovery_code);
            let body = client.recover(user_id, &code)?;
            Ok(stytch_totp_authenticate_response::new(body))
        })
    }
}

/// `request_id`. Borrowed; NULL for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_request_id(
    response: *const stytch_totp_create_response,
) -> *const c_char {
    read_str(response, |r| r.request_id.as_ptr())
}

/// `status_code` (200); 0 for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_status_code(
    response: *const stytch_totp_create_response,
) -> i32 {
    read(response, 0, |r| i32::from(r.body.status_code))
}

/// `totp_id`. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_totp_id(
    response: *const stytch_totp_create_response,
) -> *const c_char {
    read_str(response, |r| r.totp_id.as_ptr())
}

/// `secret`: base32, 32 characters (160 bits). Borrowed; secret: do not log it.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_secret(
    response: *const stytch_totp_create_response,
) -> *const c_char {
    read_str(response, |r| r.secret.as_ptr())
}

/// `qr_code`: `data:image/png;base64, ...`, the otpauth URI as a scannable PNG. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_qr_code(
    response: *const stytch_totp_create_response,
) -> *const c_char {
    read_str(response, |r| r.qr_code.as_ptr())
}

/// Number of `recovery_codes` (10).
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_recovery_codes_len(
    response: *const stytch_totp_create_response,
) -> usize {
    read(response, 0, |r| r.recovery_codes.len())
}

/// `recovery_codes[i]`, `xxxx-xxxx-xxxx`; NULL out of range. Borrowed; secret.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_recovery_code(
    response: *const stytch_totp_create_response,
    i: usize,
) -> *const c_char {
    read_item(response, |r| r.recovery_codes.get(i).map(|s| s.as_c_str()))
}

/// `user_id`. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_user_id(
    response: *const stytch_totp_create_response,
) -> *const c_char {
    read_str(response, |r| r.user_id.as_ptr())
}

/// `user`, with the new TOTP unverified. Borrowed: valid until the response is freed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_user(
    response: *const stytch_totp_create_response,
) -> *const stytch_user {
    read(response, ptr::null(), |r| lazy_user(&r.user, &r.body.user))
}

/// The response as Stytch's JSON (with the secret). Owned: release with
/// `stytch_string_free`, which wipes it.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_to_json(
    response: *const stytch_totp_create_response,
) -> *mut c_char {
    read_json(response, |r| to_json(&r.body))
}

/// Frees the response, wiping its secret and codes. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_create_response_free(
    response: *mut stytch_totp_create_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_request_id(
    response: *const stytch_totp_authenticate_response,
) -> *const c_char {
    read_str(response, |r| r.request_id.as_ptr())
}

/// `status_code` (200); 0 for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_status_code(
    response: *const stytch_totp_authenticate_response,
) -> i32 {
    read(response, 0, |r| i32::from(r.body.status_code))
}

/// `totp_id` of the TOTP that matched (or whose recovery code was used). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_totp_id(
    response: *const stytch_totp_authenticate_response,
) -> *const c_char {
    read_str(response, |r| r.totp_id.as_ptr())
}

/// `user_id`. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_user_id(
    response: *const stytch_totp_authenticate_response,
) -> *const c_char {
    read_str(response, |r| r.user_id.as_ptr())
}

/// `session_token`: `""` (no session is created). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_session_token(
    response: *const stytch_totp_authenticate_response,
) -> *const c_char {
    read_str(response, |r| r.session_token.as_ptr())
}

/// `session_jwt`: `""` (no session is created). Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_session_jwt(
    response: *const stytch_totp_authenticate_response,
) -> *const c_char {
    read_str(response, |r| r.session_jwt.as_ptr())
}

/// `user`, after the attempt. Borrowed: valid until the response is freed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_user(
    response: *const stytch_totp_authenticate_response,
) -> *const stytch_user {
    read(response, ptr::null(), |r| lazy_user(&r.user, &r.body.user))
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_to_json(
    response: *const stytch_totp_authenticate_response,
) -> *mut c_char {
    read_json(response, |r| to_json(&r.body))
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_authenticate_response_free(
    response: *mut stytch_totp_authenticate_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_request_id(
    response: *const stytch_totp_recovery_codes_response,
) -> *const c_char {
    read_str(response, |r| r.request_id.as_ptr())
}

/// `status_code` (200); 0 for a NULL handle.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_status_code(
    response: *const stytch_totp_recovery_codes_response,
) -> i32 {
    read(response, 0, |r| i32::from(r.body.status_code))
}

/// `user_id`. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_user_id(
    response: *const stytch_totp_recovery_codes_response,
) -> *const c_char {
    read_str(response, |r| r.user_id.as_ptr())
}

/// Number of `totps`.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totps_len(
    response: *const stytch_totp_recovery_codes_response,
) -> usize {
    read(response, 0, |r| r.totps.len())
}

/// `totps[i].totp_id`; NULL out of range. Borrowed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_id(
    response: *const stytch_totp_recovery_codes_response,
    i: usize,
) -> *const c_char {
    read(response, ptr::null(), |r| {
        r.totps.get(i).map_or(ptr::null(), |t| t.totp_id.as_ptr())
    })
}

/// `totps[i].verified`; false out of range.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_verified(
    response: *const stytch_totp_recovery_codes_response,
    i: usize,
) -> bool {
    read(response, false, |r| {
        r.totps.get(i).is_some_and(|t| t.verified)
    })
}

/// Number of unused `totps[i].recovery_codes`; 0 out of range.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_recovery_codes_len(
    response: *const stytch_totp_recovery_codes_response,
    i: usize,
) -> usize {
    read(response, 0, |r| {
        r.totps.get(i).map_or(0, |t| t.recovery_codes.len())
    })
}

/// `totps[i].recovery_codes[j]`; NULL out of range. Borrowed; secret.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_recovery_code(
    response: *const stytch_totp_recovery_codes_response,
    i: usize,
    j: usize,
) -> *const c_char {
    read(response, ptr::null(), |r| {
        let code = r.totps.get(i).and_then(|t| t.recovery_codes.get(j));
        code.map_or(ptr::null(), |c| c.as_ptr())
    })
}

/// The response as Stytch's JSON (with the codes). Owned: release with
/// `stytch_string_free`, which wipes it.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_to_json(
    response: *const stytch_totp_recovery_codes_response,
) -> *mut c_char {
    read_json(response, |r| to_json(&r.body))
}

/// Frees the response, wiping its codes. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_recovery_codes_response_free(
    response: *mut stytch_totp_recovery_codes_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}
