//! The C ABI itself: NULLs, bad UTF-8, over-long input, ownership, accessors,
//! configuration errors and the pure code helper.

mod common;

use common::*;
use serde_json::{Value, json};
use std::ffi::c_char;
use std::ptr::{null, null_mut};
use stytch_totp::ffi::*;

#[test]
fn version_matches_the_crate() {
    assert_eq!(
        borrowed(stytch_version()).unwrap(),
        env!("CARGO_PKG_VERSION")
    );
}

#[test]
fn rfc6238_sha1_vectors_and_rfc4226_values() {
    let vectors: Value = serde_json::from_str(include_str!("data/vectors/rfc6238.json")).unwrap();
    let secret = vectors["seeds"]["SHA1"]["base32"].as_str().unwrap();
    let mut checked = 0;
    for row in vectors["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["mode"] == "SHA1")
    {
        let t = row["time"].as_i64().unwrap();
        assert_eq!(
            code_at(secret, t),
            row["totp_6_digits_derived"].as_str().unwrap(),
            "t={t}"
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
    let hotp: Value = serde_json::from_str(include_str!("data/vectors/rfc4226.json")).unwrap();
    let rows = hotp["vectors"]
        .as_array()
        .or_else(|| hotp["rows"].as_array())
        .unwrap();
    for row in rows {
        // Counter c is the time step of time 30*c.
        let c = row["count"].as_i64().unwrap();
        assert_eq!(
            code_at(secret, c * 30),
            row["hotp"].as_str().unwrap(),
            "count {c}"
        );
    }
}

#[test]
fn totp_code_handles_any_time_and_refuses_bad_secrets() {
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    for t in [i64::MIN, -1, 0, i64::MAX] {
        let code = code_at(secret, t);
        assert!(
            code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
            "{t}: {code}"
        );
    }
    assert_eq!(code_at(secret, 59), code_at(&secret.to_lowercase(), 59));
    for bad in ["", "!!!", "GEZ DGNBV", "1"] {
        let s = cstr(bad);
        assert!(
            unsafe { stytch_totp_code(s.as_ptr(), 0) }.is_null(),
            "{bad:?}"
        );
    }
    assert!(unsafe { stytch_totp_code(null(), 0) }.is_null());
}

#[test]
fn client_config_errors_are_reported_not_ignored() {
    for (config, kind) in [
        (json!({"unknown": 1}), "invalid_config"),
        (json!({"database": ""}), "invalid_config"),
        (json!({"lockout": {"max_failures": 0}}), "invalid_config"),
        (
            json!({"database": "/nonexistent-dir/x/y.db"}),
            "internal_server_error",
        ),
    ] {
        let e = Api::try_new(config.clone()).err().unwrap();
        assert_eq!(e["error_type"], kind, "{config}: {e}");
        assert!(e["error_url"].as_str().unwrap().contains(kind));
    }
    let dir = tempfile::tempdir().unwrap();
    let not_db = dir.path().join("notes.txt");
    let text = "not a database, only text long enough to hold a header\n".repeat(40);
    std::fs::write(&not_db, &text).unwrap();
    // Private, so that it is SQLite that judges it.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&not_db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let e = Api::try_new(json!({"database": not_db.to_str().unwrap()}))
        .err()
        .unwrap();
    assert!(
        e["error_message"]
            .as_str()
            .unwrap()
            .contains("not a database"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(&not_db).unwrap(),
        text,
        "the file was changed"
    );

    let bad_json = cstr("{");
    let mut err = null_mut();
    assert!(unsafe { stytch_client_new(bad_json.as_ptr(), &mut err) }.is_null());
    assert_eq!(take_error(err)["error_type"], "invalid_config");
    // error_out may be NULL.
    assert!(unsafe { stytch_client_new(bad_json.as_ptr(), null_mut()) }.is_null());
}

#[test]
fn null_client_and_null_arguments_give_errors_not_crashes() {
    let api = Api::memory();
    let user_id = api.new_user();
    let uid = cstr(&user_id);
    let code = cstr("123456");
    let mut err: *mut stytch_error;
    macro_rules! fails_with {
        ($call:expr, $kind:expr) => {{
            err = null_mut();
            assert!($call.is_null(), stringify!($call));
            assert_eq!(take_error(err)["error_type"], $kind, stringify!($call));
        }};
    }
    unsafe {
        fails_with!(
            stytch_users_get(None, uid.as_ptr(), &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_users_get(api.client, null(), &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_users_delete(api.client, null(), &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_users_delete_totp(api.client, null(), &mut err),
            "bad_request"
        );
        fails_with!(stytch_users_create(None, null(), &mut err), "bad_request");
        fails_with!(
            stytch_totp_create(api.client, null(), 0, &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_totp_create(None, uid.as_ptr(), 0, &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_totp_authenticate(api.client, null(), code.as_ptr(), &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_totp_authenticate(api.client, uid.as_ptr(), null(), &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_totp_recovery_codes(api.client, null(), &mut err),
            "bad_request"
        );
        fails_with!(
            stytch_totp_recover(api.client, uid.as_ptr(), null(), &mut err),
            "bad_request"
        );
        // error_out NULL: still NULL, nothing written anywhere.
        assert!(stytch_totp_create(api.client, null(), 0, null_mut()).is_null());
        assert!(!stytch_client_set_time(None, 0, null_mut()));
        err = null_mut();
        assert!(!stytch_client_set_time(api.client, -1, &mut err));
        assert_eq!(take_error(err)["error_type"], "bad_request");
        stytch_client_set_clock(None, None, null_mut());

        for (m, p) in [
            (null(), cstr("/v1/users").as_ptr()),
            (cstr("POST").as_ptr(), null()),
        ] {
            let out: Value =
                serde_json::from_str(&take_string(stytch_call(api.client, m, p, null()))).unwrap();
            assert_eq!(out["error_type"], "bad_request");
        }
        let (m, p) = (cstr("POST"), cstr("/v1/users"));
        let out: Value = serde_json::from_str(&take_string(stytch_call(
            None,
            m.as_ptr(),
            p.as_ptr(),
            null(),
        )))
        .unwrap();
        assert_eq!(
            (out["status_code"].as_u64(), out["error_type"].as_str()),
            (Some(400), Some("bad_request"))
        );
        // A NULL body is an empty one: a search for every user.
        let search = cstr("/v1/users/search");
        let out: Value = serde_json::from_str(&take_string(stytch_call(
            api.client,
            m.as_ptr(),
            search.as_ptr(),
            null(),
        )))
        .unwrap();
        assert_eq!(out["status_code"], 200, "{out}");
        assert_eq!(out["results_metadata"]["total"], 1, "{out}");
    }
}

#[test]
fn invalid_utf8_and_over_long_inputs_are_refused() {
    let api = Api::memory();
    let bad: [u8; 4] = [b'u', 0xff, 0xfe, 0];
    let bad = bad.as_ptr() as *const c_char;
    let mut err = null_mut();
    unsafe {
        assert!(stytch_users_get(api.client, bad, &mut err).is_null());
        let e = take_error(err);
        assert_eq!(e["error_type"], "bad_request");
        assert!(
            e["error_message"]
                .as_str()
                .unwrap()
                .ends_with("user_id is not valid UTF-8")
        );
        let m = cstr("POST");
        let out: Value = serde_json::from_str(&take_string(stytch_call(
            api.client,
            m.as_ptr(),
            bad,
            null(),
        )))
        .unwrap();
        assert!(
            out["error_message"]
                .as_str()
                .unwrap()
                .contains("path is not valid UTF-8"),
            "{out}"
        );
        let p = cstr("/v1/users");
        let out: Value = serde_json::from_str(&take_string(stytch_call(
            api.client,
            m.as_ptr(),
            p.as_ptr(),
            bad,
        )))
        .unwrap();
        assert!(
            out["error_message"].as_str().unwrap().contains("body_json"),
            "{out}"
        );

        let huge = cstr(&"a".repeat(MAX_INPUT_LEN + 1));
        err = null_mut();
        assert!(stytch_users_get(api.client, huge.as_ptr(), &mut err).is_null());
        assert_eq!(take_error(err)["error_type"], "bad_request");
        let out: Value = serde_json::from_str(&take_string(stytch_call(
            api.client,
            m.as_ptr(),
            p.as_ptr(),
            huge.as_ptr(),
        )))
        .unwrap();
        assert!(
            out["error_message"]
                .as_str()
                .unwrap()
                .contains("longer than"),
            "{out}"
        );
        let big_body = cstr(&format!(
            "{{\"email\":\"{}@example.com\"}}",
            "a".repeat(70_000)
        ));
        let out: Value = serde_json::from_str(&take_string(stytch_call(
            api.client,
            m.as_ptr(),
            p.as_ptr(),
            big_body.as_ptr(),
        )))
        .unwrap();
        assert!(
            out["error_message"]
                .as_str()
                .unwrap()
                .contains("larger than 65536"),
            "{out}"
        );
        let deep = cstr(&format!(
            "{{\"trusted_metadata\":{}1{}}}",
            "[".repeat(200),
            "]".repeat(200)
        ));
        let out: Value = serde_json::from_str(&take_string(stytch_call(
            api.client,
            m.as_ptr(),
            p.as_ptr(),
            deep.as_ptr(),
        )))
        .unwrap();
        assert_eq!(out["error_type"], "bad_request", "{out}");
    }
}

#[test]
fn frees_accept_null_and_accessors_accept_null_and_out_of_range() {
    unsafe {
        stytch_client_free(null_mut());
        stytch_error_free(null_mut());
        stytch_string_free(null_mut());
        stytch_users_create_response_free(null_mut());
        stytch_users_get_response_free(null_mut());
        stytch_users_delete_response_free(null_mut());
        stytch_users_delete_totp_response_free(null_mut());
        stytch_totp_create_response_free(null_mut());
        stytch_totp_authenticate_response_free(null_mut());
        stytch_totp_recovery_codes_response_free(null_mut());
    }
    assert!(stytch_totp_create_response_secret(None).is_null());
    assert!(stytch_totp_create_response_to_json(None).is_null());
    assert_eq!(stytch_totp_create_response_recovery_codes_len(None), 0);
    assert!(stytch_user_user_id(None).is_null());
    assert!(!stytch_user_is_locked(None));
    assert_eq!(stytch_error_status_code(None), 0);
    assert!(stytch_error_type(None).is_null());

    let api = Api::memory();
    let mut err = null_mut();
    let body = cstr(
        r#"{"email":"ada@example.com","phone_number":"+12025550123","external_id":"ext-1","name":{"first_name":"Ada","middle_name":"M","last_name":"L"},"trusted_metadata":{"a":1}}"#,
    );
    let created = unsafe { stytch_users_create(api.client, body.as_ptr(), &mut err) };
    assert!(!created.is_null());
    let json: Value = serde_json::from_str(&take_string(stytch_users_create_response_to_json(h(
        created,
    ))))
    .unwrap();
    let user = stytch_users_create_response_user(h(created));
    assert_eq!(
        borrowed(stytch_users_create_response_request_id(h(created))).unwrap(),
        json["request_id"]
    );
    assert_eq!(stytch_users_create_response_status_code(h(created)), 200);
    assert_eq!(
        borrowed(stytch_users_create_response_email_id(h(created))).unwrap(),
        json["email_id"]
    );
    assert_eq!(
        borrowed(stytch_users_create_response_phone_id(h(created))).unwrap(),
        json["phone_id"]
    );
    assert_eq!(
        borrowed(stytch_users_create_response_status(h(created))).unwrap(),
        "active"
    );
    assert_user_accessors_match(user, &json["user"]);
    assert!(stytch_user_email_id(h(user), 1).is_null());
    assert!(stytch_user_role(h(user), 0).is_null());
    assert!(!stytch_user_totp_verified(h(user), 5));
    let user_id = cstr(&borrowed(stytch_users_create_response_user_id(h(created))).unwrap());
    unsafe { stytch_users_create_response_free(created) };

    let totp = unsafe { stytch_totp_create(api.client, user_id.as_ptr(), 0, &mut err) };
    let json: Value =
        serde_json::from_str(&take_string(stytch_totp_create_response_to_json(h(totp)))).unwrap();
    assert_eq!(
        borrowed(stytch_totp_create_response_secret(h(totp))).unwrap(),
        json["secret"]
    );
    assert_eq!(
        borrowed(stytch_totp_create_response_qr_code(h(totp))).unwrap(),
        json["qr_code"]
    );
    assert_eq!(
        borrowed(stytch_totp_create_response_totp_id(h(totp))).unwrap(),
        json["totp_id"]
    );
    assert_eq!(
        borrowed(stytch_totp_create_response_request_id(h(totp))).unwrap(),
        json["request_id"]
    );
    assert_eq!(
        borrowed(stytch_totp_create_response_user_id(h(totp))).unwrap(),
        json["user_id"]
    );
    assert_eq!(stytch_totp_create_response_status_code(h(totp)), 200);
    assert_eq!(stytch_totp_create_response_recovery_codes_len(h(totp)), 10);
    for i in 0..10 {
        assert_eq!(
            borrowed(stytch_totp_create_response_recovery_code(h(totp), i)).unwrap(),
            json["recovery_codes"][i]
        );
    }
    assert!(stytch_totp_create_response_recovery_code(h(totp), 10).is_null());
    assert_user_accessors_match(stytch_totp_create_response_user(h(totp)), &json["user"]);
    let secret = borrowed(stytch_totp_create_response_secret(h(totp))).unwrap();
    let first_code =
        cstr(&borrowed(stytch_totp_create_response_recovery_code(h(totp), 0)).unwrap());
    unsafe { stytch_totp_create_response_free(totp) };

    api.set_time(1_700_000_000);
    let code = cstr(&code_at(&secret, 1_700_000_000));
    let auth =
        unsafe { stytch_totp_authenticate(api.client, user_id.as_ptr(), code.as_ptr(), &mut err) };
    assert!(!auth.is_null());
    let json: Value = serde_json::from_str(&take_string(
        stytch_totp_authenticate_response_to_json(h(auth)),
    ))
    .unwrap();
    assert_eq!(
        borrowed(stytch_totp_authenticate_response_totp_id(h(auth))).unwrap(),
        json["totp_id"]
    );
    assert_eq!(
        borrowed(stytch_totp_authenticate_response_user_id(h(auth))).unwrap(),
        json["user_id"]
    );
    assert_eq!(
        borrowed(stytch_totp_authenticate_response_request_id(h(auth))).unwrap(),
        json["request_id"]
    );
    assert_eq!(
        borrowed(stytch_totp_authenticate_response_session_token(h(auth))).unwrap(),
        ""
    );
    assert_eq!(
        borrowed(stytch_totp_authenticate_response_session_jwt(h(auth))).unwrap(),
        ""
    );
    assert_eq!(stytch_totp_authenticate_response_status_code(h(auth)), 200);
    assert!(stytch_user_totp_verified(
        h(stytch_totp_authenticate_response_user(h(auth))),
        0
    ));
    unsafe { stytch_totp_authenticate_response_free(auth) };

    let rec =
        unsafe { stytch_totp_recover(api.client, user_id.as_ptr(), first_code.as_ptr(), &mut err) };
    assert!(!rec.is_null());
    unsafe { stytch_totp_authenticate_response_free(rec) };

    let codes = unsafe { stytch_totp_recovery_codes(api.client, user_id.as_ptr(), &mut err) };
    let json: Value = serde_json::from_str(&take_string(
        stytch_totp_recovery_codes_response_to_json(h(codes)),
    ))
    .unwrap();
    assert_eq!(
        stytch_totp_recovery_codes_response_status_code(h(codes)),
        200
    );
    assert_eq!(
        borrowed(stytch_totp_recovery_codes_response_request_id(h(codes))).unwrap(),
        json["request_id"]
    );
    assert_eq!(
        borrowed(stytch_totp_recovery_codes_response_user_id(h(codes))).unwrap(),
        json["user_id"]
    );
    assert_eq!(stytch_totp_recovery_codes_response_totps_len(h(codes)), 1);
    assert_eq!(
        borrowed(stytch_totp_recovery_codes_response_totp_id(h(codes), 0)).unwrap(),
        json["totps"][0]["totp_id"]
    );
    assert!(stytch_totp_recovery_codes_response_totp_verified(
        h(codes),
        0
    ));
    assert_eq!(
        stytch_totp_recovery_codes_response_totp_recovery_codes_len(h(codes), 0),
        9
    );
    for j in 0..9 {
        assert_eq!(
            borrowed(stytch_totp_recovery_codes_response_totp_recovery_code(
                h(codes),
                0,
                j
            ))
            .unwrap(),
            json["totps"][0]["recovery_codes"][j]
        );
    }
    assert!(stytch_totp_recovery_codes_response_totp_recovery_code(h(codes), 0, 9).is_null());
    assert!(stytch_totp_recovery_codes_response_totp_recovery_code(h(codes), 1, 0).is_null());
    assert!(stytch_totp_recovery_codes_response_totp_id(h(codes), 1).is_null());
    assert_eq!(
        stytch_totp_recovery_codes_response_totp_recovery_codes_len(h(codes), 1),
        0
    );
    unsafe { stytch_totp_recovery_codes_response_free(codes) };

    let got = unsafe { stytch_users_get(api.client, user_id.as_ptr(), &mut err) };
    let json: Value =
        serde_json::from_str(&take_string(stytch_users_get_response_to_json(h(got)))).unwrap();
    assert_eq!(stytch_users_get_response_status_code(h(got)), 200);
    assert_eq!(
        borrowed(stytch_users_get_response_request_id(h(got))).unwrap(),
        json["request_id"]
    );
    assert_user_accessors_match(stytch_users_get_response_user(h(got)), &json);
    let totp_id = cstr(json["totps"][0]["totp_id"].as_str().unwrap());
    unsafe { stytch_users_get_response_free(got) };

    let deleted = unsafe { stytch_users_delete_totp(api.client, totp_id.as_ptr(), &mut err) };
    let json: Value = serde_json::from_str(&take_string(
        stytch_users_delete_totp_response_to_json(h(deleted)),
    ))
    .unwrap();
    assert_eq!(
        stytch_users_delete_totp_response_status_code(h(deleted)),
        200
    );
    assert_eq!(
        borrowed(stytch_users_delete_totp_response_request_id(h(deleted))).unwrap(),
        json["request_id"]
    );
    assert_eq!(
        borrowed(stytch_users_delete_totp_response_user_id(h(deleted))).unwrap(),
        json["user_id"]
    );
    assert_eq!(
        stytch_user_totps_len(h(stytch_users_delete_totp_response_user(h(deleted)))),
        0
    );
    unsafe { stytch_users_delete_totp_response_free(deleted) };

    let gone = unsafe { stytch_users_delete(api.client, user_id.as_ptr(), &mut err) };
    let json: Value =
        serde_json::from_str(&take_string(stytch_users_delete_response_to_json(h(gone)))).unwrap();
    assert_eq!(stytch_users_delete_response_status_code(h(gone)), 200);
    assert_eq!(
        borrowed(stytch_users_delete_response_request_id(h(gone))).unwrap(),
        json["request_id"]
    );
    assert_eq!(
        borrowed(stytch_users_delete_response_user_id(h(gone))).unwrap(),
        json["user_id"]
    );
    unsafe { stytch_users_delete_response_free(gone) };

    err = null_mut();
    assert!(unsafe { stytch_users_get(api.client, user_id.as_ptr(), &mut err) }.is_null());
    let e_json: Value = serde_json::from_str(&take_string(stytch_error_to_json(h(err)))).unwrap();
    assert_eq!(stytch_error_status_code(h(err)), 404);
    assert_eq!(
        borrowed(stytch_error_type(h(err))).unwrap(),
        e_json["error_type"]
    );
    assert_eq!(
        borrowed(stytch_error_message(h(err))).unwrap(),
        e_json["error_message"]
    );
    assert_eq!(
        borrowed(stytch_error_url(h(err))).unwrap(),
        e_json["error_url"]
    );
    assert_eq!(
        borrowed(stytch_error_request_id(h(err))).unwrap(),
        e_json["request_id"]
    );
    unsafe { stytch_error_free(err) };
}

/// Every `stytch_user_*` accessor agrees with the JSON of the same handle.
fn assert_user_accessors_match(user: *const stytch_user, json: &Value) {
    assert!(!user.is_null());
    let opt = |p| borrowed(p).map_or(Value::Null, Value::from);
    assert_eq!(opt(stytch_user_user_id(h(user))), json["user_id"]);
    assert_eq!(opt(stytch_user_status(h(user))), json["status"]);
    assert_eq!(
        opt(stytch_user_first_name(h(user))),
        json["name"]["first_name"]
    );
    assert_eq!(
        opt(stytch_user_middle_name(h(user))),
        json["name"]["middle_name"]
    );
    assert_eq!(
        opt(stytch_user_last_name(h(user))),
        json["name"]["last_name"]
    );
    assert_eq!(opt(stytch_user_created_at(h(user))), json["created_at"]);
    assert_eq!(opt(stytch_user_external_id(h(user))), json["external_id"]);
    assert_eq!(
        opt(stytch_user_lock_created_at(h(user))),
        json["lock_created_at"]
    );
    assert_eq!(
        opt(stytch_user_lock_expires_at(h(user))),
        json["lock_expires_at"]
    );
    assert_eq!(
        Value::from(stytch_user_is_locked(h(user))),
        json["is_locked"]
    );
    let meta = |p| serde_json::from_str::<Value>(&borrowed(p).unwrap()).unwrap();
    assert_eq!(
        meta(stytch_user_trusted_metadata(h(user))),
        json["trusted_metadata"]
    );
    assert_eq!(
        meta(stytch_user_untrusted_metadata(h(user))),
        json["untrusted_metadata"]
    );
    let emails = json["emails"].as_array().unwrap();
    assert_eq!(stytch_user_emails_len(h(user)), emails.len());
    for (i, e) in emails.iter().enumerate() {
        assert_eq!(opt(stytch_user_email_id(h(user), i)), e["email_id"]);
        assert_eq!(opt(stytch_user_email_address(h(user), i)), e["email"]);
        assert_eq!(
            Value::from(stytch_user_email_verified(h(user), i)),
            e["verified"]
        );
    }
    let phones = json["phone_numbers"].as_array().unwrap();
    assert_eq!(stytch_user_phone_numbers_len(h(user)), phones.len());
    for (i, p) in phones.iter().enumerate() {
        assert_eq!(opt(stytch_user_phone_id(h(user), i)), p["phone_id"]);
        assert_eq!(opt(stytch_user_phone_number(h(user), i)), p["phone_number"]);
        assert_eq!(
            Value::from(stytch_user_phone_verified(h(user), i)),
            p["verified"]
        );
    }
    let totps = json["totps"].as_array().unwrap();
    assert_eq!(stytch_user_totps_len(h(user)), totps.len());
    for (i, t) in totps.iter().enumerate() {
        assert_eq!(opt(stytch_user_totp_id(h(user), i)), t["totp_id"]);
        assert_eq!(
            Value::from(stytch_user_totp_verified(h(user), i)),
            t["verified"]
        );
    }
    assert_eq!(
        stytch_user_roles_len(h(user)),
        json["roles"].as_array().unwrap().len()
    );
    let whole: Value = serde_json::from_str(&take_string(stytch_user_to_json(h(user)))).unwrap();
    for (key, value) in whole.as_object().unwrap() {
        assert_eq!(&json[key], value, "{key}");
    }
}
