//! `stytch_client` and `stytch_call`.

use super::boundary::{fallible, ffi_boundary, free, owned_json_text, read_arg, succeeded};
use super::handle::Handle;
use super::stytch_error;
use crate::engine::json::write_json;
use crate::engine::request::{Input, Request};
use crate::engine::{ApiError, Client, Clock, Environment, ErrorResponse, error_response};
use std::ffi::{c_char, c_void};
use std::sync::Arc;

/// A Stytch TOTP project: configuration plus its store.
///
/// Thread-safe: share one client across threads; every call may run
/// concurrently. Free it once, after every other call on it has returned.
pub struct stytch_client {
    pub(crate) client: Client,
}

impl stytch_client {
    pub(super) fn env(client: Option<&stytch_client>) -> Environment {
        client.map_or(Environment::Test, |c| c.client.config().environment)
    }

    /// The engine client; a NULL client is an absent argument.
    pub(super) fn get(client: Option<&stytch_client>) -> Result<&Client, ErrorResponse> {
        match client {
            Some(c) => Ok(&c.client),
            None => Err(error_response(
                Environment::Test,
                Input::Absent.required("client").unwrap_err(),
            )),
        }
    }
}

/// The body of every typed entry point: the request `read` fills (from the
/// caller's arguments) is served by the client, and its response becomes a
/// handle made by `wrap`; or NULL with `*error_out` set. A NULL client is
/// reported before the arguments are read.
///
/// # Safety
/// `error_out` is NULL or valid for one pointer write; `read` reads only
/// pointers the caller vouched for.
pub(crate) unsafe fn respond<R: Request, H>(
    client: Option<&stytch_client>,
    error_out: *mut *mut stytch_error,
    wrap: fn(Handle<R::Response>) -> H,
    read: impl FnOnce() -> Result<R, ApiError>,
) -> *mut H {
    let env = stytch_client::env(client);
    // SAFETY: forwarded from the caller.
    unsafe {
        fallible(env, error_out, || {
            let client = stytch_client::get(client)?;
            let request = read().map_err(|e| error_response(env, e))?;
            request.serve(client).map(|body| wrap(Handle::new(body)))
        })
    }
}

/// Opens a client. `config_json` may be NULL (all defaults) or a JSON object:
/// `database` (file path, default `"stytch_totp.db"`; `":memory:"` for a private
/// in-memory store; a `postgres://` URL for a PostgreSQL store, with its
/// `postgres` object of settings), `environment` (`"test"` | `"live"`), `issuer` (otpauth
/// issuer, default `"Stytch TOTP"`), `lockout` (`{"max_failures": 1..=100,
/// "duration_minutes": 5..=10080}`, defaults 10 and 60; the store keeps one
/// policy, set by its first client: leave `lockout` out to adopt it),
/// `encryption_keys` (`[{"id": "2026-11", "key": "<base64 of 32 bytes>"}, ...]`,
/// the first seals, the others only open; without it secrets are stored
/// unencrypted), `recovery_codes` (`"encrypted"`, the default, or `"hashed"`:
/// shown once at enrolment, never listed; needs `encryption_keys`),
/// `share_database` (true: the file may hold another application's tables).
/// Unknown keys and bad values are errors (`invalid_config`). So are, when
/// the client opens: an unwritable path and a file that is not a database
/// (`internal_server_error`); a symbolic link, a file other accounts can read,
/// a read-only file or another application's database (`database_refused`);
/// a PostgreSQL server that cannot be reached (`database_unavailable`, 503);
/// keys that do not fit the store (`encryption_key_mismatch`); a `lockout`
/// other than the store's (`lockout_policy_mismatch`). A database file is
/// created with mode 0600.
///
/// Returns the client, or NULL with `*error_out` set (when `error_out` is not
/// NULL). Free with `stytch_client_free`.
///
/// # Safety
/// `config_json` is NULL or a NUL-terminated string; `error_out` is NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_client_new(
    config_json: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_client {
    // SAFETY: pointers forwarded from the caller.
    unsafe { open_client(config_json, error_out, Client::from_config_json) }
}

/// A client opened by `open` from the C string `config_json` (NULL: the
/// defaults), or NULL with `*error_out` set.
///
/// # Safety
/// As for `stytch_client_new`.
pub(super) unsafe fn open_client(
    config_json: *const c_char,
    error_out: *mut *mut stytch_error,
    open: impl FnOnce(Option<&str>) -> Result<Client, ErrorResponse>,
) -> *mut stytch_client {
    // SAFETY: pointers forwarded from the caller.
    unsafe {
        fallible(Environment::Test, error_out, || {
            let config = read_arg(config_json)
                .optional("config_json")
                .map_err(|e| error_response(Environment::Test, e))?;
            Ok(stytch_client {
                client: open(config)?,
            })
        })
    }
}

/// Closes a client and its store. NULL is a no-op. Handles it returned stay valid.
/// In a child of `fork()`, a client made before the fork fails every call with
/// `client_used_after_fork`, and freeing it there releases nothing of its store
/// (its connection belongs to the parent).
///
/// # Safety
/// `client` is NULL or a client not freed before, with no call on it running.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_client_free(client: *mut stytch_client) {
    // SAFETY: forwarded from the caller.
    unsafe { free(client) }
}

/// The whole HTTP-shaped API in one function. `method` is `"GET"`, `"POST"` or
/// `"DELETE"`; `path` one of `/v1/users`, `/v1/users/{user_id}`,
/// `/v1/users/totps/{totp_id}`, `/v1/totps`, `/v1/totps/authenticate`,
/// `/v1/totps/recovery_codes`, `/v1/totps/recover`; `body_json` may be NULL
/// (no body). A NULL client, method or path is a `bad_request` body.
///
/// Returns the response body JSON exactly as Stytch would, success or error,
/// with `status_code` inside. Owned: release with `stytch_string_free`. NULL
/// only if memory cannot be allocated. Thread-safe.
///
/// # Safety
/// The strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_call(
    client: Option<&stytch_client>,
    method: *const c_char,
    path: *const c_char,
    body_json: *const c_char,
) -> *mut c_char {
    let env = stytch_client::env(client);
    let json = ffi_boundary!(
        write_json(&error_response(
            env,
            ApiError::internal("the library panicked")
        )),
        {
            let client = stytch_client::get(client);
            // SAFETY: pointers forwarded from the caller.
            let args = unsafe {
                (|| {
                    Ok((
                        read_arg(method).required("method")?,
                        read_arg(path).required("path")?,
                        read_arg(body_json).optional("body_json")?,
                    ))
                })()
            };
            match (client, args) {
                (Ok(c), Ok((method, path, body))) => c.call(method, path, body),
                (Err(e), _) => write_json(&e),
                (_, Err(e)) => write_json(&error_response(env, e)),
            }
        }
    );
    owned_json_text(json)
}

/// Stops the client's clock at `unix_time` (seconds since 1970, up to year
/// 9999), for tests and simulations. Returns false with `*error_out` set for a
/// NULL client or a time out of range. Thread-safe.
///
/// # Safety
/// `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_client_set_time(
    client: Option<&stytch_client>,
    unix_time: i64,
    error_out: *mut *mut stytch_error,
) -> bool {
    let work = || stytch_client::get(client)?.set_time(unix_time);
    // SAFETY: forwarded from the caller.
    unsafe { succeeded(stytch_client::env(client), error_out, work) }
}

/// A host clock: returns Unix time in seconds. Called from any thread that
/// uses the client, so it must be thread-safe.
pub type stytch_clock_fn = Option<unsafe extern "C" fn(context: *mut c_void) -> i64>;

struct HostClock {
    now: unsafe extern "C" fn(*mut c_void) -> i64,
    context: *mut c_void,
}

// SAFETY: the host promises (see stytch_client_set_clock) that the callback and
// its context may be used from any thread.
unsafe impl Send for HostClock {}
// SAFETY: as above.
unsafe impl Sync for HostClock {}

impl Clock for HostClock {
    fn now(&self) -> i64 {
        // SAFETY: the host keeps `context` valid while the clock is installed.
        unsafe { (self.now)(self.context) }
    }
}

/// Makes `now(context)` the client's time source; NULL `now` restores the
/// system clock. `now` must be thread-safe and `context` must stay valid until
/// the clock is replaced or the client freed. It is called with no lock of
/// the library held, so it may itself call the library. A time outside 1970..=9999 makes
/// calls fail with `internal_server_error`. Does nothing for a NULL client.
///
/// # Safety
/// `now` and `context` as described: the library calls `now(context)` later,
/// from any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_client_set_clock(
    client: Option<&stytch_client>,
    now: stytch_clock_fn,
    context: *mut c_void,
) {
    ffi_boundary!((), {
        if let Some(c) = client {
            match now {
                Some(now) => c.client.set_clock(Arc::new(HostClock { now, context })),
                None => c.client.use_system_clock(),
            }
        }
    })
}
