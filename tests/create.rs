//! `POST /v1/totps` and the user routes, through the C ABI.

mod common;

use base64::Engine as _;
use common::*;
use serde_json::json;

fn is_id(id: &str, kind: &str) -> bool {
    let Some(uuid) = id.strip_prefix(&format!("{kind}-test-")) else {
        return false;
    };
    uuid::Uuid::parse_str(uuid)
        .is_ok_and(|u| u.get_version_num() == 4 && uuid == u.hyphenated().to_string())
}

/// Decodes the PNG of a `qr_code` data URI: (width, height, bit depth, 8-bit luma pixels).
fn decode_qr_png(qr_code: &str) -> (Vec<u8>, png::OutputInfo, Vec<u8>) {
    let b64 = qr_code
        .strip_prefix("data:image/png;base64, ")
        .expect("data URI prefix");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes.clone()));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let raw_depth = reader.info().bit_depth;
    assert_eq!(raw_depth, png::BitDepth::One);
    assert_eq!(reader.info().color_type, png::ColorType::Grayscale);
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    (bytes, info, pixels)
}

/// Scans the QR code with an independent decoder (rqrr) and returns its text.
fn scan(info: &png::OutputInfo, pixels: &[u8]) -> String {
    let (w, h) = (info.width as usize, info.height as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[test]
fn create_returns_every_field_in_stytch_shape() {
    let api = Api::memory();
    let user_id = api.create_user(json!({"email": "ada@example.com"}));
    api.set_time(1_700_000_000);
    let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));

    assert!(is_id(totp["totp_id"].as_str().unwrap(), "totp"));
    assert!(is_id(totp["request_id"].as_str().unwrap(), "request-id"));
    assert_eq!(totp["user_id"], user_id.as_str());
    let secret = secret_of(&totp);
    assert_eq!(secret.len(), 32);
    assert!(
        secret
            .bytes()
            .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c))
    );
    let codes: Vec<&str> = totp["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 10);
    let distinct: std::collections::HashSet<_> = codes.iter().collect();
    assert_eq!(distinct.len(), 10);
    for code in &codes {
        let parts: Vec<&str> = code.split('-').collect();
        assert_eq!(parts.len(), 3, "{code}");
        assert!(parts.iter().all(|p| {
            p.len() == 4
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        }));
    }
    let user = &totp["user"];
    assert_eq!(
        user["totps"],
        json!([{"totp_id": totp["totp_id"], "verified": false}])
    );
    assert_eq!(user["created_at"].as_str().map(|s| s.len()), Some(20));
    for key in [
        "lock_created_at",
        "lock_expires_at",
        "password",
        "external_id",
    ] {
        assert!(user[key].is_null(), "{key}");
    }
}

#[test]
fn qr_code_scans_to_the_otpauth_uri_and_is_small() {
    let api = Api::new(json!({"database": ":memory:", "issuer": "Acme: Cloud+Co"}));
    let user_id = api.create_user(json!({"email": "a+b@example.com"}));
    let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    let (bytes, info, pixels) = decode_qr_png(totp["qr_code"].as_str().unwrap());
    assert!(info.width >= 200, "width {}", info.width);
    assert_eq!(info.width, info.height);
    assert!(bytes.len() <= 1024, "PNG is {} bytes", bytes.len());

    let uri = scan(&info, &pixels);
    let secret = secret_of(&totp);
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/Acme%3A%20Cloud%2BCo:a%2Bb@example.com?secret={secret}\
             &issuer=Acme%3A%20Cloud%2BCo&algorithm=SHA1&digits=6&period=30"
        )
    );

    // Quiet zone: the border of 4 modules is white. A module is width / (modules + 8)
    // pixels; the finder pattern's top-left dark pixel marks where modules start.
    let w = info.width as usize;
    let first_dark = (0..w).find(|&i| pixels[i * w + i] == 0).unwrap();
    let module_px = first_dark / 4;
    assert!(
        module_px >= 1 && first_dark % module_px == 0,
        "quiet zone {first_dark}px"
    );
    for i in 0..w {
        for edge in [i, i * w, (w - 1) * w + i, i * w + w - 1] {
            assert_eq!(pixels[edge], 255, "border pixel {edge} must be white");
        }
    }
}

/// How many random secrets the sampled QR tests scan: 300 by default,
/// `STYTCH_TOTP_QR_SAMPLES` to change it (`make test-qr-decoders` sets 10,000).
fn qr_samples() -> usize {
    std::env::var("STYTCH_TOTP_QR_SAMPLES").map_or(300, |n| n.parse().expect("a count"))
}

#[test]
fn qr_codes_of_random_secrets_scan_and_stay_under_1_kb() {
    let api = Api::memory();
    let samples = qr_samples();
    let mut largest = 0;
    for i in 0..samples {
        let email = format!("user.{i}@example.com");
        let user_id = api.create_user(json!({ "email": email }));
        let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
        let (bytes, info, pixels) = decode_qr_png(totp["qr_code"].as_str().unwrap());
        assert!(info.width >= 200 && info.width == info.height, "{info:?}");
        largest = largest.max(bytes.len());
        let want = format!(
            "otpauth://totp/Stytch%20TOTP:{email}?secret={}\
             &issuer=Stytch%20TOTP&algorithm=SHA1&digits=6&period=30",
            secret_of(&totp)
        );
        assert_eq!(scan(&info, &pixels), want, "sample {i}");
    }
    assert!(largest <= 1024, "a PNG of {largest} bytes");
    println!("{samples} QR codes scanned; the largest PNG is {largest} bytes");
}

#[test]
fn account_name_is_email_then_phone_then_user_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accounts.db");
    let api = Api::new(json!({"database": path.to_str().unwrap()}));
    // A user stored before an email or a phone number was required may have
    // neither (this one loses its email behind the library's back): its
    // account name is its user_id.
    let bare = api.create_user(json!({"email": "bare@example.com"}));
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE users SET email = NULL, email_id = NULL WHERE user_id = ?1",
            [&bare],
        )
        .unwrap();
    for (user_id, account) in [
        (
            api.create_user(json!({"email": "x@example.com", "phone_number": "+12025550123"})),
            "x@example.com",
        ),
        (
            api.create_user(json!({"phone_number": "+12025550124"})),
            "%2B12025550124",
        ),
        (bare.clone(), bare.as_str()),
    ] {
        let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
        let (_, info, pixels) = decode_qr_png(totp["qr_code"].as_str().unwrap());
        assert!(
            scan(&info, &pixels).starts_with(&format!("otpauth://totp/Stytch%20TOTP:{account}?"))
        );
    }
}

#[test]
fn codes_from_the_secret_authenticate() {
    let api = Api::memory();
    api.set_time(1_700_000_000);
    let (user_id, totp) = api.enrolled_user();
    let (status, body) = api.authenticate(&user_id, &code_at(secret_of(&totp), 1_700_000_000));
    assert_eq!(status, 200, "{body}");
}

#[test]
fn expiration_minutes_rules() {
    let api = Api::memory();
    let user_id = api.new_user();
    for bad in [4, 1441, -1, 100_000] {
        let e = api.fails(
            "POST",
            "/v1/totps",
            json!({"user_id": user_id, "expiration_minutes": bad}),
            400,
            "invalid_expiration",
        );
        assert!(
            e["error_message"]
                .as_str()
                .unwrap()
                .contains("expiration_minutes")
        );
        assert!(e["error_message"].as_str().unwrap().contains("5 and 1440"));
    }
    api.fails(
        "POST",
        "/v1/totps",
        json!({"user_id": user_id, "expiration_minutes": "5"}),
        400,
        "bad_request",
    );
    api.fails(
        "POST",
        "/v1/totps",
        json!({"user_id": user_id, "expiration_minutes": 5.5}),
        400,
        "bad_request",
    );
    // Failed attempts wrote nothing.
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["totps"], json!([]));
    for good in [0, 5, 1440] {
        api.ok(
            "POST",
            "/v1/totps",
            json!({"user_id": user_id, "expiration_minutes": good}),
        );
    }
}

#[test]
fn a_pending_totp_is_replaced_and_a_verified_one_blocks() {
    let api = Api::memory();
    api.set_time(1_000_000);
    let user_id = api.new_user();
    let first = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    let second = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    assert_ne!(first["totp_id"], second["totp_id"]);
    let user = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(
        user["totps"],
        json!([{"totp_id": second["totp_id"], "verified": false}])
    );
    // The replaced TOTP's codes no longer work.
    let (status, _) = api.authenticate(&user_id, &code_at(secret_of(&first), 1_000_000));
    assert_eq!(status, 401);
    let (status, _) = api.authenticate(&user_id, &code_at(secret_of(&second), 1_000_000));
    assert_eq!(status, 200);
    let e = api.fails(
        "POST",
        "/v1/totps",
        json!({"user_id": user_id}),
        400,
        "active_totp_exists",
    );
    assert_eq!(
        e["error_message"],
        "Cannot create a new TOTP for the specified user since the user already has an active TOTP. Users may only have one active TOTP at a time."
    );
    assert_eq!(
        e["error_url"],
        "https://stytch.com/docs/api-reference/consumer/api/errors/400#active_totp_exists"
    );
    // Deleting it allows enrolling again.
    let deleted = api.ok(
        "DELETE",
        &format!("/v1/users/totps/{}", second["totp_id"].as_str().unwrap()),
        json!({}),
    );
    assert_eq!(deleted["user"]["totps"], json!([]));
    api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
}

#[test]
fn user_ids_external_ids_and_their_errors() {
    let api = Api::memory();
    let user_id = api.create_user(json!({"external_id": "crm-42", "email": "e@example.com"}));
    let totp = api.ok("POST", "/v1/totps", json!({"user_id": "crm-42"}));
    assert_eq!(totp["user_id"], user_id.as_str());
    assert_eq!(
        api.ok("GET", "/v1/users/crm-42", json!({}))["user_id"],
        user_id.as_str()
    );

    api.fails(
        "POST",
        "/v1/users",
        json!({"external_id": "crm-42", "email": "other@example.com"}),
        400,
        "duplicate_external_id",
    );
    for (id, status, kind) in [
        ("", 400, "invalid_user_id"),
        ("user-test-nope", 400, "invalid_user_id"),
        (
            "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
            404,
            "user_not_found",
        ),
        ("unknown-external", 404, "user_not_found"),
    ] {
        api.fails("POST", "/v1/totps", json!({"user_id": id}), status, kind);
    }
    let long = "x".repeat(257);
    api.fails(
        "POST",
        "/v1/totps",
        json!({"user_id": long}),
        400,
        "invalid_user_id",
    );
    let e = api.fails(
        "POST",
        "/v1/totps",
        json!({"user_id": ""}),
        400,
        "invalid_user_id",
    );
    assert_eq!(e["error_message"], "user_id format is invalid.");
    let e = api.fails(
        "GET",
        "/v1/users/user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
        json!({}),
        404,
        "user_not_found",
    );
    assert_eq!(e["error_message"], "User could not be found.");
}

#[test]
fn users_create_get_delete() {
    let api = Api::memory();
    let created = api.ok(
        "POST",
        "/v1/users",
        json!({"email": "ada@example.com", "phone_number": "+12025550123",
               "name": {"first_name": "Ada", "last_name": "Lovelace"},
               "trusted_metadata": {"tier": 2}, "untrusted_metadata": {"theme": "dark"}}),
    );
    assert!(is_id(created["email_id"].as_str().unwrap(), "email"));
    assert!(is_id(created["phone_id"].as_str().unwrap(), "phone-number"));
    assert_eq!(created["status"], "active");
    let user_id = created["user_id"].as_str().unwrap();
    let got = api.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    for key in [
        "user_id",
        "emails",
        "phone_numbers",
        "name",
        "trusted_metadata",
        "untrusted_metadata",
        "created_at",
    ] {
        assert_eq!(got[key], created["user"][key], "{key}");
    }
    assert_eq!(got["emails"][0]["verified"], false);
    assert_eq!(
        got["name"],
        json!({"first_name": "Ada", "middle_name": "", "last_name": "Lovelace"})
    );
    assert_eq!(got["trusted_metadata"], json!({"tier": 2}));

    // The contact not given has an empty ID, as in Stytch's response.
    let phone_only = api.ok("POST", "/v1/users", json!({"phone_number": "+12025550199"}));
    assert_eq!(phone_only["email_id"], "");
    assert!(is_id(
        phone_only["phone_id"].as_str().unwrap(),
        "phone-number"
    ));
    let email_only = api.ok("POST", "/v1/users", json!({"email": "bob@example.com"}));
    assert_eq!(email_only["phone_id"], "");
    assert!(is_id(email_only["email_id"].as_str().unwrap(), "email"));

    let deleted = api.ok("DELETE", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(deleted["user_id"], user_id);
    api.fails(
        "GET",
        &format!("/v1/users/{user_id}"),
        json!({}),
        404,
        "user_not_found",
    );
    api.fails(
        "DELETE",
        &format!("/v1/users/{user_id}"),
        json!({}),
        404,
        "user_not_found",
    );
}

#[test]
fn bad_user_input_is_refused_with_the_field_named() {
    let api = Api::memory();
    api.fails(
        "POST",
        "/v1/users",
        json!({"email": "not-an-email"}),
        400,
        "invalid_email",
    );
    api.fails(
        "POST",
        "/v1/users",
        json!({"phone_number": "555-0123"}),
        400,
        "invalid_phone_number",
    );
    for (body, field) in [
        (json!({"email": 7}), "email"),
        (json!({"name": "Ada"}), "name"),
        (json!({"name": {"nickname": "A"}}), "nickname"),
        (json!({"trusted_metadata": [1]}), "trusted_metadata"),
        (json!({"colour": "red"}), "colour"),
        (json!({"external_id": "user-test-x"}), "external_id"),
        (json!({"name": {"first_name": "a\u{0}b"}}), "first_name"),
        (
            json!({"trusted_metadata": {"k": "v".repeat(5000)}}),
            "trusted_metadata",
        ),
    ] {
        let e = api.fails("POST", "/v1/users", body.clone(), 400, "bad_request");
        assert!(
            e["error_message"].as_str().unwrap().contains(field),
            "{body}: {e}"
        );
    }
    for raw in ["{", "[]", "null", "\"x\""] {
        let (m, p, b) = (cstr("POST"), cstr("/v1/users"), cstr(raw));
        let out = take_string(unsafe {
            stytch_totp::ffi::stytch_call(api.client, m.as_ptr(), p.as_ptr(), b.as_ptr())
        });
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        // "null" is an empty body's equivalent only when it is absent; here it is not an object.
        assert_eq!(v["error_type"], "bad_request", "{raw}: {v}");
    }
    let (status, listed) = api.call("GET", "/v1/users/nobody", &json!({}));
    assert_eq!(status, 404, "{listed}");
}

#[test]
fn unknown_routes_are_stytch_shaped_404s() {
    let api = Api::memory();
    for (method, path) in [
        ("GET", "/v1/totps"),
        ("PUT", "/v1/users"),
        ("POST", "/v2/totps"),
        ("POST", "/v1/totps/"),
        ("get", "/v1/users/x"),
    ] {
        let e = api.fails(method, path, json!({}), 404, "route_not_found");
        // This library's own error type: documented by the project, not Stytch.
        assert_eq!(
            e["error_url"],
            "https://github.com/stytch-totp/stytch-totp/blob/main/docs/ERRORS.md#route_not_found"
        );
    }
}

#[test]
fn a_second_client_on_the_same_file_sees_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let config = json!({"database": db.to_str().unwrap()});
    let writer = Api::new(config.clone());
    let (user_id, totp) = writer.enrolled_user();
    let reader = Api::new(config);
    let user = reader.ok("GET", &format!("/v1/users/{user_id}"), json!({}));
    assert_eq!(user["totps"][0]["totp_id"], totp["totp_id"]);
    let codes = reader.ok(
        "POST",
        "/v1/totps/recovery_codes",
        json!({"user_id": user_id}),
    );
    assert_eq!(codes["totps"][0]["recovery_codes"], totp["recovery_codes"]);
}

#[test]
fn environment_names_every_id() {
    let api = Api::new(json!({"database": ":memory:", "environment": "live"}));
    let user = api.ok("POST", "/v1/users", json!({"email": "l@example.com"}));
    assert!(user["user_id"].as_str().unwrap().starts_with("user-live-"));
    assert!(
        user["request_id"]
            .as_str()
            .unwrap()
            .starts_with("request-id-live-")
    );
    assert!(
        user["email_id"]
            .as_str()
            .unwrap()
            .starts_with("email-live-")
    );
    let e = api.fails("GET", "/v1/users/nobody", json!({}), 404, "user_not_found");
    assert!(
        e["request_id"]
            .as_str()
            .unwrap()
            .starts_with("request-id-live-")
    );
}

#[test]
fn each_memory_client_has_its_own_store() {
    let a = Api::memory();
    let b = Api::memory();
    let user_id = a.new_user();
    b.fails(
        "GET",
        &format!("/v1/users/{user_id}"),
        json!({}),
        404,
        "user_not_found",
    );
}

#[test]
fn the_longest_issuer_and_email_still_make_a_scannable_qr_code() {
    // 128 bytes of two-byte characters and a 254-byte email of '+': every byte
    // percent-encoded, the longest otpauth URI the limits allow.
    let issuer = "é".repeat(64);
    let api = Api::new(json!({"database": ":memory:", "issuer": issuer}));
    let email = format!("{}@example.com", "+".repeat(254 - "@example.com".len()));
    let user_id = api.create_user(json!({ "email": email }));
    let totp = api.ok("POST", "/v1/totps", json!({"user_id": user_id}));
    let (bytes, info, pixels) = decode_qr_png(totp["qr_code"].as_str().unwrap());
    println!("the longest otpauth URI: a PNG of {} bytes", bytes.len());
    let uri = scan(&info, &pixels);
    assert!(
        uri.contains(&format!("secret={}&", secret_of(&totp))),
        "{uri}"
    );
    assert!(uri.len() > 1600, "{}", uri.len());
    let e = Api::try_new(json!({"database": ":memory:", "issuer": "é".repeat(65)}))
        .err()
        .unwrap();
    assert_eq!(e["error_type"], "invalid_config");
}
