//! Free-standing helpers: versions, the code an authenticator shows, and
//! releasing owned strings.

use super::boundary::{ffi_boundary, free_c_string, owned_string, read_arg};
use crate::otp::CodeGenerator;
use crate::version;
use std::ffi::c_char;
use std::ptr;

/// The library's version, NUL-terminated: one copy, which both functions read.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version, e.g. `"0.1.0"` (equal to `STYTCH_TOTP_VERSION` of the
/// header it was built with). Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_version() -> *const c_char {
    VERSION.as_ptr().cast()
}

/// Whether this library can serve a program or binding built for
/// `binding_version` (e.g. its header's `STYTCH_TOTP_VERSION`): the same
/// major version and a library at least as new; before 1.0, the same minor
/// version too. Every binding checks this when it loads the library. False
/// for NULL or a version that is not `MAJOR.MINOR.PATCH`.
///
/// # Safety
/// `binding_version` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_version_is_compatible(binding_version: *const c_char) -> bool {
    ffi_boundary!(false, {
        // SAFETY: forwarded from the caller.
        match unsafe { read_arg(binding_version) }.optional("binding_version") {
            Ok(Some(wanted)) => version::is_compatible(VERSION.trim_end_matches('\0'), wanted),
            _ => false,
        }
    })
}

/// The 6-digit TOTP code (SHA1, 30 s, T0 = 0) of `secret_base32` at `unix_time`,
/// as an authenticator app shows it. Any 64-bit time works (before 1970 the
/// counter is negative, in two's complement). The secret is base32, either
/// case, padding optional. Owned: release with `stytch_string_free`. NULL for a
/// NULL, empty or invalid secret.
///
/// # Safety
/// `secret_base32` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_code(
    secret_base32: *const c_char,
    unix_time: i64,
) -> *mut c_char {
    ffi_boundary!(ptr::null_mut(), {
        // SAFETY: forwarded from the caller.
        let secret = unsafe { read_arg(secret_base32) }.required("secret_base32");
        match secret.ok().and_then(CodeGenerator::from_base32) {
            Some(generator) => {
                let code = generator.code_at(unix_time);
                owned_string(String::from_utf8_lossy(&code).into_owned())
            }
            None => ptr::null_mut(),
        }
    })
}

/// Frees a string returned by this library (`stytch_call`, `_to_json`,
/// `stytch_totp_code`), wiping it first: it may hold a secret. NULL is a no-op.
///
/// # Safety
/// `s` is NULL or an owned string from this library, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_string_free(s: *mut c_char) {
    ffi_boundary!((), {
        if !s.is_null() {
            // SAFETY: every owned string comes from `c_string` (see
            // `boundary`); the caller gives it back once.
            unsafe { free_c_string(s) };
        }
    })
}
