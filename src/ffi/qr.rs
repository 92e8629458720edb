//! QR helpers: the otpauth URI an authenticator scans, and its QR code as PNG
//! bytes, a PNG file or an SVG, all drawn here (nothing is sent anywhere).
//! They need no client; their errors carry test-environment request IDs.

use super::boundary::{ffi_boundary, guarded, owned_string, read_arg, set_error};
use super::stytch_error;
use crate::engine::request::Input;
use crate::engine::{ApiError, Environment, ErrorResponse, error_response};
use crate::otp::{self, CodeGenerator};
use crate::qr;
use crate::wipe::wipe;
use std::ffi::c_char;
use std::path::Path;
use std::ptr;

/// A 400 `bad_request` from a helper's message.
fn bad_request(detail: impl std::fmt::Display) -> ErrorResponse {
    error_response(Environment::Test, ApiError::bad_request(detail))
}

/// Runs a helper's body: its value, or `on_error` with `*error_out` set (a
/// panic becomes a 500 error).
///
/// # Safety
/// `error_out` is NULL or valid for one pointer write.
unsafe fn helper<T>(
    error_out: *mut *mut stytch_error,
    on_error: T,
    work: impl FnOnce() -> Result<T, ErrorResponse>,
) -> T {
    match guarded(Environment::Test, work) {
        Ok(value) => value,
        Err(e) => {
            // SAFETY: forwarded from the caller.
            unsafe { set_error(error_out, e) };
            on_error
        }
    }
}

/// Reads a required text argument, or the request layer's error for it.
fn required<'a>(input: Input<'a>, field: &str) -> Result<&'a str, ErrorResponse> {
    input
        .required(field)
        .map_err(|e| error_response(Environment::Test, e))
}

/// The otpauth URI (Google Authenticator's Key Uri Format) of a TOTP: the text
/// this library's `qr_code` encodes, `otpauth://totp/<issuer>:<account>?secret=
/// <secret>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30`, names
/// percent-encoded. `issuer` is the client's `issuer` setting ("Stytch TOTP"
/// unless configured), `account` the user's email, else phone number, else
/// user ID, `secret_base32` the `secret` of the create response. Owned:
/// release with `stytch_string_free` (it holds the secret). NULL and a 400
/// `bad_request` in `*error_out` for a NULL or non-UTF-8 argument or a secret
/// that is not base32. Thread-safe.
///
/// # Safety
/// Each string is NULL or NUL-terminated; `error_out` is NULL or valid for one
/// pointer write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_otpauth_uri(
    issuer: *const c_char,
    account: *const c_char,
    secret_base32: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        helper(error_out, ptr::null_mut(), || {
            let issuer = required(read_arg(issuer), "issuer")?;
            let account = required(read_arg(account), "account")?;
            let secret = required(read_arg(secret_base32), "secret_base32")?;
            if CodeGenerator::from_base32(secret).is_none() {
                return Err(bad_request("secret_base32 is not a base32 TOTP secret"));
            }
            let uri = otp::otpauth_uri(issuer, account, secret);
            Ok(owned_string(uri.expose().to_owned()))
        })
    }
}

/// The PNG of a QR code of `text` (usually the otpauth URI): black on white,
/// 1 bit per pixel, at least 200 pixels wide; for the same URI, byte for byte
/// the image inside the create response's `qr_code`. Owned: `*len_out` bytes,
/// released with `stytch_bytes_free(bytes, *len_out)` (the image encodes the
/// secret). NULL and a 400 `bad_request` in `*error_out` for a NULL `len_out`,
/// a NULL or non-UTF-8 `text`, or a text too long for a QR code (2331 bytes);
/// `*len_out` is written only on success. Thread-safe.
///
/// # Safety
/// `text` is NULL or NUL-terminated; `len_out` is NULL or valid for one write;
/// `error_out` is NULL or valid for one pointer write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_qr_png(
    text: *const c_char,
    len_out: *mut usize,
    error_out: *mut *mut stytch_error,
) -> *mut u8 {
    // SAFETY: forwarded from the caller.
    unsafe {
        helper(error_out, ptr::null_mut(), || {
            let text = required(read_arg(text), "text")?;
            if len_out.is_null() {
                return Err(bad_request("len_out is NULL"));
            }
            let png = qr::qr_png(text).map_err(bad_request)?;
            let bytes: Box<[u8]> = png.as_slice().into();
            // SAFETY: checked non-NULL; the caller gives a writable slot.
            len_out.write(bytes.len());
            Ok(Box::into_raw(bytes).cast::<u8>())
        })
    }
}

/// Frees bytes returned by this library (`stytch_totp_qr_png`), wiping them
/// first. `len` is the length it wrote to `*len_out`. NULL is a no-op.
///
/// # Safety
/// `bytes` is NULL or came from this library with this `len`, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_bytes_free(bytes: *mut u8, len: usize) {
    ffi_boundary!((), {
        if !bytes.is_null() {
            // SAFETY: a boxed slice of `len` bytes from `Box::into_raw`, given back once.
            let mut owned = unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(bytes, len)) };
            wipe(&mut owned);
        }
    })
}

/// The same QR code of `text` as `stytch_totp_qr_png`, as an SVG document
/// (UTF-8, same pixel size, one path of black modules on a white square).
/// Owned: release with `stytch_string_free` (it encodes the secret). NULL and
/// a 400 `bad_request` in `*error_out` for a NULL or non-UTF-8 `text` or one
/// too long for a QR code. Thread-safe.
///
/// # Safety
/// `text` is NULL or NUL-terminated; `error_out` is NULL or valid for one
/// pointer write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_qr_svg(
    text: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut c_char {
    // SAFETY: forwarded from the caller.
    unsafe {
        helper(error_out, ptr::null_mut(), || {
            let text = required(read_arg(text), "text")?;
            let svg = qr::qr_svg(text).map_err(bad_request)?;
            Ok(owned_string(svg))
        })
    }
}

/// Writes the PNG of `stytch_totp_qr_png` to the file at `path` (UTF-8),
/// readable and writable by its owner only (0600 on Unix), replacing any file
/// there in one rename (a reader never sees half an image; a symlink at `path`
/// is replaced, not followed). True on success; false and a 400 `bad_request`
/// in `*error_out` naming the path and the system's reason (no such
/// directory, permission denied, ...) otherwise, and nothing is left behind.
/// Thread-safe.
///
/// # Safety
/// `text` and `path` are NULL or NUL-terminated; `error_out` is NULL or valid
/// for one pointer write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_qr_png_write(
    text: *const c_char,
    path: *const c_char,
    error_out: *mut *mut stytch_error,
) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe {
        helper(error_out, false, || {
            let text = required(read_arg(text), "text")?;
            let path = required(read_arg(path), "path")?;
            if path.is_empty() {
                return Err(bad_request("path is empty"));
            }
            qr::write_qr_png(text, Path::new(path)).map_err(bad_request)?;
            Ok(true)
        })
    }
}
