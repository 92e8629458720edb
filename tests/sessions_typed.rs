//! The typed session functions of the C ABI: each answers as `stytch_call`
//! does for its route, the TOTP sign-ins start sessions through them, and
//! `stytch_sessions_authenticate_jwt_local` verifies a JWT as the official
//! SDKs do locally (signature, issuer, audience, lifetime with a leeway,
//! maximum age) without reading the session from the store.

mod common;

use common::*;
use serde_json::{Value, json};
use std::ffi::c_char;
use std::ptr::{self, null};
use stytch_totp::ffi::*;

const T: i64 = 1_700_000_010;
const PROJECT: &str = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const OTHER_PROJECT: &str = "project-test-0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d";

fn api(project: &str) -> Api {
    Api::new(json!({"database": ":memory:", "project_id": project}))
}

fn text(p: *const c_char) -> String {
    borrowed(p).expect("NULL")
}

/// Drops `request_id` from a body.
fn less_request_id(mut body: Value) -> Value {
    body.as_object_mut().unwrap().remove("request_id");
    body
}

/// A session started at `t` by the typed TOTP sign-in: (user_id, secret,
/// the response as JSON).
fn signed_in(api: &Api, t: i64, claims: Option<&str>) -> (String, String, Value) {
    let (user_id, secret, _) = api.verified_user(t - 30);
    api.set_time(t);
    let (user, code) = (cstr(&user_id), cstr(&code_at(&secret, t)));
    let claims = claims.map(cstr);
    let mut err = ptr::null_mut();
    let r = unsafe {
        stytch_totp_authenticate_with_session(
            api.client,
            user.as_ptr(),
            code.as_ptr(),
            null(),
            null(),
            60,
            claims.as_ref().map_or(null(), |c| c.as_ptr()),
            &mut err,
        )
    };
    assert!(!r.is_null(), "{}", take_error(err));
    let session = stytch_totp_authenticate_response_session(h(r));
    assert_eq!(text(stytch_session_user_id(h(session))), user_id);
    let body: Value = serde_json::from_str(&take_string(
        stytch_totp_authenticate_response_to_json(h(r)),
    ))
    .unwrap();
    assert_eq!(
        text(stytch_session_session_id(h(session))),
        body["session"]["session_id"].as_str().unwrap()
    );
    assert_eq!(
        text(stytch_totp_authenticate_response_session_jwt(h(r))),
        body["session_jwt"].as_str().unwrap()
    );
    unsafe { stytch_totp_authenticate_response_free(r) };
    (user_id, secret, body)
}

/// `stytch_sessions_authenticate_jwt_local`: the session as JSON, or the error body.
fn verify_local(api: &Api, jwt: &str, max_age: i64, leeway: i32) -> Result<Value, Value> {
    let jwt = cstr(jwt);
    let mut err = ptr::null_mut();
    let r = unsafe {
        stytch_sessions_authenticate_jwt_local(api.client, jwt.as_ptr(), max_age, leeway, &mut err)
    };
    if r.is_null() {
        return Err(take_error(err));
    }
    let session = stytch_sessions_authenticate_jwt_local_response_session(h(r));
    let json: Value =
        serde_json::from_str(&take_string(stytch_session_to_json(h(session)))).unwrap();
    let whole: Value = serde_json::from_str(&take_string(
        stytch_sessions_authenticate_jwt_local_response_to_json(h(r)),
    ))
    .unwrap();
    assert_eq!(json, whole);
    unsafe { stytch_sessions_authenticate_jwt_local_response_free(r) };
    Ok(json)
}

fn refused(result: Result<Value, Value>) -> Value {
    let body = result.expect_err("the JWT was accepted");
    assert_eq!(body["status_code"], 401, "{body}");
    assert_eq!(body["error_type"], "unable_to_parse_session_jwt", "{body}");
    body
}

#[test]
fn a_typed_sign_in_starts_the_session_stytch_call_sees() {
    let api = api(PROJECT);
    let (user_id, _, body) = signed_in(&api, T, Some(r#"{"plan": "pro"}"#));
    assert_eq!(body["session"]["custom_claims"], json!({"plan": "pro"}));
    assert!(!body["session_token"].as_str().unwrap().is_empty());
    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(listed["sessions"][0], body["session"]);
}

#[test]
fn the_typed_session_routes_answer_as_stytch_call() {
    let api = api(PROJECT);
    let (user_id, _, body) = signed_in(&api, T, None);
    let token = cstr(body["session_token"].as_str().unwrap());
    let mut err = ptr::null_mut();

    // authenticate: by token, extended, with claims merged.
    api.set_time(T + 60);
    let claims = cstr(r#"{"team": 7}"#);
    let r = unsafe {
        stytch_sessions_authenticate(
            api.client,
            token.as_ptr(),
            null(),
            120,
            claims.as_ptr(),
            &mut err,
        )
    };
    assert!(!r.is_null());
    assert_eq!(stytch_sessions_authenticate_response_status_code(h(r)), 200);
    let session = stytch_sessions_authenticate_response_session(h(r));
    assert_eq!(
        text(stytch_session_custom_claims(h(session))),
        r#"{"team":7}"#
    );
    assert_eq!(
        text(stytch_session_expires_at(h(session))),
        "2023-11-15T00:14:30Z"
    );
    assert_eq!(stytch_session_roles_len(h(session)), 1);
    assert_eq!(text(stytch_session_role(h(session), 0)), "stytch_user");
    assert!(stytch_session_role(h(session), 1).is_null());
    assert_eq!(
        text(stytch_user_user_id(h(
            stytch_sessions_authenticate_response_user(h(r))
        ))),
        user_id
    );
    assert_eq!(
        text(stytch_sessions_authenticate_response_session_token(h(r))),
        body["session_token"]
    );
    let typed: Value = serde_json::from_str(&take_string(
        stytch_sessions_authenticate_response_to_json(h(r)),
    ))
    .unwrap();
    unsafe { stytch_sessions_authenticate_response_free(r) };
    let by_json = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": body["session_token"]}),
    );
    assert_eq!(
        less_request_id(by_json.clone())["session"],
        typed["session"]
    );

    // get: the one live session, as stytch_call lists it.
    let user = cstr(&user_id);
    let r = unsafe { stytch_sessions_get(api.client, user.as_ptr(), &mut err) };
    assert!(!r.is_null());
    assert_eq!(stytch_sessions_get_response_sessions_len(h(r)), 1);
    assert!(stytch_sessions_get_response_session(h(r), 1).is_null());
    let first = stytch_sessions_get_response_session(h(r), 0);
    assert_eq!(
        text(stytch_session_session_id(h(first))),
        typed["session"]["session_id"]
    );
    let typed: Value =
        serde_json::from_str(&take_string(stytch_sessions_get_response_to_json(h(r)))).unwrap();
    unsafe { stytch_sessions_get_response_free(r) };
    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(less_request_id(typed), less_request_id(listed));

    // get_jwks: the keys stytch_call publishes.
    let project = cstr(PROJECT);
    let r = unsafe { stytch_sessions_get_jwks(api.client, project.as_ptr(), &mut err) };
    assert!(!r.is_null());
    let keys: Value =
        serde_json::from_str(&text(stytch_sessions_get_jwks_response_keys(h(r)))).unwrap();
    unsafe { stytch_sessions_get_jwks_response_free(r) };
    let jwks = api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({}));
    assert_eq!(keys, jwks["keys"]);

    // revoke: the session is gone for both doors.
    let r = unsafe { stytch_sessions_revoke(api.client, null(), token.as_ptr(), null(), &mut err) };
    assert!(!r.is_null());
    assert_eq!(stytch_sessions_revoke_response_status_code(h(r)), 200);
    unsafe { stytch_sessions_revoke_response_free(r) };
    let (status, gone) = api.call(
        "POST",
        "/v1/sessions/authenticate",
        &json!({"session_token": body["session_token"]}),
    );
    assert_eq!(
        (status, gone["error_type"].as_str()),
        (404, Some("session_not_found"))
    );
    let r = unsafe { stytch_sessions_revoke(api.client, null(), token.as_ptr(), null(), &mut err) };
    assert!(r.is_null());
    assert_eq!(take_error(err)["error_type"], "session_not_found");
}

#[test]
fn bad_session_arguments_are_refused_before_the_code_is_used() {
    let api = api(PROJECT);
    let (user_id, secret, _) = api.verified_user(T - 30);
    api.set_time(T);
    let (user, code) = (cstr(&user_id), cstr(&code_at(&secret, T)));
    for (claims, minutes, error_type) in [
        (Some("not json"), 60, "bad_request"),
        (Some("[1]"), 60, "unable_to_represent_custom_claims_json"),
        (None, 4, "invalid_session_duration_minutes"),
        (
            Some(r#"{"sub": "x"}"#),
            60,
            "reserved_claims_in_custom_claims",
        ),
    ] {
        let claims = claims.map(cstr);
        let mut err = ptr::null_mut();
        let r = unsafe {
            stytch_totp_authenticate_with_session(
                api.client,
                user.as_ptr(),
                code.as_ptr(),
                null(),
                null(),
                minutes,
                claims.as_ref().map_or(null(), |c| c.as_ptr()),
                &mut err,
            )
        };
        assert!(r.is_null());
        assert_eq!(take_error(err)["error_type"], error_type);
    }
    // The code is still unused.
    let (status, body) = api.authenticate(&user_id, &code_at(&secret, T));
    assert_eq!(status, 200, "{body}");
}

#[test]
fn local_verification_accepts_a_fresh_jwt_and_returns_its_session() {
    let api = api(PROJECT);
    let (_, _, body) = signed_in(&api, T, Some(r#"{"plan": "pro"}"#));
    let jwt = body["session_jwt"].as_str().unwrap();
    let session = verify_local(&api, jwt, -1, 0).unwrap();
    let mut expected = body["session"].clone();
    // The JWT carries the factors in the shorter form Stytch mints.
    expected["authentication_factors"] = session["authentication_factors"].clone();
    assert_eq!(session, expected);
    assert_eq!(session["custom_claims"], json!({"plan": "pro"}));
    assert_eq!(
        session["authentication_factors"][0]["type"],
        body["session"]["authentication_factors"][0]["type"]
    );
}

#[test]
fn local_verification_reads_no_session_from_the_store() {
    let api = api(PROJECT);
    let (_, _, body) = signed_in(&api, T, None);
    let jwt = body["session_jwt"].as_str().unwrap();
    let id = body["session"]["session_id"].as_str().unwrap();
    api.ok("POST", "/v1/sessions/revoke", json!({"session_id": id}));
    // As the SDKs' local check: the revoked session's JWT verifies until it
    // expires; the API's authenticate knows better.
    assert_eq!(verify_local(&api, jwt, -1, 0).unwrap()["session_id"], id);
    let (status, _) = api.call(
        "POST",
        "/v1/sessions/authenticate",
        &json!({"session_jwt": jwt}),
    );
    assert_eq!(status, 404);
}

#[test]
fn local_verification_refuses_a_tampered_jwt() {
    let api = api(PROJECT);
    let (_, _, body) = signed_in(&api, T, None);
    let jwt = body["session_jwt"].as_str().unwrap();
    let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
    // Another user in the claims, the signature kept.
    let payload = String::from_utf8(base64url_decode(&parts[1])).unwrap();
    let forged = payload.replacen("\"sub\":\"user-test-", "\"sub\":\"user-test-0", 1);
    assert_ne!(forged, payload);
    parts[1] = base64url_encode(forged.as_bytes());
    refused(verify_local(&api, &parts.join("."), -1, 0));
    // One flipped signature bit.
    let mut signature = base64url_decode(&parts[2]);
    signature[0] ^= 1;
    let flipped = format!(
        "{}.{}",
        jwt.rsplit_once('.').unwrap().0,
        base64url_encode(&signature)
    );
    refused(verify_local(&api, &flipped, -1, 0));
    refused(verify_local(&api, "not.a.jwt", -1, 0));
}

#[test]
fn local_verification_refuses_an_expired_jwt_unless_within_the_leeway() {
    let api = api(PROJECT);
    let (_, _, body) = signed_in(&api, T, None);
    let jwt = body["session_jwt"].as_str().unwrap();
    api.set_time(T + 299);
    verify_local(&api, jwt, -1, 0).unwrap();
    api.set_time(T + 300);
    refused(verify_local(&api, jwt, -1, 0));
    verify_local(&api, jwt, -1, 10).unwrap();
    api.set_time(T + 310);
    refused(verify_local(&api, jwt, -1, 10));
}

#[test]
fn local_verification_refuses_a_jwt_older_than_the_maximum_age() {
    let api = api(PROJECT);
    let (_, _, body) = signed_in(&api, T, None);
    let jwt = body["session_jwt"].as_str().unwrap();
    api.set_time(T + 59);
    verify_local(&api, jwt, 60, 0).unwrap();
    api.set_time(T + 60);
    refused(verify_local(&api, jwt, 60, 0));
    // 0 refuses every JWT, as the SDKs' max_token_age_seconds=0.
    api.set_time(T);
    refused(verify_local(&api, jwt, 0, 0));
}

#[test]
fn local_verification_refuses_another_projects_jwt() {
    let ours = api(PROJECT);
    signed_in(&ours, T, None);
    let theirs = api(OTHER_PROJECT);
    let (_, _, body) = signed_in(&theirs, T, None);
    refused(verify_local(
        &ours,
        body["session_jwt"].as_str().unwrap(),
        -1,
        0,
    ));
}

#[test]
fn local_verification_finds_keys_rotated_by_another_client_of_the_store() {
    let dir = std::env::temp_dir().join(format!("sessions-typed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("store.db");
    let config = json!({"database": path.to_str().unwrap(), "project_id": PROJECT});
    let (a, b) = (Api::new(config.clone()), Api::new(config));
    // `a` reads the keys first; then `b` rotates past them.
    signed_in(&a, T, None);
    let rotated = T + 400 * 86_400;
    let (_, _, body) = signed_in(&b, rotated, None);
    a.set_time(rotated);
    verify_local(&a, body["session_jwt"].as_str().unwrap(), -1, 0).unwrap();
    drop((a, b));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_arguments_of_local_verification() {
    let api = api(PROJECT);
    let mut err = ptr::null_mut();
    let r = unsafe { stytch_sessions_authenticate_jwt_local(api.client, null(), -1, 0, &mut err) };
    assert!(r.is_null());
    assert_eq!(
        take_error(err)["error_message"],
        "The submitted request is invalid: session_jwt is required"
    );
    let jwt = cstr("a.b.c");
    let r = unsafe {
        stytch_sessions_authenticate_jwt_local(api.client, jwt.as_ptr(), -1, -1, &mut err)
    };
    assert!(r.is_null());
    assert_eq!(
        take_error(err)["error_message"],
        "The submitted request is invalid: leeway_seconds must not be negative"
    );
    let r = unsafe { stytch_sessions_authenticate_jwt_local(None, jwt.as_ptr(), -1, 0, &mut err) };
    assert!(r.is_null());
    assert_eq!(take_error(err)["error_type"], "bad_request");
    let no_project = Api::memory();
    let r = unsafe {
        stytch_sessions_authenticate_jwt_local(no_project.client, jwt.as_ptr(), -1, 0, &mut err)
    };
    assert!(r.is_null());
    assert_eq!(take_error(err)["error_type"], "invalid_config");
    // NULL handles read as absent.
    assert!(stytch_sessions_authenticate_jwt_local_response_session(None).is_null());
    assert!(stytch_session_session_id(None).is_null());
    assert_eq!(stytch_session_roles_len(None), 0);
    unsafe { stytch_sessions_authenticate_jwt_local_response_free(ptr::null_mut()) };
}

fn base64url_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn base64url_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
