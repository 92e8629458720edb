//! stytch-totp: Stytch's TOTP API (enrolment, authentication, recovery) as an
//! embeddable library with a C ABI. See `include/stytch_totp.h` for the C API.

pub mod engine;
pub mod ffi;
pub mod otp;
pub mod qr;
mod random;
pub mod sessions;
pub mod store;
pub mod version;
pub mod wipe;

pub use engine::{Client, Config, ErrorResponse};
