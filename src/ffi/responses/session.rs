//! The session responses and `stytch_session`, the `session` object, borrowed
//! from the response that carries it.

use crate::engine::models::{
    JwksResponse, Session, SessionsAuthenticateResponse, SessionsGetResponse,
    SessionsRevokeResponse,
};
use crate::ffi::boundary::{free, read, read_json};
use crate::ffi::handle::Handle;
use crate::ffi::stytch_user;
use std::ffi::c_char;
use std::ptr::null;

/// A session (`api_session_v1_Session`). Always borrowed from the response
/// that returned it and valid until that response is freed; never freed on
/// its own. Immutable: any thread may read it.
pub struct stytch_session(pub(crate) Handle<Session>);

/// Response of `stytch_sessions_authenticate`
/// (`api_session_v1_AuthenticateResponse`). Holds the session token and JWT:
/// they are wiped from memory when it is freed. Immutable: any thread may
/// read it; free it once.
pub struct stytch_sessions_authenticate_response(pub(crate) Handle<SessionsAuthenticateResponse>);

/// Response of `stytch_sessions_revoke` (`api_session_v1_RevokeResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_sessions_revoke_response(pub(crate) Handle<SessionsRevokeResponse>);

/// Response of `stytch_sessions_get` (`api_session_v1_GetResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_sessions_get_response(
    pub(crate) Handle<SessionsGetResponse>,
    Vec<stytch_session>,
);

/// Response of `stytch_sessions_get_jwks` (`api_session_v1_GetJWKSResponse`).
/// Immutable: any thread may read it; free it once.
pub struct stytch_sessions_get_jwks_response(pub(crate) Handle<JwksResponse>);

/// Result of `stytch_sessions_authenticate_jwt_local`: the session a verified
/// JWT carries. Immutable: any thread may read it; free it once.
pub struct stytch_sessions_authenticate_jwt_local_response(pub(crate) Handle<Session>);

handle_type!(
    stytch_session => Session,
    stytch_sessions_authenticate_response => SessionsAuthenticateResponse,
    stytch_sessions_revoke_response => SessionsRevokeResponse,
    stytch_sessions_get_response => SessionsGetResponse,
    stytch_sessions_get_jwks_response => JwksResponse,
    stytch_sessions_authenticate_jwt_local_response => Session,
);

impl stytch_sessions_get_response {
    /// The response with a view of each session (a user has few).
    pub(crate) fn new(handle: Handle<SessionsGetResponse>) -> Self {
        let sessions = handle.sessions.iter().cloned().map(Handle::new);
        let sessions = sessions.map(stytch_session).collect();
        Self(handle, sessions)
    }
}

/// `session_id`. Borrowed; NULL for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_session_id(session: Option<&stytch_session>) -> *const c_char {
    read(session, null(), |s| s.c_str(&s.session_id))
}

/// `user_id` of the session's user. Borrowed; NULL for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_user_id(session: Option<&stytch_session>) -> *const c_char {
    read(session, null(), |s| s.c_str(&s.user_id))
}

/// `started_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_started_at(session: Option<&stytch_session>) -> *const c_char {
    read(session, null(), |s| s.c_time(&s.started_at))
}

/// `last_accessed_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_last_accessed_at(
    session: Option<&stytch_session>,
) -> *const c_char {
    read(session, null(), |s| s.c_time(&s.last_accessed_at))
}

/// `expires_at`, RFC 3339 UTC. Borrowed; NULL for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_expires_at(session: Option<&stytch_session>) -> *const c_char {
    read(session, null(), |s| s.c_time(&s.expires_at))
}

/// `attributes` (`ip_address`, `user_agent`) as JSON object text. Borrowed;
/// NULL for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_attributes(session: Option<&stytch_session>) -> *const c_char {
    read(session, null(), |s| s.c_json(&s.attributes))
}

/// `authentication_factors` as JSON array text. Borrowed; NULL for a NULL
/// session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_authentication_factors(
    session: Option<&stytch_session>,
) -> *const c_char {
    read(session, null(), |s| s.c_json(&s.authentication_factors))
}

/// `custom_claims` as JSON object text (`"{}"` when none). Borrowed; NULL for
/// a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_custom_claims(session: Option<&stytch_session>) -> *const c_char {
    read(session, null(), |s| s.c_json(&s.custom_claims))
}

/// Number of `roles`; 0 for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_roles_len(session: Option<&stytch_session>) -> usize {
    read(session, 0, |s| s.roles.len())
}

/// `roles[i]`. Borrowed; NULL out of range or for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_role(session: Option<&stytch_session>, i: usize) -> *const c_char {
    read(session, null(), |s| {
        s.c_opt(s.roles.get(i).map(String::as_str))
    })
}

/// The session as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL session.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_session_to_json(session: Option<&stytch_session>) -> *mut c_char {
    read_json(session, |s| s.body())
}

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_response_request_id(
    response: Option<&stytch_sessions_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_response_status_code(
    response: Option<&stytch_sessions_authenticate_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `session`, extended as asked. Borrowed: valid until the response is
/// freed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_response_session(
    response: Option<&stytch_sessions_authenticate_response>,
) -> *const stytch_session {
    read(response, null(), |r| r.session_view())
}

/// `session_token`: the one presented, or (for a JWT) the session's new
/// token. Borrowed; secret. NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_response_session_token(
    response: Option<&stytch_sessions_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.session_token))
}

/// `session_jwt`, minted now. Borrowed; secret. NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_response_session_jwt(
    response: Option<&stytch_sessions_authenticate_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.session_jwt))
}

/// `user`, the session's user. Borrowed: valid until the response is freed;
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_response_user(
    response: Option<&stytch_sessions_authenticate_response>,
) -> *const stytch_user {
    read(response, null(), |r| r.user_view())
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_response_to_json(
    response: Option<&stytch_sessions_authenticate_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_authenticate_response_free(
    response: *mut stytch_sessions_authenticate_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_revoke_response_request_id(
    response: Option<&stytch_sessions_revoke_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_revoke_response_status_code(
    response: Option<&stytch_sessions_revoke_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_revoke_response_to_json(
    response: Option<&stytch_sessions_revoke_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_revoke_response_free(
    response: *mut stytch_sessions_revoke_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_response_request_id(
    response: Option<&stytch_sessions_get_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_response_status_code(
    response: Option<&stytch_sessions_get_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// Number of `sessions` (the user's live ones); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_response_sessions_len(
    response: Option<&stytch_sessions_get_response>,
) -> usize {
    read(response, 0, |r| r.1.len())
}

/// `sessions[i]`, oldest first. Borrowed: valid until the response is freed;
/// NULL out of range or for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_response_session(
    response: Option<&stytch_sessions_get_response>,
    i: usize,
) -> *const stytch_session {
    read(response, null(), |r| {
        r.1.get(i).map_or(null(), |s| s as *const stytch_session)
    })
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_response_to_json(
    response: Option<&stytch_sessions_get_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_get_response_free(
    response: *mut stytch_sessions_get_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `request_id`. Borrowed; NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_jwks_response_request_id(
    response: Option<&stytch_sessions_get_jwks_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_str(&r.request_id))
}

/// `status_code` (200); 0 for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_jwks_response_status_code(
    response: Option<&stytch_sessions_get_jwks_response>,
) -> i32 {
    read(response, 0, |r| i32::from(r.status_code))
}

/// `keys`, the published JWKs (`kty`, `use`, `key_ops`, `alg`, `kid`, `x5c`,
/// `x5tS256`, `n`, `e`), as JSON array text. Borrowed; NULL for a NULL
/// response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_jwks_response_keys(
    response: Option<&stytch_sessions_get_jwks_response>,
) -> *const c_char {
    read(response, null(), |r| r.c_json(&r.keys))
}

/// The response as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL response.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_get_jwks_response_to_json(
    response: Option<&stytch_sessions_get_jwks_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
}

/// Frees the response. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a response not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_get_jwks_response_free(
    response: *mut stytch_sessions_get_jwks_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}

/// `session`, as the verified JWT's claims describe it. Borrowed: valid until
/// the result is freed; NULL for a NULL result.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_jwt_local_response_session(
    response: Option<&stytch_sessions_authenticate_jwt_local_response>,
) -> *const stytch_session {
    read(response, null(), |r| r.session_view())
}

/// The session as Stytch's JSON. Owned: release with `stytch_string_free`.
/// NULL for a NULL result.
#[unsafe(no_mangle)]
pub extern "C" fn stytch_sessions_authenticate_jwt_local_response_to_json(
    response: Option<&stytch_sessions_authenticate_jwt_local_response>,
) -> *mut c_char {
    read_json(response, |r| r.body())
}

/// Frees the result. NULL is a no-op.
///
/// # Safety
/// `response` is NULL or a result not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn stytch_sessions_authenticate_jwt_local_response_free(
    response: *mut stytch_sessions_authenticate_jwt_local_response,
) {
    // SAFETY: forwarded from the caller.
    unsafe { free(response) }
}
