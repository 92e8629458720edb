//! The C boundary's plumbing: panic catching, pointer and string checks,
//! handles and owned strings. No business logic.

use crate::engine::{ApiError, Environment, ErrorResponse, error_response};
use std::borrow::Cow;
use std::ffi::{CStr, CString, c_char};
use std::ptr;
use zeroize::Zeroizing;

/// Longest string any function takes, in bytes (request bodies are capped lower,
/// by the engine). A longer one is an error, found without reading past the cap.
pub const MAX_INPUT_LEN: usize = 1 << 20;

/// Runs an `extern "C"` body, turning a panic into `$on_panic` so that it never
/// unwinds into C.
macro_rules! ffi_boundary {
    ($on_panic:expr, $body:block) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(value) => value,
            Err(_) => $on_panic,
        }
    };
}
pub(crate) use ffi_boundary;

/// A NUL-terminated copy of a string, owned by a handle.
pub type CText = CString;

/// A copy of a secret (TOTP secret, recovery code): wiped when the handle is freed.
pub type SecretCText = Zeroizing<CString>;

/// Converts for a handle. Engine strings never hold NUL (inputs with control
/// characters are refused); were one there, the text would end at it.
pub fn ctext(s: &str) -> CText {
    let bytes = s.split('\0').next().unwrap_or_default();
    CString::new(bytes).unwrap_or_default()
}

pub fn secret_ctext(s: &str) -> SecretCText {
    Zeroizing::new(ctext(s))
}

pub fn opt_ctext(s: &Option<String>) -> Option<CText> {
    s.as_deref().map(ctext)
}

/// The borrowed pointer of an optional string: NULL when absent.
pub fn opt_ptr(s: &Option<CText>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// Reads a caller's string. Errors name `name`: NULL, longer than
/// `MAX_INPUT_LEN`, or not UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string (read up to the cap).
pub unsafe fn arg<'a>(p: *const c_char, name: &str) -> Result<&'a str, ApiError> {
    if p.is_null() {
        return Err(ApiError::bad_request(format!("{name} is NULL")));
    }
    // SAFETY: the caller passes a readable C string; strnlen stops at the cap.
    let len = unsafe { libc::strnlen(p, MAX_INPUT_LEN + 1) };
    if len > MAX_INPUT_LEN {
        return Err(ApiError::bad_request(format!(
            "{name} is longer than {MAX_INPUT_LEN} bytes"
        )));
    }
    // SAFETY: `len` bytes are readable.
    let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
    std::str::from_utf8(bytes)
        .map_err(|_| ApiError::bad_request(format!("{name} is not valid UTF-8")))
}

/// `arg` for a string that may be NULL (meaning absent).
///
/// # Safety
/// As for `arg`.
pub unsafe fn opt_arg<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, ApiError> {
    match p.is_null() {
        true => Ok(None),
        // SAFETY: forwarded from the caller.
        false => unsafe { arg(p, name) }.map(Some),
    }
}

/// Hands a copy of `s` to C, for `stytch_string_free`, and wipes `s` (it may
/// hold a secret). The copy is allocated at its exact size, so no reallocation
/// leaves a stray copy behind. NULL only if it cannot be allocated.
pub fn owned_string(s: impl Into<Zeroizing<String>>) -> *mut c_char {
    let s = s.into();
    let mut bytes = Vec::with_capacity(s.len() + 1);
    bytes.extend(s.bytes().filter(|&b| b != 0));
    bytes.push(0);
    CString::from_vec_with_nul(bytes).map_or(ptr::null_mut(), CString::into_raw)
}

/// Stores `error` in `*error_out` when the caller asked for it.
///
/// # Safety
/// `error_out` is NULL or valid for one pointer write.
pub unsafe fn set_error(error_out: *mut *mut super::stytch_error, error: ErrorResponse) {
    if !error_out.is_null() {
        let handle = Box::into_raw(Box::new(super::stytch_error::new(error)));
        // SAFETY: checked non-NULL; the caller gives a writable pointer slot.
        unsafe { error_out.write(handle) };
    }
}

/// Runs `work`, turning a panic into a 500 error.
pub fn guarded<T>(
    env: Environment,
    work: impl FnOnce() -> Result<T, ErrorResponse>,
) -> Result<T, ErrorResponse> {
    ffi_boundary!(
        Err(error_response(
            env,
            ApiError::internal("the library panicked")
        )),
        { work() }
    )
}

/// The body of every fallible entry point: runs `work`, returns its value as a
/// new handle, or NULL with `*error_out` set (a panic becomes a 500 error).
///
/// # Safety
/// `error_out` is NULL or valid for one pointer write.
pub unsafe fn fallible<T>(
    env: Environment,
    error_out: *mut *mut super::stytch_error,
    work: impl FnOnce() -> Result<T, ErrorResponse>,
) -> *mut T {
    match guarded(env, work) {
        Ok(value) => Box::into_raw(Box::new(value)),
        Err(e) => {
            // SAFETY: forwarded from the caller.
            unsafe { set_error(error_out, e) };
            ptr::null_mut()
        }
    }
}

/// Reads a field of a handle; NULL handle or panic give `default`.
pub fn read<H, R: Copy>(handle: *const H, default: R, field: impl FnOnce(&H) -> R) -> R {
    // SAFETY: a non-NULL handle pointer came from this library and is not yet freed.
    ffi_boundary!(default, {
        match unsafe { handle.as_ref() } {
            Some(h) => field(h),
            None => default,
        }
    })
}

/// A borrowed string field of a handle; NULL for a NULL handle.
pub fn read_str<H>(handle: *const H, field: impl FnOnce(&H) -> *const c_char) -> *const c_char {
    read(handle, ptr::null(), field)
}

/// A string of a list field, given as `Some` when the index is in range; NULL otherwise.
pub fn read_item<H>(handle: *const H, item: impl FnOnce(&H) -> Option<&CStr>) -> *const c_char {
    read(handle, ptr::null(), |h| {
        item(h).map_or(ptr::null(), CStr::as_ptr)
    })
}

/// Serialises a handle's body to an owned string; NULL for a NULL handle.
pub fn read_json<H>(handle: *const H, body: impl FnOnce(&H) -> Zeroizing<String>) -> *mut c_char {
    read(handle, ptr::null_mut(), |h| owned_string(body(h)))
}

/// Frees a handle made by `fallible`; NULL is a no-op.
///
/// # Safety
/// `handle` is NULL or came from this library and was not freed before.
pub unsafe fn free<H>(handle: *mut H) {
    ffi_boundary!((), {
        if !handle.is_null() {
            // SAFETY: the caller gives back a pointer from Box::into_raw, once.
            drop(unsafe { Box::from_raw(handle) });
        }
    })
}

/// Reads a code argument for the engine to judge: NULL or over-long is empty and
/// invalid UTF-8 is replaced, so the engine reports it as a malformed code in
/// its usual order (after the user and the lock are checked).
///
/// # Safety
/// As for `arg`.
pub unsafe fn code_arg<'a>(p: *const c_char) -> Cow<'a, str> {
    if p.is_null() {
        return Cow::Borrowed("");
    }
    // SAFETY: the caller passes a readable C string; strnlen stops at the cap.
    let len = unsafe { libc::strnlen(p, MAX_INPUT_LEN + 1) };
    if len > MAX_INPUT_LEN {
        return Cow::Borrowed("");
    }
    // SAFETY: `len` bytes are readable.
    String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
}

/// Reads a string argument whose NULL, over-long or non-UTF-8 value is the
/// Stytch error `invalid` (e.g. `invalid_user_id` for a user ID).
///
/// # Safety
/// As for `arg`.
pub unsafe fn arg_or<'a>(
    p: *const c_char,
    name: &str,
    env: Environment,
    invalid: fn() -> ApiError,
) -> Result<&'a str, ErrorResponse> {
    // SAFETY: forwarded from the caller.
    unsafe { arg(p, name) }.map_err(|_| error_response(env, invalid()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_500_error_not_an_unwind_into_c() {
        let result: Result<(), _> = guarded(Environment::Test, || panic!("boom"));
        let e = result.unwrap_err();
        assert_eq!(
            (e.status_code, e.error_type.as_str()),
            (500, "internal_server_error")
        );
        let mut out = ptr::null_mut();
        let handle: *mut u8 = unsafe { fallible(Environment::Test, &mut out, || panic!("boom")) };
        assert!(handle.is_null() && !out.is_null());
        unsafe { super::super::stytch_error_free(out) };
        let value: u32 = 7;
        assert_eq!(read(&value, 0, |_| -> u32 { panic!("boom") }), 0);
    }
}
