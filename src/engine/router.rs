//! `stytch_call`: Stytch's HTTP routes, bodies in and out as JSON.

use super::Client;
use super::error::ApiError;
use super::models::{ErrorResponse, to_json};
use super::request::{Fields, echo};
use super::search::SearchUsersRequest;
use super::users::CreateUserRequest;
use crate::otp::SecretString;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use zeroize::Zeroizing;

/// Session parameters Stytch accepts on authenticate and recover; refused until
/// sessions exist, before the code is looked at (so it is not consumed).
const SESSION_PARAMETERS: [&str; 4] = [
    "session_token",
    "session_jwt",
    "session_duration_minutes",
    "session_custom_claims",
];

pub fn call(client: &Client, method: &str, path: &str, body: Option<&str>) -> Zeroizing<String> {
    match route(client, method, path, body) {
        Ok(json) => json,
        Err(e) => to_json(&e),
    }
}

fn reply<T: Serialize>(
    result: Result<T, ErrorResponse>,
) -> Result<Zeroizing<String>, ErrorResponse> {
    result.map(|body| to_json(&body))
}

fn route(
    client: &Client,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<Zeroizing<String>, ErrorResponse> {
    let fail = |e: ApiError| client.error(e);
    let segments: Vec<&str> = path.strip_prefix("/v1/").unwrap_or("").split('/').collect();
    match (method, segments.as_slice()) {
        ("POST", ["users"]) => {
            let request = CreateUserRequest::from_json(body).map_err(fail)?;
            reply(client.create_user(&request))
        }
        ("POST", ["users", "search"]) => {
            let request = SearchUsersRequest::from_json(body).map_err(fail)?;
            reply(client.search_users(&request))
        }
        ("GET", ["users", id]) => {
            let id = path_segment(id, body).map_err(fail)?;
            reply(client.get_user(&id))
        }
        ("DELETE", ["users", id]) => {
            let id = path_segment(id, body).map_err(fail)?;
            reply(client.delete_user(&id))
        }
        ("DELETE", ["users", "totps", id]) => {
            let id = path_segment(id, body).map_err(fail)?;
            reply(client.delete_totp(&id))
        }
        ("POST", ["totps"]) => {
            let (user_id, minutes) = parse_create(body).map_err(fail)?;
            reply(client.create_totp(&user_id, minutes))
        }
        ("POST", ["totps", "authenticate"]) => {
            let (user_id, code) = parse_attempt(body, "totp_code").map_err(fail)?;
            reply(client.authenticate_totp(&user_id, code.expose()))
        }
        ("POST", ["totps", "recovery_codes"]) => {
            let mut fields = Fields::parse(body).map_err(fail)?;
            let user_id = fields.str("user_id").map_err(fail)?;
            fields.finish().map_err(fail)?;
            reply(client.recovery_codes(&user_id))
        }
        ("POST", ["totps", "recover"]) => {
            let (user_id, code) = parse_attempt(body, "recovery_code").map_err(fail)?;
            reply(client.recover(&user_id, code.expose()))
        }
        // Neither the path nor an odd method is repeated: either may carry a code.
        _ => Err(fail(ApiError::route_not_found(&echo(method)))),
    }
}

/// A percent-decoded ID from the path; such routes take no body fields.
fn path_segment(segment: &str, body: Option<&str>) -> Result<String, ApiError> {
    Fields::parse(body)?.finish()?;
    percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| ApiError::bad_request("the path is not valid percent-encoded UTF-8"))
}

fn parse_create(body: Option<&str>) -> Result<(String, Option<i64>), ApiError> {
    let mut fields = Fields::parse(body)?;
    let user_id = fields.str("user_id")?;
    // Range errors are `invalid_expiration`, decided by the engine.
    let minutes = fields.opt_int("expiration_minutes")?;
    fields.finish()?;
    Ok((user_id, minutes))
}

/// `{user_id, <code_field>}` of authenticate and recover.
fn parse_attempt(body: Option<&str>, code_field: &str) -> Result<(String, SecretString), ApiError> {
    let mut fields = Fields::parse(body)?;
    for parameter in SESSION_PARAMETERS {
        fields.refuse(parameter, "sessions are not available in this library yet")?;
    }
    fields.refuse(
        "telemetry_id",
        "device fingerprinting is not available offline",
    )?;
    let user_id = fields.str("user_id")?;
    let code = SecretString::from(fields.str(code_field)?);
    fields.finish()?;
    Ok((user_id, code))
}
