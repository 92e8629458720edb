//! One answer per bad argument, whatever the door: every case of
//! `tests/data/bad_arguments.json` goes through `stytch_call` (the field left
//! out and sent as `null`) and through the typed C function of its route, and
//! each body, less its `request_id`, must equal the case's `expect`. The
//! Python and Go bindings run the same file.

mod common;

use common::*;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Map, Value, json};
use std::ffi::{CString, c_char};
use std::ptr::{self, null};
use stytch_totp::ffi::*;

const T0: i64 = 1_750_000_020;

fn cases() -> Value {
    serde_json::from_str(include_str!("data/bad_arguments.json")).unwrap()
}

/// The fixture the file describes: a user with a pending TOTP.
fn fixture() -> (Api, String) {
    let api = Api::memory();
    api.set_time(T0);
    let (user_id, _) = api.enrolled_user();
    (api, user_id)
}

/// An argument as C receives it: absent (NULL), or bytes; `None` when C
/// cannot express it (a JSON number where C takes a string).
fn c_arg(value: &Value, user_id: &str) -> Option<Option<CString>> {
    match value {
        Value::Null => Some(None),
        Value::String(s) => Some(Some(CString::new(s.replace("$USER", user_id)).unwrap())),
        Value::Object(o) if o.contains_key("not_utf8") => {
            let hex = o["not_utf8"].as_str().unwrap();
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect::<Vec<u8>>();
            Some(Some(CString::new(bytes).unwrap()))
        }
        Value::Object(o) if o.contains_key("longer_than_cap") => {
            Some(Some(CString::new("a".repeat(MAX_INPUT_LEN + 1)).unwrap()))
        }
        _ => None,
    }
}

/// The argument as the JSON door receives it: `None` when JSON cannot express
/// it (bytes that are not UTF-8, a string over the body's cap).
fn json_arg(value: &Value, user_id: &str) -> Option<Value> {
    match value {
        Value::String(s) => Some(Value::from(s.replace("$USER", user_id))),
        Value::Object(_) => None,
        other => Some(other.clone()),
    }
}

fn ptr_of(arg: &Option<CString>) -> *const c_char {
    arg.as_ref().map_or(null(), |s| s.as_ptr())
}

/// The error body of a call that must fail, less its `request_id`.
fn without_request_id(mut body: Value) -> Value {
    let request_id = body
        .as_object_mut()
        .and_then(|b| b.remove("request_id"))
        .unwrap_or_else(|| panic!("not an error body: {body}"));
    assert!(request_id.as_str().unwrap().starts_with("request-id-test-"));
    body
}

/// The typed C function of `route`, or `None` when C cannot express an argument.
fn typed_call(api: &Api, route: &str, args: &Map<String, Value>, user_id: &str) -> Option<Value> {
    let arg = |name: &str| c_arg(args.get(name).unwrap_or(&Value::Null), user_id);
    let mut err = ptr::null_mut();
    let failed = unsafe {
        match route {
            "users.create" => {
                let body = CString::new(Value::Object(args.clone()).to_string()).unwrap();
                stytch_users_create(api.client, body.as_ptr(), &mut err).is_null()
            }
            "users.get" => {
                stytch_users_get(api.client, ptr_of(&arg("user_id")?), &mut err).is_null()
            }
            "users.delete" => {
                stytch_users_delete(api.client, ptr_of(&arg("user_id")?), &mut err).is_null()
            }
            "users.delete_totp" => {
                stytch_users_delete_totp(api.client, ptr_of(&arg("totp_id")?), &mut err).is_null()
            }
            "totps.create" => {
                let minutes = match args.get("expiration_minutes") {
                    None | Some(Value::Null) => 0,
                    Some(Value::Number(n)) => i32::try_from(n.as_i64()?).ok()?,
                    Some(_) => return None,
                };
                stytch_totp_create(api.client, ptr_of(&arg("user_id")?), minutes, &mut err)
                    .is_null()
            }
            "totps.authenticate" => stytch_totp_authenticate(
                api.client,
                ptr_of(&arg("user_id")?),
                ptr_of(&arg("totp_code")?),
                &mut err,
            )
            .is_null(),
            "totps.recovery_codes" => {
                stytch_totp_recovery_codes(api.client, ptr_of(&arg("user_id")?), &mut err).is_null()
            }
            "totps.recover" => stytch_totp_recover(
                api.client,
                ptr_of(&arg("user_id")?),
                ptr_of(&arg("recovery_code")?),
                &mut err,
            )
            .is_null(),
            "sessions.authenticate" => stytch_sessions_authenticate(
                api.client,
                ptr_of(&arg("session_token")?),
                ptr_of(&arg("session_jwt")?),
                0,
                null(),
                &mut err,
            )
            .is_null(),
            "sessions.revoke" => stytch_sessions_revoke(
                api.client,
                ptr_of(&arg("session_id")?),
                ptr_of(&arg("session_token")?),
                ptr_of(&arg("session_jwt")?),
                &mut err,
            )
            .is_null(),
            "sessions.get" => {
                stytch_sessions_get(api.client, ptr_of(&arg("user_id")?), &mut err).is_null()
            }
            "sessions.get_jwks" => {
                stytch_sessions_get_jwks(api.client, ptr_of(&arg("project_id")?), &mut err)
                    .is_null()
            }
            other => panic!("unknown route {other}"),
        }
    };
    assert!(failed, "{route} {args:?} succeeded");
    Some(take_error(err))
}

/// `stytch_call` for `route`, absent fields left out or sent as `null`; `None`
/// when JSON cannot express an argument.
fn json_call(
    api: &Api,
    spec: &Value,
    args: &Map<String, Value>,
    user_id: &str,
    nulls: bool,
) -> Option<Value> {
    let mut path = spec["path"].as_str().unwrap().to_owned();
    let mut body = Map::new();
    for (name, value) in args {
        let value = json_arg(value, user_id)?;
        let placeholder = format!("{{{name}}}");
        if path.contains(&placeholder) {
            // A path segment is always present: it cannot be absent.
            let text = value.as_str()?;
            path = path.replace(
                &placeholder,
                &utf8_percent_encode(text, NON_ALPHANUMERIC).to_string(),
            );
        } else if nulls || !value.is_null() {
            body.insert(name.clone(), value);
        }
    }
    let (status, out) = api.call(
        spec["method"].as_str().unwrap(),
        &path,
        &Value::Object(body),
    );
    assert_ne!(status, 200, "{path} {args:?} succeeded");
    Some(out)
}

#[test]
fn every_door_gives_each_bad_argument_the_same_body() {
    let file = cases();
    let (api, user_id) = fixture();
    let mut through = [0; 3];
    for case in file["cases"].as_array().unwrap() {
        let route = case["route"].as_str().unwrap();
        let spec = &file["routes"][route];
        let args = case["args"].as_object().unwrap();
        let expect = &case["expect"];
        let bodies = [
            typed_call(&api, route, args, &user_id),
            json_call(&api, spec, args, &user_id, false),
            json_call(&api, spec, args, &user_id, true),
        ];
        assert!(bodies.iter().any(Option::is_some), "no door runs {case}");
        for (door, body) in bodies.into_iter().enumerate() {
            if let Some(body) = body {
                assert_eq!(&without_request_id(body), expect, "door {door}: {case}");
                through[door] += 1;
            }
        }
    }
    // The doors share most cases: each may differ only where it cannot
    // express an argument (a wrong JSON type, bytes that are not UTF-8).
    assert!(through.iter().all(|&n| n >= 40), "{through:?}");
    // Nothing was changed: the user still has one pending TOTP.
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["totps"].as_array().unwrap().len(), 1);
}

#[test]
fn a_null_client_is_an_absent_argument_at_every_door() {
    let expect = json!({
        "status_code": 400,
        "error_type": "bad_request",
        "error_message": "The submitted request is invalid: client is required",
        "error_url": "https://stytch.com/docs/api-reference/consumer/api/errors/400#bad_request",
    });
    let mut err = ptr::null_mut();
    assert!(unsafe { stytch_users_get(None, c"x".as_ptr(), &mut err) }.is_null());
    assert_eq!(without_request_id(take_error(err)), expect);
    let out =
        take_string(unsafe { stytch_call(None, c"GET".as_ptr(), c"/v1/users/x".as_ptr(), null()) });
    assert_eq!(
        without_request_id(serde_json::from_str(&out).unwrap()),
        expect
    );
}
