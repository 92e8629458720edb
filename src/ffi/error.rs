//! `stytch_error`: Stytch's error body as a handle.

use super::boundary::{CText, ctext, free, read, read_json, read_str};
use crate::engine::ErrorResponse;
use crate::engine::models::to_json;
use std::ffi::c_char;

/// An error: Stytch's `status_code`, `error_type`, `error_message`, `error_url`
/// and `request_id`. Immutable: any thread may read it; free it once with
/// `stytch_error_free`.
pub struct stytch_error {
    body: ErrorResponse,
    error_type: CText,
    error_message: CText,
    error_url: CText,
    request_id: CText,
}

impl stytch_error {
    pub(crate) fn new(body: ErrorResponse) -> Self {
        Self {
            error_type: ctext(&body.error_type),
            error_message: ctext(&body.error_message),
            error_url: ctext(&body.error_url),
            request_id: ctext(&body.request_id),
            body,
        }
    }
}

/// The HTTP status (400, 401, 404, 429, 500); 0 for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_status_code(error: *const stytch_error) -> i32 {
    read(error, 0, |e| i32::from(e.body.status_code))
}

/// Stytch's `error_type`, e.g. `"user_not_found"`. Borrowed; NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_type(error: *const stytch_error) -> *const c_char {
    read_str(error, |e| e.error_type.as_ptr())
}

/// A human-readable message with context (which field, which range). Never
/// contains a secret or a code. Borrowed; NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_message(error: *const stytch_error) -> *const c_char {
    read_str(error, |e| e.error_message.as_ptr())
}

/// Link to Stytch's documentation of this error. Borrowed; NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_url(error: *const stytch_error) -> *const c_char {
    read_str(error, |e| e.error_url.as_ptr())
}

/// The `request_id` of the failed call. Borrowed; NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_request_id(error: *const stytch_error) -> *const c_char {
    read_str(error, |e| e.request_id.as_ptr())
}

/// The error body as JSON, exactly as Stytch sends it. Owned: release with
/// `stytch_string_free`. NULL for a NULL error.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_error_to_json(error: *const stytch_error) -> *mut c_char {
    read_json(error, |e| to_json(&e.body))
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
