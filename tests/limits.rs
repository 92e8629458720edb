//! Resource limits: every cap on input size and nesting is enforced, with an
//! error that says which limit, and nothing near a limit crashes.
//!
//! Caps: any string argument 1 MiB (`MAX_INPUT_LEN`), a request body 64 KiB
//! (`MAX_BODY_LEN`), IDs 256 bytes (an external_id 128 characters), name parts 256, metadata 4 KiB of JSON,
//! issuer `MAX_ISSUER_LEN`, database path `MAX_PATH_LEN`, JSON nesting 128
//! (serde_json's recursion limit).

mod common;

use common::*;
use serde_json::{Value, json};
use std::ptr;
use stytch_totp::engine::MAX_EXTERNAL_ID_LEN;
use stytch_totp::engine::config::{MAX_ISSUER_LEN, MAX_PATH_LEN};
use stytch_totp::engine::request::MAX_BODY_LEN;
use stytch_totp::ffi::*;

const MAX_ID_LEN: usize = 256;
const MAX_METADATA_LEN: usize = 4096;

/// `stytch_call` with a raw body string.
fn call_raw(api: &Api, method: &str, path: &str, body: &str) -> Value {
    let (m, p, b) = (cstr(method), cstr(path), cstr(body));
    let out = take_string(unsafe { stytch_call(api.client, m.as_ptr(), p.as_ptr(), b.as_ptr()) });
    serde_json::from_str(&out).unwrap()
}

fn assert_error(body: &Value, status: u64, error_type: &str, says: &str) {
    assert_eq!(body["status_code"], status, "{body}");
    assert_eq!(body["error_type"], error_type, "{body}");
    let message = body["error_message"].as_str().unwrap();
    assert!(
        message.contains(says),
        "{message:?} should mention {says:?}"
    );
}

#[test]
fn strings_over_one_mib_are_refused_at_the_boundary() {
    let api = Api::memory();
    let huge = cstr(&"a".repeat(MAX_INPUT_LEN + 1));
    let (post, path) = (cstr("POST"), cstr("/v1/users"));
    for (m, p, b) in [
        (huge.as_ptr(), path.as_ptr(), ptr::null()),
        (post.as_ptr(), huge.as_ptr(), ptr::null()),
        (post.as_ptr(), path.as_ptr(), huge.as_ptr()),
    ] {
        let out = take_string(unsafe { stytch_call(api.client, m, p, b) });
        let body: Value = serde_json::from_str(&out).unwrap();
        assert_error(&body, 400, "bad_request", "longer than 1048576 bytes");
    }
    let mut err = ptr::null_mut();
    assert!(unsafe { stytch_users_create(api.client, huge.as_ptr(), &mut err) }.is_null());
    assert_error(
        &take_error(err),
        400,
        "bad_request",
        "longer than 1048576 bytes",
    );
    let mut err = ptr::null_mut();
    assert!(unsafe { stytch_users_get(api.client, huge.as_ptr(), &mut err) }.is_null());
    assert_error(
        &take_error(err),
        400,
        "bad_request",
        "user_id is longer than 1048576 bytes",
    );
    let mut err = ptr::null_mut();
    assert!(unsafe { stytch_client_new(huge.as_ptr(), &mut err) }.is_null());
    assert_error(
        &take_error(err),
        400,
        "bad_request",
        "longer than 1048576 bytes",
    );
    assert!(unsafe { stytch_totp_code(huge.as_ptr(), 0) }.is_null());
}

#[test]
fn request_bodies_over_64_kib_are_refused() {
    let api = Api::memory();
    // Exactly the cap: read (and refused for its unknown field, not its size).
    let filler = |len: usize| {
        let shell = r#"{"x":""}"#.len();
        format!(r#"{{"x":"{}"}}"#, "a".repeat(len - shell))
    };
    let at_cap = filler(MAX_BODY_LEN);
    assert_eq!(at_cap.len(), MAX_BODY_LEN);
    assert_error(
        &call_raw(&api, "POST", "/v1/users", &at_cap),
        400,
        "bad_request",
        "unknown field \"x\"",
    );
    let over = filler(MAX_BODY_LEN + 1);
    for path in [
        "/v1/users",
        "/v1/totps",
        "/v1/totps/authenticate",
        "/v1/totps/recover",
        "/v1/totps/recovery_codes",
    ] {
        assert_error(
            &call_raw(&api, "POST", path, &over),
            400,
            "bad_request",
            "larger than 65536 bytes",
        );
    }
    // Surrounding whitespace does not count.
    let padded = format!(
        r#"{}{{"email":"padded@example.com"}}{}"#,
        " ".repeat(MAX_BODY_LEN),
        "\n".repeat(MAX_BODY_LEN)
    );
    assert_eq!(
        call_raw(&api, "POST", "/v1/users", &padded)["status_code"],
        200
    );
}

#[test]
fn only_json_white_space_surrounds_a_body() {
    let api = Api::memory();
    let body = r#"{"email":"spaced@example.com"}"#;
    assert_eq!(
        call_raw(&api, "POST", "/v1/users", &format!(" \t\r\n{body}\n\r\t "))["status_code"],
        200
    );
    // Unicode white space that JSON does not allow: as serde_json, the
    // library refuses it before the body or after it.
    for space in ['\u{b}', '\u{c}', '\u{a0}', '\u{2028}', '\u{3000}'] {
        for padded in [format!("{space}{body}"), format!("{body}{space}")] {
            assert!(serde_json::from_str::<Value>(&padded).is_err());
            assert_error(
                &call_raw(&api, "POST", "/v1/users", &padded),
                400,
                "bad_request",
                "not valid JSON",
            );
        }
        // A body of nothing else is not empty either.
        assert_error(
            &call_raw(&api, "POST", "/v1/totps/recovery_codes", &space.to_string()),
            400,
            "bad_request",
            "not valid JSON",
        );
    }
}

#[test]
fn ids_names_and_metadata_have_caps() {
    let api = Api::memory();
    let long_id = "x".repeat(MAX_ID_LEN + 1);
    let user_path = format!("/v1/users/{long_id}");
    assert_error(
        &call_raw(&api, "GET", &user_path, ""),
        400,
        "invalid_user_id",
        "user_id",
    );
    let prefixed = format!("user-test-{}", "0".repeat(MAX_ID_LEN));
    assert_error(
        &api.call("POST", "/v1/totps", &json!({"user_id": prefixed}))
            .1,
        400,
        "invalid_user_id",
        "user_id",
    );
    let long_external_id = "x".repeat(MAX_EXTERNAL_ID_LEN + 1);
    assert_error(
        &api.call(
            "POST",
            "/v1/users",
            &json!({ "external_id": long_external_id }),
        )
        .1,
        400,
        "bad_request",
        &format!("external_id must be 1 to {MAX_EXTERNAL_ID_LEN} ASCII letters"),
    );
    api.ok(
        "POST",
        "/v1/users",
        json!({"external_id": "e".repeat(MAX_EXTERNAL_ID_LEN), "email": fresh_email()}),
    );
    api.ok(
        "GET",
        &format!("/v1/users/{}", "e".repeat(MAX_EXTERNAL_ID_LEN)),
        json!({}),
    );
    let long_totp = format!("/v1/users/totps/totp-test-{}", "0".repeat(MAX_ID_LEN));
    assert_error(
        &call_raw(&api, "DELETE", &long_totp, ""),
        404,
        "totp_not_found",
        "TOTP",
    );
    for part in ["first_name", "middle_name", "last_name"] {
        assert_error(
            &api.call(
                "POST",
                "/v1/users",
                &json!({"name": {part: "n".repeat(257)}}),
            )
            .1,
            400,
            "bad_request",
            &format!("name.{part} must be at most 256 bytes"),
        );
    }
    for field in ["trusted_metadata", "untrusted_metadata"] {
        let shell = r#"{"k":""}"#.len();
        let fits = json!({"k": "v".repeat(MAX_METADATA_LEN - shell)});
        assert_eq!(fits.to_string().len(), MAX_METADATA_LEN);
        api.ok(
            "POST",
            "/v1/users",
            json!({field: fits, "email": fresh_email()}),
        );
        let over = json!({"k": "v".repeat(MAX_METADATA_LEN - shell + 1)});
        assert_error(
            &api.call("POST", "/v1/users", &json!({field: over})).1,
            400,
            "bad_request",
            &format!("{field} must be at most 4096 bytes"),
        );
    }
}

#[test]
fn configuration_strings_have_caps() {
    let too_long = "i".repeat(MAX_ISSUER_LEN + 1);
    let err = Api::try_new(json!({"database": ":memory:", "issuer": too_long}))
        .err()
        .unwrap();
    let says = format!("issuer must be 1 to {MAX_ISSUER_LEN} bytes");
    assert_error(&err, 400, "invalid_config", &says);
    // The longest issuer with a long account still makes a QR code.
    let api = Api::new(json!({"database": ":memory:", "issuer": "i".repeat(MAX_ISSUER_LEN)}));
    let email = format!("{}@example.com", "a".repeat(240));
    let user_id = api.create_user(json!({ "email": email }));
    api.ok("POST", "/v1/totps", json!({ "user_id": user_id }));
    let err = Api::try_new(json!({"database": "d".repeat(MAX_PATH_LEN + 1)}))
        .err()
        .unwrap();
    let says = format!("database must be a file path of 1 to {MAX_PATH_LEN} bytes");
    assert_error(&err, 400, "invalid_config", &says);
}

/// `depth` arrays nested inside each other.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn json_nesting_is_capped_at_128_without_exhausting_the_stack() {
    let api = Api::memory();
    // Within the limit: a metadata value nested 120 deep is stored and read back.
    let deep = format!(
        r#"{{"email":"deep@example.com","trusted_metadata":{{"k":{}}}}}"#,
        nested(120)
    );
    let (status, body) = {
        let v = call_raw(&api, "POST", "/v1/users", &deep);
        (v["status_code"].clone(), v)
    };
    assert_eq!(status, 200, "{body}");
    let user_id = body["user_id"].as_str().unwrap();
    let got = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(got["trusted_metadata"]["k"].to_string(), nested(120));
    // Past it: a clear error naming the recursion limit, for bodies and config.
    for depth in [129, 1000, 30_000] {
        let body = format!(r#"{{"trusted_metadata":{{"k":{}}}}}"#, nested(depth));
        let v = call_raw(&api, "POST", "/v1/users", &body);
        assert_error(&v, 400, "bad_request", "recursion limit exceeded");
    }
    // The config has no 64 KiB cap, only the 1 MiB one: 500 000 levels.
    let config = format!(r#"{{"lockout":{}}}"#, nested(500_000));
    let c = cstr(&config);
    let mut e = ptr::null_mut();
    assert!(unsafe { stytch_client_new(c.as_ptr(), &mut e) }.is_null());
    assert_error(
        &take_error(e),
        400,
        "invalid_config",
        "recursion limit exceeded",
    );
}
