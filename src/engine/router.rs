//! `stytch_call`: Stytch's HTTP routes, bodies in and out as JSON. Each route
//! fills its typed request (`request.rs`) and the engine serves it.

use super::Client;
use super::error::ApiError;
use super::json::{Json, write_json};
use super::models::ErrorResponse;
use super::request::{
    AuthenticateRequest, CreateTotpRequest, DeleteTotpRequest, DeleteUserRequest, Fields,
    FromFields, GetUserRequest, Input, JwksRequest, RecoverRequest, RecoveryCodesRequest, Request,
    SessionsAuthenticateRequest, SessionsGetRequest, SessionsRevokeRequest, echo,
};
use super::search::SearchUsersRequest;
use super::users::CreateUserRequest;
use percent_encoding::percent_decode_str;

pub fn call(client: &Client, method: &str, path: &str, body: Option<&str>) -> Json {
    match route(client, method, path, body) {
        Ok(json) => json,
        Err(e) => write_json(&e),
    }
}

/// Serves a request read by the JSON door.
fn serve<R: Request>(client: &Client, request: Result<R, ApiError>) -> Result<Json, ErrorResponse> {
    let request = request.map_err(|e| client.error(e))?;
    request.serve(client).map(|body| write_json(&body))
}

fn route(
    client: &Client,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<Json, ErrorResponse> {
    // No route has more than three segments; a longer path matches none.
    let mut found = [""; 4];
    let mut count = 0;
    for segment in path
        .strip_prefix("/v1/")
        .unwrap_or("")
        .split('/')
        .take(found.len())
    {
        found[count] = segment;
        count += 1;
    }
    let segments = &found[..count];
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
    match (method, segments) {
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

#[cfg(test)]
mod tests {
    use super::super::config::IN_MEMORY;
    use super::super::models::to_json;
    use super::super::{Config, ErrorResponse};
    use super::*;
    use serde::Serialize;
    use serde_json::Value;

    const PROJECT: &str = "project-test-00000000-0000-0000-0000-000000000000";

    /// Serves a request as the router does, and checks that the body it
    /// answers is written byte for byte as serde_json writes it.
    fn served<R: Request>(client: &Client, request: Result<R, ApiError>) -> Value {
        fn same<T: Serialize>(body: &T) -> Value {
            let ours = to_json(body);
            assert_eq!(ours.as_str(), serde_json::to_string(body).unwrap());
            serde_json::from_str(&ours).unwrap()
        }
        let response: Result<R::Response, ErrorResponse> = request
            .map_err(|e| client.error(e))
            .and_then(|r| r.serve(client));
        match response {
            Ok(body) => same(&body),
            Err(e) => same(&e),
        }
    }

    /// As `served`, for a request that must succeed.
    fn ok<R: Request>(client: &Client, request: Result<R, ApiError>) -> Value {
        let body = served(client, request);
        assert_eq!(body["status_code"], 200, "{body}");
        body
    }

    fn text(body: &Value, key: &str) -> String {
        body[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} in {body}"))
            .to_owned()
    }

    #[test]
    fn every_route_answers_the_bytes_serde_json_would_write() {
        let client = Client::new(Config {
            database: IN_MEMORY.to_owned(),
            project_id: Some(PROJECT.to_owned()),
            ..Config::default()
        })
        .unwrap();
        let t = 1_700_000_010;
        client.set_time(t).unwrap();
        let user = ok(
            &client,
            CreateUserRequest::from_json(Some(
                r#"{"email":"zoe@example.com","phone_number":"+12025550123",
                "name":{"first_name":"Zoë \"Q\"","middle_name":"Ö","last_name":"\\/"},
                "trusted_metadata":{"n":[1,2.5,-3e-7,true,null,18446744073709551615],"s":"\u2028\t\u0001"},
                "untrusted_metadata":{"z":{"y":"é😀"},"a":{}},"external_id":"ext-1"}"#,
            )),
        );
        let user_id = text(&user, "user_id");
        let by_id = |id: &str| format!(r#"{{"user_id":"{id}"}}"#);
        ok(
            &client,
            SearchUsersRequest::from_json(Some(r#"{"limit":1}"#)),
        );
        ok(&client, GetUserRequest::new(Input::Text(&user_id)));
        let totp = ok(
            &client,
            CreateTotpRequest::from_json(Some(&by_id(&user_id))),
        );
        let code = crate::otp::CodeGenerator::from_base32(&text(&totp, "secret"))
            .unwrap()
            .code_at(t);
        let code = std::str::from_utf8(&code).unwrap();
        let signed_in = ok(
            &client,
            AuthenticateRequest::from_json(Some(&format!(
                r#"{{"user_id":"{user_id}","totp_code":"{code}","session_duration_minutes":60,
                "session_custom_claims":{{"k":[1,"v\"",{{"x":null}}]}}}}"#
            ))),
        );
        let token = text(&signed_in, "session_token");
        assert!(!token.is_empty());
        let by_token = format!(r#"{{"session_token":"{token}"}}"#);
        ok(
            &client,
            SessionsAuthenticateRequest::from_json(Some(&by_token)),
        );
        ok(&client, SessionsGetRequest::new(Input::Text(&user_id)));
        ok(&client, JwksRequest::new(Input::Text(PROJECT)));
        let codes = ok(
            &client,
            RecoveryCodesRequest::from_json(Some(&by_id(&user_id))),
        );
        let recovery_code = codes["totps"][0]["recovery_codes"][0].as_str().unwrap();
        ok(
            &client,
            RecoverRequest::from_json(Some(&format!(
                r#"{{"user_id":"{user_id}","recovery_code":"{recovery_code}"}}"#
            ))),
        );
        ok(&client, SessionsRevokeRequest::from_json(Some(&by_token)));
        // The code was used: a replay, refused.
        let refused = served(
            &client,
            AuthenticateRequest::from_json(Some(&format!(
                r#"{{"user_id":"{user_id}","totp_code":"{code}"}}"#
            ))),
        );
        assert!(refused["error_type"].is_string(), "{refused}");
        ok(
            &client,
            DeleteTotpRequest::new(Input::Text(&text(&totp, "totp_id"))),
        );
        ok(&client, DeleteUserRequest::new(Input::Text(&user_id)));
        let unknown = call(&client, "PATCH", "/v1/users", None);
        assert_eq!(
            serde_json::from_str::<Value>(&unknown).unwrap()["error_type"],
            "route_not_found"
        );
    }
}
