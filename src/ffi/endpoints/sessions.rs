//! The session routes as typed functions, and the TOTP sign-ins that start or
//! extend a session. Each reads its arguments into the request `stytch_call`
//! fills for the same route; local JWT verification has no route.

use crate::engine::request::{
    AuthenticateRequest, Input, JwksRequest, RecoverRequest, SessionsAuthenticateJwtLocalRequest,
    SessionsAuthenticateRequest, SessionsGetRequest, SessionsRevokeRequest,
};
use crate::engine::sessions::SessionArgs;
use crate::ffi::boundary::read_arg;
use crate::ffi::client::respond;
use crate::ffi::{
    stytch_client, stytch_error, stytch_sessions_authenticate_jwt_local_response,
    stytch_sessions_authenticate_response, stytch_sessions_get_jwks_response,
    stytch_sessions_get_response, stytch_sessions_revoke_response,
    stytch_totp_authenticate_response, stytch_totp_recover_response,
};
use std::ffi::c_char;

/// A C minute count where 0 means "not given".
fn minutes(value: i32) -> Option<i64> {
    (value != 0).then_some(i64::from(value))
}

/// The session arguments of a sign-in, as C passes them.
///
/// # Safety
/// The strings are NULL or NUL-terminated.
unsafe fn session_args(
    session_token: *const c_char,
    session_jwt: *const c_char,
    session_duration_minutes: i32,
    session_custom_claims_json: *const c_char,
) -> Result<SessionArgs, crate::engine::error::ApiError> {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        SessionArgs::new(
            read_arg(session_token),
            read_arg(session_jwt),
            minutes(session_duration_minutes),
            read_arg(session_custom_claims_json),
        )
    }
}

/// `stytch_totp_authenticate` that also starts or extends a session, as
/// `POST /v1/totps/authenticate` does with its session parameters. Give at
/// most one of `session_token` and `session_jwt` (a live session of this
/// user, extended) or neither; `session_duration_minutes` (0 for none, else
/// 5..=527040) starts a session when none is presented; without it and
/// without a session nothing is started. `session_custom_claims_json` is NULL
/// or a JSON object merged into the session's claims. Read the session with
/// `stytch_totp_authenticate_response_session` and the tokens with its
/// `_session_token` / `_session_jwt`. NULL with `*error_out` set: the errors
/// of `stytch_totp_authenticate`, and `bad_request` (a session argument not
/// UTF-8 or too long, claims not valid JSON), `invalid_config` (the client
/// has no `project_id`), `too_many_session_arguments`,
/// `invalid_session_token`, `unable_to_parse_session_jwt`,
/// `session_not_found`, `user_id_mismatch`,
/// `invalid_session_duration_minutes`, `unable_to_represent_custom_claims_json`,
/// `reserved_claims_in_custom_claims`, `stytch_claims_in_custom_claims`,
/// `custom_claims_too_large`. A session error consumes no code. Thread-safe
/// and atomic.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_authenticate_with_session(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    totp_code: *const c_char,
    session_token: *const c_char,
    session_jwt: *const c_char,
    session_duration_minutes: i32,
    session_custom_claims_json: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_authenticate_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_totp_authenticate_response, || {
            let mut request = AuthenticateRequest::new(read_arg(user_id), read_arg(totp_code))?;
            request.session = session_args(
                session_token,
                session_jwt,
                session_duration_minutes,
                session_custom_claims_json,
            )?;
            Ok(request)
        })
    }
}

/// `stytch_totp_recover` that also starts or extends a session, with the
/// session arguments and errors of `stytch_totp_authenticate_with_session`
/// besides those of `stytch_totp_recover`. Thread-safe and atomic.
///
/// # Safety
/// As for `stytch_totp_authenticate_with_session`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_totp_recover_with_session(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    recovery_code: *const c_char,
    session_token: *const c_char,
    session_jwt: *const c_char,
    session_duration_minutes: i32,
    session_custom_claims_json: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_totp_recover_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_totp_authenticate_response, || {
            let mut request = RecoverRequest::new(read_arg(user_id), read_arg(recovery_code))?;
            request.session = session_args(
                session_token,
                session_jwt,
                session_duration_minutes,
                session_custom_claims_json,
            )?;
            Ok(request)
        })
    }
}

/// Checks a session by exactly one of `session_token` and `session_jwt` (an
/// expired JWT of a live session is refreshed), extends it by
/// `session_duration_minutes` (0 to leave it) and merges
/// `session_custom_claims_json` (NULL or a JSON object) into its claims, as
/// `POST /v1/sessions/authenticate`. NULL with `*error_out` set: `bad_request`
/// (neither token given, NULL `client`, an argument not UTF-8 or too long,
/// claims not valid JSON), `invalid_config` (no `project_id`),
/// `too_many_session_arguments` (both), `invalid_session_token`,
/// `unable_to_parse_session_jwt`, `session_not_found` (revoked or expired),
/// `invalid_session_duration_minutes`, `unable_to_represent_custom_claims_json`,
/// `reserved_claims_in_custom_claims`, `stytch_claims_in_custom_claims`,
/// `custom_claims_too_large`. Thread-safe.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_authenticate(
    client: Option<&stytch_client>,
    session_token: *const c_char,
    session_jwt: *const c_char,
    session_duration_minutes: i32,
    session_custom_claims_json: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_sessions_authenticate_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(
            client,
            error_out,
            stytch_sessions_authenticate_response,
            || {
                let session = session_args(
                    session_token,
                    session_jwt,
                    session_duration_minutes,
                    session_custom_claims_json,
                )?;
                Ok(SessionsAuthenticateRequest { session })
            },
        )
    }
}

/// Ends the session named by exactly one of `session_id`, `session_token`
/// and `session_jwt` (the others NULL), as `POST /v1/sessions/revoke`. NULL
/// with `*error_out` set: `bad_request` (none given, NULL `client`, an
/// argument not UTF-8 or too long), `invalid_config` (no `project_id`),
/// `too_many_session_arguments` (more than one), `invalid_session_token`,
/// `unable_to_parse_session_jwt`, `session_not_found`. Thread-safe.
///
/// # Safety
/// The strings are NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_revoke(
    client: Option<&stytch_client>,
    session_id: *const c_char,
    session_token: *const c_char,
    session_jwt: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_sessions_revoke_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_sessions_revoke_response, || {
            SessionsRevokeRequest::new(
                read_arg(session_id),
                read_arg(session_token),
                read_arg(session_jwt),
            )
        })
    }
}

/// Lists a user's live sessions, oldest first, as `GET
/// /v1/sessions?user_id=`. NULL with `*error_out` set: `bad_request` (NULL
/// `user_id` or `client`), `invalid_config` (no `project_id`),
/// `invalid_user_id`, `user_not_found`. Thread-safe.
///
/// # Safety
/// `user_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_get(
    client: Option<&stytch_client>,
    user_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_sessions_get_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_sessions_get_response::new, || {
            SessionsGetRequest::new(read_arg(user_id))
        })
    }
}

/// The keys that verify this project's session JWTs now, as `GET
/// /v1/sessions/jwks/{project_id}`. NULL with `*error_out` set: `bad_request`
/// (NULL `project_id` or `client`, or another project's ID),
/// `invalid_config` (no `project_id`). Thread-safe.
///
/// # Safety
/// `project_id` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_get_jwks(
    client: Option<&stytch_client>,
    project_id: *const c_char,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_sessions_get_jwks_response {
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(client, error_out, stytch_sessions_get_jwks_response, || {
            JwksRequest::new(read_arg(project_id))
        })
    }
}

/// Verifies a session JWT locally, as the official SDKs'
/// `authenticate_jwt_local`: its RS256 signature against a key this project
/// publishes, `iss`, `aud`, and `exp`/`nbf`/`iat` widened by
/// `leeway_seconds` (0 as the SDKs default); `max_token_age_seconds` refuses
/// a JWT issued that long ago or longer (negative: no limit; 0 refuses
/// every JWT). The session is read from the claims, not the store: a session
/// revoked since the JWT was minted verifies until the JWT expires (five
/// minutes); `stytch_sessions_authenticate` checks the store. NULL with
/// `*error_out` set: `bad_request` (NULL `session_jwt` or `client`, not UTF-8
/// or too long, a negative `leeway_seconds`), `invalid_config` (no
/// `project_id`), `unable_to_parse_session_jwt` (401: malformed, signed by no
/// published key, another issuer or audience, expired, not yet valid, or too
/// old). Thread-safe.
///
/// # Safety
/// `session_jwt` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_authenticate_jwt_local(
    client: Option<&stytch_client>,
    session_jwt: *const c_char,
    max_token_age_seconds: i64,
    leeway_seconds: i32,
    error_out: *mut *mut stytch_error,
) -> *mut stytch_sessions_authenticate_jwt_local_response {
    let max_age = (max_token_age_seconds >= 0).then_some(max_token_age_seconds);
    // SAFETY: the caller vouches for the pointers.
    unsafe {
        respond(
            client,
            error_out,
            stytch_sessions_authenticate_jwt_local_response,
            || {
                let jwt: Input<'_> = read_arg(session_jwt);
                SessionsAuthenticateJwtLocalRequest::new(jwt, max_age, i64::from(leeway_seconds))
            },
        )
    }
}
