//! What an operator does to a store: open it with keys from a KMS or HSM,
//! re-seal it under a new key, change its lockout policy.

use super::boundary::succeeded;
use super::client::open_client;
use super::{stytch_client, stytch_error};
use crate::engine::{Client, KeyBytes, Lockout};
use std::ffi::{CString, c_char, c_void};
use zeroize::Zeroizing;

/// A host's key provider: writes the 32 bytes of the key named `key_id` to
/// `key_out` and returns true, or returns false when it has no such key.
/// Must not unwind (no C++ exception, no longjmp) out of the call.
pub type stytch_key_provider_fn = Option<
    unsafe extern "C" fn(key_id: *const c_char, key_out: *mut u8, context: *mut c_void) -> bool,
>;

/// `stytch_client_new`, for hosts whose keys live in a KMS or an HSM: every
/// entry of `encryption_keys` given without `"key"` (`{"id": "2026-11"}`) gets
/// its 32 bytes from `provider(id, out, context)`, called on this thread,
/// before the store is opened and with no lock held, once per such entry and
/// never after this call returns (so `context` need only live until then). The
/// library copies the bytes into memory it wipes when the client is freed; the
/// provider's buffer `out` is wiped on return. Keys are then checked against
/// the store as by `stytch_client_new` (`encryption_key_mismatch`). A provider
/// that returns false, or a NULL `provider` while some entry has no key, is
/// `invalid_config`.
///
/// Returns the client, or NULL with `*error_out` set. Free with
/// `stytch_client_free`.
///
/// # Safety
/// `config_json` is NULL or a NUL-terminated string; `provider` writes at
/// most 32 bytes to `out`; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_client_new_with_key_provider(
    config_json: *const c_char,
    provider: stytch_key_provider_fn,
    context: *mut c_void,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_client {
    let mut ask = |kid: &str| {
        let provider = provider?;
        let kid = CString::new(kid).ok()?;
        let mut out = Zeroizing::new([0u8; 32]);
        // SAFETY: the host's function, given a 32-byte buffer.
        let supplied = unsafe { provider(kid.as_ptr(), out.as_mut_ptr(), context) };
        supplied.then(|| KeyBytes::new(*out))
    };
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        open_client(config_json, error_out, |config| {
            Client::from_config_json_with_key_provider(config, &mut ask)
        })
    }
}

/// Re-seals the store under the active key (the first of `encryption_keys`):
/// one transaction of at most `batch_size` TOTPs (1..=10000) after another,
/// continuing where this client's previous call stopped, until it has
/// re-sealed some or been through them all. Sets `*rewrapped_out` (when not
/// NULL) to how many TOTPs it re-sealed. Call it until that is 0: the whole
/// store is then under the active key, and the older keys (and, for a store
/// that was unencrypted, plaintext) are no longer accepted by the store, so
/// they can be removed from every client's configuration. Idempotent; other
/// clients and processes keep working meanwhile. Returns false with
/// `*error_out` set on failure (`bad_request` for a NULL client or a batch
/// size out of range, `invalid_config` without keys). Thread-safe.
///
/// # Safety
/// `rewrapped_out` is NULL or writable; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_client_rewrap(
    client: Option<&stytch_client>,
    batch_size: usize,
    rewrapped_out: Option<&mut u64>,
    error_out: *mut *mut stytch_error,
) -> bool {
    let work = || {
        let rewrapped = stytch_client::get(client)?.rewrap(batch_size)?;
        if let Some(out) = rewrapped_out {
            *out = rewrapped;
        }
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { succeeded(stytch_client::env(client), error_out, work) }
}

/// Replaces the lockout policy of the client's store, for every client on it
/// from its next counted failure on (locks in force keep their end). A client
/// opened later with an explicit `lockout` must then ask for this policy or
/// is refused (`lockout_policy_mismatch`); one without `lockout` adopts it.
/// Ranges as for `stytch_client_new` (else `bad_request`, as for a NULL
/// client). Returns false with `*error_out` set on failure. Thread-safe.
///
/// # Safety
/// `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_client_set_lockout_policy(
    client: Option<&stytch_client>,
    max_failures: u32,
    duration_minutes: u32,
    error_out: *mut *mut stytch_error,
) -> bool {
    let policy = Lockout {
        max_failures,
        duration_minutes,
    };
    let work = || stytch_client::get(client)?.set_lockout_policy(policy);
    // SAFETY: forwarded from the caller.
    unsafe { succeeded(stytch_client::env(client), error_out, work) }
}
