//! `stytch_call`: Stytch's HTTP routes, bodies in and out as JSON. Each route
//! fills its typed request (`request.rs`) and the engine serves it.

use super::Client;
use super::error::ApiError;
use super::models::{ErrorResponse, to_json};
use super::request::{
    AuthenticateRequest, CreateTotpRequest, DeleteTotpRequest, DeleteUserRequest, Fields,
    FromFields, GetUserRequest, Input, JwksRequest, RecoverRequest, RecoveryCodesRequest, Request,
    SessionsAuthenticateRequest, SessionsGetRequest, SessionsRevokeRequest, echo,
};
use super::search::SearchUsersRequest;
use super::users::CreateUserRequest;
use percent_encoding::percent_decode_str;
use zeroize::Zeroizing;

pub fn call(client: &Client, method: &str, path: &str, body: Option<&str>) -> Zeroizing<String> {
    match route(client, method, path, body) {
        Ok(json) => json,
        Err(e) => to_json(&e),
    }
}

/// Serves a request read by the JSON door.
fn serve<R: Request>(
    client: &Client,
    request: Result<R, ApiError>,
) -> Result<Zeroizing<String>, ErrorResponse> {
    let request = request.map_err(|e| client.error(e))?;
    request.serve(client).map(|body| to_json(&body))
}

fn route(
    client: &Client,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<Zeroizing<String>, ErrorResponse> {
    let segments: Vec<&str> = path.strip_prefix("/v1/").unwrap_or("").split('/').collect();
    // A path's ID, percent-decoded; such routes take no body fields.
    let id = |segment: &str| -> Result<String, ApiError> {
        Fields::parse(body)?.finish()?;
        percent_decode_str(segment)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| ApiError::bad_request("the path is not valid percent-encoded UTF-8"))
    };
    if let Some(query) = path.strip_prefix("/v1/sessions?") {
        return match method {
            "GET" => serve(client, sessions_query(query, body)),
            _ => Err(client.error(ApiError::route_not_found(&echo(method)))),
        };
    }
    match (method, segments.as_slice()) {
        ("POST", ["users"]) => serve(client, CreateUserRequest::from_json(body)),
        ("POST", ["users", "search"]) => serve(client, SearchUsersRequest::from_json(body)),
        ("GET", ["users", user_id]) => serve(
            client,
            id(user_id).and_then(|id| GetUserRequest::new(Input::Text(&id))),
        ),
        ("DELETE", ["users", user_id]) => serve(
            client,
            id(user_id).and_then(|id| DeleteUserRequest::new(Input::Text(&id))),
        ),
        ("DELETE", ["users", "totps", totp_id]) => serve(
            client,
            id(totp_id).and_then(|id| DeleteTotpRequest::new(Input::Text(&id))),
        ),
        ("POST", ["totps"]) => serve(client, CreateTotpRequest::from_json(body)),
        ("POST", ["totps", "authenticate"]) => serve(client, AuthenticateRequest::from_json(body)),
        ("POST", ["totps", "recovery_codes"]) => {
            serve(client, RecoveryCodesRequest::from_json(body))
        }
        ("POST", ["totps", "recover"]) => serve(client, RecoverRequest::from_json(body)),
        ("GET", ["sessions", "jwks", project_id]) => serve(
            client,
            id(project_id).and_then(|id| JwksRequest::new(Input::Text(&id))),
        ),
        ("POST", ["sessions", "authenticate"]) => {
            serve(client, SessionsAuthenticateRequest::from_json(body))
        }
        ("POST", ["sessions", "revoke"]) => serve(client, SessionsRevokeRequest::from_json(body)),
        ("GET", ["sessions"]) => serve(client, sessions_query("", body)),
        // Neither the path nor an odd method is repeated: either may carry a code.
        _ => Err(client.error(ApiError::route_not_found(&echo(method)))),
    }
}

/// `GET /v1/sessions?user_id=…`: the query's one parameter, percent-decoded.
fn sessions_query(query: &str, body: Option<&str>) -> Result<SessionsGetRequest, ApiError> {
    Fields::parse(body)?.finish()?;
    let mut user_id = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != "user_id" || user_id.is_some() {
            return Err(ApiError::bad_request(format!(
                "unknown or repeated query parameter {}",
                echo(key)
            )));
        }
        let value = percent_decode_str(&value.replace('+', " "))
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| ApiError::bad_request("the query is not valid percent-encoded UTF-8"))?;
        user_id = Some(value);
    }
    let user_id = user_id.as_deref().map_or(Input::Absent, Input::Text);
    SessionsGetRequest::new(user_id)
}
