//! Authenticate, replay, lockout, expiry, recovery codes and recover (DESIGN §3),
//! through the C ABI with the client's clock set by the test.

mod common;

use common::*;
use serde_json::json;

const T: i64 = 1_700_000_010; // inside step 56_666_667, 10 s after it starts
const STEP: i64 = 30;

fn enrolled_at(api: &Api, t: i64) -> (String, String) {
    api.set_time(t);
    let (user_id, totp) = api.enrolled_user();
    (user_id, secret_of(&totp).to_owned())
}

fn error_type(body: &serde_json::Value) -> &str {
    body["error_type"].as_str().unwrap_or("")
}

#[test]
fn window_is_one_step_either_side() {
    for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
        let api = Api::memory();
        let (user_id, secret) = enrolled_at(&api, T);
        let (status, body) = api.authenticate(&user_id, &code_at(&secret, T + offset * STEP));
        assert_eq!(status == 200, accepted, "offset {offset}: {body}");
        if !accepted {
            assert_eq!(
                (status, error_type(&body)),
                (401, "unable_to_authenticate_totp")
            );
        }
    }
}

#[test]
fn step_edges_follow_the_30_second_boundaries() {
    let start = (T / STEP) * STEP;
    let api = Api::memory();
    let (user_id, secret) = enrolled_at(&api, start);
    // At the last second of step s+1, the code of step s is still in the window...
    api.set_time(start + 2 * STEP - 1);
    assert_eq!(api.authenticate(&user_id, &code_at(&secret, start)).0, 200);
    // ...and one second later, the code of step s+1 is too, but not s.
    let api = Api::memory();
    let (user_id, secret) = enrolled_at(&api, start);
    api.set_time(start + 2 * STEP);
    assert_eq!(api.authenticate(&user_id, &code_at(&secret, start)).0, 401);
    assert_eq!(
        api.authenticate(&user_id, &code_at(&secret, start + STEP))
            .0,
        200
    );
}

#[test]
fn time_zero_and_year_2603() {
    for t in [0, 20_000_000_000] {
        let api = Api::memory();
        let (user_id, secret) = enrolled_at(&api, t);
        let (status, body) = api.authenticate(&user_id, &code_at(&secret, t));
        assert_eq!(status, 200, "t={t}: {body}");
        assert_eq!(body["user"]["totps"][0]["verified"], true);
    }
}

#[test]
fn success_has_stytch_shape_and_verifies() {
    let api = Api::memory();
    let (user_id, secret) = enrolled_at(&api, T);
    let (status, body) = api.authenticate(&user_id, &code_at(&secret, T));
    assert_eq!(status, 200);
    assert!(body["session"].is_null());
    assert_eq!(
        (body["session_token"].as_str(), body["session_jwt"].as_str()),
        (Some(""), Some(""))
    );
    assert_eq!(body["user_id"], user_id.as_str());
    assert_eq!(body["user"]["totps"][0]["totp_id"], body["totp_id"]);
    assert_eq!(body["user"]["totps"][0]["verified"], true);
}

#[test]
fn replay_of_an_accepted_step_or_an_earlier_one_is_refused() {
    let api = Api::memory();
    let (user_id, secret) = enrolled_at(&api, T);
    assert_eq!(
        api.authenticate(&user_id, &code_at(&secret, T + STEP)).0,
        200
    );
    for t in [T + STEP, T, T - STEP] {
        let (status, body) = api.authenticate(&user_id, &code_at(&secret, t));
        assert_eq!(
            (status, error_type(&body)),
            (400, "totp_code_already_authenticated"),
            "{body}"
        );
    }
    assert_eq!(
        api.authenticate(&user_id, &code_at(&secret, T)).1["error_message"],
        "This TOTP code has already been authenticated. Please attempt with the next generated code."
    );
    // Replays are not failures: no lock after many.
    for _ in 0..12 {
        api.authenticate(&user_id, &code_at(&secret, T));
    }
    api.set_time(T + 2 * STEP);
    assert_eq!(
        api.authenticate(&user_id, &code_at(&secret, T + 2 * STEP))
            .0,
        200
    );
}

#[test]
fn code_format_is_six_ascii_digits_and_not_counted() {
    let api = Api::new(json!({"database": ":memory:", "lockout": {"max_failures": 1}}));
    let (user_id, secret) = enrolled_at(&api, T);
    let good = code_at(&secret, T);
    for bad in [
        "",
        "12345",
        "1234567",
        &format!(" {good}"),
        &format!("{good} "),
        "12a456",
        "١٢٣٤٥٦",
        "+12345",
    ] {
        let (status, body) = api.authenticate(&user_id, bad);
        assert_eq!(
            (status, error_type(&body)),
            (400, "invalid_totp_code"),
            "{bad:?}"
        );
    }
    api.fails(
        "POST",
        "/v1/totps/authenticate",
        json!({"user_id": user_id, "totp_code": 123456}),
        400,
        "bad_request",
    );
    assert_eq!(
        api.authenticate(&user_id, &good).0,
        200,
        "malformed codes were counted"
    );
}

#[test]
fn session_parameters_without_a_project_are_refused_before_the_code_is_used() {
    let api = Api::memory();
    let (user_id, secret) = enrolled_at(&api, T);
    let code = code_at(&secret, T);
    for (key, value) in [
        ("session_duration_minutes", json!(60)),
        ("session_token", json!("tok")),
        ("session_jwt", json!("jwt")),
        ("session_custom_claims", json!({"a": 1})),
    ] {
        let mut body = json!({"user_id": user_id, "totp_code": code});
        body[key] = value;
        let e = api.fails(
            "POST",
            "/v1/totps/authenticate",
            body,
            400,
            "invalid_config",
        );
        assert!(e["error_message"].as_str().unwrap().contains("project_id"));
    }
    assert_eq!(
        api.authenticate(&user_id, &code).0,
        200,
        "the code was consumed"
    );
}

#[test]
fn no_totp_and_expired_totp() {
    let api = Api::memory();
    api.set_time(T);
    let user_id = api.new_user();
    let (status, body) = api.authenticate(&user_id, "123456");
    assert_eq!((status, error_type(&body)), (404, "totp_not_found"));

    let totp = api.ok(
        "POST",
        "/v1/totps",
        json!({"user_id": user_id, "expiration_minutes": 5}),
    );
    let secret = secret_of(&totp);
    let expiry = T + 5 * 60;
    api.set_time(expiry - 1);
    let listed = api.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    assert_eq!(listed["totps"].as_array().unwrap().len(), 1);
    api.set_time(expiry);
    let (status, body) = api.authenticate(&user_id, &code_at(secret, expiry));
    assert_eq!((status, error_type(&body)), (400, "expired_totp"));
    let listed = api.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    assert_eq!(listed["totps"], json!([]));
    assert_eq!(
        api.ok("GET", &format!("/v1/users/{user_id}"), json!({}))["totps"],
        json!([])
    );
    let (status, body) = api.recover(&user_id, totp["recovery_codes"][0].as_str().unwrap());
    assert_eq!((status, error_type(&body)), (400, "expired_totp"));

    // One second earlier it would have worked; a verified TOTP never expires.
    let api = Api::memory();
    api.set_time(T);
    let user_id = api.new_user();
    let totp = api.ok(
        "POST",
        "/v1/totps",
        json!({"user_id": user_id, "expiration_minutes": 5}),
    );
    api.set_time(expiry - 1);
    assert_eq!(
        api.authenticate(&user_id, &code_at(secret_of(&totp), expiry - 1))
            .0,
        200
    );
    let later = expiry + 365 * 86_400;
    api.set_time(later);
    assert_eq!(
        api.authenticate(&user_id, &code_at(secret_of(&totp), later))
            .0,
        200
    );
}

#[test]
fn lockout_engages_blocks_correct_codes_and_lifts_at_its_expiry() {
    let api = Api::new(
        json!({"database": ":memory:", "lockout": {"max_failures": 3, "duration_minutes": 5}}),
    );
    let (user_id, secret) = enrolled_at(&api, T);
    for _ in 0..2 {
        assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    }
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["is_locked"], false);
    let (status, body) = api.authenticate(&user_id, "000000");
    assert_eq!(
        (status, error_type(&body)),
        (401, "unable_to_authenticate_totp")
    );

    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["is_locked"], true);
    assert_eq!(user["lock_created_at"], "2023-11-14T22:13:30Z");
    assert_eq!(user["lock_expires_at"], "2023-11-14T22:18:30Z");

    let (status, body) = api.authenticate(&user_id, &code_at(&secret, T));
    assert_eq!(
        (status, error_type(&body)),
        (429, "user_lock_limit_reached"),
        "a correct code while locked"
    );
    assert_eq!(
        body["error_message"],
        "The user has been locked out due to too many failed authentication attempts. Please try again later."
    );
    let (status, _) = api.recover(&user_id, "aaaa-aaaa-aaaa");
    assert_eq!(status, 429);

    let lifted = T + 5 * 60;
    api.set_time(lifted - 1);
    assert_eq!(
        api.authenticate(&user_id, &code_at(&secret, lifted - 1)).0,
        429
    );
    api.set_time(lifted);
    let (status, body) = api.authenticate(&user_id, &code_at(&secret, lifted));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["is_locked"], false);
    assert!(body["user"]["lock_expires_at"].is_null());
}

#[test]
fn success_resets_the_counter() {
    let api = Api::new(json!({"database": ":memory:", "lockout": {"max_failures": 3}}));
    let (user_id, secret) = enrolled_at(&api, T);
    for round in 0..3 {
        let t = T + round * STEP;
        api.set_time(t);
        assert_eq!(api.authenticate(&user_id, "000000").0, 401);
        assert_eq!(api.authenticate(&user_id, "000001").0, 401);
        assert_eq!(
            api.authenticate(&user_id, &code_at(&secret, t)).0,
            200,
            "round {round}"
        );
    }
    assert_eq!(
        api.ok("GET", &format!("/v1/users/{user_id}"), json!({}))["is_locked"],
        false
    );
}

#[test]
fn totp_and_recovery_failures_count_together() {
    let api = Api::new(json!({"database": ":memory:", "lockout": {"max_failures": 4}}));
    let (user_id, _) = enrolled_at(&api, T);
    assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    assert_eq!(api.recover(&user_id, "zzzz-zzzz-zzzz").0, 401);
    assert_eq!(api.authenticate(&user_id, "000000").0, 401);
    assert_eq!(api.recover(&user_id, "zzzz-zzzz-zzzy").0, 401);
    assert_eq!(api.authenticate(&user_id, "000000").0, 429);
}

#[test]
fn recovery_codes_list_unused_codes_of_usable_totps() {
    let api = Api::memory();
    api.set_time(T);
    let user_id = api.new_user();
    assert_eq!(
        api.ok(
            "POST",
            "/v1/totps/recovery_codes",
            json!({"user_id": user_id})
        )["totps"],
        json!([])
    );
    let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    let listed = api.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    assert_eq!(
        listed["totps"],
        json!([{"totp_id": totp["totp_id"], "verified": false, "recovery_codes": totp["recovery_codes"]}])
    );
    let used = totp["recovery_codes"][3].as_str().unwrap();
    assert_eq!(api.recover(&user_id, used).0, 200);
    let listed = api.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    let codes = listed["totps"][0]["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 9);
    assert!(!codes.iter().any(|c| c == used));
    api.fails(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": ""}),
        400,
        "invalid_user_id",
    );
    api.fails(
        "POST",
        "/v1/totps/recovery_codes",
        json!({}),
        400,
        "bad_request",
    );
}

#[test]
fn recover_matches_case_and_dashes_and_is_single_use() {
    let api = Api::memory();
    let (user_id, _) = enrolled_at(&api, T);
    let totp = api.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    let codes: Vec<String> = totp["totps"][0]["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    let variants = [
        codes[0].clone(),
        codes[1].to_uppercase(),
        codes[2].replace('-', ""),
        codes[3].replace('-', "").to_uppercase(),
    ];
    for code in &variants {
        let (status, body) = api.recover(&user_id, code);
        assert_eq!(status, 200, "{code}: {body}");
        assert_eq!(body["totp_id"], totp["totps"][0]["totp_id"]);
        assert!(body["session"].is_null());
    }
    let (status, body) = api.recover(&user_id, &codes[0]);
    assert_eq!(
        (status, error_type(&body)),
        (401, "unable_to_authenticate_recovery_code")
    );
    assert_eq!(
        api.recover(&user_id, &codes[4]).0,
        200,
        "a failure does not block the next code"
    );
}

#[test]
fn recover_input_errors() {
    let api = Api::new(json!({"database": ":memory:", "lockout": {"max_failures": 1}}));
    let (user_id, _) = enrolled_at(&api, T);
    let (status, body) = api.recover(&user_id, "123456");
    assert_eq!(
        (status, error_type(&body)),
        (400, "totp_code_used_as_recovery_code")
    );
    for bad in [
        "",
        "abcd-efgh",
        "abcd_efgh_ijkl",
        "abcd-efgh-ijk!",
        " abcd-efgh-ijkl",
        "abcd-efgh-ijklm",
    ] {
        let (status, body) = api.recover(&user_id, bad);
        assert_eq!(
            (status, error_type(&body)),
            (400, "invalid_recovery_code"),
            "{bad:?}"
        );
    }
    let codes = api.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    let code = codes["totps"][0]["recovery_codes"][0].as_str().unwrap();
    let mut body = json!({"user_id": user_id, "recovery_code": code});
    body["session_duration_minutes"] = json!(60);
    api.fails("POST", "/v1/totps/recover", body, 400, "invalid_config");
    assert_eq!(
        api.recover(&user_id, code).0,
        200,
        "malformed input was counted or the code consumed"
    );
    let user_id2 = api.new_user();
    let (status, body) = api.recover(&user_id2, "abcd-efgh-ijkl");
    assert_eq!((status, error_type(&body)), (404, "totp_not_found"));
}

#[test]
fn locks_and_counters_live_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let config = json!({"database": dir.path().join("lock.db").to_str().unwrap(), "lockout": {"max_failures": 2}});
    let a = Api::new(config.clone());
    let (user_id, secret) = enrolled_at(&a, T);
    assert_eq!(a.authenticate(&user_id, "000000").0, 401);
    let b = Api::new(config.clone());
    b.set_time(T);
    let (status, body) = b.authenticate(&user_id, "000000");
    assert_eq!(status, 401, "second client {body}");
    drop((a, b));
    let c = Api::new(config);
    c.set_time(T);
    assert_eq!(
        c.authenticate(&user_id, &code_at(&secret, T)).0,
        429,
        "lock survives a restart"
    );
}

#[test]
fn host_clock_callback_drives_time() {
    use std::sync::atomic::{AtomicI64, Ordering};
    static NOW: AtomicI64 = AtomicI64::new(T);
    unsafe extern "C" fn now(_ctx: *mut std::ffi::c_void) -> i64 {
        NOW.load(Ordering::SeqCst)
    }
    let api = Api::memory();
    unsafe {
        stytch_totp::ffi::stytch_client_set_clock(api.client, Some(now), std::ptr::null_mut())
    };
    let (user_id, totp) = api.enrolled_user();
    let secret = secret_of(&totp);
    assert_eq!(api.authenticate(&user_id, &code_at(secret, T)).0, 200);
    NOW.store(-5, Ordering::SeqCst);
    let (status, body) = api.authenticate(&user_id, &code_at(secret, T + STEP));
    assert_eq!((status, error_type(&body)), (500, "internal_server_error"));
    NOW.store(T + STEP, Ordering::SeqCst);
    assert_eq!(
        api.authenticate(&user_id, &code_at(secret, T + STEP)).0,
        200
    );
    unsafe { stytch_totp::ffi::stytch_client_set_clock(api.client, None, std::ptr::null_mut()) };
    let (status, _) = api.authenticate(&user_id, "000000");
    assert_eq!(status, 401, "system clock again");
}
