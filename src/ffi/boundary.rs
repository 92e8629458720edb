//! The C boundary's plumbing: panic catching, reading C strings, owned
//! strings and handle ownership. No business logic: an argument is read into
//! the request layer's `Input` and judged there.

use crate::engine::json::{Json, write_json};
use crate::engine::request::{Input, MAX_INPUT_LEN};
use crate::engine::{ApiError, Environment, ErrorResponse, error_response};
use crate::wipe::{take_secret, wipe};
use serde::Serialize;
use std::ffi::{CStr, c_char};
use std::ptr;
use zeroize::Zeroizing;

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

/// Reads a caller's string as it is: NULL, over the cap (found without reading
/// past it), not UTF-8, or text. The request layer decides what each means.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string (read up to the cap).
pub unsafe fn read_arg<'a>(p: *const c_char) -> Input<'a> {
    if p.is_null() {
        return Input::Absent;
    }
    // SAFETY: the caller passes a readable C string; the scan stops at the cap.
    let len = unsafe { bounded_len(p, MAX_INPUT_LEN + 1) };
    if len > MAX_INPUT_LEN {
        return Input::TooLong;
    }
    // SAFETY: `len` bytes are readable.
    let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
    match std::str::from_utf8(bytes) {
        Ok(text) => Input::Text(text),
        Err(_) => Input::NotUtf8,
    }
}

/// The length of the C string at `p`, or `max` if it has no NUL before that.
///
/// # Safety
/// `p` points to a NUL-terminated string or to at least `max` readable bytes.
#[cfg(not(miri))]
unsafe fn bounded_len(p: *const c_char, max: usize) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { libc::strnlen(p, max) }
}

/// Miri cannot call C's strnlen: the same scan in Rust.
///
/// # Safety
/// As above.
#[cfg(miri)]
unsafe fn bounded_len(p: *const c_char, max: usize) -> usize {
    // SAFETY: every byte up to the NUL, or up to `max`, is readable.
    (0..max).find(|&i| unsafe { *p.add(i) } == 0).unwrap_or(max)
}

/// Hands `s` to C, for `stytch_string_free`. These texts (a URI, an SVG, a
/// code) hold no NUL; were one there, the C string would end at it, and what
/// follows is wiped. JSON goes through `owned_json_text`. NULL only if it
/// cannot be allocated.
pub fn owned_string(s: impl Into<Zeroizing<String>>) -> *mut c_char {
    let mut bytes = take_secret(s.into()).into_bytes();
    if let Some(end) = bytes.iter().position(|&b| b == 0) {
        wipe(&mut bytes[end..]);
        bytes.truncate(end);
    }
    c_string(bytes)
}

/// Serialises `body` to an owned C string, for `stytch_string_free`. The text
/// is written once into a buffer that wipes what it leaves behind (see
/// `write_json`) and handed over in place. NULL only if it cannot be
/// allocated.
pub fn owned_json<T: Serialize>(body: &T) -> *mut c_char {
    owned_json_text(write_json(body))
}

/// Hands JSON text to C as `owned_string` does, without looking for a NUL:
/// the writer's text has none.
pub fn owned_json_text(json: Json) -> *mut c_char {
    c_string(take_secret(json.into_text()).into_bytes())
}

/// The bytes after an owned string's NUL: its allocation's capacity.
const TRAILER: usize = std::mem::size_of::<usize>();

/// Hands `text` (no NUL in it) to C in its own allocation: the text, a NUL,
/// then the allocation's capacity, which `free_c_string` reads back to wipe
/// and release exactly that allocation. No copy is made when the buffer has
/// room for the NUL and the capacity, as the JSON writer's usually has.
fn c_string(mut text: Vec<u8>) -> *mut c_char {
    if text.capacity() - text.len() < 1 + TRAILER {
        // Moved by hand, so that the old buffer is wiped, not left behind.
        let mut bigger = Vec::with_capacity(text.len() + 1 + TRAILER);
        bigger.extend_from_slice(&text);
        wipe(&mut text);
        text = bigger;
    }
    let capacity = text.capacity();
    text.push(0);
    text.extend_from_slice(&capacity.to_ne_bytes());
    std::mem::ManuallyDrop::new(text).as_mut_ptr().cast()
}

/// Wipes and frees a string from `c_string`.
///
/// # Safety
/// `s` came from `c_string` and is given back once.
pub unsafe fn free_c_string(s: *mut c_char) {
    // SAFETY: `s` is NUL-terminated (see `c_string`).
    let len = unsafe { CStr::from_ptr(s) }.count_bytes() + 1 + TRAILER;
    // SAFETY: the capacity follows the NUL, written by `c_string`.
    let capacity = unsafe { s.add(len - TRAILER).cast::<usize>().read_unaligned() };
    // SAFETY: `len` bytes of an allocation of `capacity` bytes, all written.
    let mut bytes = unsafe { Vec::from_raw_parts(s.cast::<u8>(), len, capacity) };
    wipe(&mut bytes);
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

/// The body of every fallible entry point that returns a flag: runs `work`;
/// true, or false with `*error_out` set (a panic becomes a 500 error).
///
/// # Safety
/// `error_out` is NULL or valid for one pointer write.
pub unsafe fn succeeded(
    env: Environment,
    error_out: *mut *mut super::stytch_error,
    work: impl FnOnce() -> Result<(), ErrorResponse>,
) -> bool {
    match guarded(env, work) {
        Ok(()) => true,
        Err(e) => {
            // SAFETY: forwarded from the caller.
            unsafe { set_error(error_out, e) };
            false
        }
    }
}

/// Reads a field of a handle; a NULL handle or a panic give `default`.
pub fn read<H, R: Copy>(handle: Option<&H>, default: R, field: impl FnOnce(&H) -> R) -> R {
    ffi_boundary!(default, { handle.map_or(default, field) })
}

/// Serialises a part of a handle to an owned string; NULL for a NULL handle.
pub fn read_json<H, T: Serialize>(handle: Option<&H>, part: impl FnOnce(&H) -> &T) -> *mut c_char {
    read(handle, ptr::null_mut(), |h| owned_json(part(h)))
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
        assert_eq!(read(Some(&value), 0, |_| -> u32 { panic!("boom") }), 0);
    }

    #[test]
    fn arguments_are_read_as_they_are() {
        let cases: [(&[u8], Input<'_>); 3] = [
            (b"abc\0", Input::Text("abc")),
            (b"\0", Input::Text("")),
            (b"u\xff\0", Input::NotUtf8),
        ];
        for (bytes, want) in cases {
            assert_eq!(unsafe { read_arg(bytes.as_ptr().cast()) }, want);
        }
        assert_eq!(unsafe { read_arg(ptr::null()) }, Input::Absent);
        let long = std::ffi::CString::new("a".repeat(MAX_INPUT_LEN + 1)).unwrap();
        assert_eq!(unsafe { read_arg(long.as_ptr()) }, Input::TooLong);
    }

    /// Hands `text` over and reads it back as C sees it, then frees it.
    fn through_c(text: String) -> Vec<u8> {
        let s = owned_string(text);
        let seen = unsafe { CStr::from_ptr(s) }.to_bytes().to_vec();
        unsafe { free_c_string(s) };
        seen
    }

    #[test]
    fn owned_strings_keep_their_text_with_or_without_room_after_it() {
        for len in [0, 1, 7, 8, 9, 1000] {
            let text = "x".repeat(len);
            // No room after the text: the string moves to a buffer of its own.
            assert_eq!(text.capacity(), len);
            assert_eq!(through_c(text.clone()), text.as_bytes());
            // Room enough: the string stays where it is.
            let mut roomy = String::with_capacity(len + 64);
            roomy.push_str(&text);
            let at = roomy.as_ptr();
            let s = owned_string(roomy);
            assert_eq!(s.cast_const().cast::<u8>(), at);
            assert_eq!(unsafe { CStr::from_ptr(s) }.to_bytes(), text.as_bytes());
            unsafe { free_c_string(s) };
        }
        assert_eq!(through_c("ab\0cd".to_owned()), b"ab");
        let json = owned_json(&serde_json::json!({"a": "b"}));
        assert_eq!(unsafe { CStr::from_ptr(json) }.to_bytes(), br#"{"a":"b"}"#);
        unsafe { free_c_string(json) };
    }
}
