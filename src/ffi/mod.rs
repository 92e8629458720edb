//! The C ABI. Everything here converts, checks pointers and catches panics,
//! then delegates to `engine`. Types are lower snake case to match the header.
#![allow(non_camel_case_types)]

mod boundary;
mod client;
mod error;
mod totps;
mod user;
mod users;
// Operator functions (keys, re-sealing, lockout policy): last in the header.
mod admin;

pub use admin::*;
pub use boundary::MAX_INPUT_LEN;
pub use client::*;
pub use error::*;
pub use totps::*;
pub use user::*;
pub use users::*;

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
};
