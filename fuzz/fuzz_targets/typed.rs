//! The typed entry points, with every string argument from the input, on a
//! fresh ":memory:" client holding an enrolled user; every accessor of every
//! result is read and checked against its JSON.
//!
//! Input lines: 1) up to 12 operation bytes (each `% 8`: users_create,
//! users_get, totp_create, authenticate, recovery_codes, recover,
//! users_delete_totp, users_delete); 2) users create JSON; 3) user_id;
//! 4) totp_code; 5) recovery_code; 6) totp_id; 7) expiration_minutes. A missing
//! line is a NULL argument. Placeholders as in `Fixture::substitute`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::ffi::{CString, c_char};
use std::ptr;
use stytch_totp::ffi::*;
use stytch_totp_fuzz::*;

fn arg(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

fn json_of(p: *mut c_char) -> Value {
    serde_json::from_str(&take_string(p)).expect("to_json is JSON")
}

fuzz_target!(|data: &[u8]| with_fixture(|fixture, accepted| {
    let mut secrets = fixture.secrets();
    let data = fixture.substitute(data);
    let mut lines = data.split(|&b| b == b'\n');
    let ops: Vec<u8> = lines
        .next()
        .unwrap_or_default()
        .iter()
        .take(12)
        .copied()
        .collect();
    let field: Vec<Option<CString>> = (0..6).map(|_| lines.next().map(c_string)).collect();
    let [
        create_json,
        user_id,
        totp_code,
        recovery_code,
        totp_id,
        minutes,
    ] = &field[..]
    else {
        unreachable!()
    };
    let minutes: i32 = minutes
        .as_ref()
        .and_then(|m| m.to_str().ok()?.parse().ok())
        .unwrap_or(0);
    let c = fixture.client;
    for op in ops {
        let mut err = ptr::null_mut();
        match op % 8 {
            0 => {
                let r = unsafe { stytch_users_create(h(c), arg(create_json), &mut err) };
                if r.is_null() {
                    check_error_handle(err, &secrets);
                    continue;
                }
                let json = json_of(stytch_users_create_response_to_json(h(r)));
                assert_eq!(json["status_code"], 200);
                assert_eq!(
                    json["user_id"].as_str(),
                    borrowed(stytch_users_create_response_user_id(h(r))).as_deref()
                );
                assert_eq!(
                    json["email_id"].as_str(),
                    borrowed(stytch_users_create_response_email_id(h(r))).as_deref()
                );
                assert_eq!(
                    json["phone_id"].as_str(),
                    borrowed(stytch_users_create_response_phone_id(h(r))).as_deref()
                );
                assert!(borrowed(stytch_users_create_response_status(h(r))).is_some());
                assert!(borrowed(stytch_users_create_response_request_id(h(r))).is_some());
                assert_eq!(stytch_users_create_response_status_code(h(r)), 200);
                check_user(stytch_users_create_response_user(h(r)));
                unsafe { stytch_users_create_response_free(r) };
            }
            1 => {
                let r = unsafe { stytch_users_get(h(c), arg(user_id), &mut err) };
                if r.is_null() {
                    check_error_handle(err, &secrets);
                    continue;
                }
                let json = json_of(stytch_users_get_response_to_json(h(r)));
                assert_eq!(json["status_code"], 200);
                assert_eq!(stytch_users_get_response_status_code(h(r)), 200);
                assert!(borrowed(stytch_users_get_response_request_id(h(r))).is_some());
                check_user(stytch_users_get_response_user(h(r)));
                unsafe { stytch_users_get_response_free(r) };
            }
            2 => {
                let r = unsafe { stytch_totp_create(h(c), arg(user_id), minutes, &mut err) };
                if r.is_null() {
                    check_error_handle(err, &secrets);
                    continue;
                }
                let json = json_of(stytch_totp_create_response_to_json(h(r)));
                let secret = borrowed(stytch_totp_create_response_secret(h(r))).unwrap();
                assert_eq!(json["secret"].as_str(), Some(secret.as_str()));
                assert_eq!(secret.len(), 32);
                secrets.push(secret);
                let n = stytch_totp_create_response_recovery_codes_len(h(r));
                assert_eq!(n, 10);
                for i in 0..n {
                    let code = borrowed(stytch_totp_create_response_recovery_code(h(r), i)).unwrap();
                    assert_eq!(json["recovery_codes"][i].as_str(), Some(code.as_str()));
                    secrets.push(code);
                }
                assert!(stytch_totp_create_response_recovery_code(h(r), n).is_null());
                assert_eq!(
                    json["totp_id"].as_str(),
                    borrowed(stytch_totp_create_response_totp_id(h(r))).as_deref()
                );
                assert_eq!(
                    json["user_id"].as_str(),
                    borrowed(stytch_totp_create_response_user_id(h(r))).as_deref()
                );
                assert!(
                    borrowed(stytch_totp_create_response_qr_code(h(r)))
                        .unwrap()
                        .starts_with("data:image/png;base64,")
                );
                assert!(borrowed(stytch_totp_create_response_request_id(h(r))).is_some());
                assert_eq!(stytch_totp_create_response_status_code(h(r)), 200);
                check_user(stytch_totp_create_response_user(h(r)));
                unsafe { stytch_totp_create_response_free(r) };
            }
            3 | 5 => {
                let r = unsafe {
                    match op % 8 {
                        3 => stytch_totp_authenticate(h(c), arg(user_id), arg(totp_code), &mut err),
                        _ => stytch_totp_recover(h(c), arg(user_id), arg(recovery_code), &mut err),
                    }
                };
                if r.is_null() {
                    check_error_handle(err, &secrets);
                    continue;
                }
                let json = json_of(stytch_totp_authenticate_response_to_json(h(r)));
                let uid = borrowed(stytch_totp_authenticate_response_user_id(h(r))).unwrap();
                assert_eq!(json["user_id"].as_str(), Some(uid.as_str()));
                assert_eq!(
                    json["totp_id"].as_str(),
                    borrowed(stytch_totp_authenticate_response_totp_id(h(r))).as_deref()
                );
                assert_eq!(
                    borrowed(stytch_totp_authenticate_response_session_token(h(r))).as_deref(),
                    Some("")
                );
                assert_eq!(
                    borrowed(stytch_totp_authenticate_response_session_jwt(h(r))).as_deref(),
                    Some("")
                );
                assert!(json["session"].is_null());
                assert_eq!(stytch_totp_authenticate_response_status_code(h(r)), 200);
                assert!(borrowed(stytch_totp_authenticate_response_request_id(h(r))).is_some());
                check_user(stytch_totp_authenticate_response_user(h(r)));
                if uid == fixture.user_id {
                    match op % 8 {
                        3 => accepted.totp(fixture, totp_code.as_ref().unwrap().to_str().unwrap()),
                        _ => accepted.recovery(recovery_code.as_ref().unwrap().to_str().unwrap()),
                    }
                }
                unsafe { stytch_totp_authenticate_response_free(r) };
            }
            4 => {
                let r = unsafe { stytch_totp_recovery_codes(h(c), arg(user_id), &mut err) };
                if r.is_null() {
                    check_error_handle(err, &secrets);
                    continue;
                }
                let json = json_of(stytch_totp_recovery_codes_response_to_json(h(r)));
                let n = stytch_totp_recovery_codes_response_totps_len(h(r));
                assert_eq!(json["totps"].as_array().unwrap().len(), n);
                for i in 0..=n {
                    assert_eq!(
                        borrowed(stytch_totp_recovery_codes_response_totp_id(h(r), i)).is_some(),
                        i < n
                    );
                    let _ = stytch_totp_recovery_codes_response_totp_verified(h(r), i);
                    let m = stytch_totp_recovery_codes_response_totp_recovery_codes_len(h(r), i);
                    for j in 0..=m {
                        let code = borrowed(
                            stytch_totp_recovery_codes_response_totp_recovery_code(h(r), i, j),
                        );
                        assert_eq!(
                            code.as_deref(),
                            json["totps"][i]["recovery_codes"][j].as_str()
                        );
                    }
                }
                assert_eq!(stytch_totp_recovery_codes_response_status_code(h(r)), 200);
                assert!(borrowed(stytch_totp_recovery_codes_response_user_id(h(r))).is_some());
                assert!(borrowed(stytch_totp_recovery_codes_response_request_id(h(r))).is_some());
                unsafe { stytch_totp_recovery_codes_response_free(r) };
            }
            6 => {
                let r = unsafe { stytch_users_delete_totp(h(c), arg(totp_id), &mut err) };
                if r.is_null() {
                    check_error_handle(err, &secrets);
                    continue;
                }
                let json = json_of(stytch_users_delete_totp_response_to_json(h(r)));
                assert_eq!(
                    json["user_id"].as_str(),
                    borrowed(stytch_users_delete_totp_response_user_id(h(r))).as_deref()
                );
                assert_eq!(stytch_users_delete_totp_response_status_code(h(r)), 200);
                assert!(borrowed(stytch_users_delete_totp_response_request_id(h(r))).is_some());
                check_user(stytch_users_delete_totp_response_user(h(r)));
                unsafe { stytch_users_delete_totp_response_free(r) };
            }
            _ => {
                let r = unsafe { stytch_users_delete(h(c), arg(user_id), &mut err) };
                if r.is_null() {
                    check_error_handle(err, &secrets);
                    continue;
                }
                let json = json_of(stytch_users_delete_response_to_json(h(r)));
                assert_eq!(
                    json["user_id"].as_str(),
                    borrowed(stytch_users_delete_response_user_id(h(r))).as_deref()
                );
                assert_eq!(stytch_users_delete_response_status_code(h(r)), 200);
                assert!(borrowed(stytch_users_delete_response_request_id(h(r))).is_some());
                unsafe { stytch_users_delete_response_free(r) };
            }
        }
    }
}));
