//! Sessions through `stytch_call`, rule by rule: starting a session with a
//! TOTP code, adding factors to it, extending it, its custom claims, the
//! arguments refused before a code is consumed, revoked and expired
//! sessions, refreshing an expired JWT, and key rotation with its grace
//! period. (Every store runs the shared session tests of tests/store_suite.rs.)

mod common;

use common::*;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Value, json};

const T: i64 = 1_700_000_010;
const PROJECT: &str = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
const DAY: i64 = 86_400;

fn api_with(extra: Value) -> Api {
    let mut config = json!({"database": ":memory:", "project_id": PROJECT});
    for (key, value) in extra.as_object().unwrap() {
        config[key] = value.clone();
    }
    Api::new(config)
}

/// A user whose TOTP was verified at `T`, on a client of the project.
fn user(api: &Api) -> (String, String, Value) {
    api.verified_user(T)
}

/// `POST /v1/totps/authenticate` at `t` with the code of that moment and
/// the session arguments `extra`.
fn sign_in(api: &Api, user_id: &str, secret: &str, t: i64, extra: Value) -> (u16, Value) {
    api.set_time(t);
    let mut body = json!({"user_id": user_id, "totp_code": code_at(secret, t)});
    merge(&mut body, extra);
    api.call("POST", "/v1/totps/authenticate", &body)
}

fn merge(body: &mut Value, extra: Value) {
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
}

/// A session started at `t` (60 minutes): the whole response.
fn started(api: &Api, user_id: &str, secret: &str, t: i64) -> Value {
    let (status, body) = sign_in(
        api,
        user_id,
        secret,
        t,
        json!({"session_duration_minutes": 60}),
    );
    assert_eq!(status, 200, "{body}");
    body
}

fn factor_types(session: &Value) -> Vec<String> {
    session["authentication_factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap().to_owned())
        .collect()
}

/// The code of `t` was not consumed: it still signs in (without a session).
fn assert_unused(api: &Api, user_id: &str, secret: &str, t: i64) {
    let (status, body) = sign_in(api, user_id, secret, t, json!({}));
    assert_eq!(status, 200, "the code was consumed: {body}");
}

fn session_authenticate(api: &Api, body: Value) -> (u16, Value) {
    api.call("POST", "/v1/sessions/authenticate", &body)
}

#[test]
fn a_totp_code_starts_a_session_shaped_as_stytchs() {
    let api = api_with(json!({}));
    let (user_id, secret, totp) = user(&api);
    let body = started(&api, &user_id, &secret, T + 30);
    let session = &body["session"];
    assert!(
        session["session_id"]
            .as_str()
            .unwrap()
            .starts_with("session-test-")
    );
    assert_eq!(session["started_at"], "2023-11-14T22:14:00Z");
    assert_eq!(session["expires_at"], "2023-11-14T23:14:00Z");
    assert_eq!(session["roles"], json!(["stytch_user"]));
    assert_eq!(
        session["attributes"],
        json!({"ip_address": "", "user_agent": ""})
    );
    let factor = &session["authentication_factors"][0];
    assert_eq!(factor["delivery_method"], "authenticator_app");
    assert_eq!(
        factor["authenticator_app_factor"]["totp_id"],
        totp["totp_id"]
    );
    let token = body["session_token"].as_str().unwrap();
    assert_eq!(token.len(), 44);
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    assert_eq!(body["session_jwt"].as_str().unwrap().split('.').count(), 3);
    // Without session arguments there is still no session.
    let (status, plain) = sign_in(&api, &user_id, &secret, T + 60, json!({}));
    assert_eq!(status, 200);
    assert!(plain["session"].is_null());
    assert_eq!(
        (
            plain["session_token"].as_str(),
            plain["session_jwt"].as_str()
        ),
        (Some(""), Some(""))
    );
}

#[test]
fn the_jwt_of_the_route_verifies_against_the_served_jwks_with_jsonwebtoken() {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let api = api_with(json!({}));
    let (user_id, secret, _) = api.verified_user(now - 60);
    let body = started(&api, &user_id, &secret, now);
    let jwt = body["session_jwt"].as_str().unwrap();
    let jwks: JwkSet =
        serde_json::from_value(api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({})))
            .unwrap();
    let kid = decode_header(jwt).unwrap().kid.unwrap();
    let key = DecodingKey::from_jwk(jwks.find(&kid).unwrap()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[PROJECT]);
    validation.set_issuer(&[format!("stytch.com/{PROJECT}")]);
    let claims = decode::<Value>(jwt, &key, &validation).unwrap().claims;
    assert_eq!(claims["sub"], user_id.as_str());
    assert_eq!(
        claims["https://stytch.com/session"]["id"],
        body["session"]["session_id"]
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        300
    );
}

#[test]
fn a_jwt_adds_the_factor_and_extends_and_claims_merge_and_delete() {
    let api = api_with(json!({}));
    let (user_id, secret, totp) = user(&api);
    let mut body = started(&api, &user_id, &secret, T + 30);
    let jwt = body["session_jwt"].as_str().unwrap().to_owned();
    let old_token = body["session_token"].as_str().unwrap().to_owned();

    // Recover with the JWT: the recovery-code factor is added, the session runs
    // 600 minutes from now, the claims merge.
    api.set_time(T + 90);
    let mut recover = json!({"user_id": user_id, "recovery_code": totp["recovery_codes"][0],
        "session_jwt": jwt, "session_duration_minutes": 600,
        "session_custom_claims": {"org": {"id": 1, "name": "acme"}, "tier": "gold"}});
    body = api.ok("POST", "/v1/totps/recover", recover.take());
    let session = &body["session"];
    assert_eq!(factor_types(session), ["totp", "recovery_codes"]);
    assert!(
        session["authentication_factors"][1]["recovery_code_factor"]["totp_recovery_code_id"]
            .as_str()
            .unwrap()
            .starts_with("totp-recovery-code-test-")
    );
    assert_eq!(session["expires_at"], "2023-11-15T08:15:00Z");
    // Only the JWT was shown: a new token replaces the old one.
    let token = body["session_token"].as_str().unwrap().to_owned();
    assert_ne!(token, old_token);
    let (status, _) = session_authenticate(&api, json!({"session_token": old_token}));
    assert_eq!(status, 404);

    // The TOTP again, by token: its factor entry is refreshed, not repeated;
    // a nested object merges, null deletes.
    let (status, body) = sign_in(
        &api,
        &user_id,
        &secret,
        T + 120,
        json!({"session_token": token,
            "session_custom_claims": {"org": {"name": null, "plan": "pro"}, "tier": null}}),
    );
    assert_eq!(status, 200, "{body}");
    let session = &body["session"];
    assert_eq!(body["session_token"], token.as_str());
    assert_eq!(factor_types(session), ["totp", "recovery_codes"]);
    assert_eq!(
        session["authentication_factors"][0]["last_authenticated_at"],
        "2023-11-14T22:15:30Z"
    );
    assert_eq!(
        session["custom_claims"],
        json!({"org": {"id": 1, "plan": "pro"}})
    );
    // No duration given: the expiry stays.
    assert_eq!(session["expires_at"], "2023-11-15T08:15:00Z");
    // The claims ride in the JWT, at the top level.
    let jwt = body["session_jwt"].as_str().unwrap();
    let payload = jwt.split('.').nth(1).unwrap();
    use base64::Engine as _;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["org"], json!({"id": 1, "plan": "pro"}));
}

#[test]
fn invalid_session_arguments_are_refused_and_consume_nothing() {
    let api = api_with(json!({}));
    let (user_id, secret, _) = user(&api);
    let body = started(&api, &user_id, &secret, T + 30);
    let (token, jwt) = (body["session_token"].clone(), body["session_jwt"].clone());
    let (other, other_secret, _) = api.verified_user(T);
    let t = T + 60;
    let big = "x".repeat(4100);
    for (extra, status, error) in [
        (
            json!({"session_duration_minutes": 4}),
            400,
            "invalid_session_duration_minutes",
        ),
        (
            json!({"session_duration_minutes": 527_041}),
            400,
            "invalid_session_duration_minutes",
        ),
        (
            json!({"session_token": token, "session_custom_claims": {"sub": "x"}}),
            400,
            "reserved_claims_in_custom_claims",
        ),
        (
            json!({"session_token": token, "session_custom_claims": {"exp": null}}),
            400,
            "reserved_claims_in_custom_claims",
        ),
        (
            json!({"session_duration_minutes": 5, "session_custom_claims": {"https://stytch.com/x": 1}}),
            400,
            "stytch_claims_in_custom_claims",
        ),
        (
            json!({"session_token": token, "session_custom_claims": {"big": big}}),
            400,
            "custom_claims_too_large",
        ),
        (
            json!({"session_duration_minutes": 5, "session_custom_claims": [1]}),
            400,
            "unable_to_represent_custom_claims_json",
        ),
        (
            json!({"session_token": token, "session_jwt": jwt}),
            400,
            "too_many_session_arguments",
        ),
        (
            json!({"session_token": "short"}),
            400,
            "invalid_session_token",
        ),
        (
            json!({"session_token": "A".repeat(44)}),
            404,
            "session_not_found",
        ),
        (
            json!({"session_jwt": "a.b.c"}),
            401,
            "unable_to_parse_session_jwt",
        ),
    ] {
        let (got, body) = sign_in(&api, &user_id, &secret, t, extra.clone());
        assert_eq!(
            (got, body["error_type"].as_str().unwrap()),
            (status, error),
            "{extra}"
        );
    }
    // Another user's session.
    let (got, body) = sign_in(
        &api,
        &other,
        &other_secret,
        t,
        json!({"session_token": token}),
    );
    assert_eq!(
        (got, body["error_type"].as_str().unwrap()),
        (400, "user_id_mismatch")
    );
    assert_unused(&api, &user_id, &secret, t);
    assert_unused(&api, &other, &other_secret, t);
    // The session itself is as it was.
    let body = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": token}),
    );
    assert_eq!(factor_types(&body["session"]), ["totp"]);
    assert_eq!(body["session"]["custom_claims"], json!({}));
}

#[test]
fn a_replayed_code_with_a_session_argument_changes_nothing() {
    let api = api_with(json!({}));
    let (user_id, secret, _) = user(&api);
    let body = started(&api, &user_id, &secret, T + 30);
    let token = body["session_token"].clone();
    let (status, replay) = sign_in(
        &api,
        &user_id,
        &secret,
        T + 30,
        json!({"session_token": token, "session_duration_minutes": 600, "session_custom_claims": {"a": 1}}),
    );
    assert_eq!(
        (status, replay["error_type"].as_str().unwrap()),
        (400, "totp_code_already_authenticated")
    );
    let after = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": token}),
    );
    assert_eq!(
        after["session"]["expires_at"],
        body["session"]["expires_at"]
    );
    assert_eq!(after["session"]["custom_claims"], json!({}));
    // A replay asking for a new session starts none.
    let (status, _) = sign_in(
        &api,
        &user_id,
        &secret,
        T + 30,
        json!({"session_duration_minutes": 60}),
    );
    assert_eq!(status, 400);
    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(listed["sessions"].as_array().unwrap().len(), 1);
}

#[test]
fn revoked_expired_and_deleted_users_sessions_are_not_found() {
    let api = api_with(json!({}));
    let (user_id, secret, _) = user(&api);
    let body = started(&api, &user_id, &secret, T + 30);
    let (token, id) = (
        body["session_token"].clone(),
        body["session"]["session_id"].clone(),
    );

    // Expired: 60 minutes after it started.
    api.set_time(T + 30 + 3600);
    api.fails(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": token}),
        404,
        "session_not_found",
    );
    let (status, _) = sign_in(
        &api,
        &user_id,
        &secret,
        T + 30 + 3600,
        json!({"session_token": token}),
    );
    assert_eq!(status, 404);
    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(listed["sessions"], json!([]));

    // Revoked by ID (and only one way of naming it at a time).
    let body = started(&api, &user_id, &secret, T + 3 * 3600);
    let (token, jwt) = (body["session_token"].clone(), body["session_jwt"].clone());
    let both = json!({"session_token": token, "session_jwt": jwt});
    api.fails(
        "POST",
        "/v1/sessions/revoke",
        both,
        400,
        "too_many_session_arguments",
    );
    api.fails("POST", "/v1/sessions/revoke", json!({}), 400, "bad_request");
    api.fails(
        "POST",
        "/v1/sessions/revoke",
        json!({"session_id": id}),
        404,
        "session_not_found",
    );
    api.ok(
        "POST",
        "/v1/sessions/revoke",
        json!({"session_id": body["session"]["session_id"]}),
    );
    api.fails(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_jwt": jwt}),
        404,
        "session_not_found",
    );

    // A deleted user's sessions end with it.
    let body = started(&api, &user_id, &secret, T + 4 * 3600);
    api.ok("DELETE", &format!("/v1/users/{user_id}"), json!({}));
    let token = body["session_token"].clone();
    api.fails(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": token}),
        404,
        "session_not_found",
    );
}

#[test]
fn an_expired_jwt_of_a_live_session_is_refreshed() {
    let api = api_with(json!({}));
    let (user_id, secret, _) = user(&api);
    let body = started(&api, &user_id, &secret, T + 30);
    let jwt = body["session_jwt"].as_str().unwrap().to_owned();
    // Ten minutes later the JWT (five minutes) has expired; the session has not.
    api.set_time(T + 630);
    let refreshed = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_jwt": jwt, "session_duration_minutes": 30}),
    );
    assert_ne!(refreshed["session_jwt"], jwt.as_str());
    assert_eq!(
        refreshed["session"]["last_accessed_at"],
        "2023-11-14T22:24:00Z"
    );
    assert_eq!(refreshed["session"]["expires_at"], "2023-11-14T22:54:00Z");
    assert_eq!(refreshed["user"]["user_id"], user_id.as_str());
    // The JWT says so too: its session claim carries the new expiry.
    let payload = refreshed["session_jwt"]
        .as_str()
        .unwrap()
        .split('.')
        .nth(1)
        .unwrap()
        .to_owned();
    use base64::Engine as _;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        claims["https://stytch.com/session"]["expires_at"],
        "2023-11-14T22:54:00Z"
    );
    assert_eq!(claims["iat"], T + 630);
}

#[test]
fn rotated_keys_verify_during_the_grace_period_and_fail_after() {
    let api = api_with(json!({"session_keys": {"rotate_after_days": 2, "grace_days": 1}}));
    let jwks = |t: i64| {
        api.set_time(t);
        api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({}))["keys"].clone()
    };
    let kid = |jwt: &Value| decode_header(jwt.as_str().unwrap()).unwrap().kid.unwrap();
    let (user_id, secret, _) = user(&api);
    let five_days = json!({"session_duration_minutes": 60 * 24 * 5});
    // The first key is made at the first use of the keys.
    let body = sign_in(&api, &user_id, &secret, T + 30, five_days.clone()).1;
    let old_jwt = body["session_jwt"].clone();
    let first = jwks(T + 30);
    assert_eq!(first.as_array().unwrap().len(), 1);

    // Two days on, a new key signs; the old one is still published and its
    // JWTs still verify (this one has expired by then: it is refreshed).
    let rotated = T + 30 + 2 * DAY;
    let body = sign_in(&api, &user_id, &secret, rotated, five_days).1;
    let published = jwks(rotated);
    assert_eq!(published.as_array().unwrap().len(), 2);
    assert_eq!(published[1], first[0]);
    assert_eq!(published[0]["kid"], kid(&body["session_jwt"]).as_str());
    assert_ne!(kid(&body["session_jwt"]), kid(&old_jwt));
    let refreshed = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_jwt": old_jwt}),
    );
    assert_eq!(
        kid(&refreshed["session_jwt"]),
        published[0]["kid"].as_str().unwrap()
    );

    // A day after the new key was made, the old one is retired: its JWTs no
    // longer verify, though their session lives on.
    let after = rotated + DAY;
    assert_eq!(jwks(after).as_array().unwrap().len(), 1);
    let (status, body) = session_authenticate(&api, json!({"session_jwt": old_jwt}));
    assert_eq!(
        (status, body["error_type"].as_str().unwrap()),
        (401, "unable_to_parse_session_jwt")
    );
    let token = refreshed["session_token"].clone();
    api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": token}),
    );
}

#[test]
fn the_session_routes_check_their_arguments() {
    let api = api_with(json!({}));
    let (user_id, secret, _) = user(&api);
    started(&api, &user_id, &secret, T + 30);
    api.fails(
        "POST",
        "/v1/sessions/authenticate",
        json!({}),
        400,
        "bad_request",
    );
    api.fails(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_id": "x"}),
        400,
        "bad_request",
    );
    api.fails(
        "GET",
        "/v1/sessions/jwks/project-test-00000000-0000-4000-8000-000000000000",
        json!({}),
        400,
        "bad_request",
    );
    api.fails(
        "GET",
        "/v1/sessions?user_id=user-test-00000000-0000-4000-8000-000000000000",
        json!({}),
        404,
        "user_not_found",
    );
    api.fails("GET", "/v1/sessions?user=x", json!({}), 400, "bad_request");
    api.fails("GET", "/v1/sessions", json!({}), 400, "bad_request");
    let listed = api.ok("GET", &format!("/v1/sessions?user_id={user_id}"), json!({}));
    assert_eq!(listed["sessions"].as_array().unwrap().len(), 1);
    // Without a project, the session routes say what is missing.
    let bare = Api::memory();
    let e = bare.fails(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_token": "A".repeat(44)}),
        400,
        "invalid_config",
    );
    assert!(e["error_message"].as_str().unwrap().contains("project_id"));
}

#[test]
fn an_sqlite_file_of_schema_2_gains_the_sessions_table_and_keeps_its_users() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.db");
    let config = json!({"database": path.to_str().unwrap(), "project_id": PROJECT});
    let (user_id, secret) = {
        let api = Api::new(config.clone());
        let (user_id, secret, _) = user(&api);
        (user_id, secret)
    };
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(
        "DROP TABLE stytch_sessions; DROP INDEX users_by_email; DROP INDEX users_by_phone_number; \
         UPDATE stytch_totp_meta SET value = CAST('2' AS BLOB) WHERE key = 'sqlite_schema_version';",
    )
    .unwrap();
    drop(db);
    let api = Api::new(config);
    let body = started(&api, &user_id, &secret, T + 30);
    assert_eq!(body["user"]["user_id"], user_id.as_str());
    let db = rusqlite::Connection::open(&path).unwrap();
    let version: String = db
        .query_row(
            "SELECT CAST(value AS TEXT) FROM stytch_totp_meta WHERE key = 'sqlite_schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, "4");
    let sessions: i64 = db
        .query_row("SELECT count(*) FROM stytch_sessions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sessions, 1);
}

const RSA_A: &str = include_str!("data/session_keys/rsa2048_a.pem");
const RSA_B: &str = include_str!("data/session_keys/rsa2048_b.pem");

/// A `session_keys.signing_keys` entry.
fn host_key(kid: &str, pem: &str, verify_only: bool) -> Value {
    json!({"kid": kid, "private_key_pem": pem, "created_at": T, "verify_only": verify_only})
}

fn kid_of(jwt: &Value) -> String {
    decode_header(jwt.as_str().unwrap()).unwrap().kid.unwrap()
}

fn published_kids(api: &Api) -> Vec<String> {
    let jwks = api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({}));
    let keys = jwks["keys"].as_array().unwrap();
    keys.iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

/// A client on an SQLite file with the `session_keys` given.
fn on_file(path: &std::path::Path, session_keys: Value) -> Api {
    Api::new(
        json!({"database": path.to_str().unwrap(), "project_id": PROJECT,
                    "session_keys": session_keys}),
    )
}

/// The signing-key record of an SQLite file, if any.
fn stored_signing_keys(path: &std::path::Path) -> Option<Vec<u8>> {
    let db = rusqlite::Connection::open(path).unwrap();
    let mut stmt = db
        .prepare("SELECT value FROM stytch_totp_meta WHERE key = 'session_signing_keys'")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    rows.next().unwrap().map(|row| row.get(0).unwrap())
}

/// The DER inside a PEM block.
fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine as _;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[test]
fn a_supplied_key_signs_and_the_previous_ones_verify_and_none_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("host.db");
    let (old_jwt, user_id, secret) = {
        let api = on_file(
            &path,
            json!({"signing_keys": [host_key("host-b", RSA_B, false)]}),
        );
        let (user_id, secret, _) = user(&api);
        let body = started(&api, &user_id, &secret, T + 30);
        assert_eq!(kid_of(&body["session_jwt"]), "host-b");
        (body["session_jwt"].clone(), user_id, secret)
    };
    // The host rotates: A signs, B stays published for B's JWTs.
    let api = on_file(
        &path,
        json!({"signing_keys": [host_key("host-a", RSA_A, false), host_key("host-b", RSA_B, false)]}),
    );
    api.set_time(T + 60);
    assert_eq!(published_kids(&api), ["host-a", "host-b"]);
    let refreshed = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_jwt": old_jwt}),
    );
    assert_eq!(kid_of(&refreshed["session_jwt"]), "host-a");
    let body = started(&api, &user_id, &secret, T + 90);
    assert_eq!(kid_of(&body["session_jwt"]), "host-a");
    // The published JWK verifies the JWT with an independent library.
    let jwks: JwkSet =
        serde_json::from_value(api.ok("GET", &format!("/v1/sessions/jwks/{PROJECT}"), json!({})))
            .unwrap();
    let jwk = jwks.find("host-a").unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[PROJECT]);
    validation.validate_exp = false;
    decode::<Value>(
        body["session_jwt"].as_str().unwrap(),
        &DecodingKey::from_jwk(jwk).unwrap(),
        &validation,
    )
    .unwrap();
    // Years on, they are still published: supplied keys rotate only when
    // the host changes its configuration.
    api.set_time(T + 3000 * DAY);
    assert_eq!(published_kids(&api), ["host-a", "host-b"]);
    drop(api);
    // Neither key, nor any record of keys, is in the store's files.
    assert_eq!(stored_signing_keys(&path), None);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        files.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    for pem in [RSA_A, RSA_B] {
        let der = pem_der(pem);
        for window in der.chunks(32).filter(|c| c.len() == 32) {
            assert!(!files.windows(32).any(|w| w == window));
        }
    }
}

#[test]
fn a_bad_supplied_key_is_refused_without_echoing_it() {
    let pem = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/tests/data/session_keys/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let half = &RSA_A[..RSA_A.len() / 2];
    let cases = [
        (
            json!([host_key("k", &pem("ec_p256.pem"), false)]),
            "is not an RSA key",
        ),
        (
            json!([host_key("k", &pem("rsa1024.pem"), false)]),
            "under 2048 bits",
        ),
        (
            json!([host_key("k", &pem("rsa2048_a_pkcs1.pem"), false)]),
            "PKCS#1",
        ),
        (json!([host_key("k", half, false)]), "is not a PEM"),
        (
            json!([host_key("k", RSA_A, false), host_key("k", RSA_B, true)]),
            "appears twice",
        ),
        (json!([host_key("bad kid", RSA_A, false)]), "kid must be"),
        (
            json!([{"kid": "k", "private_key_pem": RSA_A}]),
            "created_at is required",
        ),
        (json!([]), "1 to 8 keys"),
    ];
    for (keys, reason) in cases {
        let config = json!({"database": ":memory:", "project_id": PROJECT,
                            "session_keys": {"signing_keys": keys}});
        let error = Api::try_new(config).err().expect("refused");
        assert_eq!(error["error_type"], "invalid_config", "{error}");
        assert_eq!(error["status_code"], 400);
        let message = error["error_message"].as_str().unwrap();
        assert!(message.contains(reason), "{message}");
        for key in [RSA_A, RSA_B, &pem("ec_p256.pem"), &pem("rsa1024.pem")] {
            for line in key
                .lines()
                .filter(|l| !l.starts_with("-----") && l.len() >= 16)
            {
                assert!(!message.contains(&line[..16]), "{message}");
            }
        }
    }
}

#[test]
fn switching_between_generated_and_supplied_keys_keeps_issued_jwts_verifying() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("switch.db");
    let policy = json!({"rotate_after_days": 10, "grace_days": 2});
    let thirty_days = json!({"session_duration_minutes": 60 * 24 * 30});
    let generated = on_file(&path, policy.clone());
    let (user_id, secret, _) = user(&generated);
    let body = sign_in(&generated, &user_id, &secret, T + 30, thirty_days.clone()).1;
    let generated_jwt = body["session_jwt"].clone();
    let generated_kid = kid_of(&generated_jwt);
    drop(generated);
    let record = stored_signing_keys(&path).expect("the generated key is stored");

    // Supplied keys sign; the generated key keeps verifying until 2 days
    // after it would have been rotated (10 days after its creation at T + 30),
    // and the store's record is left as it was.
    let mut supplied = policy.clone();
    supplied["signing_keys"] = json!([host_key("host-a", RSA_A, false)]);
    let api = on_file(&path, supplied);
    api.set_time(T + 60);
    assert_eq!(published_kids(&api), ["host-a", generated_kid.as_str()]);
    let body = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_jwt": generated_jwt}),
    );
    let supplied_jwt = body["session_jwt"].clone();
    assert_eq!(kid_of(&supplied_jwt), "host-a");
    let last_second = T + 30 + 12 * DAY - 1;
    api.set_time(last_second);
    assert_eq!(
        session_authenticate(&api, json!({"session_jwt": generated_jwt})).0,
        200
    );
    api.set_time(last_second + 1);
    assert_eq!(published_kids(&api), ["host-a"]);
    let (status, body) = session_authenticate(&api, json!({"session_jwt": generated_jwt}));
    assert_eq!(
        (status, body["error_type"].as_str().unwrap()),
        (401, "unable_to_parse_session_jwt")
    );
    drop(api);
    assert_eq!(stored_signing_keys(&path).as_ref(), Some(&record));

    // Back to generated keys at day 5 (the stored key is not yet due): it
    // signs again, and the supplied key, kept as verify_only, still verifies.
    let mut back = policy;
    back["signing_keys"] = json!([host_key("host-a", RSA_A, true)]);
    let api = on_file(&path, back);
    api.set_time(T + 5 * DAY);
    assert_eq!(published_kids(&api), ["host-a", generated_kid.as_str()]);
    let body = api.ok(
        "POST",
        "/v1/sessions/authenticate",
        json!({"session_jwt": supplied_jwt}),
    );
    assert_eq!(kid_of(&body["session_jwt"]), generated_kid);
}
