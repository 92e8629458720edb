//! The response handles of the typed calls and their accessors: one per
//! field of Stytch's schema, reading the engine's body as it is.

use super::boundary::{free, read, read_json};
use super::handle::Handle;
use crate::engine::models::{
    TotpAuthenticateResponse, TotpCreateResponse, TotpRecoveryCodesResponse, UsersCreateResponse,
    UsersDeleteResponse, UsersDeleteTotpResponse, UsersGetResponse,
};
use std::ffi::c_char;
use std::ptr::null;

mod user;
pub use user::*;

/// Derefs a handle type to its `Handle`, and so to the engine's body.
macro_rules! handle_type {
    ($($name:ident => $body:ty),* $(,)?) => {$(
        impl std::ops::Deref for $name {
            type Target = Handle<$body>;
            fn deref(&self) -> &Handle<$body> {
                &self.0
            }
        }
    )*};
}
pub(crate) use handle_type;

handle_type!(
    stytch_users_create_response => UsersCreateResponse,
    stytch_users_get_response => UsersGetResponse,
    stytch_users_delete_response => UsersDeleteResponse,
    stytch_users_delete_totp_response => UsersDeleteTotpResponse,
    stytch_totp_create_response => TotpCreateResponse,
    stytch_totp_authenticate_response => TotpAuthenticateResponse,
    stytch_totp_recovery_codes_response => TotpRecoveryCodesResponse,
);

/// Response of `stytch_users_create` (`api_user_v1_CreateResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_users_create_response(pub(crate) Handle<UsersCreateResponse>);

/// Response of `stytch_users_get` (`api_user_v1_GetResponse`, the user's fields
/// at the top level). Immutable: any thread may read it; free it once.
pub struct stytch_users_get_response(pub(crate) Handle<UsersGetResponse>);

/// Response of `stytch_users_delete` (`api_user_v1_DeleteResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_users_delete_response(pub(crate) Handle<UsersDeleteResponse>);

/// Response of `stytch_users_delete_totp` (`api_user_v1_DeleteTOTPResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_users_delete_totp_response(pub(crate) Handle<UsersDeleteTotpResponse>);

/// Response of `stytch_totp_create` (`api_totp_v1_CreateResponse`). Holds the
/// secret and recovery codes: they are wiped from memory when it is freed.
/// Immutable: any thread may read it; free it once.
pub struct stytch_totp_create_response(pub(crate) Handle<TotpCreateResponse>);

/// Response of `stytch_totp_authenticate` and `stytch_totp_recover`
/// (`api_totp_v1_AuthenticateResponse` / `api_totp_v1_RecoverResponse`, which
/// have the same fields). Without session arguments no session is created:
/// `session` is null and the tokens are `""`. Immutable: any thread may read it; free it once.
pub struct stytch_totp_authenticate_response(pub(crate) Handle<TotpAuthenticateResponse>);

/// Response of `stytch_totp_recover`: the same type as the authenticate
/// response; read it with the `stytch_totp_authenticate_response_*` functions.
pub type stytch_totp_recover_response = stytch_totp_authenticate_response;

/// Response of `stytch_totp_recovery_codes` (`api_totp_v1_RecoveryCodesResponse`).
/// Holds recovery codes: they are wiped from memory when it is freed.
/// Immutable: any thread may read it; free it once.
pub struct stytch_totp_recovery_codes_response(pub(crate) Handle<TotpRecoveryCodesResponse>);

/// `request_id`. Borrowed: valid until the response is freed; NULL for a
/// NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_request_id(
    response: Option<&stytch_users_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_status_code(
    response: Option<&stytch_users_create_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `user_id` of the new user. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_user_id(
    response: Option<&stytch_users_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.user_id))
}

/// `email_id`; `""` when no email was given. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_email_id(
    response: Option<&stytch_users_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.email_id))
}

/// `phone_id`; `""` when no phone number was given. Borrowed; NULL for a NULL
/// response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_phone_id(
    response: Option<&stytch_users_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.phone_id))
}

/// `status` of the user (`"active"`). Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_status(
    response: Option<&stytch_users_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(r.status))
}

/// `user`. Borrowed: valid until the response is freed; NULL for a NULL
/// response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_user(
    response: Option<&stytch_users_create_response>,
) -> *const stytch_user {
    read(response, null(), |r| r.user_view())
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_create_response_to_json(
    response: Option<&stytch_users_create_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
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

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_request_id(
    response: Option<&stytch_users_get_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_status_code(
    response: Option<&stytch_users_get_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// The user's fields (the response carries them at its top level). Borrowed:
/// valid until the response is freed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_user(
    response: Option<&stytch_users_get_response>,
) -> *const stytch_user {
    read(response, null(), |r| r.user_view())
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_get_response_to_json(
    response: Option<&stytch_users_get_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
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

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_request_id(
    response: Option<&stytch_users_delete_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_status_code(
    response: Option<&stytch_users_delete_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `user_id` of the deleted user. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_user_id(
    response: Option<&stytch_users_delete_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.user_id))
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_response_to_json(
    response: Option<&stytch_users_delete_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
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

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_request_id(
    response: Option<&stytch_users_delete_totp_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_status_code(
    response: Option<&stytch_users_delete_totp_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `user_id` of the TOTP's user. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_user_id(
    response: Option<&stytch_users_delete_totp_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.user_id))
}

/// `user`, without the deleted TOTP. Borrowed: valid until the response is
/// freed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_user(
    response: Option<&stytch_users_delete_totp_response>,
) -> *const stytch_user {
    read(response, null(), |r| r.user_view())
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_users_delete_totp_response_to_json(
    response: Option<&stytch_users_delete_totp_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
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

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_request_id(
    response: Option<&stytch_totp_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_status_code(
    response: Option<&stytch_totp_create_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `totp_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_totp_id(
    response: Option<&stytch_totp_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.totp_id))
}

/// `secret`: base32, 32 characters (160 bits). Borrowed; secret: do not log
/// it. NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_secret(
    response: Option<&stytch_totp_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(r.secret.expose()))
}

/// `qr_code`: `data:image/png;base64, ...`, the otpauth URI as a scannable
/// PNG. Borrowed; a secret too (it encodes the key). NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_qr_code(
    response: Option<&stytch_totp_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(r.qr_code.expose()))
}

/// Number of `recovery_codes` (10); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_recovery_codes_len(
    response: Option<&stytch_totp_create_response>,
) -> usize {
    read(response, 0, |r| r.recovery_codes.len())
}

/// `recovery_codes[i]`, `xxxx-xxxx-xxxx`. Borrowed; secret. NULL out of range
/// or for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_recovery_code(
    response: Option<&stytch_totp_create_response>,
    i: usize,
) -> *const c_char {
    read(response, null(), |r| {
        r.c_opt(r.recovery_codes.get(i).map(|c| c.expose()))
    })
}

/// `user_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_user_id(
    response: Option<&stytch_totp_create_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.user_id))
}

/// `user`, with the new TOTP unverified. Borrowed: valid until the response
/// is freed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_user(
    response: Option<&stytch_totp_create_response>,
) -> *const stytch_user {
    read(response, null(), |r| r.user_view())
}

/// The response as Stytch's JSON (with the secret). Owned: release with
/// `stytch_string_free`, which wipes it. NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_create_response_to_json(
    response: Option<&stytch_totp_create_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
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

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_request_id(
    response: Option<&stytch_totp_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_status_code(
    response: Option<&stytch_totp_authenticate_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `totp_id` of the TOTP that matched (or whose recovery code was used).
/// Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_totp_id(
    response: Option<&stytch_totp_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.totp_id))
}

/// `user_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_user_id(
    response: Option<&stytch_totp_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.user_id))
}

/// `session_token`: `""` when no session was asked for. Borrowed; secret.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_session_token(
    response: Option<&stytch_totp_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.session_token))
}

/// `session_jwt`: `""` when no session was asked for. Borrowed; secret. NULL
/// for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_session_jwt(
    response: Option<&stytch_totp_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.session_jwt))
}

/// `session`, started or extended by `stytch_totp_authenticate_with_session`
/// or `stytch_totp_recover_with_session`; NULL when no session was asked for
/// (JSON null), or for a NULL response. Borrowed: valid until the response is
/// freed.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_session(
    response: Option<&stytch_totp_authenticate_response>,
) -> *const stytch_session {
    read(response, null(), |r| r.session_view())
}

/// `user`, after the attempt. Borrowed: valid until the response is freed;
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_user(
    response: Option<&stytch_totp_authenticate_response>,
) -> *const stytch_user {
    read(response, null(), |r| r.user_view())
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_authenticate_response_to_json(
    response: Option<&stytch_totp_authenticate_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
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

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_request_id(
    response: Option<&stytch_totp_recovery_codes_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_status_code(
    response: Option<&stytch_totp_recovery_codes_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `user_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_user_id(
    response: Option<&stytch_totp_recovery_codes_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.user_id))
}

/// Number of `totps`; 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totps_len(
    response: Option<&stytch_totp_recovery_codes_response>,
) -> usize {
    read(response, 0, |r| r.totps.len())
}

/// `totps[i].totp_id`. Borrowed; NULL out of range or for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_id(
    response: Option<&stytch_totp_recovery_codes_response>,
    i: usize,
) -> *const c_char {
    read(response, null(), |r| {
        r.c_opt(r.totps.get(i).map(|t| t.totp_id.as_str()))
    })
}

/// `totps[i].verified`; false out of range or for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_verified(
    response: Option<&stytch_totp_recovery_codes_response>,
    i: usize,
) -> bool {
    read(response, false, |r| {
        r.totps.get(i).is_some_and(|t| t.verified)
    })
}

/// Number of unused `totps[i].recovery_codes`; 0 out of range or for a NULL
/// response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_recovery_codes_len(
    response: Option<&stytch_totp_recovery_codes_response>,
    i: usize,
) -> usize {
    read(response, 0, |r| {
        r.totps.get(i).map_or(0, |t| t.recovery_codes.len())
    })
}

/// `totps[i].recovery_codes[j]`. Borrowed; secret. NULL out of range or for a
/// NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_totp_recovery_code(
    response: Option<&stytch_totp_recovery_codes_response>,
    i: usize,
    j: usize,
) -> *const c_char {
    read(response, null(), |r| {
        let code = r.totps.get(i).and_then(|t| t.recovery_codes.get(j));
        r.c_opt(code.map(|c| c.expose()))
    })
}

/// The response as Stytch's JSON (with the codes). Owned: release with
/// `stytch_string_free`, which wipes it. NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_totp_recovery_codes_response_to_json(
    response: Option<&stytch_totp_recovery_codes_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
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

// The session responses: after the TOTP ones in the header.
mod session;
pub use session::*;
