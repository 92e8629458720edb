//! The C ABI. Everything here reads arguments, checks pointers and catches
//! panics, then delegates to `engine`. Types are lower snake case to match
//! the header.
#![allow(non_camel_case_types)]

mod boundary;
mod handle;

// cbindgen reads modules in the order they are declared, and rustfmt sorts
// each group by name; these sort in the header's reading order: the client,
// the routes (users, then TOTPs), the responses, the error, the helpers.
mod client;
mod endpoints;
mod responses;
mod results;
mod utilities;

// QR helpers: after the other helpers.
mod qr;

// Operator functions (keys, re-sealing, lockout policy): last in the header.
mod admin;

pub use crate::engine::request::MAX_INPUT_LEN;
pub use admin::*;
pub use client::*;
pub use endpoints::*;
pub use qr::*;
pub use responses::*;
pub use results::*;
pub use utilities::*;

// Compile-time proof of the thread-safety each type's documentation states.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<stytch_client>();
    send_sync::<stytch_error>();
    send_sync::<stytch_user>();
    send_sync::<stytch_users_create_response>();
    send_sync::<stytch_users_get_response>();
    send_sync::<stytch_users_delete_response>();
    send_sync::<stytch_users_delete_totp_response>();
    send_sync::<stytch_totp_create_response>();
    send_sync::<stytch_totp_authenticate_response>();
    send_sync::<stytch_totp_recovery_codes_response>();
    send_sync::<stytch_session>();
    send_sync::<stytch_sessions_authenticate_response>();
    send_sync::<stytch_sessions_revoke_response>();
    send_sync::<stytch_sessions_get_response>();
    send_sync::<stytch_sessions_get_jwks_response>();
    send_sync::<stytch_sessions_authenticate_jwt_local_response>();
};
