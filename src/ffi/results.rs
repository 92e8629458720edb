//! `stytch_error`: the engine's error body as a handle.

use super::boundary::{free, read, read_json};
use super::handle::Handle;
use super::responses::handle_type;
use crate::engine::{ErrorResponse, ErrorType};
use std::ffi::c_char;
use std::ptr::null;

/// An error: Stytch's `status_code`, `error_type`, `error_message`, `error_url`
/// and `request_id`. Immutable: any thread may read it; free it once with
/// `stytch_error_free`.
pub struct stytch_error(Handle<ErrorResponse>);

handle_type!(stytch_error => ErrorResponse);

impl stytch_error {
    pub(crate) fn new(body: ErrorResponse) -> Self {
        Self(Handle::new(body))
    }
}

/// The error type as a `stytch_error_code` (`STYTCH_ERROR_CODE_<TYPE>`), the
/// same as `stytch_error_type` in words; for a NULL error,
/// `STYTCH_ERROR_CODE_INTERNAL_SERVER_ERROR` (a failure without detail).
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_get_code(error: Option<&stytch_error>) -> ErrorType {
    read(error, ErrorType::InternalServerError, |e| e.error_type)
}

/// The HTTP status (400, 401, 404, 429, 500); 0 for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_status_code(error: Option<&stytch_error>) -> i32 {
    read(error, 0, |e| i32::from(e.status_code))
}

/// Stytch's `error_type`, e.g. `"user_not_found"`. Borrowed: valid until the
/// error is freed; NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_type(error: Option<&stytch_error>) -> *const c_char {
    read(error, null(), |e| e.c_str(e.error_type.as_str()))
}

/// A human-readable message with context (which field, which range). Never
/// contains a secret or a code. Borrowed; NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_message(error: Option<&stytch_error>) -> *const c_char {
    read(error, null(), |e| e.c_str(&e.error_message))
}

/// Link to the documentation of this error type: Stytch's for Stytch's
/// types, this project's `docs/ERRORS.md` for its own. Borrowed; NULL for a
/// NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_url(error: Option<&stytch_error>) -> *const c_char {
    read(error, null(), |e| e.c_str(&e.error_url))
}

/// The `request_id` of the failed call. Borrowed; NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_request_id(error: Option<&stytch_error>) -> *const c_char {
    read(error, null(), |e| e.c_str(&e.request_id))
}

/// The error body as JSON, exactly as Stytch sends it. Owned: release with
/// `stytch_string_free`. NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_to_json(error: Option<&stytch_error>) -> *mut c_char {
    read_json(error, |e| e.body())
}

/// Frees an error. NULL is a no-op.
///
/// # Safety
/// `error` is NULL or an error from this library not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_error_free(error: *mut stytch_error) {
    // SAFETY: forwarded from the caller.
    unsafe { free(error) }
}
